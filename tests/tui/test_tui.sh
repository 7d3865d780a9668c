#!/bin/sh
# The terminal interface in a real terminal: tmux on a private socket at
# 80x24, pinned LANG/TERM/TZ/HOME; keys sent with send-keys, the screen read
# with capture-pane, waiting for markers with a deadline.
for tool in tmux jq sqlite3; do
	command -v $tool >/dev/null || { echo "SKIP: test_tui.sh needs $tool (apt-get install $tool)"; exit 77; }
done
. "$(dirname "$0")/../cli/lib.sh"
: "${SINK:?set SINK to the built test receiver}"
: "${HOOKMAND:?set HOOKMAND to the built hookmand}"
export HOOKMAND
TUI_SOCKET=hookman-test
. "$(dirname "$0")/lib.sh"
trap '$TM kill-server 2>/dev/null; "$HOOKMAN_BIN" --store "$STORE" sender stop >/dev/null 2>&1; [ -n "${sink_pid:-}" ] && kill "$sink_pid" 2>/dev/null; test_cleanup' EXIT

start_tui() {
	fresh_server
	$TM new-session -d -x 80 -y 24 "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC HOME=$T/home HOOKMAN_AUTOSTART=0 HOOKMAN_DATADIR=$HOOKMAN_DATADIR HOOKMAND=$HOOKMAND EDITOR='$T/editor.sh --flag' $HOOKMAN_BIN --store '$STORE'; echo EXIT=\$?; sleep 60"
}

# The $EDITOR of these tests: renames a key, or fails when asked to.
cat >"$T/editor.sh" <<'SH'
#!/bin/sh
[ "$1" = --flag ] || exit 3
[ -e "${0%/*}/editor-fails" ] && exit 1
sed -i 's/"title"/"headline"/' "$2"
SH
chmod +x "$T/editor.sh"

test_case "first run"
start_tui
wait_for "No webhooks yet."
wait_for "Press n (or F2) to add your first one"
wait_for "F1Help F2New F4Edit F5Test F6Log F7Fire F8Delete /Filter sSort F10Quit"
wait_for "sender ○ not running"

test_case "a save refused for each kind of bad field"
keys n
wait_for "New webhook"
wait_for "✓ valid JSON · \$Title ✓ · \$Event ✓"
keys C-s
wait_for "Nothing was saved: fix these"
wait_for "Name: name is empty"
wait_for "URL: URL is empty"
wait_for "Events: no events chosen"
keys Escape
wait_gone "Nothing was saved"
keys "bad" Tab "ftp://x/y" C-s
wait_for "URL: URL scheme \"ftp\" is not allowed; only http:// and https://"
keys Escape
wait_for "✗ not saved: URL: URL scheme \"ftp\" is not allowed; only http:// and https://"
wait_for "Events: no events chosen"

test_case "live validation while typing"
# To the payload: Tab from URL → Events → Formatting → Payload.
keys Tab Tab Tab
keys Down End BSpace
wait_for "✗ line 3, column 3: ',' or '}' expected after the value"
keys ","
wait_for "✓ valid JSON · \$Title ✓ · \$Event ✓"
keys End Left Left BSpace BSpace BSpace BSpace BSpace BSpace
wait_for "✗ JSON fine, but \$Title is missing (the receiver would get no"
wait_for "              title)"

test_case "\$EDITOR round trip"
keys C-x C-e
wait_for '"headline": ""'
wait_for "payload back from the editor"
touch "$T/editor-fails"
keys C-x C-e
wait_for "exited with status 1: the payload is unchanged"
rm "$T/editor-fails"
wait_for '"headline": ""'

test_case "create a webhook with a preset"
keys C-r
wait_for "Fill the payload from a preset"
keys 1
wait_for "You edited the payload. Replace it with the preset?"
keys y
wait_for '"text": "*$Title*\nDetails: $Event"'
wait_for "(•) Slack"
# Back to URL (Shift-Tab x3), fix it, then choose an event and save.
keys BTab BTab BTab

