#include "datadir.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"

#ifndef PKGDATADIR
#error "PKGDATADIR must be defined by the build"
#endif

const char *const datadir_presets[] = { "slack", "teams", "teams-connector", "jira", "servicenow", "generic", NULL };

/* An uninstalled build runs from the source tree: src/hookman finds
 * ../data next to itself when nothing is installed yet. */
static const char *beside_binary(void)
{
	static char path[4200];
	char exe[4096], probe[4200], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	snprintf(probe, sizeof probe, "%s/../data/events.json", exe);
	if (access(probe, R_OK) != 0)
		return NULL;
	snprintf(path, sizeof path, "%s/../data", exe);
	return path;
}

const char *datadir_resolve(const char *opt)
{
	const char *env = getenv("HOOKMAN_DATADIR"), *local;

	if (opt && *opt)
		return opt;
	if (env && *env)
		return env;
	if (access(PKGDATADIR "/events.json", R_OK) != 0 && (local = beside_binary()))
		return local;
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
		err_setk(err, ERR_INVALID, "unknown preset \"%s\" (choose slack, teams, teams-connector, jira, servicenow or generic)", name);
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
