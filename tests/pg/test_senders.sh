#!/bin/sh
# Several hookmand on one PostgreSQL store (issue 15), each with a run
# directory of its own, as two hosts would have: they share the queue,
# one SIGKILLed mid-run loses nothing (the other takes its claims over
# once their lease runs out), a database restarted under a running sender
# loses nothing, and an interface sees a webhook another host added
# within a second. Against a throwaway cluster (tests/pg/lib.sh) and the
# real receiver on 127.0.0.1.
. "$(dirname "$0")/../sender/lib.sh"
command -v tmux >/dev/null || { echo "SKIP: $(basename "$0") needs tmux (apt-get install tmux)"; exit 77; }
# The senders this test starts die with it, whatever ends it.
senders=""
cleanup_senders() {
	for p in $senders; do kill -9 "$p" 2>/dev/null; done
	[ -n "${TM:-}" ] && $TM kill-server 2>/dev/null
	cleanup
}
trap cleanup_senders EXIT
. "$(dirname "$0")/lib.sh"
TUI_SOCKET=hm-pg-$$
. "$(dirname "$0")/../tui/lib.sh"

pg_start || exit 1
STORE=$(pg_uri)
db() { pg_sql "$1"; }
db_true() { [ "$(db "$1")" = t ]; }

# start_sender NAME: hookmand on the store with run directory $T/run-NAME;
# its pid in $sender_pid, once it answers there. The one webhook may have
# as many requests out as the sender (8 by default would keep the test
# waiting on the receiver).
start_sender() {
	"$HOOKMAND" --store "$STORE" --run-dir "$T/run-$1" --foreground --log "$T/$1.log" --per-webhook 64 &
	sender_pid=$!
	senders="$senders $sender_pid"
	poll "hookmand $1 did not start" "$HOOKMAN_BIN" --store "$STORE" --run-dir "$T/run-$1" sender status
}
# delivered_ids: the webhook-id of every request the receiver took, one a line.
delivered_ids() { jq -r 'select(.path == "/pg") | .headers["webhook-id"]' "$SINKLOG"; }

test_case "a new store is made in the database, once, whoever comes first"
hm add --name pg --url "$BASE/pg" --events alarm.high_severity
expect_rc 0
expect_out 'added webhook "pg"'
db_true "SELECT value = '8' FROM hookman_meta WHERE key = 'schema_version'" && pass || fail "no schema version 8"

test_case "two senders share one queue"
# Queued first, so that both have requests out all along (fire
# --stdin, slower than two senders, would keep them waiting).
seq 1 20000 | sed 's/.*/{"type":"alarm.high_severity","data":{"n":&}}/' >"$T/events"
"$HOOKMAN_BIN" --store "$STORE" fire --stdin <"$T/events" >"$T/fire.out" 2>"$T/fire.err"
start_sender a
a_pid=$sender_pid
start_sender b
b_pid=$sender_pid
[ -S "$T/run-a/hookmand.sock" ] && [ -S "$T/run-b/hookmand.sock" ] && pass || fail "a socket is not in its run directory"
[ ! -e "$T/run-a/hookmand.log" ] && [ -s "$T/a.log" ] && pass || fail "the log is not where --log said"
hm --run-dir "$T/run-a" sender status
expect_out 'senders sharing this store (the last day): 2'
expect_out "pid $a_pid"
expect_out "pid $b_pid"
expect_no_out 'GONE'

test_case "20,000 events: one sender SIGKILLed mid-run, every delivery arrives"
wait_until "SELECT count(*) >= 2000 FROM deliveries WHERE state = 'delivered'"
db_true "SELECT count(*) > 0 FROM deliveries d JOIN senders s ON s.id = d.claimed_by WHERE d.state = 'inflight' AND s.pid = $a_pid" &&
	pass || fail "sender a had nothing in flight when it was killed"
