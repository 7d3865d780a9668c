#!/bin/sh
# hookman audits itself, against a real HTTP receiver on 127.0.0.1: each
# change to a webhook, an export with secrets and a schema upgrade reach a
# webhook subscribed to the audit events, signed (checked here with
# openssl, the Standard Webhooks way, not with hookman's code), with who
# (the account, the SSH client), through what (cli, import, apply) and the
# changed fields masked; a refused change sends and records nothing;
# 'hookman audit' lists the record.
. "$(dirname "$0")/lib.sh"

# The audit events the receiver got, in order: their data, one per line.
received() { requests /siem | jq -c '.body | fromjson | .message | fromjson | .data'; }
received_n() { [ "$(requests /siem | wc -l)" = "$1" ]; }
# last: the data of the last one.
last() { received | tail -n 1; }
USER_NAME=$(id -un)
SLACK_URL=https://hooks.slack.com/services/T0001/B0001/cleartexturlpart
export SSH_CONNECTION="198.51.100.7 52144 10.0.0.2 22"

hm add --name siem --url "$BASE/siem" --events audit --secret "$SECRET" --payload '{"title": "$Title", "message": "$Event"}'
start_daemon --schedule 200ms --no-jitter

test_case "a webhook's creation reaches the audit subscriber, signed, with who"
poll "the creation of siem itself never arrived" received_n 1
hm add --name slack --url "$SLACK_URL" --events alarm.high_severity --preset slack --header 'Authorization: Bearer cleartexttoken0123'
poll "the creation of slack never arrived" received_n 2
req=$(requests /siem | tail -n 1)
verifies "$SECRET" "$req" && pass || fail "the audit request does not verify with the secret"
[ "$(printf '%s\n' "$req" | jq -r '.body | fromjson | .title')" = "AUDIT EVENT: CREATE: created webhook \"slack\" ($USER_NAME via cli)" ] &&
	pass || fail "title: $(printf '%s\n' "$req" | jq -r '.body | fromjson | .title')"
d=$(last)
[ "$(printf '%s\n' "$d" | jq -r '[.action, .actor, .via, .webhook, .source_ip, .who.ssh_client, .who.uid] | join(" ")')" = \
  "create $USER_NAME cli slack 198.51.100.7 198.51.100.7 $(id -u)" ] && pass || fail "who and what: $d"
[ "$(printf '%s\n' "$d" | jq -r .audit_id)" = "$(db "SELECT uid FROM audit WHERE webhook = 'slack'")" ] && pass || fail "audit_id is not the record's"

test_case "an edit lists the changed fields, masked"
hm edit slack --url https://hooks.slack.com/services/T0002/B0002/otherclearpart --timeout 20 --no-secret
expect_rc 0
poll "the update never arrived" received_n 3
d=$(last)
[ "$(printf '%s\n' "$d" | jq -r .object)" = 'updated webhook "slack": url, timeout' ] && pass || fail "object: $d"
[ "$(printf '%s\n' "$d" | jq -c '[.changes[] | [.field, .from, .to]]')" = \
  '[["url","https://hooks.slack.com/services/T0…/****","https://hooks.slack.com/services/T0…/**** (another value)"],["timeout","10 s","20 s"]]' ] &&
	pass || fail "changes: $(printf '%s\n' "$d" | jq -c .changes)"
for clear in cleartexturlpart otherclearpart cleartexttoken0123; do
	grep -qF "$clear" "$SINKLOG" && fail "the receiver got $clear in the clear" || pass
	[ "$(db "SELECT count(*) FROM audit WHERE data LIKE '%$clear%'")" = 0 ] && pass || fail "the record holds $clear"
done

test_case "a refused change sends and records nothing"
before=$(db "SELECT count(*) FROM audit")
hm edit slack --url ftp://127.0.0.1/x
expect_rc 1
hm edit slack --rename siem
expect_rc 1
hm add --name SLACK --url "$BASE/x" --events admin.login
expect_rc 1
[ "$(db "SELECT count(*) FROM audit")" = "$before" ] && pass || fail "a refused change was recorded"
[ "$(db "SELECT count(*) FROM deliveries WHERE state <> 'delivered'")" = 0 ] && pass || fail "a refused change queued a delivery"
# An edit that changes nothing is not a change either.
hm edit slack --timeout 20
expect_rc 0
[ "$(db "SELECT count(*) FROM audit")" = "$before" ] && pass || fail "a save that changed nothing was recorded"

test_case "disable, rename, rotate, delete"
hm disable slack
hm edit slack --rename "slack ops"
hm rotate-secret "slack ops" >/dev/null
hm rm "slack ops"
poll "the four changes never arrived" received_n 7
[ "$(received | tail -n 4 | jq -r .object)" = "$(printf '%s\n' 'disabled webhook "slack"' 'renamed webhook "slack" to "slack ops"' \
  'updated webhook "slack ops": secret' 'deleted webhook "slack ops"')" ] && pass || fail "objects: $(received | tail -n 4 | jq -r .object)"
