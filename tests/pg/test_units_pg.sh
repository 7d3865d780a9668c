#!/bin/sh
# The Check suites that open a store, on PostgreSQL: each runs with
# HOOKMAN_TEST_DB=postgresql (tests/unit/testutil.c gives every test a
# schema of its own, and fails it when the store did not land there)
# against a throwaway cluster (tests/pg/lib.sh), and says what its Check
# summary says. A suite passes when it ran cases (the ones only SQLite
# has are not registered on PostgreSQL) and all of them passed.
# PG_UNIT_SUITES="queue audit" runs only those.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
: "${UNIT_DIR:?set UNIT_DIR to the built tests/unit}"

SUITES=${PG_UNIT_SUITES:-"store prune rerender queue activity screens fanout coalesce metrics holds audit"}

test_case "the cluster"
pg_start || { fail "pg_start failed"; summary; exit 1; }
pass

all_passed=1
for suite in $SUITES; do
	test_case "test_$suite on PostgreSQL"
	# From $T: whatever a store_open that missed the server makes lands
	# there, not in the tree.
	(cd "$T" && HOOKMAN_TEST_DB=postgresql CK_VERBOSITY=normal "$UNIT_DIR/test_$suite") >"$T/out" 2>"$T/err"
	rc=$?
	echo "# test_$suite: $(grep -F 'Checks:' "$T/out" || echo "no Check summary (exit status $rc)")"
	# The cases that failed (in the test, its setup or by an error), with
	# Check's reason, one line each.
	grep -E ':[EFS]:' "$T/out" | sed 's/^/#   /'
	if [ "$rc" = 0 ] && grep -qxE '100%: Checks: [1-9][0-9]*, Failures: 0, Errors: 0' "$T/out"; then
		pass
	else
		all_passed=0
		fail "exit status $rc; expected \"100%: Checks: N, Failures: 0, Errors: 0\" with N > 0"
	fi
done

# A test that fails ends before its teardown and leaves its schema; when
# all passed, tu_store_close dropped every one.
if [ "$all_passed" = 1 ]; then
	test_case "every test's schema dropped"
	left=$(pg_sql "SELECT string_agg(nspname, ' ') FROM pg_namespace WHERE nspname LIKE 't\\_%'")
	[ -z "$left" ] && pass || fail "schemas left behind: $left"
fi

summary
