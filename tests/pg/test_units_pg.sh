#!/bin/sh
# The Check suites that open a store, on PostgreSQL: each runs with
# HOOKMAN_TEST_DB=postgresql (tests/unit/testutil.c gives every test a
# schema of its own) against a throwaway cluster (tests/pg/lib.sh), and
# says what its Check summary says. A suite passes when all its cases do,
# and as many ran as it registers on PostgreSQL (the cases only SQLite
# has are not registered there): a suite that ran nothing would pass on
# nothing.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
: "${UNIT_DIR:?set UNIT_DIR to the built tests/unit}"

# suite:checks, the cases each registers on PostgreSQL.
SUITES="store:5 prune:3 rerender:8 queue:21 activity:3 screens:11 fanout:6 coalesce:4 metrics:7 holds:5 audit:11"

test_case "the cluster"
pg_start || { fail "pg_start failed"; summary; exit 1; }
pass

all_passed=1
for entry in $SUITES; do
	suite=${entry%:*}
	checks=${entry#*:}
	test_case "test_$suite on PostgreSQL"
	# From $T: whatever a store_open that missed the server makes lands
	# there, not in the tree.
	(cd "$T" && HOOKMAN_TEST_DB=postgresql CK_VERBOSITY=normal "$UNIT_DIR/test_$suite") >"$T/out" 2>"$T/err"
	rc=$?
	echo "# test_$suite: $(grep -F 'Checks:' "$T/out" || echo "no Check summary (exit status $rc)")"
	# The cases that failed (in the test, its setup or by an error), with
	# Check's reason, one line each.
	grep -E ':[EFS]:' "$T/out" | sed 's/^/#   /'
	want="100%: Checks: $checks, Failures: 0, Errors: 0"
	if [ "$rc" = 0 ] && grep -qxF "$want" "$T/out"; then
		pass
	else
		all_passed=0
		fail "exit status $rc; expected \"$want\""
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
