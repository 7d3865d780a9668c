#!/bin/sh
# Coalescing against the real receiver: an alarm storm becomes one message
# per window per webhook, sent when the window ends; the webhook's setting
# is refused when wrong, shown, exported and imported.
. "$(dirname "$0")/lib.sh"

test_case "20 identical alarms inside a 3-second window: one request, its title ending (×20)"
hm add --name pager --url "$BASE/pager" --events alarm.high_severity,admin.login --coalesce 3s
expect_rc 0
hm show pager
expect_out "coalesce:   3s (repeats of one type and title in that window are one delivery)"
start_daemon
# One process fires them all, so that a slow machine cannot spread them
# past the window.
{
	i=1
	while [ $i -le 20 ]; do
		echo '{"type": "alarm.high_severity", "title": "Disk full on db1"}'
		i=$((i + 1))
	done
	# Another title is another message; so is another type.
	echo '{"type": "alarm.high_severity", "title": "CPU hot on db2"}'
	echo '{"type": "admin.login"}'
} >"$T/storm"
hm fire --stdin <"$T/storm"
expect_out "fired 22 events: 3 deliveries queued, 19 coalesced into waiting deliveries"
first_at=$(db "SELECT min(created_at) FROM deliveries")
poll "the three coalesced deliveries did not arrive" sh -c "[ \$(jq -c 'select(.path == \"/pager\")' '$SINKLOG' | wc -l) = 3 ]"
[ "$(requests /pager | jq -r '.body' | jq -r .title | sort | tr '\n' '|')" = "ADMIN LOGIN|CPU hot on db2|Disk full on db1 (×20)|" ] &&
	pass || fail "titles: $(requests /pager | jq -r '.body' | jq -r .title | tr '\n' '|')"
storm=$(requests /pager | jq -c 'select(.body | fromjson | .title == "Disk full on db1 (×20)")')
[ "$(printf '%s\n' "$storm" | jq -r '.body | fromjson | .message | fromjson | .coalesced | [.count, (.ids | length)] | join(" ")')" = "20 20" ] &&
	pass || fail "the count and ids are not in \$Event: $(printf '%s\n' "$storm" | jq -r .body)"
[ "$(printf '%s\n' "$storm" | jq -r '.t')" -ge $((first_at + 3000)) ] && pass || fail "sent before the window ended"
[ "$(db "SELECT count(*) FROM deliveries")" = 3 ] && pass || fail "not three deliveries in the store"
[ "$(db "SELECT count(*) FROM events WHERE type <> 'audit.create'")" = 22 ] && pass || fail "every event is not kept"

test_case "a SIGKILL of hookmand during the window changes nothing: still one message"
hm edit pager --url "$BASE/pager2"
for i in 1 2 3 4 5 6 7 8 9 10; do echo '{"type": "alarm.high_severity", "title": "Fan failed"}'; done >"$T/storm2"
hm fire --stdin <"$T/storm2"
expect_out "fired 10 events: 1 delivery queued, 9 coalesced into waiting deliveries"
kill -9 "$daemon_pid"
wait "$daemon_pid" 2>/dev/null
daemon_pid=""
start_daemon
wait_until "SELECT count(*) = 1 FROM deliveries WHERE coalesced LIKE '%\"count\":10%' AND state = 'delivered'"
[ "$(count_requests /pager2)" = 1 ] && pass || fail "the storm after a SIGKILL arrived as $(count_requests /pager2) requests"
[ "$(requests /pager2 | jq -r '.body' | jq -r .title)" = "Fan failed (×10)" ] && pass || fail "title after a SIGKILL"
hm edit pager --url "$BASE/pager"

test_case "a new window after the last one was sent"
hm fire alarm.high_severity --title "Disk full on db1"
expect_out "1 delivery queued"
poll "the next window's delivery did not arrive" sh -c "[ \$(jq -c 'select(.path == \"/pager\")' '$SINKLOG' | wc -l) = 4 ]"
[ "$(requests /pager | tail -n 1 | jq -r '.body' | jq -r .title)" = "Disk full on db1" ] && pass ||
	fail "a lone event's title is counted"
stop_daemon

test_case "--coalesce is refused when wrong, removed with none, exported and imported"
before=$(store_sum)
hm edit pager --coalesce 5
expect_rc 1
expect_err 'coalesce window "5"'
expect_err "e.g. 30s, 5m, 1h or none"
hm edit pager --coalesce 2d
expect_rc 1
expect_err 'coalesce window "2d": it has an unknown unit; use s, m or h'
hm edit pager --coalesce 500ms
expect_rc 1
[ "$(store_sum)" = "$before" ] && pass || fail "a refused --coalesce changed the store"
hm export --with-secrets
expect_out '"coalesce": "3s"'
cp "$T/out" "$T/export.json"
hm edit pager --coalesce none
expect_rc 0
hm show pager
expect_out "coalesce:   none"
hm import "$T/export.json" --replace
expect_rc 0
hm show pager
expect_out "coalesce:   3s"
sed 's/"coalesce": "3s"/"coalesce": 3/' "$T/export.json" >"$T/bad.json"
hm import "$T/bad.json" --replace
expect_rc 1
expect_err '"coalesce" must be a string such as "5m"'

summary
