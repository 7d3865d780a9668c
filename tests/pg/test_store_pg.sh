#!/bin/sh
# The store on PostgreSQL as an operator meets it (issue 15): --store
# postgresql://… and HOOKMAN_STORE, store init (also two hosts at once),
# what is refused and how it is said (a foreign schema, a newer one, a
# server that does not answer, a password never shown), the same
# messages as on SQLite, and store copy between the engines: everything,
# secrets and ids included, all or nothing, never into a store in use.
# Against a throwaway cluster (tests/pg/lib.sh).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

pg_start || exit 1
URI=$(pg_uri)
# A store per schema: the URI's options name it.
schema_uri() { printf '%s&options=-csearch_path%%3D%s\n' "$URI" "$1"; }
q() { pg_sql "$1"; }

test_case "store init makes a new store, once, and says which"
STORE=$URI
hm store init
expect_rc 0
expect_out "store $URI ready (PostgreSQL, schema version 8)"
[ "$(q "SELECT value FROM hookman_meta WHERE key = 'schema_version'")" = 8 ] && pass || fail "no schema version"
hm store init
expect_rc 0
expect_out 'ready'
hm --json store init
expect_out '"engine": "PostgreSQL"'

test_case "two hosts starting at once on an empty schema make one store"
q "CREATE SCHEMA race"
STORE=$(schema_uri race)
for i in 1 2 3 4; do
	"$HOOKMAN_BIN" --store "$STORE" store init >"$T/race$i" 2>&1 &
done
wait
for i in 1 2 3 4; do grep -q 'ready (PostgreSQL' "$T/race$i" && pass || fail "start $i: $(cat "$T/race$i")"; done
[ "$(q "SELECT count(*) FROM pg_tables WHERE schemaname = 'race'")" -ge 9 ] && pass || fail "the store was not made"

test_case "the CLI on PostgreSQL says what it says on SQLite"
STORE=$URI
hm add --name Ops --url http://127.0.0.1:9/ops --events alarm.high_severity --secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
expect_rc 0
expect_out 'added webhook "Ops"'
hm add --name ops --url http://127.0.0.1:9/x --events all
expect_rc 1
expect_err 'a webhook named "ops" already exists (names are unique, ignoring case); choose another name'
hm show OPS
expect_rc 0
expect_out 'name:       Ops'
hm add --name Détections --url http://127.0.0.1:9/d --events all
hm add --name DÉTECTIONS --url http://127.0.0.1:9/e --events all
expect_rc 0
hm list --names
expect_out_eq "DÉTECTIONS
Détections
Ops"
hm show nothere
expect_rc 1
expect_err_eq 'hookman: show: no webhook named "nothere" (see '"'"'hookman list'"'"')'
hm fire alarm.high_severity
expect_out '3 deliveries queued'
hm deliveries Ops
expect_out 'pending'
hm audit ops
expect_out 'created webhook "Ops"'
hm rm DÉTECTIONS
expect_out 'deleted webhook "DÉTECTIONS"'
HOOKMAN_STORE=$URI "$HOOKMAN_BIN" list --names >"$T/out" 2>"$T/err"
expect_out 'Détections'

test_case "a schema holding other tables is refused, untouched"
q "CREATE SCHEMA other; CREATE TABLE other.customers (id int)"
STORE=$(schema_uri other)
hm list
expect_rc 1
expect_err 'holds tables that are not a hookman store; refusing to touch them: use another database or schema'
[ "$(q "SELECT count(*) FROM pg_tables WHERE schemaname = 'other'")" = 1 ] && pass || fail "the schema was changed"

test_case "a newer store is refused"
q "CREATE SCHEMA newer"
STORE=$(schema_uri newer)
hm store init
q "UPDATE newer.hookman_meta SET value = '99' WHERE key = 'schema_version'"
hm list
expect_rc 1
expect_err 'has schema version 99, newer than this hookman understands (8); upgrade hookman, the store was left untouched'