i=0; while [ $i -lt 12 ]; do keys BSpace; i=$((i + 1)); done
keys "https://hooks.slack.com/services/T0/B0/XYZ" Tab Space C-s
wait_for "saved webhook \"bad\""
wait_for "bad              https://hooks.slack.co… High Sev      slack"
[ "$(db "SELECT url || ' ' || format || ' ' || events FROM webhooks")" = 'https://hooks.slack.com/services/T0/B0/XYZ slack ["alarm.high_severity"]' ] && pass || fail "stored webhook"

test_case "edit and rename"
keys e
wait_for "Edit webhook: bad"
keys End
i=0; while [ $i -lt 3 ]; do keys BSpace; i=$((i + 1)); done
keys "ops-slack ☂" C-s
wait_for "saved webhook \"ops-slack ☂\""
wait_for "ops-slack ☂"
[ "$(db "SELECT name || ' v' || version FROM webhooks")" = "ops-slack ☂ v2" ] && pass || fail "renamed in the store"

test_case "Esc on a changed form asks"
keys e
wait_for "Edit webhook: ops-slack ☂"
keys x
keys Escape
wait_for "Leave the form and discard your changes?"
keys n
wait_for "Edit webhook: ops-slack ☂ *"
keys Escape
wait_for "Discard changes"
keys y
wait_for "changes discarded"

test_case "concurrent edit conflict"
keys e
wait_for "Edit webhook: ops-slack ☂"
"$HOOKMAN_BIN" --store "$STORE" edit "ops-slack ☂" --timeout 42 >/dev/null
keys Tab Tab Tab Tab Tab Tab Tab Tab Tab BSpace BSpace 7 C-s
wait_for "Changed elsewhere"
wait_for "Overwrite: save yours over theirs"
keys Down Enter
wait_for "saved webhook \"ops-slack ☂\""
[ "$(db "SELECT timeout || ' v' || version FROM webhooks")" = "7 v4" ] && pass || fail "overwrite saved: $(db "SELECT timeout || ' v' || version FROM webhooks")"

test_case "filter, toggle"
"$HOOKMAN_BIN" --store "$STORE" add --name "second" --url http://127.0.0.1:9/x --events all >/dev/null
wait_for "second"
keys / s e c
wait_for "Filter: sec"
wait_gone "ops-slack ☂"
keys Enter Space
wait_for "webhook \"second\" disabled"
keys Escape
wait_for "ops-slack ☂"
[ "$(db "SELECT enabled FROM webhooks WHERE name = 'second'")" = 0 ] && pass || fail "toggle stored"

test_case "an unchecked TLS certificate is marked in the list, not only coloured"
"$HOOKMAN_BIN" --store "$STORE" add --name "insecure" --url https://127.0.0.1:9/tls --events all --insecure >/dev/null
wait_for "! https://127.0.0.1:9/…"
screen | grep "insecure" | grep -q "! https://" && pass || fail "the insecure row has no ! marker: $(screen | grep insecure)"
screen | grep "second" | grep -q "! http" && fail "a verified webhook is marked" || pass
"$HOOKMAN_BIN" --store "$STORE" rm insecure >/dev/null
wait_gone "insecure"

test_case "delete asks, No keeps it"
keys Home d
wait_for "Delete webhook \"ops-slack ☂\"?"
wait_for "n  keep it (default)"
keys n
wait_gone "Delete webhook"
[ "$(db "SELECT count(*) FROM webhooks")" = 2 ] && pass || fail "No kept it"
keys d
wait_for "Delete webhook"
keys y
wait_for "deleted webhook \"ops-slack ☂\""
[ "$(db "SELECT count(*) FROM webhooks")" = 1 ] && pass || fail "y deleted it"

