#!/bin/sh
# Trust in the front ends: where the store is (symbolic links above it,
# HOME on a link, a relative XDG_DATA_HOME), names and header values that
# could mislead a reader or a parser, and event groups in --events.
for tool in sqlite3 jq; do
	command -v $tool >/dev/null || { echo "SKIP: test_names.sh needs $tool (apt-get install $tool)"; exit 77; }
done
. "$(dirname "$0")/lib.sh"

# $T as the kernel resolves it: the messages name resolved paths.
RT=$(cd "$T" && pwd -P)
URL=http://127.0.0.1:9/hook

# run ARGS...: hookman without --store (the default store, from the
# environment the caller sets); sets $rc, output in $T/out, $T/err.
run() {
	"$HOOKMAN_BIN" "$@" >"$T/out" 2>"$T/err"
	rc=$?
}

# subscribed NAME: the webhook's events as `hookman show` lists them
# (catalog order, comma-separated).
subscribed() {
	"$HOOKMAN_BIN" --store "$STORE" show "$1" | sed -n 's/^events: *//p' | sed 's/, /,/g'
}

main_store=$STORE
# Reproduction (item 11): mkdir realp; ln -s realp plink;
# hookman --store plink/st add … said "unable to open database file":
# SQLite opens with SQLITE_OPEN_NOFOLLOW, which refuses a link anywhere in
# the path, while only the last component is ours to check.
test_case "a store below a symbolically linked parent"
if sqlite_only "store directories below a symbolic link"; then
	mkdir "$T/realp"
	ln -s realp "$T/plink"
	STORE="$T/plink/st"
	hm add --name below-link --url "$URL" --events admin.login
	expect_rc 0
	expect_out 'added webhook "below-link"'
	expect_no_err "unable to open database file"
	[ -f "$T/realp/st/hookman.db" ] && pass || fail "no database in realp/st"
	[ "$(stat -c %a "$T/realp/st")" = 700 ] && pass || fail "store dir mode $(stat -c %a "$T/realp/st")"
	hm list
	expect_rc 0
	expect_out "below-link"
	hm fire admin.login
	expect_rc 0
	expect_out "1 delivery queued"
	# The same, relative to the current directory, as in the report.
	(cd "$T" && "$HOOKMAN_BIN" --store plink/st list >"$T/out" 2>"$T/err")
	rc=$?
	expect_rc 0
	expect_out "below-link"
fi

# Only the last component is refused, with the message it always had.
test_case "a store that is itself a symbolic link is refused"
if sqlite_only "a store directory that is a symbolic link"; then
	ln -s realp/st "$T/stlink"
	STORE="$T/realp/st"
	snapshot
	STORE="$T/stlink"
	hm list
	expect_rc 1
	expect_err_eq "hookman: list: store directory $RT/stlink is a symbolic link; refusing it (point --store at the real directory)"
	hm add --name via-link --url "$URL" --events admin.login
	expect_rc 1
	expect_err "is a symbolic link; refusing it"
	STORE="$T/realp/st"
	expect_unchanged
fi

test_case "HOME on a symbolic link, default store"
if sqlite_only "the default store directory under HOME"; then
	mkdir "$T/realhome"
	ln -s realhome "$T/home"
	HOME="$T/home" run add --name at-home --url "$URL" --events admin.login
	expect_rc 0
	expect_no_err "unable to open database file"
	[ -f "$T/realhome/.local/share/hookman/hookman.db" ] && pass || fail "no store under the real home"
	HOME="$T/home" run list
	expect_rc 0
	expect_out "at-home"
	HOME="$T/home" run fire admin.login
	expect_rc 0
	expect_out "1 delivery queued"
fi

# The XDG Base Directory spec: a relative XDG_DATA_HOME is invalid and
# ignored. It used to put the store under the current directory.
test_case "a relative XDG_DATA_HOME is ignored"
if sqlite_only "the default store directory under XDG_DATA_HOME"; then
	mkdir "$T/h2" "$T/cwd"
	(cd "$T/cwd" && HOME="$T/h2" XDG_DATA_HOME=relative "$HOOKMAN_BIN" add --name xdg --url "$URL" \
		--events admin.login >"$T/out" 2>"$T/err")
	rc=$?
	expect_rc 0
	[ -f "$T/h2/.local/share/hookman/hookman.db" ] && pass || fail "not in ~/.local/share/hookman"
	[ ! -e "$T/cwd/relative" ] && pass || fail "the store went to ./relative"
	(cd "$T/cwd" && HOME="$T/h2" XDG_DATA_HOME=relative "$HOOKMAN_BIN" list >"$T/out" 2>"$T/err")
	rc=$?
	expect_rc 0
	expect_out "xdg"
	# An absolute one is still used.
	HOME="$T/h2" XDG_DATA_HOME="$T/xdgabs" run list
	expect_rc 0
	[ -d "$T/xdgabs/hookman" ] && pass || fail "an absolute XDG_DATA_HOME was not used"
fi

STORE=$main_store
hm add --name first --url "$URL" --events admin.login
expect_rc 0

