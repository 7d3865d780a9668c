#!/bin/sh
# Re-render on redeliver against the real receiver: render --event EVT
# --diff shows what a payload change does to a stored event's body,
# redeliver --rerender sends that new body (same webhook-id, signed), a
# plain redeliver still sends the old one, and the new body is in the
# store before hookmand sends it (a SIGKILL loses nothing).
. "$(dirname "$0")/lib.sh"

test_case "an event delivered, then the webhook's payload changes"
printf '{"title": "$Title", "event": "$Event"}' >"$T/p1.json"
hm add --name rr --url "$BASE/rr" --events alarm.high_severity --secret "$SECRET" --payload "@$T/p1.json"
expect_rc 0
start_daemon --schedule 200ms,200ms,200ms --no-jitter
hm fire alarm.high_severity --title 'Disk full'
wait_until "SELECT count(*) = 1 FROM deliveries WHERE state = 'delivered'"
evt=$(db "SELECT uid FROM events WHERE type = 'alarm.high_severity'")
evt_n=$(db "SELECT id FROM events WHERE type = 'alarm.high_severity'")
uid=$(db "SELECT uid FROM deliveries")
old_body=$(requests /rr | tail -n 1 | jq -j .body)
[ "$old_body" = "$(db "SELECT body FROM bodies")" ] && pass || fail "the first body is not the stored one"
hm render rr --event "$evt" --diff
expect_rc 0
expect_out_eq "no difference: delivery 1 ($uid) would be sent with the same body"
hm render rr --event "$evt_n" --diff      # the event's number works as its id
expect_rc 0
expect_out "no difference"
printf '{"headline": "$Title", "env": "prod", "event": "$Event"}' >"$T/p2.json"
hm edit rr --payload "@$T/p2.json"
expect_rc 0
hm render rr --event "$evt"
expect_rc 0
expect_out '"headline": "Disk full"'
hm render rr --event "$evt" --diff
expect_rc 3
expect_out "--- stored (delivery $uid)"
expect_out "+++ now"
expect_out '-  "title": "Disk full",'
expect_out '+  "headline": "Disk full",'
expect_out '+  "env": "prod"'
expect_out "   \"event\": "      # an unchanged field is context
grep -q "$(printf '\033')" "$T/out" && fail "colour written to a pipe" || pass
# The catalog type keeps its meaning: a sample event, no diff.
hm render rr --event alarm.high_severity
expect_rc 0
expect_out '"headline": "HIGH SEVERITY ALARM DETECTED"'

test_case "a plain redeliver still sends the old body"
hm redeliver 1
expect_out_eq "delivery 1 queued again"
wait_until "SELECT count(*) = 1 FROM deliveries WHERE id = 1 AND state = 'delivered' AND attempts = 2"
[ "$(requests /rr | tail -n 1 | jq -j .body)" = "$old_body" ] && pass || fail "a plain redelivery changed the body"

test_case "redeliver --rerender: the new body, the same webhook-id, signed; kept across a SIGKILL"
kill -9 "$daemon_pid"
wait "$daemon_pid" 2>/dev/null
daemon_pid=""
hm redeliver 1 --rerender
expect_rc 0
expect_out_eq "delivery 1 queued again with a new body (1 line removed, 2 added)"
[ "$(db "SELECT state FROM deliveries WHERE id = 1")" = pending ] && pass || fail "not pending after --rerender"
db "SELECT body FROM bodies WHERE delivery_id = 1" | grep -qF '"headline": "Disk full"' && pass || fail "the new body is not in the store"
start_daemon --schedule 200ms,200ms,200ms --no-jitter
wait_until "SELECT count(*) = 1 FROM deliveries WHERE id = 1 AND state = 'delivered' AND attempts = 3"
req=$(requests /rr | tail -n 1)
body=$(printf '%s\n' "$req" | jq -j .body)
[ "$body" = "$(db "SELECT body FROM bodies WHERE delivery_id = 1")" ] && pass || fail "the receiver did not get the stored new body"
[ "$(printf '%s' "$body" | jq -r .headline)" = "Disk full" ] && pass || fail "new body: $body"
[ "$(printf '%s' "$body" | jq -r .env)" = prod ] && pass || fail "new body: $body"
[ "$(printf '%s' "$body" | jq -r .event | jq -r .id)" = "$evt" ] && pass || fail "the event is not the stored one: $body"
[ "$(printf '%s\n' "$req" | jq -r '.headers["webhook-id"]')" = "$uid" ] && pass || fail "the webhook-id changed"
ts=$(printf '%s\n' "$req" | jq -r '.headers["webhook-timestamp"]')
key=$(printf '%s' "${SECRET#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \n')
expect=$(printf '%s.%s.%s' "$uid" "$ts" "$body" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -binary | base64)
[ "$(printf '%s\n' "$req" | jq -r '.headers["webhook-signature"]')" = "v1,$expect" ] && pass || fail "the signature of the new body does not verify"
hm render rr --event "$evt" --diff
expect_rc 0
expect_out "no difference"
hm redeliver 1 --rerender
expect_out_eq "delivery 1 queued again; its body is the same with webhook \"rr\"'s current payload"
wait_until "SELECT count(*) = 1 FROM deliveries WHERE id = 1 AND state = 'delivered' AND attempts = 4"

test_case "bulk: every dead delivery of a webhook, rendered again"
hm add --name bulk --url "$BASE/status/500" --events alarm.high_severity --payload "@$T/p1.json"
hm fire alarm.high_severity --title 'First'
hm fire alarm.high_severity --title 'Second'
wait_until "SELECT count(*) = 2 FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'bulk' AND d.state = 'dead'"
hm edit bulk --url "$BASE/bulk" --payload "@$T/p2.json"
hm redeliver --webhook bulk --state dead --rerender
expect_rc 0
expect_out_eq "2 deliveries queued again, 2 with a new body"
wait_until "SELECT count(*) = 2 FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'bulk' AND d.state = 'delivered'"
[ "$(requests /bulk | jq -r '.body | fromjson | .headline' | sort | tr '\n' ,)" = "First,Second," ] && pass || fail "the receiver did not get both new bodies"

stop_daemon

test_case "refused, and nothing changes"
refused 'no event "evt_nope"' render rr --event evt_nope --diff
hm add --name late --url "$BASE/late" --events alarm.high_severity
refused "webhook \"late\" has no delivery of event $evt" render late --event "$evt" --diff
hm render late --event "$evt"      # without --diff: the body it would get
expect_rc 0
expect_out "Disk full"
hm render rr --diff
expect_rc 2
expect_err "--diff compares a stored event: give --event EVENT_ID"
hm render rr --event "$evt" --title x
expect_rc 2
expect_err "--title and --data describe a sample event"
db "UPDATE webhooks SET payload = '{\"broken\": ' WHERE name = 'rr'"
refused "webhook \"rr\"'s payload does not render event $evt" redeliver 1 --rerender
db "UPDATE deliveries SET state = 'dead' WHERE id = 1"
refused "webhook \"rr\"'s payload does not render event $evt" redeliver --webhook rr --state dead --rerender
refused "bulk redelivery takes --state dead, failed or dropped" redeliver --webhook rr --state delivered --rerender

summary