kill -9 "$a_pid"
grep -q '20000 deliveries queued' "$T/fire.out" && pass || fail "fire --stdin: $(cat "$T/fire.out" "$T/fire.err")"
PATIENCE=$((PATIENCE * 6)) wait_until "SELECT count(*) = 20000 FROM deliveries WHERE state = 'delivered'"
delivered_ids | sort -u >"$T/ids"
db "SELECT uid FROM deliveries ORDER BY uid" | sort >"$T/uids"
[ "$(wc -l <"$T/ids")" = 20000 ] && pass || fail "the receiver saw $(wc -l <"$T/ids") distinct deliveries, not 20000"
cmp -s "$T/ids" "$T/uids" && pass || fail "the receiver's ids are not the deliveries' uids"
# Sent twice only as the same delivery (a request of the dead sender
# that may have arrived, sent again): every request is one of the ids.
[ "$(delivered_ids | wc -l)" -ge 20000 ] && pass || fail "fewer requests than deliveries"
shares=$(db "SELECT count(DISTINCT claimed_by) FROM deliveries WHERE state = 'delivered'")
[ "$shares" = 2 ] && pass || fail "delivered by $shares senders, not both"
grep -q "claims ran out (their sender is gone, or lost them): sending them again" "$T/b.log" && pass ||
	fail "sender b never took the dead one's claims over: $(tail -n 5 "$T/b.log")"
db_true "SELECT count(*) = 0 FROM deliveries WHERE state = 'inflight'" && pass || fail "deliveries left in flight"
hm --run-dir "$T/run-b" sender status
expect_out "pid $a_pid"
expect_out 'GONE (another sender takes its deliveries over)'

test_case "the database restarted under a running sender: it reconnects, nothing lost"
seq 1 500 | sed 's/.*/{"type":"alarm.high_severity","data":{"again":&}}/' >"$T/events"
hm_in "$(cat "$T/events")" fire --stdin
expect_out '500 deliveries queued'
pg_restart || fail "the cluster did not restart"
PATIENCE=$((PATIENCE * 3)) wait_until "SELECT count(*) = 20500 FROM deliveries WHERE state = 'delivered'"
[ "$(delivered_ids | sort -u | wc -l)" = 20500 ] && pass || fail "the receiver saw $(delivered_ids | sort -u | wc -l) distinct deliveries, not 20500"
kill -0 "$b_pid" 2>/dev/null && pass || fail "sender b died with the database: $(tail -n 5 "$T/b.log")"
hm fire alarm.high_severity
expect_rc 0
PATIENCE=$((PATIENCE * 3)) wait_until "SELECT count(*) = 20501 FROM deliveries WHERE state = 'delivered'"

test_case "an interface on one host sees a webhook another host adds, within a second"
fresh_server
$TM new-session -d -x 80 -y 24 "env HOOKMAN_AUTOSTART=0 '$HOOKMAN_BIN' --store '$STORE' --run-dir '$T/run-tui'"
wait_for 'pg '
hm --run-dir "$T/run-other" add --name from-host-b --url "$BASE/b" --events alarm.high_severity
added=$(($(date +%s%N) / 1000000))
i=0
while ! screen | grep -qF 'from-host-b' && [ $i -lt 40 ]; do
	i=$((i + 1))
	sleep 0.05
done
seen=$(($(date +%s%N) / 1000000))
[ $((seen - added)) -le 1000 ] && pass || fail "the interface showed it after $((seen - added)) ms"
keys q
$TM kill-server 2>/dev/null

test_case "a test send uses this host's hookmand, started on demand in a private run directory"
mkdir -m 0700 "$T/xdg"
HOOKMAN_AUTOSTART=1 XDG_RUNTIME_DIR="$T/xdg" "$HOOKMAN_BIN" --store "$STORE" test pg >"$T/out" 2>"$T/err"
rc=$?
expect_rc 0
expect_out 'HTTP 200'
run_dir=$(ls -d "$T/xdg/hookman/"*)
case $(basename "$run_dir") in
[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]) pass ;;
*) fail "the run directory is not named by the store: $run_dir" ;;
esac
[ "$(stat -c %a "$run_dir")" = 700 ] && [ -S "$run_dir/hookmand.sock" ] && pass || fail "run directory $run_dir: $(ls -la "$run_dir")"
# The address, and a password in it, stay out of the command line.
pid=$(cat "$run_dir/hookmand.lock")
senders="$senders $pid"
tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'postgresql' && fail "the store's URI is on hookmand's command line" || pass
XDG_RUNTIME_DIR="$T/xdg" "$HOOKMAN_BIN" --store "$STORE" sender stop >"$T/out" 2>"$T/err"
expect_out 'hookmand stopped'

test_case "a clean stop says so"
kill -TERM "$b_pid"
wait "$b_pid"
code=$?
[ "$code" = 0 ] && pass || fail "hookmand exited $code on SIGTERM: $(tail -n 5 "$T/b.log")"
hm --run-dir "$T/run-b" sender status
expect_rc 1
expect_out 'stopped'

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" = 0 ]
