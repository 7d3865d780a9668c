/* Signing secrets in the Standard Webhooks form: "whsec_" + base64. */
#ifndef HOOKMAN_SECRET_H
#define HOOKMAN_SECRET_H

#include <stddef.h>

#define SECRET_MAX 128          /* characters, "whsec_" included */
#define SECRET_MIN_BYTES 16     /* decoded key length accepted */
#define SECRET_MAX_BYTES 64
#define SECRET_GEN_BYTES 32     /* key length of generated secrets */

/* Write a new secret of SECRET_GEN_BYTES random bytes into out
 * (SECRET_MAX bytes). Returns 0, or -1 with err set. */
int secret_generate(char *out, char *err);

/* Check a secret: "whsec_" followed by standard base64 that decodes to
 * SECRET_MIN_BYTES..SECRET_MAX_BYTES bytes. Returns 0 or -1 with err. */
int secret_check(const char *secret, char *err);

/* Decode the key bytes of a valid secret into key (SECRET_MAX_BYTES
 * bytes). Returns the key length, or -1 with err set. */
int secret_decode(const char *secret, unsigned char *key, char *err);

#endif
