/* SQL text as the PostgreSQL side of the statement layer reads it
 * (pgsql_translate): the store's own statements, but a scanner of quotes,
 * comments and placeholders all the same. Properties: a refusal says why
 * and gives nothing; an accepted text numbers its $k from 1 without a gap,
 * each SQLite number to one k; translated again it has no placeholder
 * left and stays the same (nothing outside quotes and comments was a '?');
 * and nothing is read past the text (the sanitizers' part). */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "fuzz.h"
#include "pgsql.h"
#include "sbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), err[ERR_MAX] = "";
	int map[PGSQL_PARAMS_MAX + 1], again[PGSQL_PARAMS_MAX + 1], seen[PGSQL_PARAMS_MAX + 1];
	int n = -1, n2 = -1, i;
	struct sbuf out, twice;

	sbuf_init(&out);
	sbuf_init(&twice);
	if (pgsql_translate(s, &out, map, &n, err) < 0) {
		if (!err[0] || out.len)
			fuzz_fail("\"%s\" refused without a reason, or with output", s);
		goto done;
	}
	if (n < 0 || n > PGSQL_PARAMS_MAX)
		fuzz_fail("\"%s\" gave %d parameters", s, n);
	memset(seen, 0, sizeof seen);
	for (i = 1; i <= PGSQL_PARAMS_MAX; i++) {
		if (map[i] < 0 || map[i] > n || (map[i] && seen[map[i]]++))
			fuzz_fail("\"%s\": ?%d maps to $%d of %d, or twice", s, i, map[i], n);
	}
	for (i = 1; i <= n; i++)
		if (!seen[i])
			fuzz_fail("\"%s\": $%d is given to no number", s, i);
	if (pgsql_translate(sbuf_text(&out), &twice, again, &n2, err) < 0 || n2 != 0 ||
	    strcmp(sbuf_text(&out), sbuf_text(&twice)) != 0)
		fuzz_fail("\"%s\" translates to \"%s\", which translates again to \"%s\" (%d placeholders; %s)", s,
			  sbuf_text(&out), sbuf_text(&twice), n2, err);
done:
	sbuf_release(&out);
	sbuf_release(&twice);
	free(s);
	return 0;
}
