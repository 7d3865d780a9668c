#!/bin/sh
# The deliveries screen of all webhooks follows a running sender in a real
# terminal (tmux, 80x24, UTF-8 and C locale): new deliveries appear at the
# top within a second or two, the selection stays on its delivery while
# they arrive, and r redelivers that one to the real receiver.
command -v tmux >/dev/null || { echo "SKIP: test_deliveries_live.sh needs tmux (apt-get install tmux)"; exit 77; }
. "$(dirname "$0")/../sender/lib.sh"
TUI_SOCKET=hookman-live
. "$(dirname "$0")/lib.sh"
trap '$TM kill-server 2>/dev/null; cleanup' EXIT

# start_tui LOCALE: the interface on the store in a fresh tmux server.
start_tui() {
	fresh_server
	$TM new-session -d -x 80 -y 24 "env LANG=$1 LC_ALL=$1 TZ=UTC HOME=$T/home HOOKMAN_AUTOSTART=0 HOOKMAN_DATADIR=$HOOKMAN_DATADIR HOOKMAND=$HOOKMAND $HOOKMAN_BIN --store '$STORE'; echo EXIT=\$?; sleep 60"
}
fire() { "$HOOKMAN_BIN" --store "$STORE" fire admin.login --title "$1" >/dev/null; }
# received ID: how many requests the receiver got for delivery ID.
received() { jq -r '.headers["webhook-id"]' "$SINKLOG" | grep -cx "$(db "SELECT uid FROM deliveries WHERE id = $1")"; }
received_twice() { [ "$(received "$1")" = 2 ]; }

hm add --name alpha --url "$BASE/ok/a" --events admin.login
hm add --name "bêta" --url "$BASE/ok/b" --events admin.login
start_daemon
fire one
fire two
wait_until "SELECT count(*) = 4 FROM deliveries WHERE state = 'delivered'"

# shown_delivered N: the screen shows at least N rows delivered.
shown_delivered() { [ "$(screen | grep -c 'delivered')" -ge "$1" ]; }

for loc in C.UTF-8 C; do
	test_case "the deliveries of all webhooks follow the sender ($loc)"
	if [ $loc = C ]; then dot=- times=x; else dot=· times=×; fi
	before=$(db "SELECT count(*) FROM deliveries")
	start_tui $loc
	wait_for "alpha"
	keys F6
	wait_for "Deliveries of alpha $dot following"
	keys a
	wait_for "Deliveries of all webhooks $dot following $dot 1/$before"
	keys Down Down
	wait_for "Deliveries of all webhooks $dot following $dot 3/$before"
	chosen=$(db "SELECT id FROM deliveries ORDER BY id DESC LIMIT 1 OFFSET 2")
	fire three
	fire four
	fire five
	# Six new rows on top: the selection moved down with its delivery.
	wait_for "Deliveries of all webhooks $dot following $dot 9/$((before + 6))"
	wait_until "SELECT count(*) = 0 FROM deliveries WHERE state != 'delivered'"
	# The store says delivered first; the screen follows at its next look.
	poll "the new deliveries are not shown delivered" shown_delivered 10
	keys r
	wait_for "Send delivery $chosen (admin.login to"
	wait_for "The receiver got it already and gets it once more."
	keys y
	wait_for "delivery $chosen queued again"
	poll "the receiver did not get delivery $chosen again" received_twice "$chosen"
	wait_for "delivered ${times}2 200"
	if [ $loc = C ]; then
		screen | LC_ALL=C grep -q "$(printf '[\200-\377]')" && fail "bytes that are not ASCII on a C screen" || pass
	fi
	keys q q
	wait_for "EXIT=0"
done

$TM kill-server 2>/dev/null
stop_daemon
summary
