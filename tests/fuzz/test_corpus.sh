#!/bin/sh
# Replay every fuzz target over its seed corpus, which also keeps each
# input that once crashed a target or broke a property: a regression test
# that runs without libFuzzer (and under the sanitizers in CI).
set -u
fail=0
for t in template import fireline retry fields sqltext; do
	out=$("${FUZZ_REPLAY}$t" "$FUZZ_CORPUS/$t" 2>&1)
	rc=$?
	n=$(printf '%s\n' "$out" | sed -n 's/.*: \([0-9]*\) inputs replayed$/\1/p')
	if [ $rc -ne 0 ] || [ -z "$n" ] || [ "$n" -lt 5 ]; then
		echo "not ok - $t: exit $rc, ${n:-no} inputs"
		printf '%s\n' "$out" | tail -n 30
		fail=1
	else
		echo "ok - $t: $n inputs"
	fi
done
exit $fail
