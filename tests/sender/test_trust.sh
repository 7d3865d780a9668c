#!/bin/sh
# Sender trust: hookmand against the real receiver on 127.0.0.1 where a
# delivery's fate is decided under pressure — a webhook deleted while its
# request is in flight, a row the store refuses, Retry-After, fairness
# between webhooks, hung receivers, a store locked by another process, and
# the small ones (enable wakes the sender, a damaged store, a store error
# shown where "queued" is said). Each case names the reproduction that
# failed before the fix.
. "$(dirname "$0")/lib.sh"
echo "# hookmand: $HOOKMAND"

# ms_now: the clock in milliseconds, as the store keeps it.
ms_now() { echo $(($(date +%s%N) / 1000000)); }
# wait_log TEXT FILE: poll a log for TEXT.
wait_log() { poll "timed out waiting for \"$1\" in $2" log_has "$1" "$2"; }
log_has() { grep -qF -- "$1" "$2" 2>/dev/null; }
# wait_requests PATH N: poll the receiver's log until N requests to PATH.
wait_requests() { poll "the receiver never saw $2 requests to $1" has_requests "$1" "$2"; }
has_requests() { [ "$(count_requests "$1")" -ge "$2" ]; }
# fire_n N TYPE [TITLE]: N events of TYPE through fire --stdin.
fire_n() {
	i=0
	while [ $i -lt "$1" ]; do
		echo "{\"type\": \"$2\", \"title\": \"${3:-t}\"}"
		i=$((i + 1))
	done | "$HOOKMAN_BIN" --store "$STORE" fire --stdin >/dev/null
}
# A second, the margin the fairness checks allow (times PATIENCE: hookmand
# under valgrind is that much slower).
SECOND=$((1000 * PATIENCE))
# start_delay WEBHOOK: ms from a webhook's newest delivery being queued to
# its first attempt starting.
start_delay() {
	db "SELECT min(a.started_at) - d.created_at FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id
	    JOIN attempts a ON a.delivery_id = d.id WHERE w.name = '$1' GROUP BY d.id ORDER BY d.id DESC LIMIT 1"
}

test_case "a delete racing a request: the outcome never lands on another webhook's delivery"
# Reproduction: hookmand --max-inflight 1; a answers 200 after 3 s, b is a
# closed port; fire for a, rm a while its request is out, fire for b: the
# outcome was recorded by row id, the id had been reused by b's new
# delivery, and b's delivery read "delivered" with a 200 it never got.
new_store race
hm add --name a --url "$BASE/slow/1500" --events audit.reboot
hm add --name b --url http://127.0.0.1:9/closed --events event.suspicious
start_daemon --max-inflight 1 --schedule 60s
hm fire audit.reboot
wait_requests /slow/1500 1
hm rm a
expect_rc 0
expect_out 'deleted webhook "a"; 0 waiting deliveries cancelled; 1 request was in flight and may still arrive'
hm fire event.suspicious
wait_until "SELECT count(*) = 1 FROM attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'b'"
[ "$(db "SELECT d.state || ' ' || coalesce(CAST(d.last_status AS TEXT), '-') FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'b'")" = "failed -" ] && pass ||
	fail "b's delivery reads $(db "SELECT state || ' ' || coalesce(CAST(last_status AS TEXT), '-') FROM deliveries")"
wait_log 'webhook "a" was deleted while the request was in flight; its outcome is dropped' "$T/daemon.log"
[ "$(db "SELECT count(*) FROM attempts WHERE status = 200")" = 0 ] && pass || fail "a 200 was recorded for a delivery that never got one"
stop_daemon

test_case "a delete racing a request does not wedge the others"
# Reproduction: a delete while a request was out made the outcome's
# attempt row fail its FOREIGN KEY; the whole batch was retried every
# second forever and no webhook got anything until a restart.
new_store wedge
hm add --name a --url "$BASE/slow/1000" --events audit.reboot
hm add --name b --url "$BASE/hold/20" --events event.suspicious
start_daemon --per-webhook 1
hm fire audit.reboot
wait_requests /slow/1000 1
fire_n 30 event.suspicious
hm rm a
expect_out "1 request was in flight and may still arrive"
wait_until "SELECT count(*) = 30 FROM deliveries WHERE state = 'delivered'"
grep -q "FOREIGN KEY" "$T/daemon.log" && fail "a foreign key failure: $(grep -m1 'FOREIGN KEY' "$T/daemon.log")" || pass
stop_daemon

