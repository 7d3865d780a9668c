/* Import of an export document. Property: whatever is accepted exports
 * (with secrets) to a document that is accepted again with the same
 * webhooks, and every refusal says why. */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "fuzz.h"
#include "transfer.h"

static void count_report(void *ctx, const char *msg)
{
	if (!msg[0])
		fuzz_fail("an empty report");
	++*(size_t *)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct catalog *cat = fuzz_catalog();
	struct webhook *list, *again;
	size_t n, n2, reports = 0, i;
	char err[ERR_MAX], *text;

	err[0] = '\0';
	if (transfer_parse((const char *)data, size, "fuzz.json", NULL, cat, &list, &n, count_report, &reports,
			   err) < 0) {
		if (!err[0] || list)
			fuzz_fail("a refusal without a reason, or with a list");
		return 0;
	}
	if (reports)
		fuzz_fail("accepted with %zu problems reported", reports);
	text = transfer_export(list, n, 1, err);
	if (!text)
		fuzz_fail("export failed: %s", err);
	if (transfer_parse(text, strlen(text), "again.json", NULL, cat, &again, &n2, count_report, &reports, err) < 0)
		fuzz_fail("the export of an accepted document is refused: %s\n%s", err, text);
	if (n2 != n)
		fuzz_fail("%zu webhooks became %zu", n, n2);
	for (i = 0; i < n; i++)
		if (strcmp(list[i].name, again[i].name) || strcmp(list[i].url, again[i].url) ||
		    strcmp(list[i].payload, again[i].payload) || list[i].nevents != again[i].nevents || list[i].nheaders != again[i].nheaders ||
		    list[i].format != again[i].format || !list[i].secret != !again[i].secret ||
		    (list[i].secret && strcmp(list[i].secret, again[i].secret)))
			fuzz_fail("entry %zu changed in the round trip", i + 1);
	transfer_free(again, n2);
	transfer_free(list, n);
	free(text);
	return 0;
}
