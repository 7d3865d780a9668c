#!/bin/sh
# Destination-aware checks: payload check --for names what a service
# expects; add and edit warn but never refuse; only the real hosts are
# classified, so a receiver on 127.0.0.1 whose path mimics a service gets
# no warning, and a warning never keeps a delivery from the receiver.
. "$(dirname "$0")/lib.sh"

test_case "payload check --for slack: the missing key, as a warning, exit 0"
hm_in '{"title": "$Title", "m": "$Event"}' payload check --for slack -
expect_rc 0
expect_out_eq 'warning: Slack needs "text" or "blocks" at the top level; this body has neither'
hm_in '{"text": "$Title: $Event"}' payload check --for https://hooks.slack.com/services/T0/B0/x -
expect_rc 0
expect_out_eq ok

test_case "payload check --for each service"
hm_in '{"text": "$Title", "m": "$Event"}' payload check --for teams -
expect_out 'warning: Teams Workflows needs "attachments" with an Adaptive Card'
hm_in '{"my key": "$Title", "m": "$Event"}' payload check --for jira -
expect_out_eq 'warning: Jira Automation reads {{webhookData.KEY}} from top-level keys of letters, digits and _: "my key" cannot be read; rename it'
hm_in '{"title": "$Title", "m": "$Event"}' payload check --for servicenow -
expect_out 'warning: ServiceNow'"'"'s Table API needs "short_description"'
hm_in '{"short_description": "$Title", "m": "$Event"}' payload check --for servicenow -
expect_out_eq ok
hm_in '{"m": "$Title $Event"}' payload check --for teams-connector -
expect_out 'needs "text" or "sections"'
hm_in '{"title": "$Title", "m": "$Event"}' --json payload check --for slack -
[ "$(jq -c '[.ok, .for, (.warnings | length)]' "$T/out")" = '[true,"slack",1]' ] && pass || fail "json: $(cat "$T/out")"

test_case "payload check --for: an unknown service or a URL of none is a usage error"
hm_in '{"t": "$Title", "m": "$Event"}' payload check --for "$BASE/services/hooks.slack.com" -
expect_rc 2
expect_err 'is not slack, teams, teams-connector, jira, servicenow or the URL of one of them'
hm_in '{"t": "$Title", "m": }' payload check --for slack -
expect_rc 1
expect_err "a value expected after ':'"

test_case "add and edit warn when the URL names a service, and save anyway"
hm add --name slack --url https://hooks.slack.com/services/T0/B0/x --events admin.login --payload '{"t": "$Title", "m": "$Event"}'
expect_rc 0
expect_out 'added webhook "slack"'
expect_err_eq 'hookman: add: warning: Slack needs "text" or "blocks" at the top level; this body has neither'
hm edit slack --preset slack
expect_rc 0
expect_err_eq ''

test_case "a path that mimics a service on 127.0.0.1 is not classified, and delivers"
hm add --name mimic --url "$BASE/services/hooks.slack.com/automation/webhooks/api/now/table/x" --events admin.login --payload '{"t": "$Title", "m": "$Event"}'
expect_rc 0
expect_err_eq ''
hm payload check --for "$BASE/services/x" /dev/null
expect_rc 2
hm disable slack
start_daemon
hm fire admin.login --title "mimic-1"
poll "the delivery to the mimic did not arrive" sh -c "[ \$(jq -c 'select(.path | startswith(\"/services/\"))' '$SINKLOG' | wc -l) = 1 ]"
[ "$(requests "/services/hooks.slack.com/automation/webhooks/api/now/table/x" | jq -r '.body | fromjson | .t')" = mimic-1 ] && pass ||
	fail "the body: $(cat "$SINKLOG")"
stop_daemon

summary