[ "$(received | tail -n 2 | head -n 1 | jq -r '.changes[0] | [.from, (.to | startswith("whsec_****"))] | join(" ")')" = "none true" ] &&
	pass || fail "the new secret is not masked: $(received | tail -n 2 | head -n 1)"

test_case "an export with secrets is a download; import and apply say so"
hm export --with-secrets "$T/all.json"
expect_rc 0
poll "the download never arrived" received_n 8
[ "$(last | jq -r '[.action, .object] | join(": ")')" = "download: exported 1 webhook with their secrets to $T/all.json" ] && pass || fail "download: $(last)"
jq '.webhooks[0].name = "imported" | .webhooks[0].url = "http://127.0.0.1:9/imp" | .webhooks[0].events = ["admin.login"] | del(.webhooks[0].secret)' "$T/all.json" >"$T/imp.json"
hm import "$T/imp.json"
expect_rc 0
poll "the import never arrived" received_n 9
[ "$(last | jq -r '[.action, .via, .webhook] | join(" ")')" = "create import imported" ] && pass || fail "import: $(last)"
hm export --with-secrets "$T/desired.json"
jq '(.webhooks[] | select(.name == "imported") | .timeout) = 7' "$T/desired.json" >"$T/apply.json"
hm apply "$T/apply.json"
expect_rc 0
poll "the apply never arrived" received_n 11
[ "$(last | jq -r '[.action, .via, .object] | join(" ")')" = 'update apply updated webhook "imported": timeout' ] && pass || fail "apply: $(last)"

test_case "hookman audit lists the record"
hm audit --since 1d
expect_rc 0
expect_out "create   $USER_NAME@"
expect_out "(ssh 198.51.100.7) via cli: created webhook \"slack\""
expect_out '    url: https://hooks.slack.com/services/T0…/**** → https://hooks.slack.com/services/T0…/****'
expect_out 'via import: created webhook "imported"'
expect_no_out cleartexttoken
hm audit "slack ops"
[ "$(grep -c "webhook \"slack" "$T/out")" = 6 ] && pass || fail "the webhook's entries across its rename: $(cat "$T/out")"
hm audit -n 1 --json
[ "$(jq -r '.[0] | [.action, .via] | join(" ")' "$T/out")" = "update apply" ] && pass || fail "--json: $(cat "$T/out")"
hm audit --since 2026-13-01
expect_rc 2
expect_err "--since 2026-13-01: give a date (2026-11-28, 2026-11-28T10:00:00Z) or an age (30m, 2h, 1d)"

test_case "the sender's own disabling is recorded, through hookmand"
n=$(requests /siem | wc -l)
hm add --name gone --url "$BASE/gone" --events admin.login
hm fire admin.login
poll "the disabling never arrived" received_n $((n + 2))
[ "$(last | jq -r '[.action, .via, .webhook, .changes[0].field, .changes[0].to] | join("|")')" = "update|hookmand|gone|enabled|no" ] &&
	pass || fail "auto-disable: $(last)"
last | jq -r .object | grep -q '^disabled webhook "gone": the receiver answered 410 Gone' && pass || fail "object: $(last | jq -r .object)"

test_case "audit events cannot be forged by hand; a failed export is no download"
before=$(db "SELECT count(*) FROM audit")
events=$(db "SELECT count(*) FROM events")
hm fire audit.delete --title 'AUDIT EVENT: DELETE: deleted webhook "prod" (alice via tui)'
expect_rc 1
expect_err "audit.delete is hookman's own record of its changes"
expect_err "hookman test NAME --event audit.delete"
hm_in '{"type": "audit.update", "title": "forged"}' fire --stdin
expect_rc 1
expect_err "line 1: audit.update is hookman's own record of its changes"
hm export --with-secrets "$T/no/such/dir/x.json"
expect_rc 1
expect_err "; nothing was exported"
[ "$(db "SELECT count(*) FROM audit")" = "$before" ] && pass || fail "a refusal was recorded"
[ "$(db "SELECT count(*) FROM events")" = "$events" ] && pass || fail "a refused fire left an event"

test_case "a schema upgrade is recorded and fired once"
stop_daemon
if sqlite_only "an upgrade from schema version 7 (PRAGMA user_version)"; then
	# Back to a version 7 store, as an older hookman left it (the record
	# goes with it: it came with version 8).
	db "DROP TABLE audit; ALTER TABLE webhooks DROP COLUMN refs; PRAGMA user_version=7"
	n=$(requests /siem | wc -l)
	start_daemon --schedule 200ms --no-jitter
	poll "the upgrade never arrived" received_n $((n + 1))
	# Whichever opened the store first upgraded it: hookmand, or the status
	# check that waits for it.
	last | jq -r '[.action, .via] | join(" ")' | grep -qxE "upgrade (hookmand|cli)" && pass || fail "upgrade: $(last)"
	last | jq -r .object | grep -q "^upgraded the store from schema version 7 to " && pass || fail "object: $(last)"
	hm audit
	expect_out ": upgraded the store from schema version 7 to"
	[ "$(db "SELECT count(*) FROM audit WHERE action = 'upgrade'")" = 1 ] && pass || fail "the upgrade was recorded more than once"
	stop_daemon
fi

summary
