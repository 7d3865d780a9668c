#include "schema.h"

#include <stddef.h>

/* Times are unix milliseconds throughout. Deliveries keep the body rendered
 * at fan-out, so retries and redeliveries send the same bytes; attempts
 * keep what was sent and what came back, size-capped by the sender. */
static const char v1[] =
	"CREATE TABLE webhooks ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  url TEXT NOT NULL,"
	"  events TEXT NOT NULL,"          /* JSON array of catalog ids */
	"  format TEXT NOT NULL CHECK (format IN ('default','slack','jira')),"
	"  payload TEXT NOT NULL,"
	"  secret TEXT,"
	"  headers TEXT NOT NULL DEFAULT '[]'," /* JSON array of \"Name: value\" */
	"  enabled INTEGER NOT NULL DEFAULT 1,"
	"  verify_tls INTEGER NOT NULL DEFAULT 1,"
	"  timeout INTEGER NOT NULL DEFAULT 10,"
	"  version INTEGER NOT NULL DEFAULT 1,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE TABLE subscriptions ("
	"  event_type TEXT NOT NULL,"
	"  webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (event_type, webhook_id)) WITHOUT ROWID;"
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  uid TEXT NOT NULL UNIQUE,"
	"  type TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  severity TEXT NOT NULL,"
	"  time TEXT NOT NULL,"
	"  data TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE deliveries ("
	"  id INTEGER PRIMARY KEY,"
	"  uid TEXT NOT NULL UNIQUE,"       /* the webhook-id header */
	"  event_id INTEGER NOT NULL REFERENCES events(id),"
	"  webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,"
	"  state TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (state IN ('pending','inflight','delivered','failed','dead')),"
	"  is_test INTEGER NOT NULL DEFAULT 0,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  last_status INTEGER,"
	"  last_error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE INDEX deliveries_due ON deliveries(state, next_attempt_at);"
	/* The rendered body apart: the sender rewrites a delivery's row at
	 * each state change, and a small row makes that cheap. */
	"CREATE TABLE bodies ("
	"  delivery_id INTEGER PRIMARY KEY REFERENCES deliveries(id) ON DELETE CASCADE,"
	"  body TEXT NOT NULL);"
	"CREATE TABLE attempts ("
	"  id INTEGER PRIMARY KEY,"
	"  delivery_id INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,"
	"  started_at INTEGER NOT NULL,"
	"  duration_ms INTEGER NOT NULL,"
	"  status INTEGER,"                 /* HTTP status, NULL on transport error */
	"  error TEXT,"
	"  request_headers TEXT,"
	"  response_headers TEXT,"
	"  response_body BLOB,"
	"  response_size INTEGER);"         /* bytes received, body may be capped */
	"CREATE INDEX attempts_delivery ON attempts(delivery_id);";

/* Health: what the sender needs to disable a webhook that only fails and
 * to say why; the position of a delivery in the retry schedule (reset by
 * a redelivery, while attempts keeps counting). Indexes by webhook: the per-webhook delivery listing (newest
 * first), and saving or deleting a webhook, which would otherwise scan all
 * subscriptions and deliveries. */
static const char v2[] =
	"ALTER TABLE webhooks ADD COLUMN failing_since INTEGER;"
	"ALTER TABLE webhooks ADD COLUMN disabled_reason TEXT;"
	"ALTER TABLE deliveries ADD COLUMN step INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX deliveries_webhook ON deliveries(webhook_id, id);"
	"CREATE INDEX subscriptions_webhook ON subscriptions(webhook_id);";

/* Ids are never reused (AUTOINCREMENT): an outcome, a log line or an
 * operator's note that names a delivery or a webhook can never land on a
 * newer one that took over its number. SQLite cannot add AUTOINCREMENT to
 * a table, so both are rebuilt (foreign keys are off while migrating, so
 * dropping the old tables cascades nothing). first_attempt_at and waits
 * bound the Retry-After waits that use no step (the schedule's span, and
 * how many). The queue index leads with the
 * webhook inside each state, so the sender visits each webhook with due
 * deliveries once, without reading the backlog of one that cannot take
 * more; the few test sends have an index of their own, so status counts
 * them apart without reading every delivery. */