# Reproduction (item 14): hookman add --name "$(printf 'rm \342\200\256evil')"
# was accepted; U+202E reverses what follows, so a list showed "rm live".
test_case "bidirectional controls in names are refused"
refused 'name has a bidirectional control character (U+202E) at character 4' \
	add --name "$(printf 'rm \342\200\256evil')" --url "$URL" --events admin.login
refused 'name has a bidirectional control character (U+202A) at character 1' \
	add --name "$(printf '\342\200\252x')" --url "$URL" --events admin.login
refused 'name has a bidirectional control character (U+2066) at character 3' \
	add --name "$(printf 'é\303\251\342\201\246x')" --url "$URL" --events admin.login
refused 'name has a bidirectional control character (U+2069)' \
	add --name "$(printf 'a\342\201\251')" --url "$URL" --events admin.login
refused 'name has a bidirectional control character (U+200F)' \
	add --name "$(printf 'a\342\200\217b')" --url "$URL" --events admin.login
refused 'name has a bidirectional control character (U+061C)' \
	add --name "$(printf 'a\330\234b')" --url "$URL" --events admin.login
refused 'name has a bidirectional control character (U+200E)' \
	edit first --rename "$(printf 'a\342\200\216b')"
# An import is held to the same rule: the JSON escape is the same character.
hm export "$T/export.json" --with-secrets
expect_rc 0
sed 's/"name": "first"/"name": "fir\\u202Est"/' "$T/export.json" >"$T/bidi.json"
grep -qF 'fir\u202Est' "$T/bidi.json" && pass || fail "the import file was not made"
refused 'name has a bidirectional control character (U+202E) at character 4' import "$T/bidi.json"
# Right-to-left text itself is fine.
hm add --name "$(printf '\327\251\327\234\327\225\327\235')" --url "$URL" --events admin.login
expect_rc 0

test_case "line separators in header values are refused"
refused 'header X-A: value has a line separator (U+2028) at position 3' \
	add --name h1 --url "$URL" --events admin.login --header "$(printf 'X-A: ab\342\200\250X-B: 1')"
refused 'header X-A: value has a paragraph separator (U+2029) at position 1' \
	add --name h2 --url "$URL" --events admin.login --header "$(printf 'X-A: \342\200\251')"
refused 'header X-A: value has a control character (U+0085) at position 2' \
	add --name h3 --url "$URL" --events admin.login --header "$(printf 'X-A: \303\251\302\205')"
refused 'header X-A: value has a control character (U+0085)' \
	edit first --header "$(printf 'X-A: a\302\205b')"
hm add --name h4 --url "$URL" --events admin.login --header 'X-A: caf\303\251 ok'
expect_rc 0

# Reproduction (item 15): hookman add --events audit said 'unknown event
# "audit"', though the form offers Audit Events as one group.
test_case "event groups in --events"
hm add --name g-audit --url "$URL" --events audit
expect_rc 0
[ "$(subscribed g-audit)" = "audit.create,audit.update,audit.delete,audit.login,audit.logout,audit.download,audit.reboot,audit.upgrade" ] &&
	pass || fail "audit gave $(subscribed g-audit)"
hm add --name g-proc --url "$URL" --events processing,admin.login
expect_rc 0
[ "$(subscribed g-proc)" = "processing.with_alarms,processing.finished,processing.failed,admin.login" ] &&
	pass || fail "processing gave $(subscribed g-proc)"
hm add --name g-jira --url "$URL" --events detection,detection_group --preset jira --format jira
expect_rc 0
[ "$(subscribed g-jira)" = "detection.created,detection.updated,detection_group.created,detection_group.updated" ] &&
	pass || fail "detection,detection_group gave $(subscribed g-jira)"
hm add --name g-all --url "$URL" --events audit,all
expect_rc 0
[ "$(db "SELECT count(*) FROM subscriptions s JOIN webhooks w ON w.id = s.webhook_id WHERE w.name = 'g-all'")" = 18 ] &&
	pass || fail "audit,all is not all 18"
hm edit g-all --events alarm
expect_rc 0
[ "$(subscribed g-all)" = "alarm.high_severity" ] && pass || fail "edit --events alarm gave $(subscribed g-all)"
refused "unknown event \"audti\"; use event ids (see 'hookman events'), groups (alarm, event, processing, admin, audit, detection, detection_group) or all" \
	add --name g-bad --url "$URL" --events audti
refused 'jira formatting is only for Detection and Detection Group events, but "audit.create" (Audit Events) is chosen' \
	add --name g-bad --url "$URL" --events detection,audit --format jira

test_case "hookman events shows the group ids"
hm events
expect_rc 0
expect_out "GROUP ID         GROUP                      ID                       TITLE"
expect_out "audit            Audit Events               audit.reboot             AUDIT EVENT: REBOOT"
expect_out "processing       Processing Failed          processing.failed        PROCESSING FAILED"
expect_out "detection_group  Detection Group            detection_group.created  DETECTION GROUP CREATED"
hm --json events
expect_rc 0
expect_out '"group_id": "detection_group"'
[ "$(grep -c '"group_id": "audit"' "$T/out")" = 8 ] && pass || fail "8 audit events with their group_id in --json"
hm events --groups
expect_rc 0
expect_out_eq "alarm
event
processing
admin
audit
detection
detection_group"

summary
