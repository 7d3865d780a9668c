#!/bin/sh
# What the front ends take in: durations and timeouts that must not
# overflow, secrets and credentials kept off the command line (where every
# local user sees them in ps), control characters in quoted input, a file
# size limit, and the shell tests' own tool checks.
command -v sqlite3 >/dev/null || { echo "SKIP: test_inputs.sh needs sqlite3 (apt-get install sqlite3)"; exit 77; }
. "$(dirname "$0")/lib.sh"
: "${HOOKMAND:?set HOOKMAND to the built hookmand}"

SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
SECRET2=whsec_plJ3nmyCDGBKInavdOK15jsl5A5XZ+1M
ESC=$(printf '\033')
BEL=$(printf '\007')
CSI=$(printf '\302\233')   # U+009B, the C1 control sequence introducer
# hmd ARGS...: run hookmand; output in $T/out, $T/err, status in $rc.
hmd() {
	"$HOOKMAND" "$@" >"$T/out" 2>"$T/err"
	rc=$?
}
# no_raw_controls: stderr holds no ESC, BEL or C1 CSI byte sequence.
no_raw_controls() {
	for byte in "$ESC" "$BEL" "$CSI"; do
		LC_ALL=C grep -q "$byte" "$T/err" && fail "stderr holds a raw control character" || pass
	done
}

hm add --name base --url http://127.0.0.1:9/ --events all
expect_rc 0

test_case "durations that would overflow are refused, naming the largest accepted"
# Reproduction: 'hookmand --disable-after 999999999999d' multiplied the
# count by a day in ms, a signed overflow (UBSan: "signed integer overflow"
# in parse_duration), and hookmand went on with a wrapped value. --help
# after it shows whether the value was refused before anything started.
hmd --disable-after 999999999999d --help
expect_rc 2
expect_err 'hookmand: --disable-after: "999999999999d" is longer than 3650 days; the largest accepted is 3650d'
expect_no_out "Usage"
hmd --disable-after 99999999999999999999999 --help
expect_rc 2
expect_err "the largest accepted is 3650d"
hmd --disable-after 3651d --help
expect_rc 2
for ok in 3650d 5d 12h 30m 90s 90 0; do
	hmd --disable-after $ok --help
	[ "$rc" = 0 ] && pass || fail "--disable-after $ok refused: $(cat "$T/err")"
done
for bad in 5x -5d 5dd d "" 5ms; do
	hmd --disable-after "$bad" --help
	[ "$rc" = 2 ] && grep -q -- '--disable-after: ' "$T/err" && pass || fail "--disable-after '$bad' accepted"
done
hmd --schedule 1s,9223372036854775807h --help
expect_rc 2
expect_err 'item 2 is longer than 7 days; the largest accepted is 168h'
hmd --schedule 100ms,5s,5m,2h,7 --help
expect_rc 0
# Reproduction: 'hookman redeliver --since 999999999999999d' overflowed the
# same way in cmd_deliveries.c's parse_since.
hm redeliver --webhook base --state dead --since 999999999999999d
expect_rc 2
expect_err 'hookman: redeliver: --since "999999999999999d": the age is longer than 36500 days; the largest accepted is 36500d'
hm redeliver --webhook base --state dead --since 36501d
expect_rc 2
hm redeliver --webhook base --state dead --since 5x
expect_rc 2
expect_err 'the age has an unknown unit; use s, m, h or d'
hm redeliver --webhook base --state dead --since yesterday
expect_rc 2
expect_err '--since "yesterday": give a date (2026-11-28, 2026-11-28T10:00:00Z) or an age (30m, 2h, 1d)'
for ok in 36500d 2h 30m 90s 1d 2026-11-28 2026-11-28T10:00:00Z; do
	hm redeliver --webhook base --state dead --since $ok
	[ "$rc" = 0 ] && grep -q "0 deliveries queued again" "$T/out" && pass || fail "--since $ok refused: $(cat "$T/err")"