test_case "a row the store refuses is set aside, the rest goes on"
# Reproduction: any row whose outcome the store refuses (here a trigger
# standing for a constraint or a damaged row) made the batch fail and be
# retried forever.
new_store poison
hm add --name p --url "$BASE/ok/poison" --events alarm.high_severity
db_refuse poison "UPDATE OF state" deliveries \
	"NEW.state <> 'inflight' AND (SELECT title FROM events WHERE id = NEW.event_id) = 'poison'" 'this row is poisoned'
start_daemon
hm fire alarm.high_severity --title poison
wait_log "set aside, the others go on:" "$T/daemon.log"
grep -q "this row is poisoned" "$T/daemon.log" && pass || fail "the reason is not logged"
fire_n 5 alarm.high_severity fine
wait_until "SELECT count(*) = 5 FROM deliveries WHERE state = 'delivered'"
[ "$(grep -c 'set aside' "$T/daemon.log")" = 1 ] && pass || fail "the poisoned row was logged more than once"
stop_daemon

test_case "Retry-After waits keep the delivery's place in the schedule"
# Reproduction: each 429/503 wait counted as a step, so a receiver
# answering "429, Retry-After: 2" killed a delivery in 15 s. With a
# schedule of two 5-second steps (a span of 10 s: room for a loaded
# machine under valgrind), three Retry-After: 1 answers must not use it up.
new_store ra
hm add --name limited --url "$BASE/limit/3/1" --events alarm.high_severity
start_daemon --schedule 5s,5s --no-jitter
hm fire alarm.high_severity
wait_until "SELECT count(*) = 1 FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'limited' AND d.state IN ('delivered', 'dead')"
[ "$(db "SELECT d.state || ' ' || d.attempts || ' ' || d.step FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'limited'")" = "delivered 4 0" ] && pass ||
	fail "limited: $(db "SELECT state || ' ' || attempts || ' ' || step FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'limited'"), expected delivered after 4 attempts, no step used"
gap=$(db "SELECT max(started_at) - min(started_at) FROM attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'limited'")
[ "$gap" -ge 3000 ] && pass || fail "Retry-After: 1 three times took $gap ms"
stop_daemon

test_case "fair claiming: a slow backlog and a disabled backlog do not hold others back"
# Reproduction: the claim looked at the first free x 4 + 16 due rows in due
# order; one slow webhook's backlog of 1,000 held a healthy webhook's
# delivery back 47.6 s while 56 slots sat idle; 100,000 deliveries waiting
# on a disabled webhook were read on every turn.
new_store fair
hm add --name off --url "$BASE/ok/off" --events detection.created
fire_n 20000 detection.created
hm disable off
hm add --name slow --url "$BASE/slow/2000" --events processing.finished
hm add --name healthy --url "$BASE/ok/healthy" --events admin.login
fire_n 1000 processing.finished
start_daemon --grace 0
wait_requests /slow/2000 8
hm fire admin.login
wait_until "SELECT count(*) = 1 FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'healthy' AND d.state = 'delivered'"
delay=$(start_delay healthy)
[ "$delay" -lt "$SECOND" ] && pass || fail "the healthy webhook's delivery started $delay ms after it was queued"
echo "  (healthy delivery started $delay ms after fire, behind 1,000 slow and 20,000 disabled)"
stop_daemon

test_case "hung receivers cannot take every slot"
# Reproduction: eight webhooks whose receivers accept and never answer
# filled all 64 slots; a healthy webhook waited 58 s for a timeout.
new_store hung
n=1
while [ $n -le 8 ]; do
	hm add --name "hung$n" --url "$BASE/hang/$n" --events processing.failed
	n=$((n + 1))
