#!/bin/sh
# End-to-end tests of the hookman CLI: the built binary, a temp store,
# assertions on output, exit status and store contents.
for tool in sqlite3 jq; do
	command -v $tool >/dev/null || { echo "SKIP: test_cli.sh needs $tool (apt-get install $tool)"; exit 77; }
done
. "$(dirname "$0")/lib.sh"

SLACK_URL=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX

test_case "usage and catalog"
hm --help
expect_rc 0
expect_out "Usage: hookman"
hm frobnicate
expect_rc 2
expect_err 'hookman: unknown command "frobnicate"'
expect_no_err 'hookman: hookman:'
hm --bogus
expect_rc 2
expect_err_eq "hookman: unknown option --bogus
Try 'hookman --help' for the commands and their options."
hm list --bogus
expect_rc 2
expect_err "hookman: list: unknown option --bogus"
hm list --names=yes
expect_rc 2
expect_err "hookman: list: option --names takes no value"
hm add --name x --url
expect_rc 2
expect_err "hookman: add: option --url needs a value"
hm events
expect_rc 0
expect_out "Audit Events               audit.reboot             AUDIT EVENT: REBOOT"
expect_out "Detection Group            detection_group.created  DETECTION GROUP CREATED"
hm --json events
expect_rc 0
[ "$(grep -c '"id"' "$T/out")" = 18 ] && pass || fail "18 events in --json"

test_case "empty store"
hm list
expect_rc 0
expect_out "no webhooks yet; add one with: hookman add"
if sqlite_only "the store directory's and database file's modes"; then
	[ "$(stat -c %a "$STORE")" = 700 ] && pass || fail "store dir mode $(stat -c %a "$STORE")"
	[ "$(stat -c %a "$STORE/hookman.db")" = 600 ] && pass || fail "db mode"
fi

test_case "add with presets"
hm add --name "ops slack" --url "$SLACK_URL" --events alarm.high_severity,detection.created --preset slack --gen-secret
expect_rc 0
expect_out 'added webhook "ops slack"'
expect_out "signing secret: whsec_"
hm add --name "Détections 🚨" --url http://127.0.0.1:9/jira/hook --events detection.created,detection_group.updated --preset jira --format jira --header 'X-Env: prod' --timeout 5 --insecure
expect_rc 0
hm add --name generic --url http://user:pw@127.0.0.1:8080/in --events all --disabled
expect_rc 0
hm list
expect_rc 0
expect_out "ops slack      on     slack    High Sev +1       https://hooks.slack.com/services/T0…/****"
expect_out "Détections 🚨  on     jira     Detection 1/2 +1  http://127.0.0.1:9/jira/ho…  (TLS NOT VERIFIED)"
expect_no_out "/****  (TLS NOT VERIFIED)"
expect_out "generic        off    default  all (18)          http://****@127.0.0.1:8080/in"
expect_no_out "XXXXXXXX"
hm show "ops slack"
expect_rc 0
expect_out "url:        https://hooks.slack.com/services/T0…/****"
expect_out "secret:     whsec_****"
expect_out "format:     slack"
expect_out '"text": "*$Title*\nDetails: $Event"'
expect_no_out "XXXXXXXX"
hm show "ops slack" --reveal
expect_out "url:        $SLACK_URL"
hm show "DÉTECTIONS 🚨"
expect_rc 1
expect_err 'no webhook named "DÉTECTIONS 🚨"'
hm show "Détections 🚨"
expect_out "headers:    X-Env: prod"
expect_out "verify TLS: NO"
expect_out "timeout:    5 s"
hm --json show generic
expect_out '"enabled": false'
expect_out '"url": "http://****@127.0.0.1:8080/in"'

test_case "render"
hm render "ops slack"
expect_rc 0
expect_out_eq '{
  "text": "*HIGH SEVERITY ALARM DETECTED*\nDetails: HIGH SEVERITY ALARM DETECTED"
}'
hm render "Détections 🚨" --event detection_group.updated
expect_out '"title": "DETECTION GROUP UPDATED"'
expect_out '- **ID:** DGR-2291'
printf '{"name": "Quote \\" <b>", "host": "h1"}' >"$T/data.json"
hm render generic --event admin.login --data "$T/data.json"
expect_rc 0
expect_out '\"name\":\"Quote \\\" <b>\"'
hm render generic --event nope
expect_rc 1
expect_err 'unknown event type "nope"'
printf '[1]' >"$T/arr.json"
hm render generic --data "$T/arr.json"
expect_rc 1
expect_err "event data must be a JSON object"

