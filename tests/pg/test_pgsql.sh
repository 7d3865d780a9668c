#!/bin/sh
# The PostgreSQL side of the statement layer (src/core/pgsql) against a
# real server: the Check suite tests/unit/test_pgsql with its server cases
# on, on a throwaway cluster of its own (tests/pg/lib.sh).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
: "${PGSQL_SUITE:?set PGSQL_SUITE to the built tests/unit/test_pgsql}"

test_case "statements on a real server"
pg_start
HOOKMAN_TEST_PG=1 CK_VERBOSITY=normal "$PGSQL_SUITE" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 0
expect_out "100%: Checks: 4, Failures: 0, Errors: 0"
pg_stop

summary
