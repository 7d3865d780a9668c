#!/bin/sh
# hookmand prunes by itself: at start (then daily), what finished before
# --keep goes; what is still to be sent stays. Ages are set by hand.
. "$(dirname "$0")/lib.sh"

test_case "hookmand prunes finished deliveries older than --keep"
hm add --name a --url "$BASE/ok" --events admin.login
hm fire admin.login --title one
hm fire admin.login --title two
hm fire admin.login --title three
old=$(( ($(date +%s) - 3 * 86400) * 1000 ))
# 1 delivered and 2 dead three days ago; 3 failed three days ago, its
# retry far ahead (it stays, and is not sent during the test).
db "UPDATE deliveries SET state = 'delivered', updated_at = $old WHERE id = 1;
    UPDATE deliveries SET state = 'dead', updated_at = $old WHERE id = 2;
    UPDATE deliveries SET state = 'failed', updated_at = $old, next_attempt_at = $((old + 86400000 * 30)) WHERE id = 3;
    INSERT INTO attempts(delivery_id, started_at, duration_ms, status) VALUES (1, $old, 3, 200), (3, $old, 3, 500);
    UPDATE events SET created_at = $old WHERE type <> 'audit.create'"
start_daemon --keep 2d
# Deliveries go in one batch, orphan events in a later one.
wait_until "SELECT (SELECT count(*) FROM deliveries WHERE id IN (1, 2)) = 0 AND (SELECT count(*) FROM events WHERE type <> 'audit.create') = 1"
[ "$(db 'SELECT id FROM deliveries ORDER BY id' | paste -sd, -)" = 3 ] && pass || fail "deliveries left: $(db 'SELECT id FROM deliveries ORDER BY id' | paste -sd, -)"
[ "$(db "SELECT count(*) FROM events WHERE type <> 'audit.create'")" = 1 ] && pass || fail "events left: $(db 'SELECT count(*) FROM events')"
[ "$(db 'SELECT delivery_id FROM attempts ORDER BY id' | paste -sd, -)" = 3 ] && pass || fail "attempts left"
poll "the prune was not logged: $(cat "$T/daemon.log")" grep -q "pruned what finished more than 2d ago: deliveries 2, attempts 1, events 2" "$T/daemon.log"
stop_daemon

test_case "--keep 0 never prunes"
db "UPDATE deliveries SET state = 'delivered', updated_at = 0"
start_daemon --keep 0
hm fire admin.login --title four
wait_until "SELECT count(*) = 1 FROM deliveries WHERE state = 'delivered' AND updated_at > 0"
[ "$(db 'SELECT count(*) FROM deliveries')" = 2 ] && pass || fail "a delivery went with --keep 0"
stop_daemon

summary
