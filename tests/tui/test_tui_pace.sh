#!/bin/sh
# The form's Rate and Retries fields in a real terminal (tmux, 80x24), in a
# UTF-8 and in a C locale: a bad value refused with the CLI's words, a good
# one saved and read back by 'hookman show' and by the form.
for tool in tmux sqlite3; do
	command -v $tool >/dev/null || { echo "SKIP: test_tui_pace.sh needs $tool (apt-get install $tool)"; exit 77; }
done
. "$(dirname "$0")/../cli/lib.sh"
TUI_SOCKET=hookman-pace
. "$(dirname "$0")/lib.sh"
trap '$TM kill-server 2>/dev/null; test_cleanup' EXIT


for loc in C.UTF-8 C; do
	test_case "the form's rate and retry schedule ($loc)"
	new_store "store-$loc"
	mark='▸'
	[ "$loc" = C ] && mark='>'
	hm add --name ops --url http://127.0.0.1:9/x --events admin.login --rate 5/10s
	fresh_server
	$TM new-session -d -x 80 -y 24 "env LANG=$loc LC_ALL=$loc TZ=UTC HOME=$T/home HOOKMAN_AUTOSTART=0 HOOKMAN_DATADIR=$HOOKMAN_DATADIR $HOOKMAN_BIN --store '$STORE'; echo EXIT=\$?; sleep 60"
	wait_for "ops"
	keys e
	wait_for "${mark}Name"
	wait_for "Rate 5/10s       Retries default"
	# Name, URL, Events, Formatting, Payload, Secret, Headers, Enabled,
	# Verify TLS, Timeout, then Rate.
	i=0
	while [ $i -lt 10 ]; do keys Tab; i=$((i + 1)); done
	wait_for "${mark}Rate"
	keys C-u "5/500ms" Tab
	wait_for "${mark}Retries"
	keys C-u "1s,x" C-s
	wait_for "Nothing was saved: fix these"
	wait_for 'Rate: rate "5/500ms": the period has an unknown unit; use s, m or h;'
	wait_for 'Retries: retry schedule "1s,x": step 2 is not a number'
	keys Escape
	wait_for "${mark}Rate"
	keys C-u "5/s" Tab C-u "1s,2s" C-s
	wait_for 'saved webhook "ops"'
	hm show ops
	expect_out "rate:       5/s"
	expect_out "retries:    1s,2s (then dead after 3 attempts)"
	keys e
	wait_for "Rate 5/s         Retries 1s,2s"
	# Emptied, the fields mean no limit and the global schedule.
	i=0
	while [ $i -lt 10 ]; do keys Tab; i=$((i + 1)); done
	wait_for "${mark}Rate"
	keys C-u Tab C-u C-s
	wait_for 'saved webhook "ops"'
	hm show ops
	expect_out "rate:       none (no limit)"
	expect_out "retries:    default"
	if [ "$loc" = C ]; then
		keys e
		wait_for ">Name"
		screen | LC_ALL=C grep -q "$(printf '[\200-\377]')" && fail "bytes that are not ASCII on a C screen" || pass
		keys Escape
		wait_for "F2New"
	fi
	keys q
	wait_for "EXIT=0"
done
summary
