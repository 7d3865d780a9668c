#include "jsonscan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonsyntax.h"
#include "sbuf.h"

/* The keys of the objects still open, as hashes of their decoded text,
 * each object's after its parent's. When an object closes its own are
 * compared, then dropped: two equal hashes are a key twice or a
 * collision, and either way the parse decides, so no key text is kept.
 * Most payloads never outgrow the inline array, so a keystroke allocates
 * nothing here. */
struct keystack {
	uint64_t *h, inline_h[256];
	size_t n, cap;
};

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	while (n--) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

static int keys_push(struct keystack *k, uint64_t h)
{
	uint64_t *grown;

	if (k->n == k->cap) {
		grown = malloc(2 * k->cap * sizeof *grown);
		if (!grown)
			return -1;
		memcpy(grown, k->h, k->n * sizeof *grown);
		if (k->h != k->inline_h)
			free(k->h);
		k->h = grown;
		k->cap *= 2;
	}
	k->h[k->n++] = h;
	return 0;
}

static int cmp_hash(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Whether h[0..n) holds a value twice: pairwise for the small objects
 * most payloads hold, sorted for a large one. */
static int repeats(uint64_t *h, size_t n)
{
	size_t i, j;

	if (n <= 16) {
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				if (h[i] == h[j])
					return 1;
		return 0;
	}
	qsort(h, n, sizeof *h, cmp_hash);
	for (i = 1; i < n; i++)
		if (h[i] == h[i - 1])
			return 1;
	return 0;
}

struct walk {
	const char *t;
	size_t len, i;
	size_t objs[JSONSYNTAX_MAX_DEPTH];   /* per open object, where its keys start
					      * in keys, + 1; 0 for an array */
	int depth;
	char prev;                           /* the last '{', '[', ',', ':' or 'v' (a value) */
	struct keystack keys;
	struct jsonscan_facts *f;
};

static unsigned hex4(const char *s)
{
	unsigned v = 0;
	int k;

	for (k = 0; k < 4; k++)
		v = v * 16 + (unsigned)(s[k] <= '9' ? s[k] - '0' : (s[k] | 0x20) - 'a' + 10);
	return v;
}

static void put_utf8(struct sbuf *b, unsigned cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	sbuf_appendn(b, u, n);
}

/* Decode the inside of a string token, s[0..n) (escapes already checked
 * by the syntax scan: surrogates come in pairs), onto b. */
static void decode(struct sbuf *b, const char *s, size_t n)
{
	static const char simple[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	size_t i = 0, run;
	unsigned cp;

	while (i < n) {
		for (run = i; i < n && s[i] != '\\'; i++)
			;
		sbuf_appendn(b, s + run, i - run);
		if (i == n)
			break;
		if (s[i + 1] != 'u') {
			sbuf_appendn(b, strchr(simple, s[i + 1]) + 1, 1);
			i += 2;
			continue;
		}
		cp = hex4(s + i + 2);
		i += 6;
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4(s + i + 2) - 0xDC00);
			i += 6;
		}
		put_utf8(b, cp);
	}
}

/* Whether s[0..n) holds the six bytes of word. */
static int holds(const char *s, size_t n, const char *word)
{
	const char *end = s + n, *p;

	for (p = s; end - p >= 6 && (p = memchr(p, '$', (size_t)(end - p - 5))); p++)
		if (memcmp(p, word, 6) == 0)
			return 1;
	return 0;
}

static int is_key(const struct walk *w)
{
	return w->depth > 0 && w->objs[w->depth - 1] && (w->prev == '{' || w->prev == ',');
}

/* What a string's decoded text s[0..n) tells: a key goes onto the key
 * stack, a value is searched for the placeholders. */
static int note_string(struct walk *w, int key, const char *s, size_t n)
{
	if (key)
		return keys_push(&w->keys, fnv(s, n));
	w->f->has_title |= holds(s, n, "$Title");
	w->f->has_event |= holds(s, n, "$Event");
	return 0;
}

/* A string token at w->i: a key, or a value searched until both
 * placeholders are found. Escapes are decoded first, as jansson compares
 * keys and as template_check reads values ("\u0024Title" counts). */
