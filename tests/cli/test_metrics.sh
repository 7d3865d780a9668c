#!/bin/sh
# hookman metrics and hookmand --metrics-file against the real receiver
# (tests/sender/sink): the values after real deliveries, label escaping,
# the format as promtool (Debian's prometheus package) checks it, the file
# rewritten in place, written at stop with no sender, kept across a
# SIGKILL, and the paths hookmand refuses.
command -v promtool >/dev/null ||
	{ echo "SKIP: test_metrics.sh needs promtool (apt-get install prometheus)"; exit 77; }
. "$(dirname "$0")/../sender/lib.sh"

NAME='ops "prod" \ eu'
LABEL='ops \"prod\" \\ eu'
PROM="$T/prom/hookman.prom"
mkdir "$T/prom"

# promtool_ok FILE: the exposition passes promtool, which says nothing then.
promtool_ok() {
	promtool check metrics <"$1" >"$T/promtool" 2>&1 && [ ! -s "$T/promtool" ] &&
		pass || fail "promtool check metrics: $(head -c 600 "$T/promtool")"
}
# has FILE LINE: FILE holds exactly that line.
has() { grep -qxF -- "$2" "$1" && pass || fail "$1 lacks the line: $2"; }
value() { awk -v m="$2" '$1 == m { print $2 }' "$1"; }
file_has() { grep -qxF -- "$1" "$PROM" 2>/dev/null; }

test_case "metrics with no sender: the queue as fired"
hm add --name "$NAME" --url "$BASE/ok" --events admin.login
hm add --name failing --url "$BASE/status/500" --events admin.login
hm add --name slow --url "$BASE/slow/300" --events admin.login
hm add --name off --url "$BASE/ok" --events admin.login --disabled
hm fire admin.login --title one
hm fire admin.login --title two
hm metrics
expect_rc 0
cp "$T/out" "$T/m0"
promtool_ok "$T/m0"
has "$T/m0" "hookman_deliveries{webhook=\"$LABEL\",state=\"pending\"} 2"
has "$T/m0" 'hookman_deliveries{webhook="off",state="pending"} 0'
has "$T/m0" 'hookman_queue_depth 6'
has "$T/m0" 'hookman_senders 0'
has "$T/m0" 'hookman_webhooks{state="enabled"} 3'
has "$T/m0" 'hookman_webhooks{state="disabled"} 1'
has "$T/m0" '# TYPE hookman_recent_attempt_duration_seconds histogram'
age=$(value "$T/m0" hookman_oldest_pending_age_seconds)
awk -v a="$age" 'BEGIN { exit !(a > 0 && a < 600) }' && pass || fail "oldest pending age $age"
if sqlite_only "hookman_store_bytes as the database file's pages"; then
	[ "$(value "$T/m0" hookman_store_bytes)" = "$(($(db 'PRAGMA page_count') * $(db 'PRAGMA page_size')))" ] &&
		pass || fail "store bytes"
fi

test_case "hookmand --metrics-file: written before hookmand says it is ready"
start_daemon --schedule "" --metrics-file "$PROM"
[ -f "$PROM" ] && pass || fail "no metrics file once hookmand answered"
[ "$(stat -c %a "$PROM")" = 644 ] && pass || fail "mode $(stat -c %a "$PROM"), expected 644"
[ -e "$PROM.tmp" ] && fail "$PROM.tmp left behind" || pass
promtool_ok "$PROM"
has "$PROM" 'hookman_senders 1'

test_case "metrics after real deliveries"
wait_until "SELECT count(*) = 6 FROM deliveries WHERE is_test = 0 AND state IN ('delivered', 'dead')"
hm test "$NAME"
[ "$(db "SELECT count(*) FROM deliveries WHERE is_test <> 0 AND state = 'delivered'")" = 1 ] && pass || fail "the test send"
hm metrics
expect_rc 0
cp "$T/out" "$T/m1"
promtool_ok "$T/m1"
has "$T/m1" "hookman_deliveries{webhook=\"$LABEL\",state=\"delivered\"} 2"
has "$T/m1" "hookman_deliveries{webhook=\"$LABEL\",state=\"pending\"} 0"
has "$T/m1" 'hookman_deliveries{webhook="failing",state="dead"} 2'
has "$T/m1" 'hookman_deliveries{webhook="slow",state="delivered"} 2'
has "$T/m1" "hookman_recent_attempts{webhook=\"$LABEL\",class=\"2xx\"} 2"
has "$T/m1" 'hookman_recent_attempts{webhook="failing",class="5xx"} 2'
has "$T/m1" 'hookman_recent_attempts{webhook="failing",class="2xx"} 0'
has "$T/m1" 'hookman_queue_depth 0'
has "$T/m1" 'hookman_oldest_pending_age_seconds 0.000'
has "$T/m1" 'hookman_webhooks{state="failing"} 1'
has "$T/m1" 'hookman_senders 1'
# The test send is in no family; the two slow answers are above 0.25 s.
has "$T/m1" 'hookman_recent_attempt_duration_seconds_count 6'
has "$T/m1" 'hookman_recent_attempt_duration_seconds_bucket{le="+Inf"} 6'
[ "$(value "$T/m1" 'hookman_recent_attempt_duration_seconds_bucket{le="0.25"}')" -le 4 ] &&
	pass || fail "the slow attempts are in the 0.25 s bucket"
