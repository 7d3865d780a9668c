/* The store: one SQLite database (WAL) in the store directory, or a
 * PostgreSQL database named by a URI (issue 15), shared by hookman and
 * hookmand (on PostgreSQL by any number of them, on any number of
 * hosts). Every function here returns 0 (or a pointer) on
 * success and -1 (or NULL) with a sentence in err on failure, and a kind
 * (err.h): ERR_BUSY (another process holds the lock), ERR_IO (a full disk,
 * I/O, a damaged or read-only store), ERR_INVALID (a row refused: a
 * constraint, a value too big; a file that is not a hookman store),
 * ERR_NOT_FOUND, ERR_EXISTS, ERR_CONFLICT (below), ERR_NOMEM. */
#ifndef HOOKMAN_STORE_H
#define HOOKMAN_STORE_H

#include <stddef.h>

#include "db.h"
#include "webhook.h"

#define STORE_DB_NAME "hookman.db"
#define STORE_BUSY_MS 10000

struct store;

/* Open the store in dir, creating the directory (0700) and the database
 * (0600) when missing and migrating an older schema. Refuses, without
 * writing anything: a file that is not a SQLite database, a database that
 * is not a hookman store, a store with a newer schema, a directory or file
 * owned by another user or reached through a symlink. dir may instead be
 * a PostgreSQL URI (storedir_is_uri): the store is then the tables of
 * the connection's current schema, created there when it has none (under
 * a lock, so that hosts starting at once create it once), refused when
 * it holds other tables. Close with store_close(). */
struct store *store_open(const char *dir, char *err);
void store_close(struct store *st);

/* The database file, or the URI with its password masked: what messages
 * name. */
const char *store_path(const struct store *st);
int store_is_postgresql(const struct store *st);

/* The sender's connection: on SQLite, check the whole file first (PRAGMA
 * quick_check; a damaged store is refused with what SQLite found and how
 * to recover), and drop the pages it cached, then relax durability to
 * synchronous=NORMAL — its commits may be lost on
 * power loss, never on a crash, and a lost outcome means the delivery is
 * sent again, which at-least-once allows. On PostgreSQL nothing: the
 * server checks its pages, and commits stay as durable as anyone's. */
int store_sender_mode(struct store *st, char *err);

/* How long a write waits for another process's lock before failing with
 * "busy" (STORE_BUSY_MS by default; the sender's loop waits a few ms).
 * It tries again every 200 µs for the first 20 ms, so that it takes a lock
 * freed only briefly between another writer's transactions. */
void store_set_busy_wait(struct store *st, int ms);

/* A number that changes whenever another connection has committed to
 * the store (PRAGMA data_version; on PostgreSQL the notifications of
 * others' commits heard so far, with no round trip), to notice their
 * writes; -1 on error. */
long long store_data_version(struct store *st);

/* A descriptor that becomes readable when another connection commits
 * (PostgreSQL: the connection's socket, LISTENing; read it with
 * store_work_version), to wait on beside others; -1 on SQLite, whose
 * writers wake hookmand through its control socket. */
int store_wait_fd(struct store *st);

/* Like store_data_version, counting only the commits that may bring a
 * sender work (a front end's: fires, edits, releases; on PostgreSQL not
 * another sender's turns); -1 on error. */
long long store_work_version(struct store *st);

/* Milliseconds since the epoch, the store's time unit. */
long long store_now_ms(void);

/* BEGIN IMMEDIATE (waits up to STORE_BUSY_MS for other writers; on
 * PostgreSQL BEGIN and the store-wide advisory lock), COMMIT (on
 * PostgreSQL with a notification for the others, store_data_version),
 * ROLLBACK. */
int store_begin(struct store *st, char *err);
int store_commit(struct store *st, char *err);
void store_rollback(struct store *st);

/* Whether each commit waits for the disk (synchronous=FULL, how
 * store_open leaves it) or not (NORMAL). Set outside a transaction. A
 * writer committing a long stream in parts needs the wait only at its last
 * commit: the write-ahead log is one file written in order, so that
 * commit's sync covers the parts before it (and so does hookmand's sync
 * when it checkpoints). On PostgreSQL synchronous_commit on or off, with
 * the same guarantee: a synchronous commit flushes the WAL up to it. 0, or
 * -1 with err. */
int store_sync_each_commit(struct store *st, int on, char *err);

/* A savepoint inside the open transaction, so that one row's statements
 * can be undone alone: store_savepoint, then store_release to keep them or
 * store_undo to take them back (the savepoint is gone either way). */
int store_savepoint(struct store *st, char *err);
int store_release(struct store *st, char *err);
void store_undo(struct store *st);