test_case "help"
keys '?'
wait_for "Keys (Esc closes, / searches)"
wait_for "F2, n"
wait_for "add a webhook"
wait_for "F8, d, Delete"
keys Escape
wait_gone "Keys (Esc closes"

test_case "resize"
$TM resize-window -x 100 -y 30
wait_for "LAST"
[ "$(screen | wc -l)" = 30 ] && pass || fail "not re-laid at 30 rows"
$TM resize-window -x 60 -y 16
wait_for "F1Help F2New"
wait_for "second"
$TM resize-window -x 50 -y 14
wait_for "The terminal is too small for the list: it needs"
wait_for "60x16 and has 50x14"
$TM resize-window -x 80 -y 24
wait_for "F1Help F2New"
wait_gone "too small"

test_case "test send: from the list, to a closed port, and from an unsaved Slack form"
"$SINK" "$T/port" "$T/sink.log" &
sink_pid=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(cat "$T/port")
"$HOOKMAN_BIN" --store "$STORE" rm second >/dev/null
"$HOOKMAN_BIN" --store "$STORE" add --name "a receiver" --url "http://127.0.0.1:$PORT/ok" --events all --gen-secret >/dev/null
"$HOOKMAN_BIN" --store "$STORE" add --name "b closed" --url http://127.0.0.1:9/x --events all >/dev/null
"$HOOKMAN_BIN" --store "$STORE" sender start >/dev/null
wait_for "b closed"
wait_for "sender ● running"
keys Home t
wait_for "✓ HTTP 200"
wait_for "The sample alarm.high_severity event to \"a receiver\""
wait_for "webhook-signature: ****"
wait_for '{"received":true}'
keys Escape Down t
wait_for "✗ cannot connect to 127.0.0.1:9 (nothing listens there, or a firewall)"
keys Escape
wait_gone "cannot connect to 127.0.0.1:9"
keys n "slack form" Tab "http://127.0.0.1:$PORT/slack" Tab Space C-r 1 C-t
wait_for "with the form's values (not saved)"
wait_for "✓ HTTP 200"
body=$(jq -c 'select(.path == "/slack") | .body' "$T/sink.log" | tail -n 1 | jq -r .)
[ "$(printf '%s' "$body" | jq -r .text)" = "$(printf '*HIGH SEVERITY ALARM DETECTED*\nDetails: HIGH SEVERITY ALARM DETECTED')" ] && pass || fail "Slack body as received: $body"
[ "$(db "SELECT count(*) FROM webhooks WHERE name = 'slack form'")" = 0 ] && pass || fail "a test saved the form"
keys Escape Escape
wait_for "Discard changes"
keys y
wait_for "changes discarded"

test_case "fire, the deliveries appear, open one, redeliver"
keys f
wait_for "Fire which event?"
keys 6
wait_for "Fire Admin Login (admin.login)?"
wait_for "It goes to the 2 enabled webhooks subscribed to it."
wait_for '"user": "admin"'
keys y
wait_for "(admin.login): 2 deliveries queued"
wait_for "Deliveries of all webhooks"
wait_for "a receiver    admin.login      delivered ×1 200"
wait_for "b closed      admin.login      failed    ×1 error, retry in "
keys Home Enter
wait_for "webhook b closed · event admin.login"
wait_for "Failed to connect to 127.0.0.1"
keys Escape Down Enter
wait_for "webhook a receiver · event admin.login"
wait_for "HTTP 200"
keys Escape
wait_gone "webhook a receiver · event admin.login"
keys r
wait_for "The receiver got it already and gets it once more."
keys y
wait_for "queued again"
wait_for "a receiver    admin.login      delivered ×2 200"
keys Escape
wait_for "F1Help F2New"
keys Home l
wait_for "Deliveries of a receiver"
keys a
wait_for "Deliveries of all webhooks"
keys q
wait_for "F1Help F2New"
test_case "a webhook at every limit: a test send and a delivery shown whole"
# The reproduction (AddressSanitizer build): a webhook with 32 custom
# headers of 6,000+ bytes and a large payload wrote past the 256 KiB buffer
# of a delivery's view and the 16 KiB of a test send's result.
keys q
wait_for "EXIT=0"
main_store=$STORE
new_store limits
long=$(head -c 7990 /dev/zero | tr '\0' v)
set -- add --name "$(head -c 100 /dev/zero | tr '\0' L)" --events all \
	--url "http://127.0.0.1:$PORT/ok/$(head -c 1990 /dev/zero | tr '\0' u)"
