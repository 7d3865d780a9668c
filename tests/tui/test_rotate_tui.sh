#!/bin/sh
# R on the form's Secret field in a real terminal (tmux, 80x24), in a
# UTF-8 and in a C locale: a new secret, shown; Save keeps the old one
# signing for 24h, as 'hookman show' then says.
for tool in tmux sqlite3; do
	command -v $tool >/dev/null || { echo "SKIP: test_rotate_tui.sh needs $tool (apt-get install $tool)"; exit 77; }
done
. "$(dirname "$0")/../cli/lib.sh"
TUI_SOCKET=hookman-rotate
. "$(dirname "$0")/lib.sh"
trap '$TM kill-server 2>/dev/null; test_cleanup' EXIT
SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw

for loc in C.UTF-8 C; do
	test_case "R rotates the secret in the form ($loc)"
	new_store "store-$loc"
	mark='▸'
	[ "$loc" = C ] && mark='>'
	hm add --name ops --url http://127.0.0.1:9/x --events admin.login --secret "$SECRET"
	fresh_server
	$TM new-session -d -x 80 -y 24 "env LANG=$loc LC_ALL=$loc TZ=UTC HOME=$T/home HOOKMAN_AUTOSTART=0 HOOKMAN_DATADIR=$HOOKMAN_DATADIR $HOOKMAN_BIN --store '$STORE'; echo EXIT=\$?; sleep 60"
	wait_for "ops"
	keys e
	wait_for "${mark}Name"
	# Name, URL, Events, Formatting, Payload, then Secret.
	i=0
	while [ $i -lt 5 ]; do keys Tab; i=$((i + 1)); done
	wait_for "${mark}Secret"
	wait_for "whsec_****LaSw"
	wait_for "R rotate"
	keys R
	wait_for "new signing secret: give it to the receiver; after Save the old one"
	new=$(screen | grep -o 'whsec_[A-Za-z0-9+/=]\{40,\}' | head -n 1)
	[ -n "$new" ] && [ "$new" != "$SECRET" ] && pass || fail "the new secret is not shown in full"
	keys C-s
	wait_for "saved webhook \"ops\" with its new secret; the old one also signs"
	hm show ops
	expect_out "previous secret: whsec_****LaSw, accepted until "
	hm show ops --reveal
	expect_out "secret:     $new"
	db_true "SELECT secret_previous_until - $(date +%s)000 BETWEEN 86390000 AND 86410000 FROM webhooks" && pass || fail "the old secret does not stop 24h from now"
	keys q
	wait_for "EXIT=0"
done
summary
