#!/bin/sh
# plan and apply: a file of webhooks as the desired state, with URLs,
# secrets and header values taken from the environment and from files (a
# fake $CREDENTIALS_DIRECTORY), masked in every line plan prints, written
# all or nothing, never written back into an export; and a webhook applied
# that way delivering to the real receiver on 127.0.0.1, its signature
# checked with openssl (the Standard Webhooks way), not with hookman's code.
. "$(dirname "$0")/../sender/lib.sh"

CREDS="$T/creds"
mkdir -p "$CREDS" "$T/conf"
printf '%s\n' "$SECRET" >"$CREDS/ops-secret"
SIEM_SECRET=whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
printf '%s\n' "$SIEM_SECRET" >"$T/conf/siem.secret"
export CREDENTIALS_DIRECTORY="$CREDS"
export HM_OPS_URL="$BASE/hooks/ops-URLTOKEN"
export HM_TOKEN="Bearer tok-0123456789-CLEAR"
CONF="$T/conf/webhooks.json"
# conf [JQ FILTER]: the configuration, changed by the filter.
conf() {
	jq "${1:-.}" >"$CONF" <<EOF
{"hookman_export": 1, "webhooks": [
 {"name": "ops", "url": {"env": "HM_OPS_URL"}, "events": ["processing.finished"],
  "payload": "{\"title\": \"\$Title\", \"message\": \"\$Event\"}",
  "secret": {"file": "\$CREDENTIALS_DIRECTORY/ops-secret"},
  "headers": [{"name": "Authorization", "value": {"env": "HM_TOKEN"}}, "X-Env: prod"]},
 {"name": "siem", "url": "$BASE/siem", "events": ["alarm.high_severity"],
  "payload": "{\"t\": \"\$Title\", \"e\": \"\$Event\"}", "secret": {"file": "siem.secret"}},
 {"name": "jira", "url": "http://127.0.0.1:9/jira", "events": ["detection.created"],
  "payload": "{\"title\": \"\$Title\", \"message\": \"\$Event\"}"}
]}
EOF
}
# No line of what plan or apply printed holds a credential in the clear.
expect_masked() {
	for clear in URLTOKEN tok-0123456789 LaLaSw "${SECRET#whsec_}" "${SIEM_SECRET#whsec_}"; do
		grep -qF -- "$clear" "$T/out" "$T/err" && fail "printed in the clear: $clear" || pass
	done
}
versions() { db "SELECT name || ':' || version FROM webhooks ORDER BY name" | paste -sd' ' -; }

test_case "usage"
hm plan
expect_rc 2
expect_err "give the FILE to plan (an export; - for standard input)"
hm apply a b
expect_rc 2

test_case "plan on an empty store"
conf
hm plan "$CONF"
expect_rc 3
expect_out "+ jira"
expect_out "+ ops
    url: http://127.0.0.1:$PORT/hooks/op… (from env HM_OPS_URL)
    events: processing.finished"
expect_out "Plan: 3 to add, 0 to change, 0 to remove."
expect_masked
[ "$(db "SELECT count(*) FROM webhooks")" = 0 ] && pass || fail "plan wrote to the store"
[ "$(grep -n '^+' "$T/out" | cut -d' ' -f2 | tr '\n' ' ')" = "jira ops siem " ] && pass || fail "not sorted by name: $(cat "$T/out")"
hm --json plan "$CONF"
expect_rc 3
[ "$(jq -c '[.add, .change, .remove, .changed, .applied, [.webhooks[].name]]' "$T/out")" = '[3,0,0,true,false,["jira","ops","siem"]]' ] && pass || fail "plan --json: $(cat "$T/out")"
expect_masked

test_case "a file written by hand names events as --events does"
main_store=$STORE
new_store grouped
printf '%s\n' '{"format": 1, "webhooks": [{"name": "grouped", "url": "http://127.0.0.1:9/g", "payload": "{\"t\": \"$Title $Event\"}",' \
	'"events": ["detection", "admin.login", "detection.created"]}]}' >"$T/grouped.json"
