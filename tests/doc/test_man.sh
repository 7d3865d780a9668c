#!/bin/sh
# The man pages render without a single groff warning.
top=$(cd "$(dirname "$0")/../.." && pwd)
passed=0
failed=0
command -v groff >/dev/null || { echo "SKIP: test_man.sh needs groff (apt-get install groff-base)"; exit 77; }
for page in "$top/doc/hookman.1" "$top/doc/hookmand.8"; do
	out=$(groff -ww -z -man "$page" 2>&1)
	if [ -z "$out" ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: $page: $out"
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