i=10
while [ $i -lt 42 ]; do
	set -- "$@" --header "X-Limit-$i: $long$i"
	i=$((i + 1))
done
printf '{"title": "$Title", "message": "$Event", "pad": "%s"}' "$(head -c 250000 /dev/zero | tr '\0' p)" >"$T/big.json"
"$HOOKMAN_BIN" --store "$STORE" "$@" --payload "@$T/big.json" >/dev/null && pass || fail "the webhook at every limit was refused"
"$HOOKMAN_BIN" --store "$STORE" fire admin.login >/dev/null
"$HOOKMAN_BIN" --store "$STORE" sender start >/dev/null
start_tui
wait_for "LLLLLLLL"
keys t
wait_for "✓ HTTP 200"
keys End
wait_for '{"received":true}'
keys Escape
wait_gone "Test send"
keys l
wait_for "Deliveries of LLLL"
keys Enter
wait_for "webhook-id msg_"
# Long lines wrap; / finds the last header.
keys / X-Limit-41 Enter
wait_for "│ X-Limit-41:"
keys End
wait_for "vvvv41"
keys Escape
wait_gone "vvvv41"
keys q q
wait_for "EXIT=0"
screen | grep -q "AddressSanitizer" && fail "a sanitizer report: $(screen | grep -m2 Sanitizer)" || pass
"$HOOKMAN_BIN" --store "$STORE" sender stop >/dev/null
STORE=$main_store
start_tui
wait_for "F1Help F2New"
"$HOOKMAN_BIN" --store "$STORE" sender stop >/dev/null
kill "$sink_pid"

test_case "a 20 KiB paste into the payload"
keys n
wait_for "New webhook"
keys "pasted" Tab "http://127.0.0.1:9/p" Tab Space Tab Tab Down Down End Left
head -c 20000 /dev/zero | tr '\0' 'x' >"$T/paste"
$TM load-buffer "$T/paste"
$TM paste-buffer
wait_for "✓ valid JSON · \$Title ✓ · \$Event ✓"
wait_for "xxxxxxxxxxxxxxxxxxxx"
keys C-s
wait_for "saved webhook \"pasted\""
[ "$(db "SELECT length(payload) FROM webhooks WHERE name = 'pasted'")" = 20046 ] && pass || fail "pasted payload length $(db "SELECT length(payload) FROM webhooks WHERE name = 'pasted'")"

test_case "a paste over the payload's limit changes nothing and says so"
# The reproduction: pasting a 300 KB document into the payload left a
# different, spliced text each time (the start of the paste joined to a
# piece from its middle), saying only "that would pass the size limit".
head -c 300000 /dev/zero | tr '\0' 'y' >"$T/huge"
keys / pasted Enter
wait_for "Filter: pasted"
keys Enter
wait_for "Edit webhook: pasted"
keys Tab Tab Tab Tab
wait_for "▸Payload"
$TM load-buffer "$T/huge"
$TM paste-buffer
wait_for "Payload: a 293 KiB paste would pass the 256 KiB limit; nothing was inserted"
# The same with the terminal's paste marks (bracketed paste).
keys Tab Tab
wait_for "▸Headers"
keys Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab
wait_for "▸Payload"
$TM paste-buffer -p
wait_for "nothing was inserted"
printf '  ' >"$T/small"
$TM load-buffer "$T/small"
$TM paste-buffer -p
wait_for "Edit webhook: pasted *"
keys C-s
wait_for "saved webhook \"pasted\""
db_true "SELECT length(payload) - 20046 = 2 AND replace(payload, 'y', '') = payload FROM webhooks WHERE name = 'pasted'" && pass ||
	fail "the payload changed beyond the small paste: $(db "SELECT length(payload) FROM webhooks WHERE name = 'pasted'")"
