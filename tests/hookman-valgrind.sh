#!/bin/sh
# hookman under valgrind, for the CLI tests run by make check-valgrind.
exec "$(dirname "$0")/valgrind-wrap.sh" "$HOOKMAN_REAL" "$@"