awk -v s="$(value "$T/m1" hookman_recent_attempt_duration_seconds_sum)" 'BEGIN { exit !(s >= 0.6) }' &&
	pass || fail "duration sum below the two slow answers"

test_case "the file is rewritten with the same text"
poll "the metrics file never showed the deliveries" file_has 'hookman_deliveries{webhook="slow",state="delivered"} 2'
promtool_ok "$PROM"
grep -v -e '^hookman_store_bytes' -e '^hookman_recent_attempt_duration_seconds_sum' "$PROM" >"$T/f"
grep -v -e '^hookman_store_bytes' -e '^hookman_recent_attempt_duration_seconds_sum' "$T/m1" >"$T/c"
cmp -s "$T/f" "$T/c" && pass || fail "the file and hookman metrics differ: $(diff "$T/c" "$T/f" | head -5)"

test_case "a write that fails later is logged once and the sender goes on"
rm -r "$T/prom"
logged() { grep -q "cannot write the metrics file" "$T/daemon.log"; }
poll "the failed write was not logged" logged
"$HOOKMAN_BIN" --store "$STORE" sender status >/dev/null 2>&1 && pass || fail "hookmand stopped"
mkdir "$T/prom"
stop_daemon
[ "$(grep -c "cannot write the metrics file" "$T/daemon.log")" = 1 ] && pass || fail "logged more than once"
grep -q "metrics file $PROM written again" "$T/daemon.log" && pass || fail "the write at stop was not logged"
has "$PROM" 'hookman_senders 0'
has "$PROM" "hookman_deliveries{webhook=\"$LABEL\",state=\"delivered\"} 2"

test_case "the numbers survive a SIGKILL of hookmand"
start_daemon --schedule ""
hm fire admin.login --title three
wait_until "SELECT count(*) = 9 FROM deliveries WHERE is_test = 0 AND state IN ('delivered', 'dead')"
kill -9 "$daemon_pid"
wait "$daemon_pid" 2>/dev/null
daemon_pid=""
hm metrics
expect_rc 0
has "$T/out" "hookman_deliveries{webhook=\"$LABEL\",state=\"delivered\"} 3"
has "$T/out" 'hookman_deliveries{webhook="failing",state="dead"} 3'
has "$T/out" 'hookman_recent_attempts{webhook="failing",class="5xx"} 3'
has "$T/out" 'hookman_senders 0'

test_case "a metrics file hookmand cannot write is refused at start"
"$HOOKMAND" --store "$STORE" --foreground --metrics-file "$T/nodir/hookman.prom" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 1
expect_err "--metrics-file: cannot create $T/nodir/hookman.prom.tmp: No such file or directory; the metrics file's directory must exist and be writable by hookmand"
"$HOOKMAND" --store "$STORE" --metrics-file "$T/prom" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 1
expect_err "hookmand: --metrics-file: cannot replace $T/prom with $T/prom.tmp: Is a directory; give the path of a file (such as DIR/hookman.prom), not of a directory"
[ -e "$T/prom.tmp" ] && fail "$T/prom.tmp left behind" || pass
"$HOOKMAN_BIN" --store "$STORE" sender status >/dev/null 2>&1 && fail "a hookmand runs" || pass
"$HOOKMAND" --store "$STORE" --metrics-file "" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 2
expect_err "hookmand: --metrics-file: the path is empty"

test_case "usage"
hm metrics extra
expect_rc 2
expect_err 'hookman: metrics: unexpected argument "extra"'
hm --json metrics
expect_rc 2
expect_err "--json does not apply"
hm metrics --help
expect_rc 0
expect_out "hookman [--store DIR] [--json] metrics"

summary