static const char v3[] =
	"CREATE TABLE webhooks_v3 ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  url TEXT NOT NULL,"
	"  events TEXT NOT NULL,"
	"  format TEXT NOT NULL CHECK (format IN ('default','slack','jira')),"
	"  payload TEXT NOT NULL,"
	"  secret TEXT,"
	"  headers TEXT NOT NULL DEFAULT '[]',"
	"  enabled INTEGER NOT NULL DEFAULT 1,"
	"  verify_tls INTEGER NOT NULL DEFAULT 1,"
	"  timeout INTEGER NOT NULL DEFAULT 10,"
	"  version INTEGER NOT NULL DEFAULT 1,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  failing_since INTEGER,"
	"  disabled_reason TEXT);"
	"INSERT INTO webhooks_v3 SELECT id, name, url, events, format, payload, secret, headers, enabled,"
	"  verify_tls, timeout, version, created_at, updated_at, failing_since, disabled_reason FROM webhooks;"
	"DROP TABLE webhooks;"
	"ALTER TABLE webhooks_v3 RENAME TO webhooks;"
	"CREATE TABLE deliveries_v3 ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  uid TEXT NOT NULL UNIQUE,"
	"  event_id INTEGER NOT NULL REFERENCES events(id),"
	"  webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,"
	"  state TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (state IN ('pending','inflight','delivered','failed','dead')),"
	"  is_test INTEGER NOT NULL DEFAULT 0,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  last_status INTEGER,"
	"  last_error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  step INTEGER NOT NULL DEFAULT 0,"
	"  first_attempt_at INTEGER,"
	"  waits INTEGER NOT NULL DEFAULT 0);"
	"INSERT INTO deliveries_v3 SELECT id, uid, event_id, webhook_id, state, is_test, attempts,"
	"  next_attempt_at, last_status, last_error, created_at, updated_at, step, NULL, 0 FROM deliveries;"
	"DROP TABLE deliveries;"
	"ALTER TABLE deliveries_v3 RENAME TO deliveries;"
	"CREATE INDEX deliveries_queue ON deliveries(state, webhook_id, next_attempt_at);"
	"CREATE INDEX deliveries_webhook ON deliveries(webhook_id, id);"
	"CREATE INDEX deliveries_tests ON deliveries(state) WHERE is_test;";

/* The activity pictures (attempts per hour, spark lines, failures of the
 * last day) read the attempts of a time window: this index finds them by
 * start time and holds what those counts need besides (the delivery, for
 * its webhook, and the status), so the attempts' rows, with their request
 * and response excerpts, are not read at all. */
static const char v4[] =
	"CREATE INDEX attempts_started ON attempts(started_at, delivery_id, status);";

/* Retention and listing at a million deliveries. Pruning finds the
 * finished deliveries by the time they finished (a partial index: the
 * rows still moving through the queue are not in it), and an event no
 * delivery refers to any more through the delivery's event (also what
 * deleting an event checks, with foreign keys on) and the event's age.
 * The listing newest first filtered by state, alone or with a webhook,
 * reads one index range in order instead of sorting every row of that
 * state. The file gives freed pages back only when auto_vacuum is
 * incremental, which SQLite sets before the first table or by a VACUUM:
 * new stores have it (store.c), older ones get it from 'hookman prune
 * --vacuum', never behind the operator's back during an upgrade. */
static const char v5[] =
	"CREATE INDEX deliveries_finished ON deliveries(updated_at) WHERE state IN ('delivered', 'dead');"
	"CREATE INDEX deliveries_event ON deliveries(event_id);"
	"CREATE INDEX deliveries_state ON deliveries(state, id);"
	"CREATE INDEX deliveries_webhook_state ON deliveries(webhook_id, state, id);"
	"CREATE INDEX events_created ON events(created_at);";

/* Incident operations. A hold stops the claim of a webhook's deliveries,
 * or of every delivery of an event type, until it is released or its
 * time is up; with drop_new, deliveries fanned out meanwhile are recorded
 * as 'dropped' and never sent (a state of their own, so a storm's
 * dropped messages are counted and can be sent later by hand). SQLite
 * cannot change a CHECK constraint, so deliveries is rebuilt with every
 * index it had. A webhook's rate (at most rate_n requests per rate_ms,
 * none when NULL) and its retry schedule (a JSON array of delays in ms,
 * the global schedule when NULL) are its own. With coalesce_ms, events of
 * one type and title within that window become one delivery: its
 * coalesce_key names the group while the window is open (pending, not
 * yet tried), and coalesced holds {count, first, last, ids}. Attempts get
 * ids that are never reused either (rebuilt with AUTOINCREMENT), so that
 * 'hookman tail', which reads every attempt after the last id it printed,
 * cannot miss one that took a deleted attempt's number. */