keys Escape
wait_gone "Filter: pasted"

test_case "a bad header line and a timeout out of range are refused by name"
keys n
wait_for "New webhook"
keys "hdr" Tab "http://127.0.0.1:9/h"
wait_for "http://127.0.0.1:9/h"
keys Tab
keys Space
keys Tab
keys Tab
keys Tab
keys Tab
wait_for "▸Headers"
keys "X Y: 1"
wait_for "X Y: 1"
keys Tab
keys Tab
keys Tab
wait_for "▸Timeout"
keys BSpace
keys BSpace
keys "99"
keys C-s
wait_for "Headers: header name \"X Y\" has an invalid character"
wait_for "Timeout (s): timeout 99 s is out of range"
keys Escape
wait_gone "Nothing was saved"
keys Escape
wait_for "discard your changes?"
keys y
wait_for "changes discarded"

test_case "a disabled webhook's waiting delivery reads held"
# The reproduction: the deliveries screen read "failed" (and the CLI
# "retry in 0s") for a webhook disabled with deliveries waiting, forever.
keys q
wait_for "EXIT=0"
main_store=$STORE
new_store held
"$HOOKMAN_BIN" --store "$STORE" add --name "held one" --url http://127.0.0.1:9/held --events admin.login >/dev/null
"$HOOKMAN_BIN" --store "$STORE" fire admin.login >/dev/null
db "UPDATE deliveries SET state = 'failed', attempts = 1, last_error = 'Connection refused', next_attempt_at = 0"
"$HOOKMAN_BIN" --store "$STORE" disable "held one" >/dev/null
start_tui
wait_for "held one"
keys l
wait_for "Deliveries of held one"
wait_for " held "
keys Enter
wait_for "held (webhook disabled): nothing is sent until the webhook is enabled"
keys Escape
wait_gone "held (webhook disabled)"
keys q q
wait_for "EXIT=0"
STORE=$main_store
start_tui
wait_for "F1Help F2New"

test_case "H holds a webhook for the time chosen, marks it and says so in the header; H again ends it"
keys q
wait_for "EXIT=0"
main_store=$STORE
new_store holds
"$HOOKMAN_BIN" --store "$STORE" add --name pager --url http://127.0.0.1:9/pager --events admin.login >/dev/null
for loc in C.UTF-8 C; do
	fresh_server
	$TM new-session -d -x 80 -y 24 "env LANG=$loc LC_ALL=$loc TZ=UTC HOME=$T/home HOOKMAN_AUTOSTART=0 HOOKMAN_DATADIR=$HOOKMAN_DATADIR $HOOKMAN_BIN --store '$STORE'; echo EXIT=\$?; sleep 60"
	wait_for "pager"
	keys H
	wait_for 'Hold "pager"? Enter picks, Esc cancels'
	wait_for "drop new deliveries until released"
	keys Down Enter
	wait_for 'held "pager": wait 1 hour'
	wait_for "held: pager 59m"
	wait_for "default held 59m"
	"$HOOKMAN_BIN" --store "$STORE" hold --json >"$T/out"
	[ "$(jq -r '.[0].webhook' "$T/out")" = pager ] && [ "$(jq -r '.[0].drop' "$T/out")" = false ] &&
		[ "$(jq -r '.[0].until - .[0].since' "$T/out")" = 3600000 ] && pass || fail "the hold is not in the store: $(cat "$T/out")"
	keys H
	wait_for 'End the hold on "pager" (held 59m'
	keys y
	wait_for 'released "pager": nothing was waiting'
	wait_gone "held: pager"
	[ "$("$HOOKMAN_BIN" --store "$STORE" hold --json)" = "[]" ] && pass || fail "the hold was not ended in the store"
	keys q
	wait_for "EXIT=0"
