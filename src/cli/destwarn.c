/* Destination warnings for add and edit (destwarn.h). */
#include <stdio.h>
#include <string.h>

#include "destination.h"
#include "destwarn.h"

void destwarn_webhook(struct cli *c, const struct webhook *wh)
{
	enum destination d = destination_for_url(wh->url);
	struct sbuf w;
	char err[ERR_MAX];
	const char *line, *nl;

	if (d == DEST_NONE)
		return;
	sbuf_init(&w);
	/* Advice about what was saved: a failure to check is only reported. */
	if (destination_check_payload(d, c->cat, wh->nevents ? wh->events[0] : NULL, wh->payload, wh->format, &w,
				      err) < 0)
		fprintf(stderr, "hookman: %s: warning: could not check the body for %s: %s\n", c->cmd,
			destination_name(d), err);
	for (line = sbuf_text(&w); (nl = strchr(line, '\n')); line = nl + 1)
		fprintf(stderr, "hookman: %s: warning: %.*s\n", c->cmd, (int)(nl - line), line);
	sbuf_release(&w);
}