/* What the last failure reported by store_sql_error was about: another
 * process holding the lock, a full disk, the store as a whole (I/O,
 * memory, a read-only file, anything not known to be a row's), all of
 * which waiting may cure; or one row (a constraint, a damaged page, a
 * value too big or of the wrong type), which retrying the same row
 * cannot. Kept until the next failure, whatever ran in between; a
 * savepoint starts it over (NONE: the failure was not the store's report,
 * e.g. memory, and counts as the whole store's). A refused webhook save
 * sets EXISTS, CONFLICT or GONE. The core decides with it (the sender sets
 * a row aside); front ends branch on err_kind, which the same failure
 * set, never on the sentence. */
enum store_fault { STORE_FAULT_NONE, STORE_FAULT_BUSY, STORE_FAULT_FULL, STORE_FAULT_STORE, STORE_FAULT_ROW,
		   STORE_FAULT_EXISTS,     /* a webhook of that name exists already */
		   STORE_FAULT_CONFLICT,   /* a save refused: changed elsewhere since loaded */
		   STORE_FAULT_GONE };     /* a save refused: deleted elsewhere since loaded */
enum store_fault store_last_fault(const struct store *st);

/* Whether the last statement failed on a unique index (a name taken),
 * and the fault a module found in what a statement did (a save refused:
 * changed or deleted elsewhere), for store_last_fault. */
int store_last_unique(struct store *st);
void store_set_fault(struct store *st, enum store_fault f);

/* A statement of the store through the engine-neutral layer (db.h),
 * cached for the life of the store: it comes back reset with its
 * bindings cleared. Reset it after use (so it releases its read
 * snapshot); never free it. sql must be a string literal. */
struct db_stmt *store_sql(struct store *st, const char *sql, char *err);

/* The same, with a text per engine, where they differ (both literals). */
struct db_stmt *store_sql_dialect(struct store *st, const char *sqlite, const char *postgresql, char *err);

/* A statement built at run time, prepared for one use: the caller frees
 * it with store_sql_free. */
struct db_stmt *store_sql_once(struct store *st, const char *sql, char *err);
void store_sql_free(struct db_stmt *s);

/* The sender claiming deliveries through st (senders.h), "" for none:
 * on a shared store each claim names it. id is copied. */
void store_set_claimant(struct store *st, const char *id);
const char *store_claimant(const struct store *st);

/* A sender's turn (claims and outcomes): store_begin on SQLite; on
 * PostgreSQL a transaction without the store-wide write lock, so that
 * senders on several hosts take turns at once, each claiming rows the
 * others have not locked (SKIP LOCKED). Ended by store_commit. */
int store_begin_turn(struct store *st, char *err);

/* Run s, a statement that returns no rows (s NULL: its preparation
 * failed, err says why), and reset it; -1 with "what: the engine's
 * reason" in err when it fails. */
int store_run(struct store *st, struct db_stmt *s, const char *what, char *err);

/* Run s, a query of one row, and read its first column as a number into
 * *v; reset it. -1 as store_run (no row is a failure too). */
int store_run_int(struct store *st, struct db_stmt *s, long long *v, const char *what, char *err);

/* Whether a transaction is open (a module joins one its caller holds
 * and otherwise commits its own). */
int store_in_txn(struct store *st);

/* Rows the last INSERT, UPDATE or DELETE changed; the id of the row the
 * last INSERT made. */
long long store_changes(struct store *st);
long long store_last_id(struct store *st);

/* A stored JSON array of strings (NULL text: empty) as a list the caller
 * frees item by item. 0, or -1 when it is not an array or memory ran out. */
int store_json_list(const char *text, char ***list, size_t *n);

/* A retry schedule column: a JSON array of delays in ms, read into
 * delays[max] (*n of them; NULL text: none) or written (caller frees,
 * NULL when out of memory). Reading returns -1 for text that is not an
 * array of at most max whole numbers. */
int store_json_delays(const char *text, long long *delays, size_t max, size_t *n);
char *store_delays_json(const long long *delays, size_t n);

/* Report a failed statement as a sentence: "what: the engine's message",
 * naming a full disk, a busy store or an unreachable server plainly. */
void store_sql_error(struct store *st, const char *what, char *err);

/* The schema version this store_open migrated from (an existing store
 * upgraded: the audit record's audit.upgrade), 0 when it migrated
 * nothing or made a new store. */
int store_upgraded_from(const struct store *st);

/* The upgrade is in the record: store_upgraded_from says 0 from now on. */
void store_forget_upgrade(struct store *st);

/* Told, inside the transaction that makes it, of every change: changed
 * for a webhook's row (before is NULL for an insert, after NULL for a
 * delete, before then being the row as it was), noted for a change that
 * is not a webhook's row (a hold set or ended: its action, the webhook it
 * is about or NULL with its id or 0, and what it did in a phrase). A -1
 * (with err) from either undoes the change. */
struct store_observer {
	int (*changed)(void *ctx, const struct webhook *before, const struct webhook *after, char *err);
	int (*noted)(void *ctx, const char *action, const char *webhook, long long webhook_id,
		     const char *phrase, char *err);
};

