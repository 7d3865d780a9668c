# Helpers for the CLI tests: run the built hookman against a private store
# and assert on what it printed, its exit status and the store's contents.
# Each check counts as one test; the summary line is "N passed, N failed".

: "${HOOKMAN_BIN:?set HOOKMAN_BIN to the built hookman}"
: "${HOOKMAN_DATADIR:?set HOOKMAN_DATADIR to the source tree data/}"
export LC_ALL=C.UTF-8 TZ=UTC
unset HOOKMAN_STORE XDG_DATA_HOME
# No daemon outlives a test: fire and redeliver only queue.
export HOOKMAN_AUTOSTART=0

T=$(mktemp -d "${TMPDIR:-/tmp}/hookman-cli-XXXXXX")
trap 'rm -rf "$T"' EXIT
STORE="$T/store"
passed=0
failed=0
current=""

pass() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	printf 'FAIL [%s]: %s\n' "$current" "$*"
	printf '  stdout: %s\n' "$(head -c 600 "$T/out")"
	printf '  stderr: %s\n' "$(head -c 600 "$T/err")"
}

# test NAME: start a named group of checks.
test_case() { current=$1; }

# hm ARGS...: run hookman on the test store; sets $rc, output in $T/out, $T/err.
hm() {
	"$HOOKMAN_BIN" --store "$STORE" "$@" >"$T/out" 2>"$T/err"
	rc=$?
}

# hm_in INPUT ARGS...: the same with INPUT on standard input.
hm_in() {
	input=$1
	shift
	printf '%s' "$input" | "$HOOKMAN_BIN" --store "$STORE" "$@" >"$T/out" 2>"$T/err"
	rc=$?
}

expect_rc() { [ "$rc" = "$1" ] && pass || fail "exit status $rc, expected $1"; }
expect_out() { grep -qF -- "$1" "$T/out" && pass || fail "stdout lacks: $1"; }
expect_no_out() { grep -qF -- "$1" "$T/out" && fail "stdout has: $1" || pass; }
expect_err() { grep -qF -- "$1" "$T/err" && pass || fail "stderr lacks: $1"; }
expect_no_err() { grep -qF -- "$1" "$T/err" && fail "stderr has: $1" || pass; }
expect_out_eq() { [ "$(cat "$T/out")" = "$1" ] && pass || fail "stdout is not exactly: $1"; }
expect_err_eq() { [ "$(cat "$T/err")" = "$1" ] && pass || fail "stderr is not exactly: $1"; }

# The store's logical contents, to prove a refused command changed nothing.
store_sum() { sqlite3 "$STORE/hookman.db" .dump | sha256sum | cut -d' ' -f1; }
snapshot() { before=$(store_sum); }
expect_unchanged() { [ "$(store_sum)" = "$before" ] && pass || fail "the store changed"; }

# refused EXPECTED_STDERR ARGS...: the command exits 1 with that message
# and leaves the store as it was.
refused() {
	msg=$1
	shift
	snapshot
	hm "$@"
	expect_rc 1
	expect_err "$msg"
	expect_unchanged
}

summary() {
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
}
