# The terminal tests' tmux harness: a private tmux server (socket
# $TUI_SOCKET, set before sourcing) at a pinned TERM, the screen read with
# capture-pane, keys sent with send-keys, waits polled with a deadline.
# Needs $T (tests/cli/lib.sh).
: "${TUI_SOCKET:?set TUI_SOCKET before sourcing tests/tui/lib.sh}"
export TMUX_TMPDIR="$T/tmux"
mkdir -p "$TMUX_TMPDIR" "$T/home"
# The pane's TERM must be what tmux encodes keys for: tmux-256color.
echo 'set -g default-terminal tmux-256color' >"$T/tmux.conf"
TM="tmux -L $TUI_SOCKET -f $T/tmux.conf"

screen() { $TM capture-pane -p; }
# wait_for TEXT: poll the screen until it shows TEXT (5 s at most, times
# PATIENCE).
wait_for() {
	i=0
	while ! screen | grep -qF -- "$1"; do
		i=$((i + 1))
		if [ $i -gt $((100 * ${PATIENCE:-1})) ]; then
			fail "screen never showed: $1"
			screen | sed 's/^/  | /'
			return 1
		fi
		sleep 0.05
	done
	pass
}
wait_gone() {
	i=0
	while screen | grep -qF -- "$1"; do
		i=$((i + 1))
		[ $i -gt 100 ] && { fail "screen still shows: $1"; return 1; }
		sleep 0.05
	done
	pass
}
keys() { $TM send-keys "$@"; }
# A fresh tmux server: wait until the old one is gone, or the new session
# would land in it as it dies.
fresh_server() {
	$TM kill-server 2>/dev/null
	i=0
	while $TM has-session 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	sleep 0.1
}