test_case "bad input is refused and changes nothing"
refused "a value expected after ':' on line 1, column 22" add --name p1 --url http://127.0.0.1:9/ --events admin.login --payload '{"t": "$Title", "m": }'
refused 'payload must be a JSON object, not an array' add --name p2 --url http://127.0.0.1:9/ --events admin.login --payload '["$Title", "$Event"]'
refused 'payload must be a JSON object, not a string' add --name p3 --url http://127.0.0.1:9/ --events admin.login --payload '"$Title $Event"'
refused 'payload must be a JSON object, not a number' add --name p4 --url http://127.0.0.1:9/ --events admin.login --payload '42'
refused 'payload has no $Event placeholder' add --name p5 --url http://127.0.0.1:9/ --events admin.login --payload '{"title": "$Title"}'
refused 'payload has no $Title placeholder' add --name p6 --url http://127.0.0.1:9/ --events admin.login --payload '{"m": "$Event"}'
head -c 1048576 /dev/zero | tr '\0' ' ' >"$T/big.json"
printf '{"t": "$Title $Event"}' >>"$T/big.json"
refused 'payload is 1048598 bytes; the limit is 262144 (256 KiB)' add --name p7 --url http://127.0.0.1:9/ --events admin.login --payload "@$T/big.json"
refused '--payload: cannot read /nonexistent.json: No such file or directory' add --name p8 --url http://127.0.0.1:9/ --events admin.login --payload @/nonexistent.json
refused 'URL scheme "ftp" is not allowed; only http:// and https://' add --name u1 --url ftp://example.com/x --events admin.login
refused 'URL scheme "file" is not allowed' add --name u2 --url file:///etc/passwd --events admin.login
refused 'URL "example.com…" has no scheme' add --name u3 --url example.com/hook --events admin.login
refused 'URL has no host' add --name u4 --url https:///x --events admin.login
refused 'URL has a space at position 12; encode it as %20' add --name u5 --url 'https://exa mple.com/' --events admin.login
refused 'name is empty' add --name '' --url http://127.0.0.1:9/ --events admin.login
refused 'name is 101 characters; the limit is 100' add --name "$(printf '%0101d' 0)" --url http://127.0.0.1:9/ --events admin.login
refused 'a webhook named "OPS SLACK" already exists' add --name 'OPS SLACK' --url http://127.0.0.1:9/ --events admin.login
refused 'name has a control character (U+0007)' add --name "$(printf 'bell\007')" --url http://127.0.0.1:9/ --events admin.login
refused 'name is not valid UTF-8' add --name "$(printf 'bad\377')" --url http://127.0.0.1:9/ --events admin.login
refused 'unknown event "admin.logon"' add --name e1 --url http://127.0.0.1:9/ --events admin.login,admin.logon
refused 'jira formatting is only for Detection and Detection Group events, but "admin.login" (Admin Login) is chosen' add --name j1 --url http://127.0.0.1:9/ --events detection.created,admin.login --format jira
refused 'contains a line break (CR or LF)' add --name h1 --url http://127.0.0.1:9/ --events admin.login --header "$(printf 'X-A: 1\r\nX-Injected: 2')"
refused 'header Content-Type is set by hookman itself' add --name h2 --url http://127.0.0.1:9/ --events admin.login --header 'content-type: text/plain'
refused 'header X-A: value is not valid UTF-8' add --name h3 --url http://127.0.0.1:9/ --events admin.login --header "$(printf 'X-A: \377')"
refused 'timeout 61 s is out of range; choose 1 to 60 seconds' add --name t1 --url http://127.0.0.1:9/ --events admin.login --timeout 61
refused 'timeout "ten" is not a whole number of seconds' add --name t2 --url http://127.0.0.1:9/ --events admin.login --timeout ten
refused 'secret must start with "whsec_"' add --name s1 --url http://127.0.0.1:9/ --events admin.login --secret hunter2
refused 'unknown preset "pagerduty"' add --name s2 --url http://127.0.0.1:9/ --events admin.login --preset pagerduty
refused 'unknown event formatting "html"' add --name s3 --url http://127.0.0.1:9/ --events admin.login --format html
snapshot
hm add --name both --url http://127.0.0.1:9/ --events admin.login --preset slack --payload '{}'
expect_rc 2
expect_err "--payload and --preset both give the payload; choose one"
expect_unchanged
hm add --url http://127.0.0.1:9/ --events admin.login
expect_rc 2
expect_err "missing --name"
# Several bad fields: each is reported.
snapshot
hm add --name '' --url ftp://x --events admin.login --payload '[]'
expect_rc 1
expect_err "name is empty"
expect_err 'URL scheme "ftp" is not allowed'
expect_err "payload must be a JSON object, not an array"
expect_unchanged

