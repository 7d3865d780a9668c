#include "timefmt.h"

#include <stdio.h>
#include <time.h>

void timefmt_utc(long long ms, enum timefmt how, char *out, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	size_t n = 0;

	if (ms > 0 && gmtime_r(&t, &tm)) {
		if (how == TIMEFMT_FULL)
			n = strftime(out, size, "%Y-%m-%d %H:%M:%S", &tm);
		else if (how == TIMEFMT_DAY)
			n = strftime(out, size, "%m-%d %H:%M:%S", &tm);
		else
			n = strftime(out, size, "%H:%M:%S", &tm);
	}
	if (n == 0)
		snprintf(out, size, "-");
}