done
# The timeout: one parser; a number too big for any integer type is out of
# range, not "not a number" or a wrapped value.
refused 'hookman: edit: timeout "99999999999999999999" is out of range; choose 1 to 60 seconds' \
	edit base --timeout 99999999999999999999
refused 'hookman: edit: timeout 61 s is out of range; choose 1 to 60 seconds' edit base --timeout 61
refused 'hookman: edit: timeout "5x" is not a whole number of seconds' edit base --timeout 5x
refused 'hookman: edit: timeout "-5" is not a whole number of seconds' edit base --timeout -5
hm edit base --timeout 60
expect_rc 0
[ "$(db "SELECT timeout FROM webhooks WHERE name = 'base'")" = 60 ] && pass || fail "timeout 60 not stored"

test_case "secrets, headers and URLs read from files or standard input"
# Reproduction: 'hookman add ... --secret whsec_... --header "Authorization:
# Bearer ..."' put both in argv, which 'ps -ef' shows every local user.
printf '%s\n' "$SECRET" >"$T/secret"
printf 'https://hooks.example.com/services/T0/B0/url-token\n' >"$T/url"
printf 'Authorization: Bearer header-token\n\n \t\nX-Team: ops\r\n' >"$T/headers"
args="--name filed --url @$T/url --events all --secret-file $T/secret --header @$T/headers"
# What ps would show is this command line: file names, no secret.
case "$args" in
*whsec_* | *header-token* | *url-token*) fail "the command line holds a secret: $args" ;;
*) pass ;;
esac
hm add $args
expect_rc 0
hm show filed --reveal
expect_rc 0
expect_out "secret:     $SECRET"
expect_out "url:        https://hooks.example.com/services/T0/B0/url-token"
expect_out "Authorization: Bearer header-token"
expect_out "X-Team: ops"
[ "$(db "SELECT secret FROM webhooks WHERE name = 'filed'")" = "$SECRET" ] && pass || fail "stored secret"
[ "$(db "SELECT url FROM webhooks WHERE name = 'filed'")" = "https://hooks.example.com/services/T0/B0/url-token" ] &&
	pass || fail "stored URL"
[ "$(db "SELECT headers FROM webhooks WHERE name = 'filed'")" = '["Authorization: Bearer header-token","X-Team: ops"]' ] &&
	pass || fail "stored headers: $(db "SELECT headers FROM webhooks WHERE name = 'filed'")"
# --secret -: the secret on standard input (a pipe from a secret manager).
hm_in "$SECRET2
" edit filed --secret -
expect_rc 0
[ "$(db "SELECT secret FROM webhooks WHERE name = 'filed'")" = "$SECRET2" ] && pass || fail "secret from stdin"
printf '%s' "$SECRET" >"$T/secret-no-newline"
hm edit filed --secret-file "$T/secret-no-newline"
expect_rc 0
[ "$(db "SELECT secret FROM webhooks WHERE name = 'filed'")" = "$SECRET" ] && pass || fail "secret without a newline"
# --header @FILE adds to the headers, as --header does; with --clear-headers first.
printf 'X-Other: 1\n' >"$T/headers2"
hm edit filed --clear-headers --header @"$T/headers2" --header 'X-Inline: 2'
expect_rc 0
[ "$(db "SELECT headers FROM webhooks WHERE name = 'filed'")" = '["X-Other: 1","X-Inline: 2"]' ] &&
	pass || fail "edited headers: $(db "SELECT headers FROM webhooks WHERE name = 'filed'")"
hm_in "https://example.org/from-stdin
" edit filed --url @-
expect_rc 0
[ "$(db "SELECT url FROM webhooks WHERE name = 'filed'")" = "https://example.org/from-stdin" ] && pass || fail "URL from stdin"

test_case "a file that cannot give the value changes nothing"
refused "hookman: edit: --secret-file: cannot read $T/missing: No such file or directory" \
	edit filed --secret-file "$T/missing"
refused "hookman: edit: --url: cannot read $T/missing: No such file or directory" edit filed --url @"$T/missing"
refused "hookman: edit: --header: cannot read $T/missing: No such file or directory" edit filed --header @"$T/missing"
refused "hookman: add: --secret-file: cannot read $T/missing: No such file or directory" \
	add --name other --url http://127.0.0.1:9/ --events all --secret-file "$T/missing"
