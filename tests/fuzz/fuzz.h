/* Shared by the fuzz targets: each defines LLVMFuzzerTestOneInput, which
 * libFuzzer calls (--enable-fuzzing) or replay.c calls once per file of the
 * seed corpus (make check). A broken property calls fuzz_fail(), which
 * aborts so that both drivers report the input. */
#ifndef HOOKMAN_FUZZ_H
#define HOOKMAN_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The event catalog from $HOOKMAN_DATADIR or the source tree, loaded once;
 * aborts when it cannot be read (the target cannot run without it). */
const struct catalog *fuzz_catalog(void);

/* A NUL-terminated copy of data[0..size) the caller frees; aborts when
 * memory runs out. */
char *fuzz_cstr(const uint8_t *data, size_t size);

/* Print what broke and abort. */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
