/* A whole store copied into another, whatever their engines (issue 15):
 * SQLite to PostgreSQL to move a team onto a shared store, and back. */
#ifndef HOOKMAN_STORECOPY_H
#define HOOKMAN_STORECOPY_H

#include "store.h"

/* The tables copied, in an order their references allow. */
#define STORECOPY_TABLES 8

/* Rows copied, per table, in the order of storecopy_table_name. */
struct storecopy_counts {
	long long rows[STORECOPY_TABLES];
};

const char *storecopy_table_name(int i);

/* Copy every row of src into dst, secrets included, with their ids (so
 * that a delivery's number and webhook-id stay what receivers and
 * operators know), and the ids neither store may hand out again (ids
 * are never reused). src is read in one snapshot and dst written in one
 * transaction: all or nothing. dst must hold no webhook, event,
 * delivery or audit entry (ERR_EXISTS otherwise: nothing is merged); what
 * only one sender's claims need is not copied (a copy starts with
 * nothing in flight: those deliveries are pending again). 0, or -1 with
 * err (the table and row that failed) and dst unchanged. */
int storecopy_run(struct store *src, struct store *dst, struct storecopy_counts *n, char *err);

#endif
