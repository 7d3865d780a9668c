/* The store's schema, as a list of migrations. Migration N takes a
 * database at user_version N-1 to N; a new store runs all of them. */
#ifndef HOOKMAN_SCHEMA_H
#define HOOKMAN_SCHEMA_H

#define SCHEMA_VERSION 8
#define SCHEMA_APPLICATION_ID 0x686f6f6b   /* "hook" */

/* SQL of migration version (1..SCHEMA_VERSION), or NULL. Static text. */
const char *schema_migration(int version);

/* The same store at SCHEMA_VERSION on PostgreSQL, as one script: a new
 * PostgreSQL store starts there (there is no older one to migrate).
 * Static text. Its tables and columns are SQLite's, which a test holds
 * it to, and:
 * - ids are bigint identities (never reused, as AUTOINCREMENT; BY
 *   DEFAULT so that a copy between stores keeps them);
 * - times and sizes are bigint (ms do not fit an integer);
 * - a name is unique by name_key, its ASCII letters folded, as SQLite's
 *   NOCASE folds them, so the same names collide on both engines;
 * - a receiver's body is bytea; flags stay integers;
 * - hookman_meta holds what SQLite's user_version and application_id
 *   say ("schema_version", "application");
 * - several senders share the queue: a delivery in flight names its
 *   sender (claimed_by) and how long its claim holds (lease_until), and
 *   each sender has a row in senders (senders.h); leases are measured by
 *   the server's clock (hookman_now_ms()), whatever the hosts' say;
 * - name_fold, last_insert_rowid(), json_array_length(text) and
 *   json_each give the shared statements SQLite's NOCASE and functions. */
const char *schema_postgresql(void);

#endif
