#include "datadir.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

#ifndef PKGDATADIR
#error "PKGDATADIR must be defined by the build"
#endif

const char *const datadir_presets[] = { "slack", "teams", "jira", "servicenow", "generic", NULL };

const char *datadir_resolve(const char *opt)
{
	const char *env = getenv("HOOKMAN_DATADIR");

	if (opt && *opt)
		return opt;
	if (env && *env)
		return env;
	return PKGDATADIR;
}

int datadir_preset(const char *datadir, const char *name, char **payload,
		   enum format *format, char *err)
{
	char path[4096];
	json_error_t jerr;
	json_t *root = NULL, *tmpl;
	const char *fmt;
	size_t i;

	for (i = 0; datadir_presets[i]; i++)
		if (strcmp(name, datadir_presets[i]) == 0)
			break;
	if (!datadir_presets[i]) {
		err_set(err, "unknown preset \"%s\" (choose slack, teams, jira, servicenow or generic)", name);
		return -1;
	}
	snprintf(path, sizeof path, "%s/presets/%s.json", datadir, name);
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		err_set(err, "cannot load preset %s: %s", path, jerr.text);
		return -1;
	}
	tmpl = json_object_get(root, "payload");
	fmt = json_string_value(json_object_get(root, "format"));
	if (!json_is_object(tmpl) || format_parse(fmt ? fmt : "default", format, err) < 0) {
		err_set(err, "preset %s needs a \"payload\" object and a valid \"format\"", path);
		json_decref(root);
		return -1;
	}
	*payload = json_dumps(tmpl, JSON_INDENT(2));
	json_decref(root);
	if (!*payload) {
		err_oom(err, "preset");
		return -1;
	}
	return 0;
}
