#!/bin/sh
# Holds against the real receiver: what is held does not arrive until the
# hold ends, then all of it in order; a hold survives a SIGKILL of
# hookmand; --drop records and never sends; an event type's hold keeps only
# that type. "Did not arrive" is asserted without waiting on a clock: a
# marker event fired after the held ones goes to a webhook that is not
# held, and once the marker has arrived the sender has had its turn at
# everything fired before it.
. "$(dirname "$0")/lib.sh"

titles() { requests "$1" | jq -r '.body | capture("(?<o>order-[0-9]+)").o' | tr '\n' ' '; }
marker() {
	hm fire audit.reboot --title "marker $1"
	wait_until "SELECT count(*) = 1 FROM deliveries d JOIN events e ON e.id = d.event_id WHERE e.title = 'marker $1' AND d.state = 'delivered'"
}
# None of webhook $1's deliveries was claimed: all still pending or dropped.
none_claimed() {
	[ "$(db "SELECT count(*) FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = '$1' AND d.state IN ('inflight', 'delivered', 'failed') AND d.updated_at > $2")" = 0 ] &&
		pass || fail "a held delivery of $1 was claimed"
}

test_case "a 2-second hold: none of 10 events arrive during it, all 10 after, in order"
hm add --name held --url "$BASE/held" --events admin.login
hm add --name marks --url "$BASE/marks" --events audit.reboot
# One request at a time per webhook: the order they start in is the order
# they arrive in.
start_daemon --per-webhook 1
hm hold held --for 2s
expect_rc 0
expect_out 'held webhook "held" until '
expect_out "(2s): new deliveries wait"
until_at=$(db "SELECT until_at FROM holds")
for i in 01 02 03 04 05 06 07 08 09 10; do hm fire admin.login --title "order-$i"; done
poll "the 10 held deliveries did not arrive after the hold" sh -c "[ \$(jq -c 'select(.path == \"/held\")' '$SINKLOG' | wc -l) = 10 ]"
[ "$(requests /held | jq -s "map(select(.t < $until_at)) | length")" = 0 ] && pass ||
	fail "a held delivery arrived before the hold ended at $until_at: $(requests /held | jq -c .t | head -3)"
[ "$(titles /held)" = "order-01 order-02 order-03 order-04 order-05 order-06 order-07 order-08 order-09 order-10 " ] &&
	pass || fail "not in fire order: $(titles /held)"
wait_until "SELECT count(*) = 10 FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'held' AND d.state = 'delivered'"

test_case "a hold survives a SIGKILL of hookmand; release sends what waited"
hm edit held --url "$BASE/held2"
since=$(db "SELECT max(updated_at) FROM deliveries")
hm hold held
for i in 01 02 03; do hm fire admin.login --title "order-$i"; done
kill -9 "$daemon_pid"
wait "$daemon_pid" 2>/dev/null
daemon_pid=""
start_daemon --per-webhook 1
marker 1
none_claimed held "$since"
[ "$(count_requests /held2)" = 0 ] && pass || fail "a held delivery went out after the restart"
hm hold --json
[ "$(jq -c '.[0] | [.webhook, .until, .drop, .queued]' "$T/out")" = '["held",null,false,3]' ] && pass ||
	fail "hold lists: $(cat "$T/out")"
hm deliveries held --state pending
expect_out "held (a hold on the webhook)"
id=$(db "SELECT max(id) FROM deliveries WHERE state = 'pending'")
hm delivery "$id"
expect_out "held:     a hold on the webhook; nothing is sent until the hold ends"
hm release held
expect_rc 0
expect_out 'released webhook "held": 3 queued deliveries are no longer held by it (each goes at its due time)'
poll "the released deliveries did not arrive" sh -c "[ \$(jq -c 'select(.path == \"/held2\")' '$SINKLOG' | wc -l) = 3 ]"
[ "$(titles /held2)" = "order-01 order-02 order-03 " ] && pass || fail "not in fire order: $(titles /held2)"