hm plan "$T/grouped.json"
expect_rc 3
expect_out "    events: admin.login,detection.created,detection.updated"
printf '%s\n' '{"format": 1, "webhooks": [{"name": "grouped", "url": "http://127.0.0.1:9/g", "payload": "{\"t\": \"$Title $Event\"}",' \
	'"events": ["detections"]}]}' >"$T/grouped.json"
hm plan "$T/grouped.json"
expect_rc 1
expect_err 'entry 1 ("grouped"): events: unknown event "detections"'

test_case "a misspelt key, or a referenced header given twice, is refused"
printf '%s\n' '{"format": 1, "webhooks": [{"name": "typo", "url": "http://127.0.0.1:9/t", "payload": "{\"t\": \"$Title $Event\"}",' \
	'"events": ["admin.login"], "enabeld": false}]}' >"$T/typo.json"
new_store typo
hm plan "$T/typo.json"
expect_rc 1
expect_err 'entry 1: unknown key "enabeld"; an entry'"'"'s keys are name, url, events'
HM_TA=tok-aaaaaaaaaaaa1111 HM_TB=tok-bbbbbbbbbbbb2222
export HM_TA HM_TB
printf '%s\n' '{"format": 1, "webhooks": [{"name": "twice", "url": "http://127.0.0.1:9/t", "payload": "{\"t\": \"$Title $Event\"}",' \
	'"events": ["admin.login"], "headers": [{"name": "X-Token", "value": {"env": "HM_TA"}}, {"name": "x-token", "value": {"env": "HM_TB"}}]}]}' >"$T/twice.json"
new_store twice
hm apply "$T/twice.json"
expect_rc 1
expect_err 'header "X-Token" comes from a reference, and 2 headers have that name; give it once'
# The store may not have been made; if it was, it has no webhook.
[ "$(db "SELECT count(*) FROM webhooks" 2>/dev/null || echo 0)" = 0 ] && pass || fail "a refused apply wrote"
STORE=$main_store

test_case "apply, then nothing to change"
hm apply "$CONF"
expect_rc 0
expect_out "Applied: 3 added, 0 changed, 0 removed."
expect_masked
hm plan "$CONF"
expect_rc 0
expect_out_eq "No changes: the store matches $CONF."
v=$(versions)
hm apply "$CONF"
expect_rc 0
expect_out_eq "No changes: the store matches $CONF."
[ "$(versions)" = "$v" ] && pass || fail "an unchanged webhook was rewritten: $v, now $(versions)"

test_case "show says where a credential comes from"
hm show ops
expect_out "url:        http://127.0.0.1:$PORT/hooks/op… (from env HM_OPS_URL)"
expect_out "secret:     whsec_****LaSw (from file \$CREDENTIALS_DIRECTORY/ops-secret)"
expect_out "headers:    Authorization: ****LEAR (from env HM_TOKEN)
            X-Env: prod
verify TLS: yes"
hm show siem
expect_out "(from file $T/conf/siem.secret)"
hm show ops --reveal
expect_out "secret:     $SECRET (from file"

test_case "one field changed: plan shows only it, masked"
HM_TOKEN="Bearer tok-0123456789-OTHER" hm plan "$CONF"
expect_rc 3
expect_out_eq "~ ops
    headers: Authorization: ****LEAR (from env HM_TOKEN); X-Env: prod → Authorization: ****THER (from env HM_TOKEN); X-Env: prod
Plan: 0 to add, 1 to change, 0 to remove."
expect_masked
conf '.webhooks[2].timeout = 5 | .webhooks[1].url = "'"$BASE"'/siem2"'
hm plan "$CONF"
expect_rc 3
expect_out_eq "~ jira
    timeout: 10 s → 5 s
~ siem
    url: http://127.0.0.1:$PORT/si… → http://127.0.0.1:$PORT/si… (another value)
