#!/bin/sh
# rotate-secret against a real HTTP receiver on 127.0.0.1: during the
# grace a receiver holding either the old or the new secret accepts the
# request, after it only the new one. The receiver's check is done here
# with openssl, the Standard Webhooks way (every "v1,<sig>" of the header
# against our own HMAC), not with hookman's code.
. "$(dirname "$0")/lib.sh"

signatures() { printf '%s\n' "$1" | jq -r '.headers["webhook-signature"]' | wc -w; }
# fire_one: fire an event and wait for its request; $req is that request.
fire_one() {
	n=$(count_requests /rot)
	hm fire audit.reboot
	wait_until "SELECT count(*) = 0 FROM deliveries WHERE state IN ('pending', 'inflight', 'failed')"
	[ "$(count_requests /rot)" = $((n + 1)) ] && pass || fail "expected one more request to /rot"
	req=$(requests /rot | tail -n 1)
}
OTHER=whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=

test_case "during the grace either secret verifies"
hm add --name rot --url "$BASE/rot" --events audit.reboot --secret "$SECRET"
start_daemon --schedule 200ms --no-jitter
hm rotate-secret rot --grace 1h
expect_rc 0
expect_out "the old secret also signs until"
expect_out "(1h00m): switch the receiver before then"
new=$(sed -n 's/^signing secret: //p' "$T/out")
[ -n "$new" ] && [ "$new" != "$SECRET" ] && pass || fail "no new secret printed: $(cat "$T/out")"
hm show rot
expect_out "previous secret: whsec_****LaSw, accepted until "
expect_no_out "$new"
hm --json show rot
[ "$(jq -r .secret_previous "$T/out")" = "whsec_****LaSw" ] && pass || fail "show --json lacks the masked previous secret"
[ "$(jq -r '.secret_previous_until > 0' "$T/out")" = true ] && pass || fail "show --json lacks secret_previous_until"
hm export
[ "$(jq -r '.webhooks[0].secret_previous // .[0].secret_previous' "$T/out")" = "whsec_****LaSw" ] && pass || fail "export does not mask the previous secret: $(cat "$T/out")"
hm export --with-secrets
grep -qF "$SECRET" "$T/out" && pass || fail "export --with-secrets lacks the previous secret"
cp "$T/out" "$T/export.json"
main_store=$STORE
new_store other
"$HOOKMAN_BIN" --store "$STORE" import "$T/export.json" >/dev/null 2>"$T/err" && pass || fail "import: $(cat "$T/err")"
"$HOOKMAN_BIN" --store "$STORE" show rot >"$T/out"
expect_out "previous secret: whsec_****LaSw, accepted until "
jq '(.. | objects | select(has("secret_previous"))) |= del(.secret_previous_until)' "$T/export.json" >"$T/half.json"
new_store other2
"$HOOKMAN_BIN" --store "$STORE" import "$T/half.json" >"$T/out" 2>"$T/err"
[ $? = 1 ] && pass || fail "an import with secret_previous alone was accepted"
STORE=$main_store
expect_err '"secret_previous" and "secret_previous_until" (unix ms, a whole number) go together; give both or neither'
fire_one
[ "$(signatures "$req")" = 2 ] && pass || fail "expected two signatures: $(printf '%s\n' "$req" | jq -r '.headers["webhook-signature"]')"
verifies "$new" "$req" && pass || fail "the new secret does not verify during the grace"
verifies "$SECRET" "$req" && pass || fail "the old secret does not verify during the grace"
verifies "$OTHER" "$req" && fail "an unrelated secret verifies" || pass

test_case "after the grace only the new secret verifies"
# The grace ends: its end is put in the past, as time would.
db "UPDATE webhooks SET secret_previous_until = 1000 WHERE name = 'rot'"
hm show rot
expect_no_out "previous secret"
fire_one
[ "$(signatures "$req")" = 1 ] && pass || fail "expected one signature after the grace"
verifies "$new" "$req" && pass || fail "the new secret does not verify after the grace"
verifies "$SECRET" "$req" && fail "the old secret still verifies after the grace" || pass