test_case "a schema that does not exist is named"
STORE=$(schema_uri missing)
hm list
expect_rc 1
expect_err 'names no schema to keep the store in'

test_case "a server that does not answer, and a password never shown"
STORE="postgresql://hm:s3cr3t-pw@/hookman?host=$T/nowhere&port=1"
hm list
expect_rc 1
expect_err 'cannot open store postgresql://hm:****@/hookman?host='
expect_no_err 's3cr3t-pw'
STORE="postgresql:///hookman?host=$T/nowhere&port=1&password=s3cr3t-pw"
hm list
expect_err 'password=****'
expect_no_err 's3cr3t-pw'

test_case "store copy: SQLite to PostgreSQL and back, everything"
LITE="$T/lite"
STORE=$LITE
hm add --name a --url http://127.0.0.1:9/a --events all --secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw --header 'Authorization: Bearer tok-123456789'
hm add --name b --url http://127.0.0.1:9/b --events alarm.high_severity
hm fire alarm.high_severity --title 'before the move'
hm rm b
hm hold a --for 1h
hm export --with-secrets "$T/lite.json"
hm deliveries --limit 100
cp "$T/out" "$T/lite.deliveries"
q "CREATE SCHEMA moved"
MOVED=$(schema_uri moved)
"$HOOKMAN_BIN" store copy "$LITE" "$MOVED" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 0
expect_out 'copied'
expect_out '1 webhook'
expect_out '1 hold'
STORE=$MOVED
# Before the export, which is itself an audit.download to deliver.
hm deliveries --limit 100
cmp -s "$T/out" "$T/lite.deliveries" && pass || fail "the deliveries differ after the copy: $(diff "$T/lite.deliveries" "$T/out")"
hm export --with-secrets "$T/moved.json"
cmp -s "$T/lite.json" "$T/moved.json" && pass || fail "the webhooks differ after the copy: $(diff "$T/lite.json" "$T/moved.json" | head -5)"
hm hold
expect_out 'a'
# Ids are never reused: b (id 2) was deleted before the copy.
hm add --name c --url http://127.0.0.1:9/c --events all
[ "$(q "SELECT id FROM moved.webhooks WHERE name = 'c'")" = 3 ] && pass || fail "a deleted webhook's id was handed out again"
"$HOOKMAN_BIN" store copy "$MOVED" "$T/back" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 0
STORE="$T/back"
hm export --with-secrets "$T/back.json"
hm rm c
"$HOOKMAN_BIN" --store "$T/back" add --name d --url http://127.0.0.1:9/d --events all >/dev/null
[ "$(sqlite3 "$T/back/hookman.db" "SELECT id FROM webhooks WHERE name = 'd'")" = 4 ] && pass || fail "ids were reused after the copy back"

test_case "store copy refuses a store in use, and a failed copy copies nothing"
"$HOOKMAN_BIN" store copy "$LITE" "$MOVED" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 1
expect_err 'is not empty (2 webhooks'
expect_err 'nothing was copied'
q "CREATE SCHEMA broken"
BROKEN=$(schema_uri broken)
"$HOOKMAN_BIN" --store "$BROKEN" store init >/dev/null
q "CREATE FUNCTION broken.refuse() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN RAISE EXCEPTION 'no audit here'; END\$\$;
   CREATE TRIGGER refuse BEFORE INSERT ON broken.audit FOR EACH ROW EXECUTE FUNCTION broken.refuse()"
"$HOOKMAN_BIN" store copy "$LITE" "$BROKEN" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 1
expect_err 'cannot copy row 1 of audit'
expect_err 'no audit here'
[ "$(q "SELECT count(*) FROM broken.webhooks") $(q "SELECT count(*) FROM broken.deliveries")" = "0 0" ] &&
	pass || fail "a failed copy left rows behind"
"$HOOKMAN_BIN" store copy "$LITE" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 2
expect_err 'copy takes two stores'

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" = 0 ]