: >"$T/empty"
printf '\n' >"$T/newline"
refused "hookman: edit: --secret-file: $T/empty is empty; it should hold the signing secret" \
	edit filed --secret-file "$T/empty"
refused "hookman: edit: --secret-file: $T/newline is empty; it should hold the signing secret" \
	edit filed --secret-file "$T/newline"
refused "hookman: edit: --url: $T/empty is empty; it should hold the URL" edit filed --url @"$T/empty"
refused "hookman: edit: --header: $T/empty is empty; it should hold the headers, one 'Name: value' per line" \
	edit filed --header @"$T/empty"
head -c 1100000 /dev/zero | tr '\0' a >"$T/big"
refused "hookman: edit: --secret-file: $T/big is larger than 1 MiB" edit filed --secret-file "$T/big"
mkdir "$T/dir"
refused "hookman: edit: --secret-file: cannot read $T/dir" edit filed --secret-file "$T/dir"
snapshot
hm_in "" edit filed --secret -
expect_rc 1
expect_err "hookman: edit: --secret: standard input is empty; it should hold the signing secret"
expect_unchanged
# Each line of a header file is checked as --header checks it, by line.
printf 'X-Fine: 1\n\nX-Bad\n' >"$T/badheaders"
refused "hookman: edit: --header: $T/badheaders, line 3: " edit filed --header @"$T/badheaders"
# A wrong value read from a file is refused by the usual rules.
printf 'not-a-secret\n' >"$T/notsecret"
refused "hookman: edit: " edit filed --secret-file "$T/notsecret"
expect_no_err "not-a-secret"
# Standard input can give one value only; the secret options exclude each other.
hm edit filed --secret - --url @-
expect_rc 2
expect_err "only one option can read standard input"
hm edit filed --secret - --payload @-
expect_rc 2
expect_err "only one option can read standard input"
hm edit filed --secret-file "$T/secret" --gen-secret
expect_rc 2
expect_err "choose one of --secret, --secret-file, --gen-secret and --no-secret"

test_case "control characters quoted from an import file are escaped"
# Reproduction: an export entry named "\u001b]0;TITLE\u0007\u001b[2J" was
# echoed raw in 'entry 1 ("…")': it retitled the terminal and cleared it.
cat >"$T/evil.json" <<'EOF'
{"hookman_export": 1, "redacted": false, "webhooks": [
 {"name": "\u001b]0;TITLE\u0007\u001b[2J\u009b", "url": "http://x\u001b/", "events": ["alarm.high_severity"],
  "payload": "{\"t\": \"$Title\", \"e\": \"$Event\"}", "headers": ["X-A: \u001b"]}]}
EOF
hm import "$T/evil.json"
expect_rc 1
expect_err 'entry 1 ("\x1B]0;TITLE\x07\x1B[2J\u009B"): name has a control character'
no_raw_controls
printf '{"hookman_export": 1, "redacted": false, "webhooks": [ {"name": "a" \033[2J} ]}' >"$T/evil2.json"
hm import "$T/evil2.json"
expect_rc 1
expect_err '\x1B'
no_raw_controls

test_case "control characters quoted from fire --stdin lines are escaped"
# Reproduction: 'printf '"'"'{"type":"\\u001b]0;T\\u0007"}\n'"'"' | hookman fire --stdin'
# printed the type raw in 'unknown event type "…"'.
lines=$(printf '%s\n%s\n%s\n' \
	'{"type": "\u001b]0;T\u0007", "title": "x"}' \
	'{"type": "alarm.high_severity", "title": "x", "\u009bk": 1}' \
	"{\"type\": \"alarm.high_severity\" ${ESC}[2J}")
hm_in "$lines
" fire --stdin
expect_rc 1
expect_err 'line 1: unknown event type "\x1B]0;T\x07"'
expect_err 'line 2: unknown key "\u009Bk"'
expect_err "line 3: column"
expect_err '\x1B'
no_raw_controls
hm fire "$(printf 'alarm\033[2J')"
expect_rc 1
expect_err 'unknown event type "alarm\x1B[2J"'
no_raw_controls

