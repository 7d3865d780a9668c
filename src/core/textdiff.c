#include "textdiff.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct line {
	const char *s;
	size_t len;
};

struct lines {
	struct line *v;
	size_t n;
};

/* Split text into lines (pointers into it). 0 or -1. */
static int split(const char *text, struct lines *out)
{
	const char *p = text, *nl;
	size_t cap = 16;

	out->n = 0;
	out->v = malloc(cap * sizeof *out->v);
	if (!out->v)
		return -1;
	while (*p) {
		if (out->n == cap) {
			struct line *v = realloc(out->v, 2 * cap * sizeof *v);

			if (!v)
				return -1;
			out->v = v;
			cap *= 2;
		}
		nl = strchr(p, '\n');
		out->v[out->n].s = p;
		out->v[out->n].len = nl ? (size_t)(nl - p) : strlen(p);
		out->n++;
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

static int same(const struct line *x, const struct line *y)
{
	return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
}

/* One entry of the edit script: ' ' kept, '-' removed from a, '+' added. */
struct op {
	char kind;
	size_t ai, bi;     /* the line's index in a (' ', '-') or in b ('+') */
};

/* The edit script turning a into b: common start and end kept, the middle
 * by a longest common subsequence (or replaced whole when too large). */
static struct op *script(const struct lines *a, const struct lines *b, size_t *nops)
{
	size_t pre = 0, suf = 0, n, m, i, j, k = 0;
	struct op *ops = malloc((a->n + b->n + 1) * sizeof *ops);
	uint32_t *t = NULL;

	if (!ops)
		return NULL;
	while (pre < a->n && pre < b->n && same(&a->v[pre], &b->v[pre]))
		pre++;
	while (suf < a->n - pre && suf < b->n - pre && same(&a->v[a->n - 1 - suf], &b->v[b->n - 1 - suf]))
		suf++;
	n = a->n - pre - suf;
	m = b->n - pre - suf;
	for (i = 0; i < pre; i++)
		ops[k++] = (struct op){ ' ', i, i };
	/* t[i][j]: the longest common subsequence of a's middle from i and
	 * b's from j. */
	if (n && m && (n + 1) * (m + 1) <= TEXTDIFF_CELLS) {
		t = calloc((n + 1) * (m + 1), sizeof *t);
		if (!t) {
			free(ops);
			return NULL;
		}
		for (i = n; i-- > 0;)
			for (j = m; j-- > 0;)
				t[i * (m + 1) + j] = same(&a->v[pre + i], &b->v[pre + j]) ?
					t[(i + 1) * (m + 1) + j + 1] + 1 :
					(t[(i + 1) * (m + 1) + j] >= t[i * (m + 1) + j + 1] ?
					 t[(i + 1) * (m + 1) + j] : t[i * (m + 1) + j + 1]);
	}
	i = j = 0;
	while (i < n || j < m) {
		if (t && i < n && j < m && same(&a->v[pre + i], &b->v[pre + j])) {
			ops[k++] = (struct op){ ' ', pre + i, pre + j };
			i++;
			j++;
		} else if (i < n && (j == m || !t || t[(i + 1) * (m + 1) + j] >= t[i * (m + 1) + j + 1])) {
			ops[k++] = (struct op){ '-', pre + i, pre + j };
			i++;
		} else {
			ops[k++] = (struct op){ '+', pre + i, pre + j };
			j++;
		}
	}
	for (i = 0; i < suf; i++)
		ops[k++] = (struct op){ ' ', pre + n + i, pre + m + i };
	free(t);
	*nops = k;
	return ops;
}

/* "@@ -l,n +l,n @@" and the lines of ops[from, to). */
static void hunk(struct sbuf *out, const struct op *ops, size_t from, size_t to, const struct lines *a,
		 const struct lines *b)
{
	size_t na = 0, nb = 0, i;

	for (i = from; i < to; i++) {
		na += ops[i].kind != '+';
		nb += ops[i].kind != '-';
	}
	/* As diff -u: a range of no lines names the line before it. */
	sbuf_appendf(out, "@@ -%zu,%zu +%zu,%zu @@\n", ops[from].ai + (na != 0), na, ops[from].bi + (nb != 0), nb);
	for (i = from; i < to; i++) {
		const struct line *l = ops[i].kind == '+' ? &b->v[ops[i].bi] : &a->v[ops[i].ai];

		sbuf_appendn(out, &ops[i].kind, 1);
		sbuf_appendn(out, l->s, l->len);
		sbuf_append(out, "\n");
	}
}

int textdiff_unified(const char *a, const char *b, const char *name_a, const char *name_b, int context,
		     struct sbuf *out, struct textdiff_stats *stats)
{
	struct lines la = { NULL, 0 }, lb = { NULL, 0 };
	struct textdiff_stats st = { 0, 0 };
	struct op *ops = NULL;
	size_t nops = 0, i, start, end, ctx = context > 0 ? (size_t)context : 0;
	int rc = -1;

	if (split(a, &la) < 0 || split(b, &lb) < 0 || !(ops = script(&la, &lb, &nops)))
		goto done;
	for (i = 0; i < nops; i++) {
		st.removed += ops[i].kind == '-';
		st.added += ops[i].kind == '+';
	}
	if (st.removed || st.added)
		sbuf_appendf(out, "--- %s\n+++ %s\n", name_a, name_b);
	/* A hunk runs from ctx lines before a change to ctx lines after the
	 * last change that is within 2 * ctx kept lines of the one before. */
	for (i = 0; i < nops;) {
		size_t kept = 0;

		if (ops[i].kind == ' ') {
			i++;
			continue;
		}
		start = i > ctx ? i - ctx : 0;
		for (end = i; end < nops; end++) {
			kept = ops[end].kind == ' ' ? kept + 1 : 0;
			if (kept > 2 * ctx) {
				end++;
				break;
			}
		}
		end -= kept > ctx ? kept - ctx : 0;
		hunk(out, ops, start, end, &la, &lb);
		i = end;
	}
	if (stats)
		*stats = st;
	rc = out->failed ? -1 : 0;
done:
	free(la.v);
	free(lb.v);
	free(ops);
	return rc;
}

/* text pretty-printed, or NULL when it is not JSON (or memory ran out). */
static char *pretty(const char *text)
{
	json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
	char *p = j ? json_dumps(j, JSON_INDENT(2) | JSON_ENCODE_ANY) : NULL;

	json_decref(j);
	return p;
}

int textdiff_json(const char *a, const char *b, const char *name_a, const char *name_b, int context,
		  struct sbuf *out, struct textdiff_stats *stats)
{
	char *pa = pretty(a), *pb = pretty(b);
	struct textdiff_stats st = { 0, 0 };
	int rc = 0;

	if (pa && pb)
		rc = textdiff_unified(pa, pb, name_a, name_b, context, out, &st);
	if (rc == 0 && st.removed + st.added == 0 && strcmp(a, b) != 0)
		rc = textdiff_unified(a, b, name_a, name_b, context, out, &st);
	free(pa);
	free(pb);
	if (stats)
		*stats = st;
	return rc;
}