test_case "edit, rename, enable, disable"
hm edit generic --rename "Generic ☂" --timeout 30 --header 'X-Team: soc'
expect_rc 0
expect_out 'saved webhook "Generic ☂" (version 2)'
hm show "Generic ☂"
expect_out "timeout:    30 s"
expect_out "headers:    X-Team: soc"
expect_out "version:    2"
hm show generic
expect_rc 1
refused 'a webhook named "ops slack" already exists' edit "Generic ☂" --rename "ops slack"
refused 'URL scheme "ftp" is not allowed' edit "Generic ☂" --url ftp://x
refused 'jira formatting is only for Detection' edit "Generic ☂" --format jira
refused 'no webhook named "ghost"' edit ghost --timeout 3
hm edit "Generic ☂" --name x
expect_rc 2
expect_err "use --rename NEW"
hm enable "Generic ☂"
expect_rc 0
expect_out 'webhook "Generic ☂" enabled'
hm enable "Generic ☂"
expect_out "already enabled"
hm disable "ops slack"
expect_out 'webhook "ops slack" disabled'
hm list
expect_out "ops slack      off"
hm enable "ops slack"
hm edit "ops slack" --no-secret --clear-headers
expect_rc 0
hm show "ops slack"
expect_out "secret:     none"

test_case "payload check"
printf '{\n  "title": "$Title",\n  "message": }\n' >"$T/bad.json"
hm payload check "$T/bad.json"
expect_rc 1
expect_err "hookman: payload check: a value expected after ':' on line 3, column 14"
expect_err '    3 |   "message": }'
expect_err '      |              ^'
hm_in '{"title": "$Title", "message": "$Event"}' payload check -
expect_rc 0
expect_out_eq "ok"
hm_in '{"title": "$Title"}' payload check
expect_rc 1
expect_err "payload has no \$Event placeholder"
hm payload lint
expect_rc 2

test_case "fire"
hm fire alarm.high_severity
expect_rc 0
expect_out "(alarm.high_severity): 2 deliveries queued"
hm fire detection.created --title 'Custom "title"'
expect_out "(detection.created): 3 deliveries queued"
hm --json fire audit.reboot
expect_out '"deliveries": 1'
hm fire nope.event
expect_rc 1
expect_err 'unknown event type "nope.event"'
hm_in '{"host": "x"' fire admin.login --data -
expect_rc 1
expect_err "--data -: line 1"
hm fire admin.login --title "$(printf 'a\001b')"
expect_rc 1
expect_err "title has a control character"
n=$(db "SELECT count(*) FROM deliveries d JOIN events e ON e.id = d.event_id WHERE e.type <> 'audit.update'")
[ "$n" = 6 ] && pass || fail "6 deliveries queued, found $n"
# "Generic ☂" takes every event: it was told of each change made once it
# was enabled, its own enabling first.
titles=$(db "SELECT e.title FROM deliveries d JOIN events e ON e.id = d.event_id WHERE e.type = 'audit.update' ORDER BY d.id")
[ "$titles" = "$(printf '%s\n' 'AUDIT EVENT: UPDATE: enabled webhook "Generic ☂" (root via cli)' 'AUDIT EVENT: UPDATE: disabled webhook "ops slack" (root via cli)' 'AUDIT EVENT: UPDATE: enabled webhook "ops slack" (root via cli)' 'AUDIT EVENT: UPDATE: updated webhook "ops slack": secret (root via cli)' | sed "s/root via/$(id -un) via/")" ] &&
	pass || fail "the audit events are not the changes made: $titles"
body=$(db "SELECT b.body FROM deliveries d JOIN bodies b ON b.delivery_id = d.id JOIN webhooks w ON w.id=d.webhook_id JOIN events e ON e.id=d.event_id WHERE w.name='Détections 🚨'")
case "$body" in *'"title": "Custom \"title\""'*) pass ;; *) fail "rendered title in $body" ;; esac