done
hm add --name healthy --url "$BASE/ok/healthy2" --events admin.login
start_daemon --request-timeout-ms 30000 --grace 0
fire_n 16 processing.failed
wait_until "SELECT count(*) >= 56 FROM deliveries WHERE state = 'inflight'"
hm fire admin.login
wait_until "SELECT count(*) = 1 FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'healthy' AND d.state = 'delivered'"
delay=$(start_delay healthy)
[ "$delay" -lt "$SECOND" ] && pass || fail "the healthy webhook's delivery started $delay ms after it was queued"
echo "  (healthy delivery started $delay ms after fire, with $(db "SELECT count(*) FROM deliveries WHERE state = 'inflight'") requests hung)"
stop_daemon

test_case "a webhook that keeps timing out gets one request at a time"
new_store breaker
hm add --name tarpit --url "$BASE/hang/tarpit" --events processing.failed
# The timeout grows with PATIENCE: under valgrind, 300 ms is mostly the
# sender's own slowness.
start_daemon --request-timeout-ms $((300 * PATIENCE)) --schedule ""
fire_n 14 processing.failed
wait_until "SELECT count(*) = 14 FROM deliveries WHERE state = 'dead'"
wait_log 'webhook "tarpit" is timing out: at most 4 requests at once until it answers again' "$T/daemon.log"
# The first 8 went out together; after their timeouts, one at a time: at
# the start of each later attempt, how many attempts were out (itself
# included), from the times hookmand recorded.
later=$(db "SELECT max((SELECT count(*) FROM attempts b WHERE b.started_at <= a.started_at
	AND b.started_at + b.duration_ms > a.started_at)) FROM (SELECT * FROM attempts ORDER BY started_at LIMIT 1000000000 OFFSET 8) a")
[ "$later" -le 2 ] && pass || fail "after the timeouts $later requests were out at once"
stop_daemon

test_case "a store locked by another process: requests and the socket go on"
# Reproduction: hookmand waited up to SQLite's 10 s busy timeout for a lock
# another process held: sender status stopped answering, and a request
# answered in 0.5 s was recorded as "timed out after 10514 ms".
if sqlite_only "the database file's write lock held by another process"; then
	new_store busy
	hm add --name quick --url "$BASE/slow/200" --events audit.reboot
	hm add --name later --url "$BASE/slow/1200" --events audit.reboot
	start_daemon --request-timeout-ms 2500
	hm fire audit.reboot
	wait_requests /slow/1200 1
	rm -f "$T/locked"
	sqlite3 "$STORE/hookman.db" "BEGIN IMMEDIATE;" "INSERT INTO events(uid, type, title, severity, time, data, created_at) VALUES ('evt_lock', 'x', 'x', 'x', 'x', '{}', 0);" \
		".shell touch $T/locked; sleep 3.5" "ROLLBACK;" &
	locker=$!
	i=0
	while [ ! -e "$T/locked" ] && [ $i -lt 200 ]; do sleep 0.02; i=$((i + 1)); done
	[ -e "$T/locked" ] && pass || fail "could not take the store's lock"
	before=$(ms_now)
	hm sender status
	took=$(($(ms_now) - before))
	expect_rc 0
	expect_out "hookmand running"
	[ "$took" -lt "$SECOND" ] && pass || fail "sender status took $took ms while the store was locked"
	wait "$locker"
	wait_until "SELECT count(*) = 2 FROM deliveries WHERE state = 'delivered'"
	[ "$(db "SELECT a.status FROM attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'later'")" = 200 ] && pass ||
		fail "the answered request was recorded as: $(db "SELECT coalesce(CAST(status AS TEXT), error) FROM attempts")"
	ms=$(db "SELECT a.duration_ms FROM attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'later'")
	[ "$ms" -lt 2500 ] && pass || fail "recorded $ms ms for a request answered in 1200 ms"
	grep -q "the store has been locked by another process" "$T/daemon.log" && pass || fail "a long lock is not logged"
	stop_daemon
fi

test_case "enable wakes hookmand"
# Reproduction: held deliveries of a re-enabled webhook waited for the
# daemon's 60-second safety wake-up.
new_store enable
hm add --name sleepy --url "$BASE/ok/sleepy" --events alarm.high_severity
hm fire alarm.high_severity
expect_out "1 delivery queued"
hm disable sleepy
start_daemon
hm enable sleepy
expect_out 'webhook "sleepy" enabled'
wait_until "SELECT count(*) = 1 FROM deliveries WHERE state = 'delivered'"
stop_daemon

