# Helpers for the CLI tests: run the built hookman against a private store
# and assert on what it printed, its exit status and the store's contents.
# Each check counts as one test; the summary line is "N passed, N failed".

: "${HOOKMAN_BIN:?set HOOKMAN_BIN to the built hookman}"
: "${HOOKMAN_DATADIR:?set HOOKMAN_DATADIR to the source tree data/}"
export LC_ALL=C.UTF-8 TZ=UTC
unset HOOKMAN_STORE HOOKMAN_RUN_DIR XDG_DATA_HOME
# No daemon outlives a test: fire and redeliver only queue.
export HOOKMAN_AUTOSTART=0

T=$(mktemp -d "${TMPDIR:-/tmp}/hookman-cli-XXXXXX")
trap 'rm -rf "$T"' EXIT
passed=0
failed=0
skipped=0
current=""

# The backend the test's stores are on (issue 15), HOOKMAN_TEST_DB:
#   sqlite (or unset)  a store directory under $T, as a user has by default
#   postgresql         a database of the test's own on a throwaway cluster:
#                      the one HOOKMAN_TEST_PGHOST (its socket directory)
#                      and HOOKMAN_TEST_PGPORT name, shared by the suites of
#                      a run (make check-postgresql starts it; a database is
#                      far quicker to make than a cluster), else one that
#                      tests/pg/lib.sh starts for this script alone
# On PostgreSQL hookmand's lock, socket and log are in a run directory of
# the store's under $T/run: the default one per store URI under
# XDG_RUNTIME_DIR, as a SQLite store has them in its own directory (with
# one HOOKMAN_RUN_DIR for all, two stores' senders would be one).
TEST_DB=${HOOKMAN_TEST_DB:-sqlite}
case $TEST_DB in
sqlite) ;;
postgresql)
	. "$(dirname "$0")/../pg/lib.sh"
	if [ -n "${HOOKMAN_TEST_PGHOST:-}" ]; then
		export PGHOST="$HOOKMAN_TEST_PGHOST" PGPORT="${HOOKMAN_TEST_PGPORT:?set HOOKMAN_TEST_PGPORT with HOOKMAN_TEST_PGHOST}"
		unset PGDATABASE PGUSER
	else
		pg_start || exit 99
	fi
	# The databases of this script: the prefix is $T's unique part, in hex
	# (database names fold case; $T's do not).
	PG_STORES="hm_$(printf '%s' "${T##*-}" | od -An -v -tx1 | tr -d ' \n')"
	export XDG_RUNTIME_DIR="$T/run" ;;
*)
	echo "HOOKMAN_TEST_DB=$TEST_DB: the backend is sqlite or postgresql" >&2
	exit 99 ;;
esac

# test_cleanup: remove $T and what the test's stores hold elsewhere (their
# databases on a shared cluster, this script's own cluster). Every EXIT
# trap ends with it.
test_cleanup() {
	if [ "$TEST_DB" = postgresql ]; then
		if [ -n "${HOOKMAN_TEST_PGHOST:-}" ]; then
			"$PG_BIN/psql" -XAtq -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE '${PG_STORES}_%'" |
				while read -r pg_db; do
					"$PG_BIN/psql" -XAtq -d postgres -c "DROP DATABASE \"$pg_db\" WITH (FORCE)"
				done
		else
			pg_stop
		fi
	fi
	rm -rf "$T"
}
trap test_cleanup EXIT

# new_store NAME: point STORE at a new, empty store: the directory $T/NAME
# on SQLite (hookman makes it), a new database on PostgreSQL, by its URI.
new_store() {
	case $TEST_DB in
	sqlite) STORE="$T/$1" ;;
	postgresql)
		pg_db="${PG_STORES}_$(printf '%s' "$1" | tr -c 'A-Za-z0-9' _ | tr A-Z a-z)"
		"$PG_BIN/createdb" "$pg_db" || { echo "new_store: cannot create the database $pg_db for the store $1" >&2; exit 99; }
		STORE="postgresql:///$pg_db?host=$PGHOST&port=$PGPORT" ;;
	esac
}
new_store store

# sqlite_only WHAT: true on SQLite; on another backend, say that the
# checks of WHAT, which only a SQLite store has, are skipped, and be false:
#   if sqlite_only "the store file's mode"; then ...; fi
# What it skips counts neither as passed nor as failed.
sqlite_only() {
	[ "$TEST_DB" = sqlite ] && return 0
	skipped=$((skipped + 1))
	printf 'SKIPPED [%s] on %s: %s (SQLite only)\n' "$current" "$TEST_DB" "$1"
	return 1
}

# db SQL: run SQL on the test store; rows on stdout, columns split by '|',
# NULL empty, as sqlite3 prints them (psql -At prints a boolean as t or f).
db() {
	case $TEST_DB in
	sqlite) sqlite3 -batch "$STORE/hookman.db" "$1" ;;
	postgresql) "$PG_BIN/psql" -XAtq -v ON_ERROR_STOP=1 -d "$STORE" -c "$1" ;;
	esac
}
# db_true SQL: the query prints true (1 on SQLite, t on PostgreSQL).
db_true() {
	case $(db "$1") in
	1 | t) return 0 ;;
	esac
	return 1
}

# db_refuse NAME WRITE TABLE CONDITION MESSAGE: a trigger NAME that makes
# the store refuse, saying MESSAGE, a row of TABLE that WRITE ("INSERT",
# "UPDATE OF state") would leave with CONDITION true (over NEW): a
# constraint or a damaged row as the test needs one.
db_refuse() {
	case $TEST_DB in
	sqlite) db "CREATE TRIGGER $1 BEFORE $2 ON $3 WHEN $4 BEGIN SELECT RAISE(ABORT, '$5'); END" ;;
	postgresql)
		# A trigger's WHEN may not hold a subquery: the function tests it.
		# A CHECK's SQLSTATE: the row's fault, as SQLite's ABORT is.
		db "CREATE FUNCTION $1() RETURNS trigger LANGUAGE plpgsql AS \$\$
			BEGIN IF $4 THEN RAISE EXCEPTION '$5' USING ERRCODE = 'check_violation'; END IF; RETURN NEW; END \$\$;
			CREATE TRIGGER $1 BEFORE $2 ON $3 FOR EACH ROW EXECUTE FUNCTION $1()" ;;
	esac
}

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
# On PostgreSQL, every row of every table in the store's schema, table by
# table, in key order; left out are the sequences (a refused insert may
# use a number up, as SQLite's rowids do not) and the senders table, where
# a running hookmand beats every few seconds whatever a command does.
store_sum() {
	case $TEST_DB in
	sqlite) sqlite3 -batch "$STORE/hookman.db" .dump ;;
	postgresql)
		printf '%s\n' "SELECT format('SELECT %L, t::text FROM %I t ORDER BY %s', c.relname, c.relname,
			coalesce((SELECT string_agg(format('t.%I', a.attname), ', ' ORDER BY k.n)
				FROM pg_index i, unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n), pg_attribute a
				WHERE i.indrelid = c.oid AND i.indisprimary AND a.attrelid = c.oid AND a.attnum = k.attnum),
				't::text'))
			FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
				AND c.relname <> 'senders'
			ORDER BY c.relname \\gexec" |
			"$PG_BIN/psql" -XAtq -v ON_ERROR_STOP=1 -d "$STORE" ;;
	esac | sha256sum | cut -d' ' -f1
}
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
	if [ "$skipped" = 0 ]; then
		echo "$passed passed, $failed failed"
	else
		echo "$passed passed, $failed failed, $skipped skipped (SQLite only)"
	fi
	[ "$failed" = 0 ]
}