/* Tell o (NULL: nobody) with ctx of each store_webhook_insert, update and
 * delete on st, each store_webhook_changed and each store_note. One per
 * store; o must outlive it. */
void store_observe(struct store *st, const struct store_observer *o, void *ctx);

/* Whether anyone observes st (a module reads what it is about to change
 * only then). */
int store_observed(const struct store *st);

/* Tell the observer of a change made by other SQL (a rotation), inside
 * that change's transaction. 0 when nobody observes. */
int store_webhook_changed(struct store *st, const struct webhook *before, const struct webhook *after,
			  char *err);

/* Tell the observer of another change (store_observer's noted), inside
 * its transaction. 0 when nobody observes. */
int store_note(struct store *st, const char *action, const char *webhook, long long webhook_id,
	       const char *phrase, char *err);

/* The highest id a table (with an id column) ever handed out, deleted
 * rows included, and a floor for the next ones: a copy carries it so
 * that ids are never reused (SQLite: sqlite_sequence or max(id);
 * PostgreSQL: the identity's sequence). In dst's open transaction. */
int store_id_high(struct store *st, const char *table, long long *high, char *err);
int store_id_raise(struct store *st, const char *table, long long high, char *err);

/* The database's upkeep, which only the engine knows how to do. */

/* The file as SQLite sees it; on PostgreSQL the size of the store's
 * tables, nothing free, nothing to shrink. */
struct store_size {
	long long bytes;        /* pages in use and free, times the page size */
	long long free_bytes;   /* of which free pages */
	int incremental;        /* auto_vacuum is incremental: pruning shrinks the file */
};
int store_size(struct store *st, struct store_size *sz, char *err);

/* Give up to `pages` free pages back to the file system, in the open
 * transaction. *left: how many free pages remain that it could still
 * give back (0 on a store without incremental auto-vacuum, where it does
 * nothing). */
int store_shrink(struct store *st, int pages, long long *left, char *err);

/* VACUUM: rewrite the whole file, as small as its rows, and switch an
 * older store to incremental auto-vacuum on the way. Needs the store
 * alone for as long as the copy takes and free disk space the size of the
 * file; refused with ERR_BUSY while another process writes. On
 * PostgreSQL, VACUUM FULL of the store's tables. */
int store_vacuum(struct store *st, char *err);

/* A consistent read of several statements (one snapshot), ended by
 * store_end_read. 0 or -1 with err. */
int store_begin_read(struct store *st, char *err);
void store_end_read(struct store *st);

/* Webhooks. Reads fill *out (initialised here; caller webhook_clear()s).
 * A missing name gives "no webhook named \"X\"" (ERR_NOT_FOUND). */
int store_webhook_get(struct store *st, const char *name, struct webhook *out, char *err);
int store_webhook_get_id(struct store *st, long long id, struct webhook *out, char *err);

/* All webhooks sorted by name. *out is an array the caller releases with
 * store_webhook_list_free(). */
int store_webhook_list(struct store *st, struct webhook **out, size_t *n, char *err);
void store_webhook_list_free(struct webhook *list, size_t n);

/* Insert a new webhook (already validated). Sets wh->id, version,
 * created_at, updated_at. A name taken (case-insensitively) is refused:
 * "a webhook named \"X\" already exists" (ERR_EXISTS). */
int store_webhook_insert(struct store *st, struct webhook *wh, char *err);

/* Save wh over the stored row wh->id, provided that row is still at
 * wh->version; on success wh->version is the new version. Refused with
 * "... changed elsewhere since you loaded it" (ERR_CONFLICT) when another
 * save came first, "... deleted elsewhere" (ERR_NOT_FOUND) when the row
 * is gone, a taken name with ERR_EXISTS; nothing is written then. */
int store_webhook_update(struct store *st, struct webhook *wh, char *err);

/* A webhook's deliveries not yet delivered nor dead. */
struct store_backlog {
	long long waiting;         /* pending, or failed with a retry ahead */
	long long inflight;        /* a request is out: it may still arrive */
};

/* Delete a webhook, its subscriptions and its deliveries with their
 * attempts. *b (may be NULL) receives what was still to be sent: the
 * waiting ones are cancelled; the in-flight requests may still reach the
 * receiver, and their outcomes are dropped when they come back. Like
 * insert and update, it joins a transaction the caller holds (an apply
 * writes everything in one) and otherwise commits its own. */
int store_webhook_delete(struct store *st, const char *name, struct store_backlog *b, char *err);

int store_webhook_pending(struct store *st, long long webhook_id, struct store_backlog *b, char *err);

/* What a delete did to a backlog, in words: "2 waiting deliveries
 * cancelled; 1 request was in flight and may still arrive". Caller frees;
 * NULL when memory ran out. */
char *store_backlog_text(const struct store_backlog *b);

#endif
