/* Payload templates: check, then render with a title and event text taken
 * from the input ("TEMPLATE\0TITLE\0EVENT"). Properties: a verdict is
 * consistent (an error has a message and a position); a render of a valid
 * template is a JSON object with the tree the old tree walk gave (every
 * decoded string, keys included, with the placeholders replaced); and
 * rendering keeps the template's text: with "$Title" and "$Event" as the
 * replacements it parses to the template's own tree, and a template
 * without escapes comes back byte for byte. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "err.h"
#include "fuzz.h"
#include "template.h"
#include "treerender.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct template_verdict v;
	char err[ERR_MAX], *buf = fuzz_cstr(data, size), *title = "Disk full", *event = "{}", *out;
	size_t tlen = strlen(buf);
	json_t *j, *in, *want;
	int rc;

	if (tlen < size) {
		title = buf + tlen + 1;
		if (title + strlen(title) < buf + size)
			event = title + strlen(title) + 1;
	}
	rc = template_check(buf, tlen, &v, err);
	if (rc == 0 && (!v.ok || v.msg[0]))
		fuzz_fail("a valid template has a message: %s", v.msg);
	if (rc < 0 && (v.ok || !v.msg[0]))
		fuzz_fail("an invalid template has no message");
	out = template_render(buf, tlen, title, event, err);
	if (rc == 0 && out) {
		j = json_loads(out, 0, NULL);
		if (!json_is_object(j))
			fuzz_fail("rendered payload is not a JSON object: %s", out);
		in = json_loadb(buf, tlen, 0, NULL);
		want = tree_render(in, title, event);
		if (!json_equal(j, want))
			fuzz_fail("rendered payload differs from the tree walk's: %s", out);
		json_decref(want);
		json_decref(in);
		json_decref(j);
	}
	if (rc < 0 && out)
		fuzz_fail("an invalid template rendered: %s", v.msg);
	free(out);
	if (rc == 0) {
		out = template_render(buf, tlen, "$Title", "$Event", err);
		if (!out)
			fuzz_fail("a valid template did not render: %s", err);
		j = json_loads(out, 0, NULL);
		in = json_loadb(buf, tlen, 0, NULL);
		if (!json_equal(j, in))
			fuzz_fail("rendering the placeholders as themselves changed the tree: %s", out);
		if (!memchr(buf, '\\', tlen) && strcmp(out, buf) != 0)
			fuzz_fail("rendering the placeholders as themselves changed the text: %s", out);
		json_decref(in);
		json_decref(j);
		free(out);
	}
	out = template_substitute(buf, tlen, title, event, &tlen);
	free(out);
	free(buf);
	return 0;
}