static const char v6[] =
	"CREATE TABLE holds ("
	"  id INTEGER PRIMARY KEY,"
	"  webhook_id INTEGER REFERENCES webhooks(id) ON DELETE CASCADE,"
	"  event_type TEXT,"
	"  until_at INTEGER,"                 /* NULL: until released */
	"  drop_new INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL,"
	"  CHECK ((webhook_id IS NULL) <> (event_type IS NULL)));"
	"CREATE UNIQUE INDEX holds_webhook ON holds(webhook_id) WHERE webhook_id IS NOT NULL;"
	"CREATE UNIQUE INDEX holds_event ON holds(event_type) WHERE event_type IS NOT NULL;"
	"ALTER TABLE webhooks ADD COLUMN rate_n INTEGER;"
	"ALTER TABLE webhooks ADD COLUMN rate_ms INTEGER;"
	"ALTER TABLE webhooks ADD COLUMN retry_schedule TEXT;"
	"ALTER TABLE webhooks ADD COLUMN coalesce_ms INTEGER;"
	"CREATE TABLE deliveries_v6 ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  uid TEXT NOT NULL UNIQUE,"
	"  event_id INTEGER NOT NULL REFERENCES events(id),"
	"  webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,"
	"  state TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (state IN ('pending','inflight','delivered','failed','dead','dropped')),"
	"  is_test INTEGER NOT NULL DEFAULT 0,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  last_status INTEGER,"
	"  last_error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  step INTEGER NOT NULL DEFAULT 0,"
	"  first_attempt_at INTEGER,"
	"  waits INTEGER NOT NULL DEFAULT 0,"
	"  coalesce_key TEXT,"
	"  coalesced TEXT);"
	"INSERT INTO deliveries_v6 SELECT id, uid, event_id, webhook_id, state, is_test, attempts,"
	"  next_attempt_at, last_status, last_error, created_at, updated_at, step, first_attempt_at, waits,"
	"  NULL, NULL FROM deliveries;"
	"UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'deliveries')"
	"  WHERE name = 'deliveries_v6';"
	"DROP TABLE deliveries;"
	"ALTER TABLE deliveries_v6 RENAME TO deliveries;"
	"CREATE INDEX deliveries_queue ON deliveries(state, webhook_id, next_attempt_at);"
	"CREATE INDEX deliveries_webhook ON deliveries(webhook_id, id);"
	"CREATE INDEX deliveries_tests ON deliveries(state) WHERE is_test;"
	"CREATE INDEX deliveries_finished ON deliveries(updated_at) WHERE state IN ('delivered', 'dead', 'dropped');"
	"CREATE INDEX deliveries_event ON deliveries(event_id);"
	"CREATE INDEX deliveries_state ON deliveries(state, id);"
	"CREATE INDEX deliveries_webhook_state ON deliveries(webhook_id, state, id);"
	"CREATE INDEX deliveries_coalescing ON deliveries(webhook_id, coalesce_key) "
	"  WHERE coalesce_key IS NOT NULL AND state = 'pending';"
	"CREATE TABLE attempts_v6 ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  delivery_id INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,"
	"  started_at INTEGER NOT NULL,"
	"  duration_ms INTEGER NOT NULL,"
	"  status INTEGER,"
	"  error TEXT,"
	"  request_headers TEXT,"
	"  response_headers TEXT,"
	"  response_body BLOB,"
	"  response_size INTEGER);"
	"INSERT INTO attempts_v6 SELECT id, delivery_id, started_at, duration_ms, status, error, request_headers,"
	"  response_headers, response_body, response_size FROM attempts;"
	"DROP TABLE attempts;"
	"ALTER TABLE attempts_v6 RENAME TO attempts;"
	"CREATE INDEX attempts_delivery ON attempts(delivery_id);"
	"CREATE INDEX attempts_started ON attempts(started_at, delivery_id, status);";

/* Version 7: secret rotation. The secret a webhook had before its last
 * rotation stays in secret_previous, and requests are signed with both,
 * until secret_previous_until (unix ms); after that it is never used. */
static const char v7[] =
	"ALTER TABLE webhooks ADD COLUMN secret_previous TEXT;"
	"ALTER TABLE webhooks ADD COLUMN secret_previous_until INTEGER;";

/* Version 8: hookman's record of its own changes, and where a webhook's
 * credentials come from. An audit row is written in the transaction of
 * the change it records; data is the event data its audit.* event
 * carries (who, through what, what changed, masked), kept here because
 * retention removes events. webhook is the name at the time, webhook_id
 * the row (no reference: the record outlives a delete), so a webhook's
 * entries are found across renames. event_id is NULL until the event is fanned
 * out: a migration records its upgrade before the catalog is at hand,
 * and the first front end with the catalog fans it out. refs holds the
 * references a configuration file gave for the URL, the secret and
 * header values ({"url": {"env": "X"}, "headers": {"Name": {"file":
 * "P"}}}), so that an export writes the reference, never the value. */