done
STORE=$main_store
start_tui
wait_for "F1Help F2New"

test_case "quit restores the terminal"
keys q
wait_for "EXIT=0"
screen | grep -q "F1Help" && fail "the interface is still on screen after quit" || pass

test_case "SIGTERM (and an SSH drop's SIGHUP) restore the terminal"
for sig in TERM HUP; do
	start_tui
	wait_for "F1Help F2New"
	# The pane's shell runs hookman as its only child.
	pkill -$sig -P "$($TM display-message -p '#{pane_pid}')"
	wait_for "EXIT=0"
	screen | grep -q "F1Help" && fail "the interface is still on screen after SIG$sig" || pass
done

test_case "Ctrl-Z suspends to the shell and fg comes back; Ctrl-C quits"
# The reproduction: both keys were ignored (the terminal is in raw mode).
for loc in C.UTF-8 C; do
	fresh_server
	$TM new-session -d -x 80 -y 24 "env PS1='shell$ ' bash --norc --noprofile -i"
	wait_for "shell$"
	keys "env LANG=$loc LC_ALL=$loc HOME=$T/home HOOKMAN_AUTOSTART=0 HOOKMAN_DATADIR=$HOOKMAN_DATADIR $HOOKMAN_BIN --store '$STORE'" Enter
	wait_for "F1Help F2New"
	keys C-z
	wait_for "Stopped"
	wait_gone "F1Help F2New"
	keys "fg" Enter
	wait_for "F1Help F2New"
	keys n
	wait_for "New webhook"
	keys x
	keys C-c
	wait_for "discard your changes?"
	keys y
	wait_for "F1Help F2New"
	keys C-c
	wait_gone "F1Help F2New"
	keys "echo EXIT=\$?" Enter
	wait_for "EXIT=0"
done

test_case "a C locale: the list, the form and a dialog in ASCII"
# The reproduction: LANG=C (or no locale, common over SSH) showed
# "~W~O running", "( ~@ ) Default" and boxes as "lqk".
for loc in C POSIX; do
	fresh_server
	$TM new-session -d -x 80 -y 24 "env LANG=$loc LC_ALL=$loc HOME=$T/home HOOKMAN_AUTOSTART=0 HOOKMAN_DATADIR=$HOOKMAN_DATADIR $HOOKMAN_BIN --store '$STORE'; echo EXIT=\$?; sleep 60"
	wait_for "hookman - "
	wait_for "sender o not running"
	wait_for "* pasted"
	keys Home e
	wait_for ">Name"
	wait_for "(*) Default   ( ) Slack   ( ) Jira"
	wait_for "ok valid JSON - \$Title ok - \$Event ok"
	keys Escape
	wait_gone ">Name"
	keys d
	wait_for "+- Delete ---"
	wait_for "| y  delete"
	screen | LC_ALL=C grep -q "$(printf '[\200-\377]')" && fail "bytes that are not ASCII on a $loc screen" || pass
	screen | grep -qE "lqk|~W|~@" && fail "a garbled screen in $loc" || pass
	keys n q
	wait_for "EXIT=0"
done

test_case "a terminal that cannot move the cursor is refused in one line"
# The reproduction: TERM=dumb (and an unknown TERM) showed a blank screen,
# or curses' own message and exit.
for term in dumb nosuchterm; do
	loc=C.UTF-8
	[ $term = nosuchterm ] && loc=C
	fresh_server
	$TM new-session -d -x 80 -y 24 "env TERM=$term LANG=$loc HOME=$T/home HOOKMAN_AUTOSTART=0 HOOKMAN_DATADIR=$HOOKMAN_DATADIR $HOOKMAN_BIN --store '$STORE'; echo EXIT=\$?; sleep 60"
	wait_for "EXIT=1"
	wait_for "hookman: the terminal"
	[ "$($TM capture-pane -p -J | grep -c "hookman list, hookman --help")" = 1 ] && pass || fail "the message does not point to the commands"
