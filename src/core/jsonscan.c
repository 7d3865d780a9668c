#include "jsonscan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonsyntax.h"
#include "sbuf.h"

/* Keys seen so far, each as one hash of its object and its decoded text,
 * in an open addressing table sized for every ':' of the text. Two equal
 * hashes mean the same key twice in one object, or a collision: either
 * way the parse decides, so no key text is kept. */
struct keyset {
	uint64_t *ent;   /* 0: empty (a hash is never 0) */
	size_t mask;
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

/* splitmix64's finaliser: the object's offset and the key's hash mixed,
 * so that the table's low bits spread. */
static uint64_t mix(uint64_t h, size_t obj)
{
	h ^= (uint64_t)obj * 0x9E3779B97F4A7C15ULL;
	h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
	h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
	return (h ^ (h >> 31)) | 1;
}

static int keyset_init(struct keyset *k, const char *text, size_t len)
{
	size_t keys = 0, cap = 64, i;

	for (i = 0; i < len; i++)
		keys += text[i] == ':';
	while (cap < 2 * keys)
		cap *= 2;
	k->ent = calloc(cap, sizeof *k->ent);
	k->mask = cap - 1;
	return k->ent ? 0 : -1;
}

/* Add a key of object obj; 1 when an equal hash was there. */
static int keyset_add(struct keyset *k, size_t obj, uint64_t hash)
{
	uint64_t h = mix(hash, obj);
	size_t j;

	for (j = h & k->mask; k->ent[j]; j = (j + 1) & k->mask)
		if (k->ent[j] == h)
			return 1;
	k->ent[j] = h;
	return 0;
}

struct walk {
	const char *t;
	size_t len, i;
	size_t objs[JSONSYNTAX_MAX_DEPTH];   /* '{' offset + 1 per open object, 0 for an array */
	int depth;
	char prev;                           /* the last '{', '[', ',', ':' or 'v' (a value) */
	struct keyset keys;
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

/* What a string's decoded text s[0..n) tells: a key goes into the key
 * set, a value is searched for the placeholders. */
static void note_string(struct walk *w, int key, const char *s, size_t n)
{
	if (key) {
		w->f->needs_parse |= keyset_add(&w->keys, w->objs[w->depth - 1], fnv(s, n));
		return;
	}
	w->f->has_title |= holds(s, n, "$Title");
	w->f->has_event |= holds(s, n, "$Event");
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
	if (!escaped) {
		note_string(w, key, s, n);
		return 0;
	}
	sbuf_init(&dec);
	decode(&dec, s, n);
	failed = dec.failed;
	if (!failed)
		note_string(w, key, sbuf_text(&dec), dec.len);
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

static int walk_text(struct walk *w)
{
	while (w->i < w->len) {
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
			if (c == '{' || c == '[')
				w->objs[w->depth++] = c == '{' ? w->i + 1 : 0;
			else if (c == '}' || c == ']')
				w->depth--;
			if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
				w->prev = c == '}' || c == ']' ? 'v' : c;
			w->i++;
		}
	}
	return 0;
}

int jsonscan_facts(const char *text, size_t len, struct jsonscan_facts *f)
{
	struct walk *w = calloc(1, sizeof *w);   /* too large for the stack */
	size_t i = 0;
	int r;

	memset(f, 0, sizeof *f);
	if (!w)
		return -1;
	w->t = text;
	w->len = len;
	w->f = f;
	if (keyset_init(&w->keys, text, len) < 0) {
		free(w);
		return -1;
	}
	while (i < len && text[i] && strchr(" \t\r\n", text[i]))
		i++;
	f->top = i < len ? text[i] : 0;
	r = walk_text(w);
	free(w->keys.ent);
	free(w);
	return r;
}
