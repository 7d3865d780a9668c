#!/bin/sh
# hookman prune: what it removes, what it says (text and --json), and a bad
# --older-than refused with the store untouched.
. "$(dirname "$0")/lib.sh"

test_case "prune removes old finished deliveries, keeps the rest"
hm add --name a --url http://127.0.0.1:9/ --events admin.login
hm fire admin.login --title one
hm fire admin.login --title two
hm fire admin.login --title three
hm fire admin.login --title four
# Ages by hand: no test waits for time to pass. Ten days ago, in ms.
old=$(( ($(date +%s) - 10 * 86400) * 1000 ))
db "UPDATE deliveries SET state = 'delivered', updated_at = $old WHERE id = 1;
   UPDATE deliveries SET state = 'dead', updated_at = $old, is_test = 1 WHERE id = 2;
   UPDATE deliveries SET state = 'failed', updated_at = $old WHERE id = 3;
   UPDATE deliveries SET state = 'delivered' WHERE id = 4;
   INSERT INTO attempts(delivery_id, started_at, duration_ms, status) VALUES (1, $old, 3, 200), (2, $old, 3, 500);
   UPDATE events SET created_at = $old WHERE type <> 'audit.create'"
hm prune --older-than 30d
expect_rc 0
expect_out "nothing finished more than 30d ago to remove"
hm prune --older-than 7d
expect_rc 0
[ "$(head -n 1 "$T/out")" = "removed 2 deliveries finished more than 7d ago (1 of them a test send), their 2 attempts and 2 events no delivery refers to any more" ] && pass || fail "the first line"
expect_out "store file: "
[ "$(db 'SELECT id FROM deliveries ORDER BY id' | paste -sd, -)" = "3,4" ] && pass || fail "deliveries left: $(db 'SELECT id FROM deliveries ORDER BY id' | paste -sd, -)"
[ "$(db "SELECT count(*) FROM events WHERE type <> 'audit.create'")" = 2 ] && pass || fail "events left"
[ "$(db 'SELECT count(*) FROM attempts')" = 0 ] && pass || fail "attempts left"

test_case "prune --json"
db "UPDATE deliveries SET updated_at = $old WHERE id = 4"
hm --json prune --older-than 1h
expect_rc 0
# Only SQLite gives pages back to the file system as it prunes.
incremental=true
[ "$TEST_DB" = postgresql ] && incremental=false
[ "$(jq -c '[.deliveries, .tests, .attempts, .events, .older_than_ms, .vacuumed, .incremental]' "$T/out")" = \
	"[1,0,0,1,3600000,false,$incremental]" ] && pass || fail "--json counts"
jq -e '.bytes_after <= .bytes_before and .before > 0' "$T/out" >/dev/null && pass || fail "--json sizes"

test_case "prune --vacuum"
if sqlite_only "prune --vacuum, the database file's free pages"; then
	hm prune --vacuum
	expect_rc 0
	expect_out "nothing finished more than 30d ago to remove"
	[ "$(db 'PRAGMA freelist_count')" = 0 ] && pass || fail "free pages after --vacuum"
fi

test_case "a bad --older-than is refused and changes nothing"
db "UPDATE deliveries SET state = 'delivered', updated_at = 0"
snapshot
hm prune --older-than 7x
expect_rc 2
expect_err 'hookman: prune: --older-than "7x" has an unknown unit; use s, m, h or d'
expect_unchanged
hm prune --older-than 7
expect_rc 2
expect_err 'has no unit'
hm prune --older-than -1d
expect_rc 2
expect_err 'is not a number'
hm prune --older-than 4000d
expect_rc 2
expect_err 'the largest accepted is 3650d'
hm prune stray
expect_rc 2
expect_err 'unexpected argument "stray"'
expect_unchanged

test_case "hookmand --keep refuses a bad duration before starting"
"${HOOKMAND:?}" --store "$T/none" --foreground --keep 5x >"$T/out" 2>"$T/err"
rc=$?
expect_rc 2
expect_err_eq 'hookmand: --keep: "5x" has an unknown unit; use s, m, h or d'
[ -e "$T/none/hookman.db" ] && fail "a store was created" || pass

summary
