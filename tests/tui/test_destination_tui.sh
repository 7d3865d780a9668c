#!/bin/sh
# The form's destination warning in a real terminal (tmux, 80x24), in a
# UTF-8 and in a C locale: a Slack URL with a payload lacking "text" and
# "blocks" shows Slack's rule under the payload's verdict, a URL on
# 127.0.0.1 shows none, and the warning never stops the save.
for tool in tmux sqlite3; do
	command -v $tool >/dev/null || { echo "SKIP: test_destination_tui.sh needs $tool (apt-get install $tool)"; exit 77; }
done
. "$(dirname "$0")/../cli/lib.sh"
TUI_SOCKET=hookman-dest
. "$(dirname "$0")/lib.sh"
trap '$TM kill-server 2>/dev/null; test_cleanup' EXIT


for loc in C.UTF-8 C; do
	test_case "the form warns about a Slack body without text or blocks ($loc)"
	new_store "store-$loc"
	fresh_server
	$TM new-session -d -x 80 -y 24 "env LANG=$loc LC_ALL=$loc TZ=UTC HOME=$T/home HOOKMAN_AUTOSTART=0 HOOKMAN_DATADIR=$HOOKMAN_DATADIR $HOOKMAN_BIN --store '$STORE'; echo EXIT=\$?; sleep 60"
	wait_for "No webhooks yet."
	keys n
	wait_for "New webhook"
	keys "s" Tab "http://127.0.0.1:9/services/hooks.slack.com"
	wait_for "127.0.0.1:9/services/hooks.slack.com"
	screen | grep -qF 'Slack needs' && fail "a URL on 127.0.0.1 was taken for Slack" || pass
	keys C-u "https://hooks.slack.com/services/T0/B0/X"
	wait_for 'Slack needs "text" or "blocks" at the top level;'
	screen | sed -n '/valid JSON/,$p' | sed -n 2p | grep -qF 'Slack needs' && pass ||
		fail "the warning is not right under the verdict: $(screen)"
	if [ "$loc" = C ]; then
		screen | LC_ALL=C grep -q "$(printf '[\200-\377]')" && fail "bytes that are not ASCII on a C screen" || pass
	fi
	# Events: the first one; then save despite the warning.
	keys Tab Space C-s
	wait_for 'webhook "s"'
	wait_gone 'Slack needs'
	hm show s --reveal
	expect_out "https://hooks.slack.com/services/T0/B0/X"
	keys q
	wait_for "EXIT=0"
done

summary
