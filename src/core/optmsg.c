#include "optmsg.h"

#include <stdio.h>
#include <string.h>

void optmsg_refused(const char *arg, int optopt, char *out, size_t size)
{
	int n = (int)strcspn(arg, "=");

	/* getopt_long sets optopt for a known long option given a value it
	 * does not take, and for an unknown short option. */
	if (strncmp(arg, "--", 2) == 0)
		snprintf(out, size, optopt ? "option %.*s takes no value" : "unknown option %.*s", n, arg);
	else if (optopt > 0 && optopt < 0x80)
		snprintf(out, size, "unknown option -%c", optopt);
	else
		snprintf(out, size, "unknown option %s", arg);
}