Plan: 0 to add, 2 to change, 0 to remove."
hm apply "$CONF"
expect_rc 0
expect_out "Applied: 0 added, 2 changed, 0 removed."
[ "$(db "SELECT timeout FROM webhooks WHERE name = 'jira'")" = 5 ] && pass || fail "the timeout was not applied"
conf
printf '%s\n' "$SIEM_SECRET" >"$CREDS/siem"
conf '.webhooks[1].secret = {"file": "$CREDENTIALS_DIRECTORY/siem"}'
hm plan "$CONF"
expect_out "    secret: whsec_****Hh8= (from file $T/conf/siem.secret) → whsec_****Hh8= (from file \$CREDENTIALS_DIRECTORY/siem)"
expect_out "    url: http://127.0.0.1:$PORT/si… → http://127.0.0.1:$PORT/si… (another value)"
expect_masked
hm apply "$CONF"
expect_rc 0
conf
hm apply "$CONF"
expect_rc 0

test_case "--prune"
hm add --name legacy --url "$BASE/legacy" --events processing.failed
hm fire processing.failed
hm plan "$CONF"
expect_rc 0
expect_out_eq "No changes: the store matches $CONF.
1 webhook in the store is not in $CONF; --prune removes it."
hm plan --prune "$CONF"
expect_rc 3
expect_out_eq "- legacy
    url: http://127.0.0.1:$PORT/le…
    1 waiting delivery would be cancelled
Plan: 0 to add, 0 to change, 1 to remove."
hm --json plan --prune "$CONF"
[ "$(jq -c '.webhooks[0] | [.name, .action, .cancels]' "$T/out")" = '["legacy","remove",1]' ] && pass || fail "plan --json --prune: $(cat "$T/out")"
hm apply "$CONF" --prune
expect_rc 0
expect_out "- legacy"
expect_out "    1 waiting delivery cancelled"
expect_out "Applied: 0 added, 0 changed, 1 removed."
hm list --names
expect_out_eq "jira
ops
siem"

test_case "all or nothing"
hm export --with-secrets
cp "$T/out" "$T/before.json"
snapshot
conf '.webhooks[0].timeout = 3 | .webhooks[2].url = {"env": "HM_UNSET"}'
hm apply "$CONF"
expect_rc 1
expect_err_eq "hookman: apply: entry 3 (\"jira\"): url: environment variable HM_UNSET is not set; set it to the value before running hookman
hookman: apply: $CONF: 1 problem with its entries; nothing was written"
expect_unchanged
hm export --with-secrets
cmp -s "$T/out" "$T/before.json" && pass || fail "export changed after a refused apply"
snapshot   # the export with secrets is in the audit record now
conf '.webhooks[0].timeout = 3'
(unset CREDENTIALS_DIRECTORY; "$HOOKMAN_BIN" --store "$STORE" apply "$CONF" >"$T/out" 2>"$T/err")
expect_err "entry 1 (\"ops\"): secret: \$CREDENTIALS_DIRECTORY/ops-secret names \$CREDENTIALS_DIRECTORY, which is not set"
expect_unchanged
conf '.webhooks[1].secret = {"file": "missing.secret"}'
hm plan "$CONF"
expect_rc 1
expect_err "entry 2 (\"siem\"): secret: cannot read $T/conf/missing.secret: No such file or directory; check the path"
# A name taken by the entry before it: refused when read, before any write.
conf '.webhooks += [{"name": "new", "url": "http://127.0.0.1:9/n", "events": ["audit.create"], "payload": "{\"t\": \"$Title $Event\"}"}, {"name": "NEW", "url": "http://127.0.0.1:9/n", "events": ["audit.create"], "payload": "{\"t\": \"$Title $Event\"}"}]'
hm apply "$CONF"
expect_rc 1
expect_err 'entry 5 ("NEW"): the same name as entry 4'
expect_unchanged

