#!/bin/sh
# Run a program under valgrind memcheck for make check-valgrind: any
# invalid access or definitely lost block fails it (exit 99).
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite "$@"
