#!/bin/sh
# hookman tail: the last attempts, and -f following them live, against
# the real receiver (tests/sender/sink) and hookmand: through a SIGKILL of
# hookmand, a follower stopped while 2,000 deliveries go by, and a reader
# that goes away.
. "$(dirname "$0")/../sender/lib.sh"

tail_pid=""
stop_tail() {
	[ -n "$tail_pid" ] && { kill -CONT "$tail_pid" 2>/dev/null; kill "$tail_pid" 2>/dev/null; wait "$tail_pid" 2>/dev/null; }
	tail_pid=""
}
trap 'stop_tail; cleanup' EXIT

# start_tail FILE ARGS...: hookman tail -f ARGS in the background, its
# output in FILE.
start_tail() {
	out=$1
	shift
	"$HOOKMAN_BIN" --store "$STORE" tail -f "$@" >"$out" 2>"$out.err" &
	tail_pid=$!
}
# The attempt ids a JSON tail printed, sorted, and the store's after $1.
ids_printed() { jq -r .id "$1" 2>/dev/null | sort -n; }
ids_stored() { db "SELECT id FROM attempts WHERE id > $1 ORDER BY id"; }
# tail_has_all FILE AFTER: FILE shows every attempt after AFTER, once each.
tail_has_all() { [ "$(ids_printed "$1")" = "$(ids_stored "$2")" ]; }
# printed FILE CONDITION: a JSON tail printed an attempt meeting the jq
# CONDITION.
printed() { jq -se "any(.[]; $2)" "$1" >/dev/null 2>&1; }
fire_n() {
	i=0
	while [ $i -lt "$1" ]; do echo "{\"type\": \"$2\"}"; i=$((i + 1)); done >"$T/lines"
	"$HOOKMAN_BIN" --store "$STORE" fire --stdin <"$T/lines" >/dev/null
}

hm add --name ok-hook --url "$BASE/ok/a" --events detection.created,processing.finished
hm add --name bad-hook --url "$BASE/status/500" --events detection.created
hm add --name quiet --url "$BASE/ok/q" --events audit.reboot
start_daemon --schedule 1s,1s --no-jitter
hm fire detection.created --title one
hm fire detection.created --title two
# 2 deliveries to ok-hook, 2 to bad-hook tried 3 times each: 8 attempts.
wait_until "SELECT count(*) = 8 FROM attempts"
wait_until "SELECT count(*) = 2 FROM deliveries WHERE state = 'dead'"

test_case "tail: the last 10, oldest first, aligned"
hm tail
expect_rc 0
[ "$(wc -l <"$T/out")" = 8 ] && pass || fail "$(wc -l <"$T/out") lines, expected 8"
expect_out "ok-hook   detection.created"
expect_out "  200  "
expect_out "attempt 1/8"
expect_out "bad-hook  detection.created        500  "
expect_no_out "HTTP 500"
expect_out "attempt 3/3  dead"
expect_no_out "next try in"
# Every line starts with the attempt's time, oldest first (in UTC: TZ).
[ "$(cut -c1-19 "$T/out")" = "$(db "SELECT started_at / 1000 FROM attempts ORDER BY id" |
	while read -r s; do date -d "@$s" '+%Y-%m-%d %H:%M:%S'; done)" ] \
	&& pass || fail "times or order differ from the store's"

test_case "tail -n and --json"
hm tail -n 3 --json
expect_rc 0
[ "$(jq -r .id "$T/out" | tr '\n' ' ')" = "$(db "SELECT id FROM attempts ORDER BY id DESC LIMIT 3" | sort -n | tr '\n' ' ')" ] \
	&& pass || fail "not the last 3 attempts, oldest first"
jq -se 'map(select(.webhook == "bad-hook")) | length > 0 and all(.status == 500 and .error == "HTTP 500" and .state != "delivered"
	and (.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}[.][0-9]{3}Z$")) and (.delivery | startswith("msg_"))
	and .duration_ms >= 0 and (.state != "dead" or .attempts_max == 3))' "$T/out" >/dev/null && pass || fail "a failure's object"
