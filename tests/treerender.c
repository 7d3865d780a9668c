#include "treerender.h"

#include <stdlib.h>
#include <string.h>

#include "template.h"

json_t *tree_render(json_t *j, const char *title, const char *event)
{
	json_t *out, *val;
	const char *key;
	size_t i, n;
	char *s;

	switch (json_typeof(j)) {
	case JSON_STRING:
		s = template_substitute(json_string_value(j), json_string_length(j), title, event, &n);
		if (!s)
			return NULL;
		out = json_stringn(s, n);
		free(s);
		return out;
	case JSON_OBJECT:
		out = json_object();
		json_object_foreach(j, key, val) {
			s = template_substitute(key, strlen(key), title, event, NULL);
			if (!s || !out) {
				free(s);
				json_decref(out);
				return NULL;
			}
			json_object_set_new(out, s, tree_render(val, title, event));
			free(s);
		}
		return out;
	case JSON_ARRAY:
		out = json_array();
		json_array_foreach(j, i, val)
			json_array_append_new(out, tree_render(val, title, event));
		return out;
	default:
		return json_incref(j);
	}
}
