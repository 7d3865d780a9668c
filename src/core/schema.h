/* The store's schema, as a list of migrations. Migration N takes a
 * database at user_version N-1 to N; a new store runs all of them. */
#ifndef HOOKMAN_SCHEMA_H
#define HOOKMAN_SCHEMA_H

#define SCHEMA_VERSION 8
#define SCHEMA_APPLICATION_ID 0x686f6f6b   /* "hook" */

/* SQL of migration version (1..SCHEMA_VERSION), or NULL. Static text. */
const char *schema_migration(int version);

#endif