static int walk_string(struct walk *w)
{
	const char *s = w->t + w->i + 1;
	size_t n = 0;
	int escaped = 0, key = is_key(w);
	struct sbuf dec;
	int failed;

	for (; s[n] != '"'; n++)
		if (s[n] == '\\') {
			escaped = 1;
			n++;
		}
	w->i += n + 2;
	w->prev = 'v';
	if (!key && w->f->has_title && w->f->has_event)
		return 0;
	if (!escaped)
		return note_string(w, key, s, n);
	sbuf_init(&dec);
	decode(&dec, s, n);
	failed = dec.failed || note_string(w, key, sbuf_text(&dec), dec.len) < 0;
	sbuf_release(&dec);
	return failed ? -1 : 0;
}

/* A number token at w->i. jansson refuses an integer outside long long
 * and a real that overflows a double; rather than convert (strtod
 * follows the locale), a number that could come near either is left to
 * the parse: more than 18 digits for an integer, a decimal exponent
 * above 300 for a real. */
static void walk_number(struct walk *w)
{
	const char *t = w->t;
	size_t i = w->i, len = w->len;
	long digits = 0, exp = 0, expdigits = 0;
	int real = 0, neg = 0, lead = 1;

	if (t[i] == '-')
		i++;
	for (; i < len && t[i] >= '0' && t[i] <= '9'; i++) {
		lead = lead && t[i] == '0';
		digits += !lead;
	}
	if (i < len && t[i] == '.')
		for (real = 1, i++; i < len && t[i] >= '0' && t[i] <= '9'; i++)
			;
	if (i < len && (t[i] == 'e' || t[i] == 'E')) {
		real = 1;
		i++;
		if (t[i] == '+' || t[i] == '-')
			neg = t[i++] == '-';
		for (; i < len && t[i] >= '0' && t[i] <= '9'; i++, expdigits++)
			if (expdigits < 6)
				exp = exp * 10 + (t[i] - '0');
	}
	w->i = i;
	w->prev = 'v';
	if (real ? expdigits > 5 || digits + (neg ? -exp : exp) > 300 : digits > 18)
		w->f->needs_parse = 1;
}

/* A bracket or punctuation at w->i. A closing object's keys are
 * compared and dropped. */
static void walk_mark(struct walk *w, char c)
{
	size_t start;

	if (c == '{' || c == '[') {
		w->objs[w->depth++] = c == '{' ? w->keys.n + 1 : 0;
	} else if (c == '}' || c == ']') {
		start = w->objs[--w->depth];
		if (start--) {
			w->f->needs_parse |= repeats(w->keys.h + start, w->keys.n - start);
			w->keys.n = start;
		}
	}
	if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
		w->prev = c == '}' || c == ']' ? 'v' : c;
	w->i++;
}

/* Stops early once the parse is needed: nothing else matters then. */
static int walk_text(struct walk *w)
{
	while (w->i < w->len && !w->f->needs_parse) {
		char c = w->t[w->i];

		if (c == '"') {
			if (walk_string(w) < 0)
				return -1;
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			walk_number(w);
		} else if (c >= 'a' && c <= 'z') {
			while (w->i < w->len && w->t[w->i] >= 'a' && w->t[w->i] <= 'z')
				w->i++;
			w->prev = 'v';
		} else {
			walk_mark(w, c);
		}
	}
	return 0;
}

int jsonscan_facts(const char *text, size_t len, struct jsonscan_facts *f)
{
	struct walk *w = malloc(sizeof *w);   /* too large for the stack */
	size_t i = 0;
	int r;

	memset(f, 0, sizeof *f);
	if (!w)
		return -1;
	w->t = text;
	w->len = len;
	w->i = 0;
	w->depth = 0;
	w->prev = 0;
	w->keys.h = w->keys.inline_h;
	w->keys.n = 0;
	w->keys.cap = sizeof w->keys.inline_h / sizeof *w->keys.inline_h;
	w->f = f;
	while (i < len && text[i] && strchr(" \t\r\n", text[i]))
		i++;
	f->top = i < len ? text[i] : 0;
	r = walk_text(w);
	if (w->keys.h != w->keys.inline_h)
		free(w->keys.h);
	free(w);
	return r;
}
