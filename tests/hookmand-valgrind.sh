#!/bin/sh
# hookmand under valgrind, for the sender tests run by make check-valgrind
# (exec keeps the pid the tests expect in messages and signals).
exec "$(dirname "$0")/valgrind-wrap.sh" "$HOOKMAND_REAL" "$@"