test_case "control characters quoted from a --header or --url file are escaped"
printf '\033]0;TITLE\007\n' >"$T/evilheaders"
refused "hookman: edit: --header: $T/evilheaders, line 1: header \"\\x1B]0;TITLE\\x07" edit filed --header @"$T/evilheaders"
no_raw_controls
printf 'ftp\033[2J://example.org/\n' >"$T/evilurl"
refused "hookman: edit: URL has a control character (0x1B)" edit filed --url @"$T/evilurl"
no_raw_controls

test_case "fire --stdin under a file size limit says so and keeps whole batches"
# Reproduction: '(ulimit -f 2048; hookman fire --stdin <many-lines)' was
# killed by SIGXFSZ (exit 153) with no message.
if sqlite_only "a file size limit (ulimit -f) on the database file"; then
	main_store=$STORE
	new_store fsz
	hm add --name sub --url http://127.0.0.1:9/ --events all
	expect_rc 0
	i=0
	while [ $i -lt 20 ]; do
		printf '{"type": "alarm.high_severity", "title": "event number %s with a title long enough to fill pages quickly", "data": {"filler": "%s"}}\n' \
			$i "0123456789012345678901234567890123456789012345678901234567890123456789"
		i=$((i + 1))
	done >"$T/some"
	i=0
	while [ $i -lt 500 ]; do cat "$T/some"; i=$((i + 1)); done >"$T/many"   # 10000 lines
	size=$(($(wc -c <"$STORE/hookman.db") / 512 + 4096))   # blocks of 512 bytes: 2 MiB more
	(ulimit -f $size && exec "$HOOKMAN_BIN" --store "$STORE" fire --stdin <"$T/many" >"$T/out" 2>"$T/err")
	rc=$?
	expect_rc 1
	expect_err "file size limit"
	expect_err "raise the limit"
	hm list --names
	expect_rc 0
	expect_out "sub"
	[ "$(db "PRAGMA integrity_check")" = ok ] && pass || fail "the store is damaged"
	events=$(db "SELECT count(*) FROM events WHERE type <> 'audit.create'")
	[ "$events" -gt 0 ] && [ "$events" -lt 10000 ] && [ $((events % 250)) = 0 ] &&
		pass || fail "$events events: not whole batches of 250"
	[ "$(db "SELECT count(*) FROM deliveries d JOIN events e ON e.id = d.event_id WHERE e.type <> 'audit.create'")" = "$events" ] && pass || fail "deliveries and events differ"
	STORE=$main_store
fi

test_case "a shell test whose tool is missing is skipped (77), saying which"
# Reproduction: on a machine without groff, test_man.sh exited 1 (FAIL)
# instead of 77 (SKIP). Only what runs before the checks is on PATH; the
# programs are pointed nowhere so that nothing else could run.
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir "$T/bin"
for tool in dirname mktemp rm; do ln -s "$(command -v $tool)" "$T/bin/$tool"; done
for script in cli/test_cli.sh cli/test_inputs.sh tui/test_tui.sh doc/test_man.sh sender/test_sender.sh \
	sender/test_trust.sh cli/test_metrics.sh cli/test_tail.sh sender/test_holds.sh sender/test_coalesce.sh \
	sender/test_pace.sh sender/test_rerender.sh tui/test_tui_pace.sh tui/test_rerender_tui.sh \
	tui/test_deliveries_live.sh sender/test_destination.sh tui/test_destination_tui.sh \
	sender/test_rotate.sh tui/test_rotate_tui.sh; do
	PATH="$T/bin" HOOKMAN_BIN="$T/none" HOOKMAND="$T/none" SINK="$T/none" TMPDIR="$T" \
		"$(command -v sh)" "$top/tests/$script" >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" = 77 ] && grep -q "^SKIP: .* need" "$T/out" && pass || fail "$script without its tools: exit $rc"
done

summary