done

test_case "readline keys in a field; Alt-Backspace is not Esc; the mouse is harmless"
# The reproduction: Alt-Backspace (ESC DEL) read as Esc, then Backspace,
# and opened "Discard changes" in the form.
start_tui
wait_for "F1Help"
keys n
wait_for "New webhook"
keys "alpha beta-gamma"
wait_for "alpha beta-gamma"
keys M-BSpace
wait_gone "beta-gamma"
screen | grep -q "▸Name         alpha beta-$" && pass || fail "Alt-Backspace did not kill one word: $(screen | grep Name)"
screen | grep -q "Discard changes" && fail "Alt-Backspace read as Esc" || pass
keys C-w
wait_gone "beta-"
keys C-a C-k
wait_gone "alpha"
keys C-y
wait_for "▸Name         alpha"
keys Escape
wait_for "Discard changes"
keys y
wait_for "changes discarded"
# A click on the header, its release and the wheel (xterm's encoding).
keys -l "$(printf '\033[M !!')"
keys -l "$(printf '\033[M#!!')"
keys -l "$(printf '\033[Ma!!')"
keys q
wait_for "EXIT=0"

test_case "an operator's session, in a UTF-8 and in a C locale"
# Each numbered item of the interface issue, seen on the screen: position
# and sort, state filters, a group partly chosen, messages wrapped and
# their log, retries and the 24-hour strip, the wide list's spark line, a
# click, the form too small.
main_store=$STORE
new_store session
"$SINK" "$T/port2" "$T/sink2.log" &
sink_pid=$!
i=0
while [ ! -s "$T/port2" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(cat "$T/port2")
"$HOOKMAN_BIN" --store "$STORE" add --name "alpha ok" --url "http://127.0.0.1:$PORT/ok" --events all >/dev/null
"$HOOKMAN_BIN" --store "$STORE" add --name "beta down" --url http://127.0.0.1:9/down --events alarm >/dev/null
"$HOOKMAN_BIN" --store "$STORE" add --name "gamma off" --url "http://127.0.0.1:$PORT/off" --events detection.created >/dev/null
"$HOOKMAN_BIN" --store "$STORE" disable "gamma off" >/dev/null
"$HOOKMAN_BIN" --store "$STORE" sender start >/dev/null
"$HOOKMAN_BIN" --store "$STORE" fire alarm.high_severity >/dev/null
i=0
while [ "$(db "SELECT count(*) FROM attempts")" -lt 2 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
for loc in C.UTF-8 C; do
	if [ $loc = C ]; then dot=-; ok=ok; bar="|"; else dot=·; ok=✓; bar=│; fi
	fresh_server
	$TM new-session -d -x 80 -y 24 "env LANG=$loc LC_ALL=$loc TZ=UTC HOME=$T/home HOOKMAN_AUTOSTART=0 HOOKMAN_DATADIR=$HOOKMAN_DATADIR $HOOKMAN_BIN --store '$STORE'; echo EXIT=\$?; sleep 60"
	wait_for "hookman $dot 1/3 $dot by name"
	wait_for "Detection 1/2"
	keys End
	wait_for "hookman $dot 3/3"
	keys s
	wait_for "by last activity"
	wait_for "sorted by last activity"
	keys s s
	wait_for "by name"
	keys / is:disabled Enter
	wait_for "1/1 $dot by name (3 in all)"
	wait_for "gamma off"
	wait_gone "alpha ok"
	keys Escape
	wait_for "alpha ok"
	keys / is:failing Enter
	wait_for "beta down"
	wait_gone "alpha ok"
	keys Escape
	wait_for "alpha ok"
	keys / 127.0.0.1:9 Enter
	wait_gone "alpha ok"
	keys Escape
	wait_for "alpha ok"
	# A click on the third row selects it.
	keys -l "$(printf '\033[M !$')"
	wait_for "hookman $dot 2/3"
	# A message longer than the line wraps, and m shows the log.
	keys Home t
	wait_for "Test send"
	keys Escape
	wait_gone "Test send"
	keys m
	wait_for "Messages, newest first"
	wait_for "sorted by last activity"
	keys Escape
	wait_gone "Messages, newest first"
	# The deliveries of a failing webhook: its retry and the strip.
	keys Down
	wait_for "hookman $dot 2/3"
	keys l
	wait_for "Deliveries of beta down"
	wait_for "24h"
	wait_for " ok $dot "
	wait_for " failed"
	wait_for "retry in "
	keys Escape
	wait_for "F1Help"
	# The form at 70x20 says the terminal is too small for it; the list
	# still works there.
	$TM resize-window -x 70 -y 20
	wait_for "alpha ok"
	keys Home e
	wait_for "too small for the form"
	$TM resize-window -x 80 -y 24
	wait_for "Edit webhook: alpha ok"
	wait_for "$ok valid JSON"
	# The reproduction: a write by another process while the form was
	# open crashed the interface (the form had no reload).
	"$HOOKMAN_BIN" --store "$STORE" edit "alpha ok" --timeout 20 >/dev/null
	wait_for "this webhook was changed elsewhere since you opened it"
	# Wide: the spark line column.
	keys Escape
	wait_for "F1Help"
	$TM resize-window -x 130 -y 24
	wait_for "LAST 24H"
	$TM resize-window -x 80 -y 24
	wait_gone "LAST 24H"
	# Line editing, the payload's verdict in words, and a wrapped
	# message, in a new form.
	keys n
	wait_for "New webhook"
	keys "alpha beta-gamma"
	wait_for "alpha beta-gamma"
	keys M-BSpace
	wait_gone "beta-gamma"
	wait_for "alpha beta-"
	screen | grep -q "Discard changes" && fail "Alt-Backspace read as Esc in $loc" || pass
	keys Tab Tab Tab Tab Down End BSpace
	wait_for "line 3, column 3: ',' or '}' expected after the value"
	keys ","
	wait_for "$ok valid JSON"
	keys C-s
	wait_for "Nothing was saved: fix these"
	keys Escape
	wait_gone "Nothing was saved"
	wait_for "not saved: URL: URL is empty; give the receiver's"
	wait_for "Events: no events chosen; subscribe to at least one"
	keys Escape
	wait_for "Discard changes"
	keys y
	wait_for "changes discarded"
	# The fire confirmation counts the webhooks that get the event.
	keys f
	wait_for "Fire which event?"
	keys 1
	wait_for "It goes to the 2 enabled webhooks subscribed to it."
	keys n
	wait_gone "Fire an event"
	if [ $loc = C ]; then
		screen | LC_ALL=C grep -q "$(printf '[\200-\377]')" && fail "bytes that are not ASCII on a C screen" || pass
	fi
	keys q
	wait_for "EXIT=0"
done
"$HOOKMAN_BIN" --store "$STORE" sender stop >/dev/null
kill "$sink_pid"
STORE=$main_store

test_case "other terminals: vt100, linux, screen, NO_COLOR"
for term in vt100 linux screen; do
	fresh_server
	$TM new-session -d -x 80 -y 24 "env TERM=$term NO_COLOR=1 LANG=C.UTF-8 HOME=$T/home HOOKMAN_AUTOSTART=0 HOOKMAN_DATADIR=$HOOKMAN_DATADIR $HOOKMAN_BIN --store '$STORE'; echo EXIT=\$?; sleep 60"
	wait_for "pasted"
	wait_for "F1Help"
	keys q
	wait_for "EXIT=0"
done

summary
