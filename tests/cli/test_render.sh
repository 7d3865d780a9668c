#!/bin/sh
# What the front ends render and test-send is what delivery would send:
# the template's own text, escaping chosen by the format, the Jira rule,
# and the presets (issue "Trust in the front ends", items 4, 6, 7 and 16).
for tool in jq sqlite3; do
	command -v $tool >/dev/null || { echo "SKIP: test_render.sh needs $tool (apt-get install $tool)"; exit 77; }
done
. "$(dirname "$0")/lib.sh"
# No daemon starts from these tests: 'test' starts hookmand whatever
# HOOKMAN_AUTOSTART says, so point it at nothing; a test that gets as far
# as the sender fails there, naming hookmand.
HOOKMAND="$T/no-hookmand"
export HOOKMAND

# body JQ: the value jq finds at that path in the rendered body on stdout.
body() { jq -r "$1" "$T/out"; }

test_case "render keeps the template's text"
# Reproduction (item 4): with --payload '{"v": 1.10, ...}' 'hookman render
# n' printed {"v":1.1000000000000001,...}: the template was parsed and
# serialized again, changing numbers and spacing.
hm add --name n --url http://127.0.0.1:9/ --events admin.login --format slack \
	--payload '{"v": 1.10, "w":0.1 ,  "t": "$Title", "m": "$Event", "u": "caf\u00e9"}'
expect_rc 0
hm render n
expect_rc 0
expect_out_eq '{"v": 1.10, "w":0.1 ,  "t": "ADMIN LOGIN", "m": "ADMIN LOGIN", "u": "caf\u00e9"}'

test_case "slack escapes both placeholders"
# Reproduction (item 6): 'hookman render s --title "Disk <!here> & <b>"'
# (before: 'hookman fire admin.login --title ...') put <!here>, a
# channel-wide mention, raw into $Title; only $Event was escaped.
hm add --name s --url http://127.0.0.1:9/ --events admin.login --preset slack
expect_rc 0
hm render s --event admin.login --title 'Disk <!here> & <b>'
expect_rc 0
expect_out_eq '{
  "text": "*Disk &lt;!here&gt; &amp; &lt;b&gt;*\nDetails: Disk &lt;!here&gt; &amp; &lt;b&gt;"
}'
expect_no_out '<!here>'
hm render s --title "$(printf 'bad\001')"
expect_rc 1
expect_err "control character"
hm add --name g --url http://127.0.0.1:9/ --events admin.login --preset generic
hm render g --title 'Disk <!here> & <b>'
expect_rc 0
[ "$(body .title)" = 'Disk <!here> & <b>' ] && pass || fail "default format changed the title"

test_case "jira escapes values for Jira wiki markup"
# Reproduction (item 6): a detection named "*x* [click|http://evil]" came
# out as "- **Name:** *x* [click|http://evil]": bold text and a link in Jira.
hm add --name jt --url http://127.0.0.1:9/ --events detection.created,detection_group.updated --preset jira --format jira
expect_rc 0
printf '{"name": "*x* [click|http://evil] {{mono}}", "host": "h-1"}' >"$T/det.json"
hm render jt --event detection.created --data "$T/det.json" --title 'Det *x*'
expect_rc 0
[ "$(body .title)" = 'Det \*x\*' ] && pass || fail "title not escaped for Jira"
body .message >"$T/msg"
grep -qxF '### Det \*x\*' "$T/msg" && pass || fail "heading: $(head -n 1 "$T/msg")"
grep -qxF -- '- **Name:** \*x\* \[click\|http://evil\] \{\{mono\}\}' "$T/msg" && pass || fail "name line: $(cat "$T/msg")"
# Between letters or digits a phrase mark is plain text in Jira: kept.
grep -qxF -- '- **Host:** h-1' "$T/msg" && pass || fail "host line: $(cat "$T/msg")"

