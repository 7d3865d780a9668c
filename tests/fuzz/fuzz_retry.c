/* Retry-After values (from any receiver on the network) and retry schedule
 * specs (from operators). Properties: a delay is -1 or within 0..the cap;
 * a parsed schedule has up to RETRY_MAX_STEPS steps of 0..7 days (none
 * only for ""), and ends after them. */
#include <stdlib.h>

#include "err.h"
#include "fuzz.h"
#include "retry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), err[ERR_MAX];
	struct retry_schedule rs;
	long long d;
	size_t i;

	d = retry_after_parse(s, 1764000000000LL);
	if (d < -1 || d > RETRY_AFTER_CAP_MS)
		fuzz_fail("Retry-After \"%s\" gave %lld ms", s, d);
	retry_default(&rs);
	if (retry_parse(&rs, s, err) == 0) {
		if ((rs.steps == 0) != (s[0] == '\0') || rs.steps > RETRY_MAX_STEPS)
			fuzz_fail("schedule \"%s\" has %zu steps", s, rs.steps);
		for (i = 0; i <= rs.steps; i++) {
			d = retry_delay(&rs, i, (unsigned)i * 2654435761u);
			if (i < rs.steps && (d < 0 || rs.delay_ms[i] > RETRY_DELAY_MAX_MS))
				fuzz_fail("schedule \"%s\": step %zu gave %lld", s, i, d);
			if (i == rs.steps && d != -1)
				fuzz_fail("schedule \"%s\" does not end after %zu steps", s, rs.steps);
		}
	}
	free(s);
	return 0;
}
