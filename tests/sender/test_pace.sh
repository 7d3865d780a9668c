#!/bin/sh
# A webhook's own rate and retry schedule, against the real receiver:
# deliveries beyond the rate wait, in order, never dropped, also across a
# SIGKILL of hookmand; a webhook's schedule replaces hookmand's.
. "$(dirname "$0")/lib.sh"

# The arrival times (ms) of the requests to a path, in arrival order.
arrival_times() { jq -r "select(.path == \"$1\") | .t" "$SINKLOG"; }
# The titles of the requests to a path, in arrival order.
titles() { jq -r "select(.path == \"$1\") | .body | fromjson | .title" "$SINKLOG"; }
# fewest_ms FILE K: the shortest time between an arrival and the K-th
# after it (times in FILE, one a line).
fewest_ms() { awk -v k="$2" '{ t[NR] = $1 } END { m = -1; for (i = 1; i + k <= NR; i++) { d = t[i + k] - t[i]; if (m < 0 || d < m) m = d } print m }' "$1"; }
# arrived PATH N: the receiver got at least N requests to PATH.
arrived() { [ "$(count_requests "$1")" -ge "$2" ]; }
# delivered N: at least N deliveries of the store are delivered.
delivered() { [ "$(db "SELECT count(*) FROM deliveries WHERE state = 'delivered'")" -ge "$1" ]; }
fire_titles() {
	i=1
	while [ $i -le "$2" ]; do printf '{"type": "%s", "title": "n%d"}\n' "$1" $i; i=$((i + 1)); done >"$T/lines"
	"$HOOKMAN_BIN" --store "$STORE" fire --stdin <"$T/lines" >/dev/null
}

test_case "--rate 5/s: 50 deliveries arrive in order, over at least 9 s"
hm add --name paced --url "$BASE/ok/paced" --events admin.login --rate 5/s
expect_rc 0
fire_titles admin.login 50
seq 50 | sed 's/^/n/' >"$T/expected"
start_daemon
wait_until "SELECT count(*) = 50 FROM deliveries WHERE state = 'delivered'"
titles /ok/paced >"$T/got"
cmp -s "$T/got" "$T/expected" && pass || fail "not in fire order: $(tr '\n' ' ' <"$T/got")"
arrival_times /ok/paced >"$T/times"
span=$(( $(tail -n 1 "$T/times") - $(head -n 1 "$T/times") ))
[ "$span" -ge 9000 ] && pass || fail "50 deliveries at 5/s arrived within $span ms"
[ "$span" -le 14000 ] && pass || fail "50 deliveries at 5/s took $span ms (the loop did not wake for its tokens)"
# Never more than 5 in a second: the 5th after any arrival is 1 s later.
least=$(fewest_ms "$T/times" 5)
[ "$least" -ge 950 ] && pass || fail "6 arrivals within $least ms at 5/s"
echo "  (50 at 5/s: first to last $span ms; 5 arrivals after any other, at least $least ms later)"
stop_daemon

test_case "a rate edited while deliveries wait applies at the next claim"
hm add --name slowly --url "$BASE/ok/slowly" --events event.suspicious --rate 1/h
fire_titles event.suspicious 3
start_daemon
poll "the first delivery did not arrive" arrived /ok/slowly 1
hm show slowly
expect_out "pending:    2 deliveries"
hm edit slowly --rate 10/s
expect_rc 0
wait_until "SELECT count(*) = 3 FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'slowly' AND d.state = 'delivered'"
[ "$(titles /ok/slowly | tr '\n' ' ')" = "n1 n2 n3 " ] && pass || fail "order after the edit: $(titles /ok/slowly | tr '\n' ' ')"
stop_daemon

test_case "a SIGKILL and a restart do not burst past the rate"
new_store kill
hm add --name k --url "$BASE/ok/kill" --events admin.login --rate 2/s
fire_titles admin.login 12
start_daemon
poll "no delivery before the kill" delivered 4
kill -9 "$daemon_pid"
wait "$daemon_pid" 2>/dev/null
daemon_pid=""
start_daemon
wait_until "SELECT count(*) = 12 FROM deliveries WHERE state = 'delivered'"
stop_daemon
[ "$(titles /ok/kill | awk '!seen[$0]++' | tr '\n' ' ')" = "n1 n2 n3 n4 n5 n6 n7 n8 n9 n10 n11 n12 " ] && pass ||
	fail "order across the restart: $(titles /ok/kill | tr '\n' ' ')"
# At 2/s the 3rd arrival after any other is at least 1 s later; the
# restart's one token (and a request sent again) may take one more.
arrival_times /ok/kill >"$T/times"
least=$(fewest_ms "$T/times" 3)
[ "$least" -ge 900 ] && pass || fail "4 arrivals within $least ms at 2/s across a restart"
echo "  (2/s across a SIGKILL: $(wc -l <"$T/times") requests for 12 deliveries, 3 arrivals after any other at least $least ms later)"

test_case "--retry-schedule 1s,2s replaces hookmand's schedule: 3 attempts, 1 s then 2 s apart"
new_store retry
hm add --name own --url "$BASE/status/500" --events audit.reboot --retry-schedule 1s,2s
hm add --name global --url "$BASE/status/503" --events audit.reboot
hm fire audit.reboot
start_daemon --schedule 100ms,100ms,100ms,100ms
wait_until "SELECT count(*) = 2 FROM deliveries WHERE state = 'dead'"
q="SELECT a.started_at FROM attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN webhooks w ON w.id = d.webhook_id"
[ "$(db "$q WHERE w.name = 'global'" | wc -l)" = 5 ] && pass || fail "the global schedule (4 retries) was not used"
db "$q WHERE w.name = 'own' ORDER BY a.id" >"$T/own"
[ "$(wc -l <"$T/own")" = 3 ] && pass || fail "$(wc -l <"$T/own") attempts with --retry-schedule 1s,2s, expected 3"
gaps=$(awk 'NR > 1 { printf "%d ", $1 - prev } { prev = $1 }' "$T/own")
set -- $gaps
# The schedule's delays with hookmand's jitter (±20 %) and a turn's slack.
[ "$1" -ge 750 ] && [ "$1" -le 1500 ] && pass || fail "first retry after $1 ms, expected about 1 s"
[ "$2" -ge 1550 ] && [ "$2" -le 2700 ] && pass || fail "second retry after $2 ms, expected about 2 s"
echo "  (--retry-schedule 1s,2s: retries after $1 ms and $2 ms)"
hm delivery "$(db "SELECT d.uid FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'own'")"
expect_out "dead"
stop_daemon

summary