static const char v8[] =
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  uid TEXT NOT NULL UNIQUE,"
	"  at INTEGER NOT NULL,"
	"  action TEXT NOT NULL,"
	"  webhook TEXT,"
	"  webhook_id INTEGER,"
	"  via TEXT NOT NULL,"
	"  data TEXT NOT NULL,"
	"  event_id INTEGER);"
	"CREATE INDEX audit_at ON audit(at);"
	"CREATE INDEX audit_unsent ON audit(id) WHERE event_id IS NULL;"
	"ALTER TABLE webhooks ADD COLUMN refs TEXT;";

#define TEXT_OF(x) #x
#define VERSION_TEXT_OF(x) TEXT_OF(x)
#define VERSION_TEXT VERSION_TEXT_OF(SCHEMA_VERSION)

static const char postgresql[] =
	"CREATE TABLE hookman_meta (key text PRIMARY KEY, value text NOT NULL);"
	/* SQLite's NOCASE: names are one whatever the case of their ASCII
	 * letters, and only of those. */
	"CREATE FUNCTION name_fold(text) RETURNS text IMMUTABLE STRICT LANGUAGE sql AS "
	"  $$SELECT translate($1, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')$$;"
	/* Two of SQLite's functions the shared statements call: the id the
	 * last INSERT drew (every id is an identity, drawn from a sequence),
	 * and the length of a JSON array kept as text. */
	"CREATE FUNCTION last_insert_rowid() RETURNS bigint VOLATILE LANGUAGE sql AS $$SELECT lastval()$$;"
	/* The server's clock in ms, the one clock the leases of senders on
	 * several hosts are measured by. */
	"CREATE FUNCTION hookman_now_ms() RETURNS bigint VOLATILE LANGUAGE sql AS "
	"  $$SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint$$;"
	"CREATE FUNCTION json_array_length(text) RETURNS integer IMMUTABLE STRICT LANGUAGE sql AS "
	"  $$SELECT json_array_length($1::json)$$;"
	/* SQLite's json_each(array) and json_each(object, '$.key') as
	 * the shared statements read them: the elements as text, in value. */
	"CREATE FUNCTION json_each(text) RETURNS TABLE(value text) IMMUTABLE STRICT LANGUAGE sql AS "
	"  $$SELECT json_array_elements_text($1::json)$$;"
	"CREATE FUNCTION json_each(text, text) RETURNS TABLE(value text) IMMUTABLE STRICT LANGUAGE sql AS "
	"  $$SELECT json_array_elements_text(($1::json) -> substr($2, 3))$$;"
	"CREATE TABLE webhooks ("
	"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  name text NOT NULL,"
	"  name_key text GENERATED ALWAYS AS (name_fold(name)) STORED UNIQUE,"
	"  url text NOT NULL,"
	"  events text NOT NULL,"
	"  format text NOT NULL CHECK (format IN ('default','slack','jira')),"
	"  payload text NOT NULL,"
	"  secret text,"
	"  headers text NOT NULL DEFAULT '[]',"
	"  enabled integer NOT NULL DEFAULT 1,"
	"  verify_tls integer NOT NULL DEFAULT 1,"
	"  timeout integer NOT NULL DEFAULT 10,"
	"  version bigint NOT NULL DEFAULT 1,"
	"  created_at bigint NOT NULL,"
	"  updated_at bigint NOT NULL,"
	"  failing_since bigint,"
	"  disabled_reason text,"
	"  rate_n integer,"
	"  rate_ms bigint,"
	"  retry_schedule text,"
	"  coalesce_ms bigint,"
	"  secret_previous text,"
	"  secret_previous_until bigint,"
	"  refs text);"
	"CREATE TABLE subscriptions ("
	"  event_type text NOT NULL,"
	"  webhook_id bigint NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (event_type, webhook_id));"
	"CREATE INDEX subscriptions_webhook ON subscriptions(webhook_id);"
	"CREATE TABLE events ("
	"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  uid text NOT NULL UNIQUE,"
	"  type text NOT NULL,"
	"  title text NOT NULL,"
	"  severity text NOT NULL,"
	"  time text NOT NULL,"
	"  data text NOT NULL,"
	"  created_at bigint NOT NULL);"
	"CREATE INDEX events_created ON events(created_at);"
	"CREATE TABLE holds ("
	"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  webhook_id bigint REFERENCES webhooks(id) ON DELETE CASCADE,"
	"  event_type text,"
	"  until_at bigint,"
	"  drop_new integer NOT NULL DEFAULT 0,"
	"  created_at bigint NOT NULL,"
	"  CHECK ((webhook_id IS NULL) <> (event_type IS NULL)));"
	"CREATE UNIQUE INDEX holds_webhook ON holds(webhook_id) WHERE webhook_id IS NOT NULL;"
	"CREATE UNIQUE INDEX holds_event ON holds(event_type) WHERE event_type IS NOT NULL;"
	"CREATE TABLE deliveries ("
	"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  uid text NOT NULL UNIQUE,"
	"  event_id bigint NOT NULL REFERENCES events(id),"
	"  webhook_id bigint NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,"
	"  state text NOT NULL DEFAULT 'pending'"
	"    CHECK (state IN ('pending','inflight','delivered','failed','dead','dropped')),"
	"  is_test integer NOT NULL DEFAULT 0,"
	"  attempts integer NOT NULL DEFAULT 0,"
	"  next_attempt_at bigint NOT NULL,"
	"  last_status integer,"
	"  last_error text,"
	"  created_at bigint NOT NULL,"
	"  updated_at bigint NOT NULL,"
	"  step integer NOT NULL DEFAULT 0,"
	"  first_attempt_at bigint,"
	"  waits integer NOT NULL DEFAULT 0,"
	"  coalesce_key text,"
	"  coalesced text,"
	"  claimed_by text,"
	"  lease_until bigint);"
	"CREATE INDEX deliveries_queue ON deliveries(state, webhook_id, next_attempt_at);"
	"CREATE INDEX deliveries_leases ON deliveries(lease_until) WHERE state = 'inflight';"
	"CREATE INDEX deliveries_webhook ON deliveries(webhook_id, id);"
	"CREATE INDEX deliveries_tests ON deliveries(state) WHERE is_test <> 0;"
	"CREATE INDEX deliveries_finished ON deliveries(updated_at) WHERE state IN ('delivered', 'dead', 'dropped');"
	"CREATE INDEX deliveries_event ON deliveries(event_id);"
	"CREATE INDEX deliveries_state ON deliveries(state, id);"
	"CREATE INDEX deliveries_webhook_state ON deliveries(webhook_id, state, id);"
	"CREATE INDEX deliveries_coalescing ON deliveries(webhook_id, coalesce_key) "
	"  WHERE coalesce_key IS NOT NULL AND state = 'pending';"
	"CREATE TABLE bodies ("
	"  delivery_id bigint PRIMARY KEY REFERENCES deliveries(id) ON DELETE CASCADE,"
	"  body text NOT NULL);"
	"CREATE TABLE attempts ("
	"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  delivery_id bigint NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,"
	"  started_at bigint NOT NULL,"
	"  duration_ms bigint NOT NULL,"
	"  status integer,"
	"  error text,"
	"  request_headers text,"
	"  response_headers text,"
	"  response_body bytea,"
	"  response_size bigint);"
	"CREATE INDEX attempts_delivery ON attempts(delivery_id);"
	"CREATE INDEX attempts_started ON attempts(started_at, delivery_id, status);"
	"CREATE TABLE audit ("
	"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  uid text NOT NULL UNIQUE,"
	"  at bigint NOT NULL,"
	"  action text NOT NULL,"
	"  webhook text,"
	"  webhook_id bigint,"
	"  via text NOT NULL,"
	"  data text NOT NULL,"
	"  event_id bigint);"
	"CREATE INDEX audit_at ON audit(at);"
	"CREATE INDEX audit_unsent ON audit(id) WHERE event_id IS NULL;"
	"CREATE TABLE senders ("
	"  id text PRIMARY KEY,"
	"  host text NOT NULL,"
	"  pid bigint NOT NULL,"
	"  started_at bigint NOT NULL,"
	"  heartbeat_at bigint NOT NULL,"
	"  inflight bigint NOT NULL DEFAULT 0,"
	"  last_minute bigint NOT NULL DEFAULT 0,"
	"  stopped_at bigint);"
	"INSERT INTO hookman_meta VALUES ('application', 'hookman'), ('schema_version', '" VERSION_TEXT "');";

const char *schema_postgresql(void)
{
	return postgresql;
}

const char *schema_migration(int version)
{
	switch (version) {
	case 1: return v1;
	case 2: return v2;
	case 3: return v3;
	case 4: return v4;
	case 5: return v5;
	case 6: return v6;
	case 7: return v7;
	case 8: return v8;
	default: return NULL;
	}
}