test_case "fire --stdin commits what came before waiting for more"
mkfifo "$T/fifo"
"$HOOKMAN_BIN" --store "$STORE" fire --stdin <"$T/fifo" >"$T/out" 2>"$T/err" &
fire_pid=$!
exec 3>"$T/fifo"
before_stream=$(db "SELECT count(*) FROM events")
echo '{"type": "admin.login", "title": "streamed"}' >&3
i=0
while [ "$(db "SELECT count(*) FROM events WHERE title = 'streamed'")" != 1 ] && [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
[ $i -lt 200 ] && pass || fail "a streamed event was not committed while the input stayed open"
exec 3>&-
wait $fire_pid
rc=$?
expect_rc 0
expect_out "fired 1 event: "
[ "$(db "SELECT count(*) FROM events")" = $((before_stream + 1)) ] && pass || fail "event count"

test_case "fire --stdin: a line over 1 MiB stops the input, the lines before it stay"
main_store=$STORE
new_store long-store
hm events >/dev/null
before_long=0
{
	echo '{"type": "admin.login", "title": "before the long line"}'
	head -c 1048577 /dev/zero | tr '\0' x
	echo
	echo '{"type": "admin.login", "title": "after the long line"}'
} >"$T/long"
"$HOOKMAN_BIN" --store "$STORE" fire --stdin --strict <"$T/long" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 1
expect_err "line 2 is longer than 1048576 bytes; stopped there, nothing was fired"
[ "$(db "SELECT count(*) FROM events")" = "$before_long" ] && pass || fail "--strict fired something"
"$HOOKMAN_BIN" --store "$STORE" fire --stdin <"$T/long" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 1
expect_err "line 2 is longer than 1048576 bytes; stopped there, the lines before it are queued"
[ "$(db "SELECT count(*) FROM events WHERE title = 'before the long line'")" = 1 ] && pass || fail "the line before was lost"
[ "$(db "SELECT count(*) FROM events WHERE title = 'after the long line'")" = 0 ] && pass || fail "a line after was read"
{ head -c 1048576 /dev/zero | tr '\0' ' '; echo; echo '{"type": "admin.login", "title": "after 1 MiB of blanks"}'; } >"$T/long"
"$HOOKMAN_BIN" --store "$STORE" fire --stdin <"$T/long" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 1
expect_err "line 1: "
[ "$(db "SELECT count(*) FROM events WHERE title = 'after 1 MiB of blanks'")" = 1 ] && pass || fail "a line of exactly 1 MiB stopped the input"
STORE=$main_store

test_case "fire --stdin: a batch the store refuses is named by its line; the batches before it stay"
main_store=$STORE
new_store batch-store
hm add --name good --url http://127.0.0.1:9/ --events admin.login >/dev/null
hm add --name broken --url http://127.0.0.1:9/ --events audit.reboot >/dev/null
# A payload no save would accept, as a hand-edited or damaged store has.
db "UPDATE webhooks SET payload = '{\"t\": ' WHERE name = 'broken'"
{
	for i in $(seq 300); do echo '{"type": "admin.login", "title": "batch line '"$i"'"}'; done
	echo '{"type": "audit.reboot"}'
	for i in $(seq 302 400); do echo '{"type": "admin.login", "title": "batch line '"$i"'"}'; done
} >"$T/batches"
HOOKMAN_AUTOSTART=0 "$HOOKMAN_BIN" --store "$STORE" fire --stdin <"$T/batches" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 1
expect_err "line 301: webhook"
expect_err "has a bad payload"
expect_err "stopped, the lines before the batch it was in are queued"
[ "$(db "SELECT count(*) FROM events WHERE type <> 'audit.create'")" = 250 ] && pass || fail "not exactly the first batch (250 lines) was kept"
[ "$(db "SELECT count(*) FROM events WHERE title IN ('batch line 1', 'batch line 250')")" = 2 ] && pass || fail "lines 1 and 250 were not kept"
[ "$(db "SELECT count(*) FROM events WHERE title = 'batch line 251'")" = 0 ] && pass || fail "a line of the refused batch was kept"
printf '%s\n' '{"type": "audit.reboot"}' | HOOKMAN_AUTOSTART=0 "$HOOKMAN_BIN" --store "$STORE" fire --stdin >"$T/out" 2>"$T/err"
rc=$?
expect_rc 1
expect_err "stopped, nothing was queued"
printf '%s\n' '{"type": "admin.login"}' '{"type": "audit.reboot"}' | HOOKMAN_AUTOSTART=0 "$HOOKMAN_BIN" --store "$STORE" fire --stdin --strict >"$T/out" 2>"$T/err"
rc=$?
expect_rc 1
expect_err "has a bad payload"
expect_err "; nothing was fired"
[ "$(db "SELECT count(*) FROM events WHERE type <> 'audit.create'")" = 250 ] && pass || fail "--strict kept a line of a refused input"
STORE=$main_store

test_case "export and import"
hm export
expect_rc 0
expect_out '"redacted": true'
expect_no_out "XXXXXXXX"
hm export "$T/masked.json"
expect_rc 0
expect_err "exported 3 webhooks to $T/masked.json (URLs and secrets masked)"
[ "$(stat -c %a "$T/masked.json")" = 600 ] && pass || fail "export file mode"
hm export --with-secrets "$T/full.json"
expect_rc 0
grep -qF "$SLACK_URL" "$T/full.json" && pass || fail "full export has the URL"
STORE_A=$STORE
new_store store2
hm import "$T/masked.json"
expect_rc 1
expect_err "was exported without --with-secrets"
hm import "$T/full.json"
expect_rc 0
expect_out "imported 3 webhooks (3 added, 0 replaced)"
hm show "ops slack" --reveal
expect_out "url:        $SLACK_URL"
refused 'entry 1 ("Détections 🚨"): a webhook with this name exists (use --replace to overwrite it)' import "$T/full.json"
hm import --replace "$T/full.json"
expect_rc 0
expect_out "(0 added, 3 replaced)"
cat >"$T/bad-import.json" <<'JSON'
{"hookman_export": 1, "webhooks": [
 {"name": "fine", "url": "http://127.0.0.1:9/", "events": ["admin.login"], "payload": {"t": "$Title", "m": "$Event"}},
 {"name": "bad url", "url": "ftp://x", "events": ["admin.login"], "payload": "{\"t\": \"$Title $Event\"}"},
 {"name": "bad events", "url": "http://127.0.0.1:9/", "events": ["nope"], "payload": "{\"t\": \"$Title $Event\"}"},
 {"name": "FINE", "url": "http://127.0.0.1:9/", "events": ["admin.login"], "payload": "{\"t\": \"$Title $Event\"}"},
 {"url": "http://127.0.0.1:9/"}
]}
JSON
refused 'entry 2 ("bad url"): URL scheme "ftp" is not allowed' import "$T/bad-import.json"
expect_err 'entry 3 ("bad events"): events: unknown event "nope"'
expect_err 'entry 4 ("FINE"): the same name as entry 1'
expect_err 'entry 5: "name" is missing'
expect_err "bad-import.json: 4 problems with its entries; nothing was imported"
[ "$(grep -c 'entry [0-9]' "$T/err")" = 4 ] && pass || fail "as many lines as problems: $(cat "$T/err")"
printf 'not json' >"$T/garbage.json"
refused "garbage.json: line 1, column 3: '[' or '{' expected near 'not'" import "$T/garbage.json"
STORE=$STORE_A

test_case "rm"
hm rm "Détections 🚨"
expect_rc 0
expect_out 'deleted webhook "Détections 🚨"; 1 waiting delivery cancelled'
n=$(db "SELECT count(*) FROM deliveries d JOIN events e ON e.id = d.event_id WHERE e.type NOT IN ('audit.create', 'audit.update', 'audit.delete', 'audit.download')")
[ "$n" = 6 ] && pass || fail "6 deliveries left, found $n"
[ "$(db "SELECT count(*) FROM events WHERE type = 'audit.delete' AND title LIKE '%deleted webhook \"Détections 🚨\"%'")" = 1 ] &&
	pass || fail "the delete fired no audit.delete"
refused 'no webhook named "Détections 🚨"' rm "Détections 🚨"
hm rm
expect_rc 2

test_case "stores that must not be touched"
if sqlite_only "a damaged or newer database file, the store directory's mode, links and owner, the XDG default"; then
	BAD="$T/corrupt"
	mkdir -m 700 "$BAD"
	head -c 8192 /dev/urandom >"$BAD/hookman.db"
	sum=$(sha256sum <"$BAD/hookman.db")
	"$HOOKMAN_BIN" --store "$BAD" list >"$T/out" 2>"$T/err"
	rc=$?
	expect_rc 1
	expect_err "is not a hookman store"
	[ "$(sha256sum <"$BAD/hookman.db")" = "$sum" ] && pass || fail "corrupt store was modified"
	mkdir -p -m 700 "$T/dirdb/hookman.db"
	"$HOOKMAN_BIN" --store "$T/dirdb" list >"$T/out" 2>"$T/err"
	rc=$?
	expect_rc 1
	expect_err "dirdb/hookman.db: Is a directory"
	NEW="$T/newer"
	"$HOOKMAN_BIN" --store "$NEW" list >/dev/null 2>&1
	sqlite3 "$NEW/hookman.db" "PRAGMA user_version=99"
	sum=$(sha256sum <"$NEW/hookman.db")
	"$HOOKMAN_BIN" --store "$NEW" add --name x --url http://127.0.0.1:9/ --events all >"$T/out" 2>"$T/err"
	rc=$?
	expect_rc 1
	expect_err "schema version 99, newer than this hookman understands"
	[ "$(sha256sum <"$NEW/hookman.db")" = "$sum" ] && pass || fail "newer store was modified"
	mkdir -m 755 "$T/loose"
	"$HOOKMAN_BIN" --store "$T/loose" list >/dev/null 2>&1
	[ "$(stat -c %a "$T/loose")" = 700 ] && pass || fail "loose store dir not tightened"
	ln -s "$STORE" "$T/link"
	"$HOOKMAN_BIN" --store "$T/link" list >"$T/out" 2>"$T/err"
	rc=$?
	expect_rc 1
	expect_err "is a symbolic link; refusing it"
	if [ "$(id -u)" = 0 ]; then
		mkdir -m 700 "$T/theirs"
		chown 4321:4321 "$T/theirs"
		"$HOOKMAN_BIN" --store "$T/theirs" list >"$T/out" 2>"$T/err"
		rc=$?
		expect_rc 1
		expect_err "is owned by uid 4321, not by you"
	fi
	XDG_DATA_HOME="$T/xdg" "$HOOKMAN_BIN" list >/dev/null 2>&1
	[ -f "$T/xdg/hookman/hookman.db" ] && pass || fail "XDG_DATA_HOME/hookman not used"
fi
main_store=$STORE
new_store from-env
HOOKMAN_STORE="$STORE" "$HOOKMAN_BIN" add --name env --url http://127.0.0.1:9/ --events all >/dev/null 2>&1
[ "$(db "SELECT count(*) FROM webhooks WHERE name = 'env'")" = 1 ] && pass || fail "HOOKMAN_STORE not used"
STORE=$main_store

test_case "concurrent writers"
new_store busy
# Under valgrind each process is some fifty times slower: fewer writers
# keep the wait for the lock inside the store's 10 s, as in real use.
writers=16 fires=8
[ -n "${HOOKMAN_REAL:-}" ] && writers=6 fires=4
i=0
while [ $i -lt $writers ]; do
	"$HOOKMAN_BIN" --store "$STORE" add --name "w$i" --url http://127.0.0.1:9/ --events all >"$T/add$i" 2>&1 &
	i=$((i + 1))
done
wait
n=$(db "SELECT count(*) FROM webhooks")
[ "$n" = $writers ] && pass || fail "$writers concurrent adds stored $n: $(cat "$T"/add*)"
i=0
while [ $i -lt $fires ]; do
	"$HOOKMAN_BIN" --store "$STORE" fire admin.login >/dev/null 2>&1 &
	i=$((i + 1))
done
wait
n=$(db "SELECT count(*) FROM deliveries d JOIN events e ON e.id = d.event_id WHERE e.type = 'admin.login'")
[ "$n" = $((fires * writers)) ] && pass || fail "$fires concurrent fires to $writers webhooks queued $n"
# Each add told the webhooks already there and itself, once: the k-th
# committed reached k of them, whatever the order.
n=$(db "SELECT count(*) FROM deliveries d JOIN events e ON e.id = d.event_id WHERE e.type = 'audit.create'")
[ "$n" = $((writers * (writers + 1) / 2)) ] && pass || fail "$writers concurrent adds fired $n audit deliveries"
[ "$(db "SELECT count(*) FROM audit WHERE action <> 'create'")" = 0 ] && pass ||
	fail "concurrent opens of a new store recorded more than the adds"


test_case "credential headers are masked wherever a secret is"
# The reproduction: add --header 'Authorization: Bearer …' showed the value
# in show, --json show, export without --with-secrets (which claims
# "redacted": true) and the form.
new_store creds
hm add --name creds --url http://127.0.0.1:9/x --events admin.login --header 'Authorization: Bearer abcdefghijklmnop' \
	--header 'X-Hub-Signature: sha256=0123456789abcdef' --header 'X-Team: soc'
hm show creds
expect_out "Authorization: ****mnop"
expect_out "X-Hub-Signature: ****cdef"
expect_out "X-Team: soc"
expect_no_out abcdefghijklmnop
hm --json show creds
expect_no_out abcdefghijklmnop
[ "$(jq -r '.headers[0]' "$T/out")" = "Authorization: ****mnop" ] && pass || fail "--json show headers"
hm export "$T/redacted.json"
grep -q abcdefghijklmnop "$T/redacted.json" && fail "a redacted export holds the token" || pass
[ "$(jq -r '.webhooks[0].headers[0]' "$T/redacted.json")" = "Authorization: ****mnop" ] && pass || fail "export headers"
hm show creds --reveal
expect_out "Authorization: Bearer abcdefghijklmnop"
hm export --with-secrets "$T/full.json"
[ "$(jq -r '.webhooks[0].headers[0]' "$T/full.json")" = "Authorization: Bearer abcdefghijklmnop" ] && pass || fail "--with-secrets headers"

test_case "a webhook's rate and retry schedule"
new_store pace
hm add --name paced --url http://127.0.0.1:9/p --events admin.login --rate 5/10s --retry-schedule 10s,1m,10m
expect_rc 0
hm show paced
expect_out "rate:       5/10s"
expect_out "retries:    10s,1m,10m (then dead after 4 attempts)"
hm --json show paced
[ "$(jq -r '.rate + " " + .retry_schedule' "$T/out")" = "5/10s 10s,1m,10m" ] && pass || fail "--json show: rate and retry_schedule"
refused 'hookman: edit: --rate: rate "5/500ms": the period has an unknown unit; use s, m or h; e.g. 10/s, 100/m, 5/10s or none' edit paced --rate 5/500ms
refused 'hookman: edit: --rate: rate "0/s": the number of requests must be 1 to 10000' edit paced --rate 0/s
refused 'hookman: edit: --rate: rate "10" has no '"'/'"'; write requests per period' edit paced --rate 10
refused 'hookman: edit: --retry-schedule: retry schedule "10s,500ms": step 2 has an unknown unit' edit paced --retry-schedule 10s,500ms
refused 'hookman: add: --retry-schedule: retry schedule "25h": step 1 is longer than 1 day; the largest accepted is 24h' add --name p2 --url http://127.0.0.1:9/ --events admin.login --retry-schedule 25h
refused 'retry schedule "1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s" has more than 20 steps' edit paced --retry-schedule 1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s
hm export --with-secrets "$T/pace.json"
[ "$(jq -r '.webhooks[0].rate + " " + .webhooks[0].retry_schedule' "$T/pace.json")" = "5/10s 10s,1m,10m" ] && pass || fail "export carries rate and retry_schedule"
hm edit paced --rate 100/m --retry-schedule default
expect_rc 0
hm show paced
expect_out "rate:       100/m"
expect_out "retries:    default (5s,5m,30m,2h,5h,10h,10h"
hm edit paced --rate none
hm show paced
expect_out "rate:       none (no limit)"
db_true "SELECT rate_n IS NULL AND rate_ms IS NULL AND retry_schedule IS NULL FROM webhooks" && pass || fail "none and default store NULL"
hm import --replace "$T/pace.json"
expect_rc 0
hm show paced
expect_out "rate:       5/10s"
expect_out "retries:    10s,1m,10m"
jq '.webhooks[0].rate = "fast" | .webhooks[0].retry_schedule = "1s,x"' "$T/pace.json" >"$T/bad.json"
refused 'entry 1: rate "fast" has no '"'/'"'' import --replace "$T/bad.json"
jq 'del(.webhooks[0].rate, .webhooks[0].retry_schedule) | .webhooks[0].name = "older"' "$T/pace.json" >"$T/old.json"
hm import "$T/old.json"
expect_rc 0
hm show older
expect_out "rate:       none (no limit)"
expect_out "retries:    default"

summary
