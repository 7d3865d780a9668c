/* Words for an option getopt_long refused, shared by hookman and
 * hookmand so that both say the same thing the same way. */
#ifndef HOOKMAN_OPTMSG_H
#define HOOKMAN_OPTMSG_H

#include <stddef.h>

/* arg is the refused argument (argv[optind - 1]) and optopt getopt's
 * optopt after it returned '?'. Writes "unknown option --x" (the value of
 * --x=v left out), "option --x takes no value" or "unknown option -z" into
 * out (size bytes, always terminated). */
void optmsg_refused(const char *arg, int optopt, char *out, size_t size);

#endif