test_case "--drop: recorded as dropped, never sent; redeliver sends them later"
hm edit held --url "$BASE/held3"
hm hold held --drop
expect_out "new deliveries are dropped (recorded, never sent)"
hm fire admin.login --title order-01
expect_out "0 deliveries queued, 1 dropped (held with --drop)"
hm fire admin.login --title order-02
marker 2
[ "$(count_requests /held3)" = 0 ] && pass || fail "a dropped delivery was sent"
[ "$(db "SELECT count(*) FROM deliveries WHERE state = 'dropped'")" = 2 ] && pass || fail "not recorded as dropped"
hm deliveries held --state dropped
expect_rc 0
expect_out "dropped"
hm release held
expect_out "nothing was waiting; 2 dropped while held stay dropped (hookman redeliver --webhook held --state dropped sends them)"
marker 3
[ "$(count_requests /held3)" = 0 ] && pass || fail "the release sent dropped deliveries"
hm redeliver --webhook held --state dropped
expect_rc 0
poll "the dropped deliveries were not sent by redeliver" sh -c "[ \$(jq -c 'select(.path == \"/held3\")' '$SINKLOG' | wc -l) = 2 ]"

test_case "an event type's hold keeps only that type, for every webhook"
hm add --name both --url "$BASE/both" --events admin.login,event.suspicious
hm hold --event event.suspicious --for 1h
expect_out "held event type event.suspicious until "
hm fire event.suspicious --title order-01
hm fire admin.login --title order-02
poll "the login did not arrive" sh -c "[ \$(jq -c 'select(.path == \"/both\")' '$SINKLOG' | wc -l) = 1 ]"
marker 4
[ "$(titles /both)" = "order-02 " ] && pass || fail "the held type went out: $(titles /both)"
[ "$(db "SELECT d.state FROM deliveries d JOIN events e ON e.id = d.event_id WHERE e.type = 'event.suspicious'")" = pending ] &&
	pass || fail "the held type was claimed"
hm deliveries both
expect_out "held (a hold on event type event.suspicious)"
hm release --event event.suspicious
expect_out "released event type event.suspicious: 1 queued delivery is no longer held by it"
poll "the released logout did not arrive" sh -c "[ \$(jq -c 'select(.path == \"/both\")' '$SINKLOG' | wc -l) = 2 ]"

test_case "the command a hold suggests can be pasted into a shell, whatever the name"
hm add --name "on call 'eu' \$HOME" --url "$BASE/oc" --events admin.login
hm hold "on call 'eu' \$HOME" --for 5m
expect_out "; run: hookman release 'on call '\\''eu'\\'' \$HOME' to end it"
cmd=$(sed -n 's/.*; run: hookman \(release .*\) to end it$/\1/p' "$T/out")
eval "set -- $cmd"
"$HOOKMAN_BIN" --store "$STORE" "$@" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 0
expect_out "released webhook \"on call 'eu' \$HOME\": nothing was waiting"
hm rm "on call 'eu' \$HOME"

test_case "holding again says what it replaces"
hm hold held --for 10m
hm hold held --drop
expect_out "; this replaces its hold that kept them waiting until "
hm hold held --json
[ "$(jq -c '[.replaced, .drop, .until]' "$T/out")" = "[true,false,null]" ] && pass || fail "hold --json: $(cat "$T/out")"
hm release held

test_case "hold refuses what it cannot do, and changes nothing"
before=$(store_sum)
hm hold nobody --for 5m
expect_rc 1
expect_err 'no webhook named "nobody"'
hm hold --event no.such --for 5m
expect_rc 2
expect_err 'unknown event type "no.such"'
hm hold held --for soon
expect_rc 2
expect_err "--for is not a number"
hm hold held both
expect_rc 2
expect_err "give one webhook NAME or --event TYPE"
hm release held
expect_rc 1
expect_err 'webhook "held" is not held'
[ "$(store_sum)" = "$before" ] && pass || fail "a refused hold changed the store"
stop_daemon

summary
