#!/bin/sh
# with-cluster.sh COMMAND...: run COMMAND with one throwaway PostgreSQL
# cluster (tests/pg/lib.sh) for the shell suites run with
# HOOKMAN_TEST_DB=postgresql to make their databases on, named to them by
# HOOKMAN_TEST_PGHOST (the socket's directory) and HOOKMAN_TEST_PGPORT
# (make check-postgresql). Measured on the 2-core build machine under
# load: a script's databases cost it about 1 s (made and dropped), a
# cluster of its own 4.5 to 5 s (initdb, start, stop). The cluster is
# stopped and removed when COMMAND ends, however it ends; the status is
# COMMAND's.
T=$(mktemp -d "${TMPDIR:-/tmp}/hookman-pg-XXXXXX")
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"
pg_start || exit 1
export HOOKMAN_TEST_PGHOST="$PGHOST" HOOKMAN_TEST_PGPORT="$PGPORT"
"$@"
