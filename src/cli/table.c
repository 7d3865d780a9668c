#include "table.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

struct table {
	size_t ncols, nrows, cap;
	char **cells;      /* row-major, row 0 the headings */
	size_t *width;     /* widest cell per column, in terminal cells */
	size_t *max;
};

struct table *table_new(size_t ncols, const char *const *headings)
{
	struct table *t = calloc(1, sizeof *t);

	if (!t)
		return NULL;
	t->ncols = ncols;
	t->width = calloc(ncols, sizeof *t->width);
	t->max = calloc(ncols, sizeof *t->max);
	if (!t->width || !t->max || table_add(t, headings) < 0) {
		free(t->width);
		free(t->max);
		free(t->cells);
		free(t);
		return NULL;
	}
	return t;
}

void table_max_width(struct table *t, size_t col, size_t max)
{
	t->max[col] = max;
}

int table_add(struct table *t, const char *const *cells)
{
	size_t i, w;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char **grown = realloc(t->cells, cap * t->ncols * sizeof *grown);

		if (!grown)
			return -1;
		t->cells = grown;
		t->cap = cap;
	}
	for (i = 0; i < t->ncols; i++) {
		char *s = strdup(cells[i] ? cells[i] : "");

		if (!s) {
			while (i-- > 0)
				free(t->cells[t->nrows * t->ncols + i]);
			return -1;
		}
		t->cells[t->nrows * t->ncols + i] = s;
		w = utf8_width(s);
		if (w > t->width[i])
			t->width[i] = w;
	}
	t->nrows++;
	return 0;
}

/* Print s in exactly width cells: cut with "…" or padded with spaces. */
static void put_cell(FILE *out, const char *s, size_t width, int pad)
{
	size_t len = strlen(s), i = 0, used = utf8_width(s), n, cw;
	unsigned cp;

	if (used <= width) {
		fputs(s, out);
	} else {
		used = 0;
		while (i < len) {
			n = utf8_decode(s + i, len - i, &cp);
			cw = utf8_cp_width(cp);
			if (used + cw + 1 > width)
				break;
			fwrite(s + i, 1, n, out);
			used += cw;
			i += n;
		}
		fputs("…", out);
		used++;
	}
	while (pad && used++ < width)
		fputc(' ', out);
}

void table_print_free(struct table *t, FILE *out)
{
	size_t r, i, w;

	for (i = 0; i < t->ncols; i++)
		if (t->max[i] && t->width[i] > t->max[i])
			t->width[i] = t->max[i];
	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < t->ncols; i++) {
			int last = i + 1 == t->ncols;

			w = last ? (t->max[i] ? t->max[i] : (size_t)-1) : t->width[i];
			put_cell(out, t->cells[r * t->ncols + i], w, !last);
			if (!last)
				fputs("  ", out);
		}
		fputc('\n', out);
	}
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->width);
	free(t->max);
	free(t);
}
