/* Where the catalog, samples and presets live, and the presets themselves. */
#ifndef HOOKMAN_DATADIR_H
#define HOOKMAN_DATADIR_H

#include "format.h"

/* opt when not NULL, else $HOOKMAN_DATADIR, else the installed
 * $(pkgdatadir). The returned string is opt, the environment's or static. */
const char *datadir_resolve(const char *opt);

/* Names of the presets, NULL-terminated: slack, teams (Teams Workflows,
 * an Adaptive Card), teams-connector (the retired Office 365 connector's
 * {"text": ...}), jira, servicenow, generic. */
extern const char *const datadir_presets[];

/* Load DATADIR/presets/NAME.json: *payload receives the template text
 * (pretty-printed, caller frees) and *format the preset's formatting.
 * Unknown names are refused listing the choices. */
int datadir_preset(const char *datadir, const char *name, char **payload,
		   enum format *format, char *err);

#endif