[ "$(jq -c 'keys' "$T/out" | sort -u)" = \
  '["attempt","attempts_max","delivery","duration_ms","error","event","id","next_attempt_at","state","status","test","time","webhook"]' ] \
	&& pass || fail "keys: $(jq -c keys "$T/out" | sort -u)"
hm tail -n 0
expect_rc 0
expect_out_eq ""

test_case "tail --state and NAME"
hm tail --json -n 100 --state failed
[ "$(jq -r 'select(.status == 500) | .id' "$T/out" | wc -l)" = 6 ] && pass || fail "not the 6 failures"
printed "$T/out" '.status == 200' && fail "--state failed shows a success" || pass
hm tail --json -n 100 --state dead
[ "$(jq -r '.state' "$T/out" | sort -u)" = dead ] && [ "$(wc -l <"$T/out")" = 2 ] && pass || fail "dead: $(cat "$T/out")"
hm tail --json -n 100 --state delivered
[ "$(jq -r '"\(.webhook) \(.status) \(.state)"' "$T/out" | sort -u)" = "ok-hook 200 delivered" ] && pass || fail "delivered"
hm tail --json -n 100 ok-hook quiet
[ "$(jq -r .webhook "$T/out" | sort | uniq -c | tr -s ' ')" = " 2 ok-hook" ] && pass || fail "NAME filter"
hm tail --state pending
expect_rc 2
expect_err 'unknown state "pending" for attempts; choose delivered, failed'
hm tail nosuch
expect_rc 1
expect_err 'no webhook named "nosuch"'
hm tail -n many
expect_rc 2
expect_err '-n "many" is not a count'

test_case "after a redeliver the attempts count from 1 again"
# Reproduction: the count went on from the earlier round ("attempt 4/4
# dead" after 3/3), the schedule having started again.
dead=$(db "SELECT min(d.id) FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'bad-hook'")
hm redeliver "$dead"
wait_until "SELECT count(*) = 4 FROM attempts WHERE delivery_id = $dead"
hm tail -n 1 bad-hook
expect_out "attempt 1/"
hm tail -n 4 bad-hook
expect_out "attempt 3/3"
wait_until "SELECT state = 'dead' FROM deliveries WHERE id = $dead"

test_case "tail -f prints attempts as they happen"
# Each tail starts with the last attempt it matches, so that the events are
# fired only once it runs: a tail started late on a loaded machine would
# take them for the past.
start_after=$(($(db "SELECT max(id) FROM attempts") - 1))
start_tail "$T/f1" --json -n 1
start_plain=$T/f1plain
"$HOOKMAN_BIN" --store "$STORE" tail -f -n 1 ok-hook >"$start_plain" 2>&1 &
plain_pid=$!
poll "tail -f did not start" sh -c "[ -s '$T/f1' ] && [ -s '$start_plain' ]"
hm fire detection.created --title three
hm fire audit.reboot --title four
poll "tail -f did not print bad-hook's first attempt" printed "$T/f1" '.webhook == "bad-hook" and .attempt == 1'
poll "tail -f did not print quiet's attempt" printed "$T/f1" '.webhook == "quiet" and .status == 200 and .attempt == 1'
poll "tail -f did not print the new attempts" tail_has_all "$T/f1" "$start_after"
# Printed as it happened: the retry still ahead.
printed "$T/f1" '.webhook == "bad-hook" and .attempt == 1 and .next_attempt_at != null' && pass || fail "no next try: $(cat "$T/f1")"
poll "tail -f ok-hook printed nothing new" sh -c "[ \$(grep -cE '^[-0-9]+ [0-9:]+  ok-hook  detection.created +200  ' '$start_plain') -ge 2 ]"
kill -INT "$plain_pid"
wait "$plain_pid"
[ $? = 0 ] && pass || fail "tail -f did not exit 0 on Ctrl-C"
grep -qv "ok-hook" "$start_plain" && fail "NAME filter let another webhook through: $(cat "$start_plain")" || pass

test_case "tail -f through a SIGKILL of hookmand: nothing twice, nothing missing"
fire_n 300 processing.finished
i=0
while [ "$(db "SELECT count(*) FROM deliveries WHERE state = 'delivered'")" -lt 60 ] && [ $i -lt 400 ]; do
	sleep 0.01
	i=$((i + 1))