test_case "a store hookmand cannot write: fire says so"
# Reproduction: while hookmand could not use the store, fire kept saying
# "queued" and nothing more.
if sqlite_only "a file size limit (ulimit -f) on the database file"; then
	new_store full
	hm add --name full --url "$BASE/ok/full" --events processing.with_alarms
	fire_n 100 processing.with_alarms
	limit=$(( ($(cat "$STORE/hookman.db" "$STORE/hookman.db-wal" 2>/dev/null | wc -c) + 16384) / 512 ))
	(ulimit -S -f $limit; exec "$HOOKMAND" --store "$STORE" --foreground --log "$T/full.log") &
	daemon_pid=$!
	wait_log "retrying every" "$T/full.log"
	hm fire processing.with_alarms
	expect_rc 0
	expect_out "1 delivery queued"
	expect_err "warning: hookmand reports a STORE ERROR, nothing is delivered until it is resolved:"
	hm sender status
	expect_out "STORE ERROR"
	prlimit --pid "$daemon_pid" --fsize=unlimited: && pass || fail "cannot lift the limit"
	wait_until "SELECT count(*) = 101 FROM deliveries WHERE state = 'delivered'"
	hm fire processing.with_alarms
	expect_no_err "STORE ERROR"
	stop_daemon
fi

test_case "a disabled webhook's waiting deliveries read held, with the reason"
# The reproduction: after a 410 disabled a webhook, its other deliveries
# read "failed, retry in 0s" forever.
new_store held
hm add --name gone --url "$BASE/gone" --events audit.reboot
fire_n 2 audit.reboot
start_daemon --per-webhook 1 --schedule 60s
wait_until "SELECT count(*) = 1 FROM webhooks WHERE enabled = 0"
stop_daemon
hm deliveries gone
expect_out "held (webhook disabled: the receiver answered 410 Gone"
expect_no_out "retry in"
id=$(db "SELECT id FROM deliveries WHERE state = 'pending' OR (state = 'failed' AND attempts = 1) ORDER BY id LIMIT 1")
hm delivery "$id"
expect_out "held:     webhook disabled: the receiver answered 410 Gone: it no longer accepts deliveries; nothing is sent until it is enabled"
hm --json deliveries gone
n=$(jq '[.[] | select(.held)] | length' "$T/out")
[ "$n" = 2 ] && pass || fail "held in --json: $n of $(jq length "$T/out")"

test_case "a failed test send is no dead delivery"
# The reproduction: hookman test to a closed port counted as a dead
# delivery in sender status.
new_store tests
hm add --name closed --url http://127.0.0.1:9/x --events admin.login
start_daemon
hm test closed
expect_rc 1
hm sender status
expect_out "0 dead"
expect_out "test sends (never retried): 0 answered with a 2xx, 1 failed"
hm --json sender status
[ "$(jq '.queue.dead, .tests.dead' "$T/out" | tr '\n' ' ')" = "0 1 " ] && pass || fail "status --json: $(jq -c '.queue, .tests' "$T/out")"
stop_daemon

test_case "a damaged store: hookmand refuses to start and says how to recover"
if sqlite_only "a damaged database file"; then
	new_store damaged
	hm add --name d --url "$BASE/ok/damaged" --events processing.with_alarms
	fire_n 300 processing.with_alarms
	db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
	pages=$(db "PRAGMA page_count")
	dd if=/dev/urandom of="$STORE/hookman.db" bs=4096 seek=$((pages / 2)) count=2 conv=notrunc 2>/dev/null
	"$HOOKMAND" --store "$STORE" --foreground >"$T/out" 2>"$T/err"
	rc=$?
	expect_rc 1
	expect_err "is damaged (SQLite's quick_check:"
	expect_err ".recover"
	HOOKMAN_AUTOSTART=1 hm fire processing.with_alarms
	expect_err "is damaged"
fi

summary
