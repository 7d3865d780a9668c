#!/bin/sh
# The interface in the audit record, in a real terminal (tmux, 80x24, in
# a UTF-8 and in a C locale), against a real receiver on 127.0.0.1:
# opening it sends audit.login, a webhook switched off in the list sends
# audit.update through "tui", a saved secret shown in the form (r) sends
# audit.download, leaving it sends audit.logout with how long the session
# was; each says who, from which SSH client.
command -v tmux >/dev/null || { echo "SKIP: test_audit_tui.sh needs tmux (apt-get install tmux)"; exit 77; }
. "$(dirname "$0")/../sender/lib.sh"
TUI_SOCKET=hookman-audit
. "$(dirname "$0")/lib.sh"
trap '$TM kill-server 2>/dev/null; cleanup' EXIT

# received PATH: the data of the audit events PATH got, one per line.
received() { requests "$1" | jq -c '.body | fromjson | .message | fromjson | .data'; }
received_n() { [ "$(requests "$1" | wc -l)" = "$2" ]; }

for loc in C.UTF-8 C; do
	test_case "login, a change and logout through the interface ($loc)"
	new_store "store-$loc"
	path=/siem-$loc
	hm add --name siem --url "$BASE$path" --events audit.login,audit.update,audit.logout,audit.download \
		--payload '{"title": "$Title", "message": "$Event"}' --gen-secret >/dev/null
	hm add --name pager --url http://127.0.0.1:9/p --events admin.login
	start_daemon --schedule 200ms --no-jitter
	fresh_server
	$TM new-session -d -x 80 -y 24 "env LANG=$loc LC_ALL=$loc TZ=UTC HOME=$T/home SSH_CONNECTION='203.0.113.5 40000 10.0.0.2 22' HOOKMAN_AUTOSTART=0 HOOKMAN_DATADIR=$HOOKMAN_DATADIR $HOOKMAN_BIN --store '$STORE'; echo EXIT=\$?; sleep 60"
	wait_for "pager"
	poll "the login never arrived" received_n "$path" 1
	[ "$(received "$path" | jq -r '[.action, .via, .source_ip, .object] | join(" ")')" = "login tui 203.0.113.5 opened the interface" ] &&
		pass || fail "login: $(received "$path")"
	# The list is sorted by name: pager first.
	keys Space
	wait_for "webhook \"pager\" disabled"
	poll "the change never arrived" received_n "$path" 2
	[ "$(received "$path" | tail -n 1 | jq -r '[.action, .via, .object, .changes[0].field, .changes[0].to] | join("|")')" = \
	  'update|tui|disabled webhook "pager"|enabled|no' ] && pass || fail "update: $(received "$path" | tail -n 1)"
	# r on a saved secret shows it: a download, as show --reveal is.
	mark='▸'
	[ "$loc" = C ] && mark='>'
	keys Down e
	wait_for "${mark}Name"
	i=0
	while [ $i -lt 5 ]; do keys Tab; i=$((i + 1)); done
	wait_for "${mark}Secret"
	keys r
	poll "the reveal never arrived" received_n "$path" 3
	[ "$(received "$path" | tail -n 1 | jq -r '[.action, .via, .webhook, .object] | join("|")')" = \
	  'download|tui|siem|revealed the secret of webhook "siem" in the form' ] && pass || fail "reveal: $(received "$path" | tail -n 1)"
	keys r Escape
	wait_for "pager"
	keys q
	wait_for "EXIT=0"
	poll "the logout never arrived" received_n "$path" 4
	received "$path" | tail -n 1 | jq -r '[.action, .via, .object] | join(" ")' | grep -qE '^logout tui closed the interface after [0-9]+(\.[0-9]+)?(ms|s)' &&
		pass || fail "logout: $(received "$path" | tail -n 1)"
	hm audit
	expect_out "(ssh 203.0.113.5) via tui: opened the interface"
	expect_out "(ssh 203.0.113.5) via tui: closed the interface after"
	stop_daemon
done
summary