done
kill -9 "$daemon_pid"
wait "$daemon_pid" 2>/dev/null
daemon_pid=""
killed_at=$(db "SELECT count(*) FROM attempts")
poll "tail -f stopped with hookmand" tail_has_all "$T/f1" "$start_after"
start_daemon --schedule 1s,1s --no-jitter
wait_until "SELECT count(*) = 0 FROM deliveries WHERE state IN ('pending', 'inflight')"
[ "$killed_at" -lt "$(db "SELECT count(*) FROM attempts")" ] && pass || fail "hookmand finished before the kill; nothing tested"
poll "tail -f missed attempts after the restart" tail_has_all "$T/f1" "$start_after"
[ -z "$(ids_printed "$T/f1" | uniq -d)" ] && pass || fail "printed twice: $(ids_printed "$T/f1" | uniq -d | head -3)"
kill -0 "$tail_pid" 2>/dev/null && pass || fail "tail -f ended: $(cat "$T/f1.err")"
stop_tail

test_case "a follower that does not read is dropped and slows nothing"
slow_after=$(db "SELECT max(id) FROM attempts")
start_tail "$T/slow" --json -n 0
# Connected (its one socket) means following: the request goes out with
# the connection.
followed() { ls -l "/proc/$tail_pid/fd" 2>/dev/null | grep -q socket; }
poll "tail -f did not connect to hookmand" followed
kill -STOP "$tail_pid"
requests_before=$(count_requests /ok/a)
fire_n 1000 processing.finished
fire_n 1000 processing.finished
wait_until "SELECT count(*) = 0 FROM deliveries WHERE state IN ('pending', 'inflight')"
[ "$(db "SELECT count(*) FROM attempts WHERE id > $slow_after")" -ge 2000 ] && pass || fail "not 2,000 attempts"
[ $(($(count_requests /ok/a) - requests_before)) -ge 2000 ] && pass || fail "the receiver got $(($(count_requests /ok/a) - requests_before)) requests"
grep -q "dropped a follower that does not keep up" "$T/daemon.log" && pass || fail "no drop logged: $(tail -n 3 "$T/daemon.log")"
kill -CONT "$tail_pid"
poll "the dropped follower did not catch up from the store" tail_has_all "$T/slow" "$slow_after"
[ -z "$(ids_printed "$T/slow" | uniq -d)" ] && pass || fail "printed twice after the drop"
stop_tail

test_case "tail -f | head ends when head does"
( "$HOOKMAN_BIN" --store "$STORE" tail -f -n 1 | head -n 2 >"$T/head"; echo "${?}" >"$T/head.rc" ) &
hm fire detection.created --title five
poll "tail -f | head -n 2 did not end" test -s "$T/head.rc"
[ "$(wc -l <"$T/head")" = 2 ] && pass || fail "head got $(wc -l <"$T/head") lines"
"$HOOKMAN_BIN" --store "$STORE" tail -f -n 1 2>"$T/pipe.err" | head -n 1 >/dev/null
[ -s "$T/pipe.err" ] && fail "a closed pipe was reported: $(cat "$T/pipe.err")" || pass

stop_daemon

test_case "without hookmand, tail -f follows the store"
after=$(db "SELECT max(id) - 1 FROM attempts")
start_tail "$T/alone" --json -n 1
poll "tail -f printed nothing" tail_has_all "$T/alone" "$after"
# Another writer records an attempt: no hookmand announces it. (On
# PostgreSQL a writer's commit notifies, as every hookman's does.)
notify=""
[ "$TEST_DB" = postgresql ] && notify="; NOTIFY hookman"
db "INSERT INTO attempts(delivery_id, started_at, duration_ms, status, error)
	SELECT id, $(date +%s)000, 7, 201, NULL FROM deliveries ORDER BY id LIMIT 1$notify"
poll "tail -f did not see the store change" tail_has_all "$T/alone" "$after"
printed "$T/alone" '.status == 201 and .duration_ms == 7 and .webhook == "ok-hook"' && pass || fail "the attempt: $(cat "$T/alone")"
stop_tail
summary