test_case "test refuses what delivery would never send"
# Reproduction (item 7): 'hookman test jt --event alarm.high_severity' sent
# Jira markdown for an alarm, though jira formatting is only for Detection
# and Detection Group events and delivery would never send it. Now it is
# refused before the sender is asked (HOOKMAN_AUTOSTART=0: no daemon, so a
# send attempt would have failed with a different message) and nothing is
# recorded.
refused 'hookman: test: nothing sent: jira formatting is only for Detection and Detection Group events, and "alarm.high_severity" (High Severity Alarm) is not one' \
	test jt --event alarm.high_severity
expect_err "test it with --event detection.created, or change its formatting with 'hookman edit \"jt\" --format default'"
expect_no_err hookmand
[ "$(db "SELECT count(*) FROM deliveries")" = 0 ] && pass || fail "a delivery was recorded"
[ "$(db "SELECT count(*) FROM events WHERE type <> 'audit.create'")" = 0 ] && pass || fail "an event was recorded"
# An eligible event gets past the rule, as far as the sender (none here).
hm test jt --event detection_group.updated
expect_rc 1
expect_no_err "jira formatting is only"
expect_err hookmand

test_case "render previews it but says it would never be sent"
hm render jt --event alarm.high_severity
expect_rc 0
expect_out '### HIGH SEVERITY ALARM DETECTED'
expect_err 'hookman: render: warning: this body would never be sent: jira formatting is only for Detection and Detection Group events, and "alarm.high_severity" (High Severity Alarm) is not one'
hm render jt --event detection.created
expect_rc 0
expect_no_err "never be sent"

test_case "teams: the Workflows preset and the old connector"
# Item 16: Office 365 connectors, the only receivers of {"text": ...}, are
# retired; the teams preset is the Workflows Adaptive Card message.
hm add --name teams --url https://example.webhook.office.com/workflows/x --events admin.login --preset teams
expect_rc 0
hm render teams --title 'Disk "full" <b>'
expect_rc 0
[ "$(body .type)" = message ] && pass || fail "type"
[ "$(body '.attachments[0].contentType')" = application/vnd.microsoft.card.adaptive ] && pass || fail "contentType"
[ "$(body '.attachments[0].contentUrl')" = null ] && pass || fail "contentUrl"
[ "$(body '.attachments[0].content.type')" = AdaptiveCard ] && pass || fail "card type"
[ "$(body '.attachments[0].content.version')" = 1.4 ] && pass || fail "card version"
[ "$(body '.attachments[0].content.body[0].text')" = 'Disk "full" <b>' ] && pass || fail "title block"
[ "$(body '.attachments[0].content.body[1].text' | jq -r .title)" = 'Disk "full" <b>' ] && pass || fail "event block"
hm add --name oldteams --url https://example.webhook.office.com/webhookb2/x --events admin.login --preset teams-connector
expect_rc 0
hm render oldteams --title 'Disk full'
expect_rc 0
body .text | head -n 1 >"$T/first"
[ "$(cat "$T/first")" = '**Disk full** ' ] && pass || fail "connector text: $(body .text)"
[ "$(jq -r 'keys | join(",")' "$T/out")" = text ] && pass || fail "connector payload has other keys"


test_case "the Jira preset picks Jira formatting for detection events"
# The reproduction: --preset jira gave Generic's payload and default
# formatting, whatever the events.
hm add --name jd --url http://127.0.0.1:9/j --events detection,detection_group --preset jira
expect_rc 0
expect_no_err "keeps Default"
hm show jd
expect_out "format:     jira"
hm add --name ja --url http://127.0.0.1:9/j --events alarm.high_severity,detection.created --preset jira
expect_rc 0
expect_err 'hookman: add: note: the Jira preset keeps Default formatting: jira formatting is only for Detection and Detection Group events, and "alarm.high_severity"'
hm show ja
expect_out "format:     default"
hm add --name jf --url http://127.0.0.1:9/j --events alarm.high_severity --preset jira --format slack
expect_no_err "keeps Default"

summary
