# Helpers for the sender tests: the CLI test helpers, a real HTTP receiver
# on 127.0.0.1 (tests/sender/sink, its log in $SINKLOG, its base URL in
# $BASE), and hookmand started, polled and stopped on the test store.
for tool in jq openssl sqlite3; do
	command -v $tool >/dev/null || { echo "SKIP: the sender tests need $tool (apt-get install $tool)"; exit 77; }
done
. "$(dirname "$0")/../cli/lib.sh"
: "${HOOKMAND:?set HOOKMAND to the built hookmand}"
: "${SINK:?set SINK to the built test receiver}"
export HOOKMAND HOOKMAN_AUTOSTART=0

SINKLOG="$T/sink.log"
"$SINK" "$T/port" "$SINKLOG" &
sink_pid=$!
daemon_pid=""
cleanup() {
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
	kill "$sink_pid" 2>/dev/null
	test_cleanup
}
trap cleanup EXIT
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(cat "$T/port")
BASE="http://127.0.0.1:$PORT"
SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw

# How many times longer to wait for the daemon: 10 under valgrind.
PATIENCE=${TEST_PATIENCE:-1}
# wait_until SQL: poll the store until the query prints true (20 s at most,
# times PATIENCE).
wait_until() { poll "timed out waiting for: $1" db_true "$1"; }
# poll FAILURE COMMAND...: run COMMAND until it succeeds (20 s at most,
# times PATIENCE); FAILURE is the message when it never does.
poll() {
	failure=$1
	shift
	i=0
	while ! "$@"; do
		i=$((i + 1))
		[ $i -gt $((400 * PATIENCE)) ] && { fail "$failure"; return 1; }
		sleep 0.05
	done
	pass
}
start_daemon() {
	"$HOOKMAND" --store "$STORE" --foreground --log "$T/daemon.log" "$@" &
	daemon_pid=$!
	i=0
	while ! "$HOOKMAN_BIN" --store "$STORE" sender status >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -gt $((200 * PATIENCE)) ] && { fail "hookmand did not start: $(cat "$T/daemon.log")"; return 1; }
		sleep 0.05
	done
}
# SIGTERM must end the daemon cleanly: exit 0, nothing from the sanitizers.
stop_daemon() {
	kill -TERM "$daemon_pid" 2>/dev/null
	wait "$daemon_pid"
	code=$?
	daemon_pid=""
	[ "$code" = 0 ] && pass || fail "hookmand exited $code on SIGTERM: $(tail -n 5 "$T/daemon.log")"
	grep -qE 'Sanitizer|runtime error' "$T/daemon.log" && fail "sanitizer report: $(grep -m3 -E 'Sanitizer|runtime error' "$T/daemon.log")" || pass
}
requests() { jq -c "select(.path == \"$1\")" "$SINKLOG"; }
# verifies SECRET REQUEST: a receiver holding SECRET accepts REQUEST (a
# line of the sink's log): one of the header's space-separated signatures
# is the HMAC-SHA256 of "id.timestamp.body" under the decoded key. The
# Standard Webhooks check, done with openssl, not with hookman's code.
verifies() {
	key=$(printf '%s' "${1#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \n')
	id=$(printf '%s\n' "$2" | jq -r '.headers["webhook-id"]')
	ts=$(printf '%s\n' "$2" | jq -r '.headers["webhook-timestamp"]')
	body=$(printf '%s\n' "$2" | jq -j .body)
	expect=$(printf '%s.%s.%s' "$id" "$ts" "$body" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -binary | base64)
	for sig in $(printf '%s\n' "$2" | jq -r '.headers["webhook-signature"]'); do
		[ "$sig" = "v1,$expect" ] && return 0
	done
	return 1
}
count_requests() { requests "$1" | wc -l; }