test_case "a short grace ends by itself"
hm rotate-secret rot --grace 2s
expect_rc 0
newer=$(sed -n 's/^signing secret: //p' "$T/out")
shows_previous() { hm show rot; grep -qF "previous secret" "$T/out"; }
no_previous() { ! shows_previous; }
shows_previous && pass || fail "no previous secret right after the rotation"
poll "the previous secret is still listed after a 2s grace" no_previous
fire_one
verifies "$newer" "$req" && pass || fail "the newest secret does not verify"
verifies "$new" "$req" && fail "the secret of a grace that ended still verifies" || pass

test_case "rotating again during a grace drops the older secret"
hm rotate-secret rot --grace 1h
a=$(sed -n 's/^signing secret: //p' "$T/out")
hm rotate-secret rot --grace 1h
expect_out "the secret before it, still in its grace, no longer signs"
b=$(sed -n 's/^signing secret: //p' "$T/out")
fire_one
[ "$(signatures "$req")" = 2 ] && pass || fail "expected two signatures"
verifies "$b" "$req" && pass || fail "the new secret does not verify"
verifies "$a" "$req" && pass || fail "the previous secret does not verify"
verifies "$newer" "$req" && fail "the secret two rotations back still verifies" || pass

test_case "--grace 0 drops the old secret at once"
hm rotate-secret rot --grace 0s
expect_out "the old secret no longer signs (--grace 0)"
c=$(sed -n 's/^signing secret: //p' "$T/out")
fire_one
[ "$(signatures "$req")" = 1 ] && pass || fail "expected one signature with --grace 0"
verifies "$c" "$req" && pass || fail "the new secret does not verify"
verifies "$b" "$req" && fail "the old secret verifies after --grace 0" || pass

test_case "edit setting or removing the secret ends a grace: only what edit says signs"
# Reproduction: after a rotation, 'edit --secret X' kept the old secret
# signing until its grace ended, and 'edit --no-secret' left it listed.
hm rotate-secret rot --grace 2h
e=$(sed -n 's/^signing secret: //p' "$T/out")
hm edit rot --secret "$OTHER"
hm show rot
expect_no_out "previous secret"
fire_one
[ "$(signatures "$req")" = 1 ] && pass || fail "a previous secret still signs after edit --secret"
verifies "$OTHER" "$req" && pass || fail "the edited secret does not verify"
verifies "$e" "$req" && fail "the rotated-out secret still verifies after edit --secret" || pass
hm rotate-secret rot --grace 2h
hm edit rot --no-secret
hm show rot
expect_no_out "previous secret"
[ "$(db "SELECT count(*) FROM webhooks WHERE name = 'rot' AND secret IS NULL AND secret_previous IS NULL")" = 1 ] &&
	pass || fail "edit --no-secret left a secret in the store"
hm edit rot --secret "$OTHER"

test_case "a webhook without a secret gets one"
hm add --name bare --url "$BASE/rot" --events event.suspicious
hm rotate-secret bare
expect_rc 0
expect_out "\"bare\" had no secret: its requests are signed from now on"
d=$(sed -n 's/^signing secret: //p' "$T/out")
hm show bare
expect_no_out "previous secret"
n=$(count_requests /rot)
hm fire event.suspicious
wait_until "SELECT count(*) = 0 FROM deliveries WHERE state IN ('pending', 'inflight', 'failed')"
req=$(requests /rot | tail -n 1)
verifies "$d" "$req" && pass || fail "the given secret does not verify"
stop_daemon

test_case "errors change nothing"
snapshot
hm rotate-secret rot --grace 31d
expect_rc 2
expect_err "--grace 31d: the grace is longer than 30 days; the largest accepted is 30d"
hm rotate-secret rot --grace 5x
expect_rc 2
expect_err "--grace 5x: the grace has an unknown unit"
hm rotate-secret nope
expect_rc 1
expect_err "no webhook named \"nope\""
hm rotate-secret
expect_rc 2
expect_unchanged

summary