# A write that fails halfway (the store refuses the third row) takes the
# first two back with it.
conf
main_store=$STORE
new_store half
"$HOOKMAN_BIN" --store "$STORE" list >/dev/null
db_refuse refuse INSERT webhooks "NEW.name = 'siem'" 'refused by the test'
"$HOOKMAN_BIN" --store "$STORE" apply "$CONF" >"$T/out" 2>"$T/err"
[ $? = 1 ] && pass || fail "apply went on past a refused row"
expect_err "refused by the test"
expect_err "; nothing was written"
[ "$(db "SELECT count(*) FROM webhooks")" = 0 ] && pass || fail "a failed apply left webhooks behind"
[ -s "$T/out" ] && fail "a failed apply printed what it did: $(cat "$T/out")" || pass
STORE=$main_store

test_case "export writes the references, never their values"
conf
hm export --with-secrets
cp "$T/out" "$T/export.json"
for clear in URLTOKEN tok-0123456789 "${SECRET#whsec_}" "${SIEM_SECRET#whsec_}"; do
	grep -qF -- "$clear" "$T/export.json" && fail "the export holds $clear" || pass
done
[ "$(jq -c '.webhooks[] | select(.name == "ops") | [.url, .secret, .headers]' "$T/export.json")" = \
  '[{"env":"HM_OPS_URL"},{"file":"$CREDENTIALS_DIRECTORY/ops-secret"},[{"name":"Authorization","value":{"env":"HM_TOKEN"}},"X-Env: prod"]]' ] &&
	pass || fail "export: $(jq -c '.webhooks[] | select(.name == "ops")' "$T/export.json")"
hm export
grep -qF '"env": "HM_OPS_URL"' "$T/out" && pass || fail "the redacted export lacks the reference"
hm --json show ops
[ "$(jq -c .sources.url "$T/out")" = '{"env":"HM_OPS_URL"}' ] && pass || fail "show --json lacks the sources: $(cat "$T/out")"
hm plan "$T/export.json"
expect_rc 0
expect_out_eq "No changes: the store matches $T/export.json."
hm_in "$(cat "$T/export.json")" plan -
expect_rc 0
expect_out_eq "No changes: the store matches standard input."
main_store=$STORE
new_store other
"$HOOKMAN_BIN" --store "$STORE" import "$T/export.json" >"$T/out" 2>"$T/err"
[ $? = 0 ] && pass || fail "import of an export with references: $(cat "$T/err")"
"$HOOKMAN_BIN" --store "$STORE" show ops >"$T/out"
STORE=$main_store
expect_out "secret:     whsec_****LaSw (from file \$CREDENTIALS_DIRECTORY/ops-secret)"

test_case "a change of the field drops its reference"
hm edit ops --timeout 7
hm show ops
expect_out "(from env HM_OPS_URL)"
expect_out "(from env HM_TOKEN)"
hm edit ops --secret "$SIEM_SECRET"
hm show ops
expect_out "secret:     whsec_****Hh8="
expect_no_out "ops-secret"
hm export --with-secrets
[ "$(jq -r '.webhooks[] | select(.name == "ops") | .secret' "$T/out")" = "$SIEM_SECRET" ] && pass || fail "the edited secret is still exported as its reference"
hm plan "$CONF"
expect_out "    secret: whsec_****Hh8= → whsec_****LaSw (from file \$CREDENTIALS_DIRECTORY/ops-secret)"
hm rotate-secret siem --grace 0s
expect_rc 0
hm show siem
expect_no_out "(from file"
hm apply "$CONF"
expect_rc 0

test_case "applied from a file, signed with its secret at the receiver"
start_daemon --schedule 200ms --no-jitter
hm fire processing.finished --title 'Applied'
wait_until "SELECT count(*) = 0 FROM deliveries WHERE state IN ('pending', 'inflight', 'failed')"
req=$(requests /hooks/ops-URLTOKEN | tail -n 1)
[ -n "$req" ] && pass || fail "no request reached /hooks/ops-URLTOKEN: $(cat "$SINKLOG")"
[ "$(printf '%s\n' "$req" | jq -r .headers.authorization)" = "$HM_TOKEN" ] && pass || fail "Authorization was not the token from HM_TOKEN"
verifies "$(cat "$CREDS/ops-secret")" "$req" && pass || fail "the signature does not verify with the secret from the file"
stop_daemon

summary
