#!/bin/sh
# R in the deliveries screen, in a real terminal (tmux at 80x24, UTF-8 and
# C locale): the stored body against what the webhook's current payload
# gives, v for the whole diff, y sends the new body to the real receiver;
# with nothing changed, plain redelivery is offered.
for tool in tmux jq sqlite3; do
	command -v $tool >/dev/null || { echo "SKIP: test_rerender_tui.sh needs $tool (apt-get install $tool)"; exit 77; }
done
. "$(dirname "$0")/../cli/lib.sh"
: "${SINK:?set SINK to the built test receiver}"
: "${HOOKMAND:?set HOOKMAND to the built hookmand}"
export HOOKMAND
TUI_SOCKET=hookman-rerender
. "$(dirname "$0")/lib.sh"
"$SINK" "$T/port" "$T/sink.log" &
sink_pid=$!
trap '$TM kill-server 2>/dev/null; "$HOOKMAN_BIN" --store "$STORE" sender stop >/dev/null 2>&1; kill "$sink_pid" 2>/dev/null; test_cleanup' EXIT

# db_wait SQL: poll the store until the query prints true (10 s at most).
db_wait() {
	i=0
	while ! db_true "$1"; do
		i=$((i + 1))
		[ $i -gt 200 ] && { fail "timed out waiting for: $1"; return 1; }
		sleep 0.05
	done
	pass
}

i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(cat "$T/port")
printf '{"title": "$Title", "event": "$Event"}' >"$T/p1.json"
printf '{"headline": "$Title", "event": "$Event"}' >"$T/p2.json"
printf '{"summary": "$Title", "event": "$Event"}' >"$T/p3.json"
hm add --name rr --url "http://127.0.0.1:$PORT/rr" --events alarm.high_severity --payload "@$T/p1.json"
hm sender start
hm fire alarm.high_severity --title 'Disk full'
db_wait "SELECT count(*) = 1 FROM deliveries WHERE state = 'delivered'"
uid=$(db "SELECT uid FROM deliveries")
attempts=1
for loc in C.UTF-8 C; do
	test_case "R in the deliveries ($loc)"
	if [ $loc = C ]; then payload=p3; key=summary; dot=-; else payload=p2; key=headline; dot=·; fi
	hm edit rr --payload "@$T/$payload.json"
	fresh_server
	$TM new-session -d -x 80 -y 24 "env LANG=$loc LC_ALL=$loc TZ=UTC HOME=$T/home HOOKMAN_AUTOSTART=0 HOOKMAN_DATADIR=$HOOKMAN_DATADIR $HOOKMAN_BIN --store '$STORE'; echo EXIT=\$?; sleep 60"
	wait_for "hookman $dot 1/1"
	keys l
	wait_for "Deliveries of rr"
	keys R
	wait_for "Redeliver with the current payload"
	wait_for "(1 line removed, 1 added)"
	wait_for "y  send the new body"
	wait_for "+  \"$key\": \"Disk full\","
	keys v
	wait_for "Stored body against now"
	wait_for "+++ now"
	# The view is closed before R, or Escape R would read as Alt-R.
	keys Escape
	wait_gone "Stored body against now"
	keys R
	wait_for "Redeliver with the current payload"
	keys y
	wait_for "delivery 1 queued again with the new body"
	attempts=$((attempts + 1))
	db_wait "SELECT count(*) = 1 FROM deliveries WHERE state = 'delivered' AND attempts = $attempts"
	req=$(jq -c 'select(.path == "/rr")' "$T/sink.log" | tail -n 1)
	[ "$(printf '%s\n' "$req" | jq -r .body | jq -r ".$key")" = "Disk full" ] && pass || fail "the receiver did not get the new body: $req"
	[ "$(printf '%s\n' "$req" | jq -r '.headers["webhook-id"]')" = "$uid" ] && pass || fail "the webhook-id changed"
	# Nothing differs now: plain redelivery is offered.
	keys R
	wait_for "Redeliver: the body is the same"
	wait_for "current payload gives delivery 1 the body it has"
	keys n
	wait_for "Deliveries of rr"
	if [ $loc = C ]; then
		screen | LC_ALL=C grep -q "$(printf '[\200-\377]')" && fail "bytes that are not ASCII on a C screen" || pass
	fi
	keys q q
	wait_for "EXIT=0"
done
summary
