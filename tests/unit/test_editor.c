/* The editor's readline keys on one-line and multi-line editors: motions
 * by character and word, kills, the kill buffer and yank, UTF-8 text,
 * limits, and the changed flag. A state is written as the text with '|'
 * where the cursor is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "editor.h"
#include "sbuf.h"
#include "keys.h"
#include "testutil.h"

/* An editor holding spec's text, the cursor where spec has its '|'. */
static void load(struct editor *e, int multiline, size_t limit, const char *spec)
{
	const char *bar = strchr(spec, '|'), *p;
	char text[256];
	size_t at = (size_t)(bar - spec), row = 0, col = 0;

	ck_assert_ptr_nonnull(bar);
	snprintf(text, sizeof text, "%.*s%s", (int)at, spec, bar + 1);
	editor_init(e, multiline, limit);
	ck_assert_int_eq(editor_set(e, text), 0);
	for (p = spec; p < bar; p++) {
		col++;
		if (*p == '\n') {
			row++;
			col = 0;
		}
	}
	e->row = row;
	e->col = col;
}

/* The text with '|' at the cursor (static storage). */
static const char *state(const struct editor *e)
{
	static char buf[256];
	size_t r;
	int n = 0;

	buf[0] = '\0';
	for (r = 0; r < e->nlines; r++) {
		const char *line = e->lines[r];

		if (r == e->row)
			n += snprintf(buf + n, sizeof buf - (size_t)n, "%s%.*s|%s", r ? "\n" : "", (int)e->col, line,
				      line + e->col);
		else
			n += snprintf(buf + n, sizeof buf - (size_t)n, "%s%s", r ? "\n" : "", line);
	}
	return buf;
}

/* Press key on spec and say what it returned and where it left the text. */
static const char *after(int multiline, const char *spec, int key, int *used, int *changed)
{
	static char buf[256];
	struct editor e;

	load(&e, multiline, 0, spec);
	*used = editor_key(&e, key, 8);
	*changed = e.changed;
	snprintf(buf, sizeof buf, "%s", state(&e));
	editor_free(&e);
	return buf;
}

/* Take the cursor mark out. */
static void unmark(char *s)
{
	char *bar = strchr(s, '|');

	memmove(bar, bar + 1, strlen(bar));
}

/* spec, after key, is want; the key is used; the text changed if it did. */
static void check_key(int multiline, const char *spec, int key, const char *want)
{
	int used, changed;
	const char *got = after(multiline, spec, key, &used, &changed);
	char a[256], b[256];

	ck_assert_msg(strcmp(got, want) == 0, "key %#x on \"%s\": got \"%s\", want \"%s\"", key, spec, got, want);
	ck_assert_msg(used, "key %#x on \"%s\" not used", key, spec);
	/* The texts without the cursor mark tell whether an edit happened. */
	snprintf(a, sizeof a, "%s", spec);
	snprintf(b, sizeof b, "%s", want);
	unmark(a);
	unmark(b);
	ck_assert_int_eq(changed, strcmp(a, b) != 0);
}

/* Both on a one-line and a multi-line editor. */
static void check_both(const char *spec, int key, const char *want)
{
	check_key(0, spec, key, want);
	check_key(1, spec, key, want);
}

static int press(struct editor *e, int key)
{
	return editor_key(e, key, 8);
}

START_TEST(line_ends)
{
	check_both("foo b|ar", HK_CTRL('a'), "|foo bar");
	check_both("foo b|ar", HK_HOME, "|foo bar");
	check_both("foo b|ar", HK_CTRL('e'), "foo bar|");
	check_both("foo b|ar", HK_END, "foo bar|");
	check_key(1, "ab\ncd|e\nf", HK_CTRL('a'), "ab\n|cde\nf");
	check_key(1, "ab\nc|de\nf", HK_CTRL('e'), "ab\ncde|\nf");
}
END_TEST

START_TEST(characters)
{
	check_both("ab|c", HK_CTRL('b'), "a|bc");
	check_both("ab|c", HK_CTRL('f'), "abc|");
	check_both("|abc", HK_CTRL('b'), "|abc");
	check_both("abc|", HK_CTRL('f'), "abc|");
	/* Whole characters: é is two bytes, 日 three, 🎉 four. */
	check_both("é|", HK_CTRL('b'), "|é");
	check_both("|é", HK_CTRL('f'), "é|");
	check_both("a日|b", HK_CTRL('b'), "a|日b");
	check_both("a|🎉b", HK_CTRL('f'), "a🎉|b");
	check_both("a🎉|b", HK_LEFT, "a|🎉b");
	/* At the edge of a line, to the next or the previous. */
	check_key(1, "ab\n|cd", HK_CTRL('b'), "ab|\ncd");
	check_key(1, "ab|\ncd", HK_CTRL('f'), "ab\n|cd");
	check_key(1, "|ab\ncd", HK_CTRL('b'), "|ab\ncd");
	check_key(1, "ab\ncd|", HK_CTRL('f'), "ab\ncd|");
}
END_TEST

START_TEST(word_motions)
{
	/* Words are letters and digits: punctuation and blanks are skipped. */
	check_both("foo bar-baz|", HK_ALT('b'), "foo bar-|baz");
	check_both("foo bar-|baz", HK_ALT('b'), "foo |bar-baz");
	check_both("foo |bar-baz", HK_ALT('b'), "|foo bar-baz");
	check_both("|foo bar-baz", HK_ALT('b'), "|foo bar-baz");
	check_both("--foo|", HK_ALT('b'), "--|foo");
	check_both("fo|o", HK_ALT('b'), "|foo");
	check_both("|foo bar-baz", HK_ALT('f'), "foo| bar-baz");
	check_both("foo| bar-baz", HK_ALT('f'), "foo bar|-baz");
	check_both("foo bar|-baz", HK_ALT('f'), "foo bar-baz|");
	check_both("foo bar-baz|", HK_ALT('f'), "foo bar-baz|");
	check_both("a.b|...", HK_ALT('f'), "a.b...|");
	check_both("x|, (y)", HK_ALT('F'), "x, (y|)");
	check_both("x, (y)|", HK_ALT('B'), "x, (|y)");
	/* Any non-ASCII character is a word character. */
	check_both("café 日本語 🎉x|", HK_ALT('b'), "café 日本語 |🎉x");
	check_both("café 日本語 |🎉x", HK_ALT('b'), "café |日本語 🎉x");
	check_both("|café, 日本語", HK_ALT('f'), "café|, 日本語");
	check_both("café|, 日本語", HK_ALT('f'), "café, 日本語|");
	/* Across line breaks in a multi-line editor. */
	check_key(1, "foo\n|bar", HK_ALT('b'), "|foo\nbar");
	check_key(1, "foo|\n  bar", HK_ALT('f'), "foo\n  bar|");
}
END_TEST

START_TEST(kill_line_keys)
{
	check_both("foo b|ar", HK_CTRL('k'), "foo b|");
	check_both("foo b|ar", HK_CTRL('u'), "|ar");
	check_both("日本|語", HK_CTRL('k'), "日本|");
	check_both("日本|語", HK_CTRL('u'), "|語");
	/* Nothing to kill: used, nothing changed. */
	check_both("foo|", HK_CTRL('k'), "foo|");
	check_both("|foo", HK_CTRL('u'), "|foo");
	check_key(1, "ab|\ncd", HK_CTRL('u'), "|\ncd");
	check_key(1, "ab\ncd|ef", HK_CTRL('u'), "ab\n|ef");
	check_key(1, "ab\n|cd", HK_CTRL('u'), "ab\n|cd");
	check_key(1, "ab|c\ndef", HK_CTRL('k'), "ab|\ndef");
}
END_TEST

START_TEST(ctrl_k_joins_lines)
{
	struct editor e;

	check_key(1, "ab|\ncd", HK_CTRL('k'), "ab|cd");
	check_key(1, "ab\ncd|", HK_CTRL('k'), "ab\ncd|");
	check_key(1, "|\n\nx", HK_CTRL('k'), "|\nx");

	/* Repeated, it empties a text line by line; the last kill, the line
	 * break, is what Ctrl-Y gives back. */
	load(&e, 1, 0, "|one\ntwo");
	ck_assert_int_eq(press(&e, HK_CTRL('k')), 1);
	ck_assert_str_eq(state(&e), "|\ntwo");
	ck_assert_str_eq(e.killed, "one");
	ck_assert_int_eq(press(&e, HK_CTRL('k')), 1);
	ck_assert_str_eq(state(&e), "|two");
	ck_assert_str_eq(e.killed, "\n");
	ck_assert_int_eq(press(&e, HK_CTRL('y')), 1);
	ck_assert_str_eq(state(&e), "\n|two");
	editor_free(&e);
}
END_TEST

START_TEST(word_kills)
{
	/* Ctrl-W: back to a blank (unix-word-rubout). */
	check_both("foo bar-baz|", HK_CTRL('w'), "foo |");
	check_both("foo bar-baz  |", HK_CTRL('w'), "foo |");
	check_both("foo bar|-baz", HK_CTRL('w'), "foo |-baz");
	check_both("a\tb.c|", HK_CTRL('w'), "a\t|");
	check_both("|foo", HK_CTRL('w'), "|foo");
	check_both("   |x", HK_CTRL('w'), "|x");
	/* Alt-Backspace: back over letters and digits (backward-kill-word). */
	check_both("foo bar-baz|", HK_ALT_BACKSPACE, "foo bar-|");
	check_both("foo bar-baz  |", HK_ALT_BACKSPACE, "foo bar-|");
	check_both("foo bar-|", HK_ALT_BACKSPACE, "foo |");
	check_both("naïve-日本|", HK_ALT_BACKSPACE, "naïve-|");
	check_both("x 🎉🎉|", HK_ALT_BACKSPACE, "x |");
	/* Alt-D: forward to the end of a word (kill-word). */
	check_both("foo| bar-baz", HK_ALT('d'), "foo|-baz");
	check_both("|foo bar", HK_ALT('D'), "| bar");
	check_both("foo|-+-", HK_ALT('d'), "foo|");
	check_both("x|, é!", HK_ALT('d'), "x|!");
	check_both("foo|", HK_ALT('d'), "foo|");
	/* Across line breaks in a multi-line editor. */
	check_key(1, "foo\n|bar", HK_ALT_BACKSPACE, "|bar");
	check_key(1, "foo \n|bar", HK_CTRL('w'), "|bar");
	check_key(1, "foo|\n bar baz", HK_ALT('d'), "foo| baz");
}
END_TEST

START_TEST(deletes)
{
	int used, changed;

	check_both("a|b", HK_CTRL('d'), "a|");
	check_both("a|é日", HK_CTRL('d'), "a|日");
	check_both("a|🎉", HK_DELETE, "a|");
	check_both("ab|", HK_CTRL('d'), "ab|");
	check_both("é|x", HK_BACKSPACE, "|x");
	check_key(1, "ab|\ncd", HK_CTRL('d'), "ab|cd");
	check_key(1, "|\nab", HK_CTRL('d'), "|ab");
	check_key(1, "ab\n|cd", HK_BACKSPACE, "ab|cd");
	/* Ctrl-D on an empty text is left to the caller (end of input). */
	after(0, "|", HK_CTRL('d'), &used, &changed);
	ck_assert_int_eq(used, 0);
	after(1, "|", HK_CTRL('d'), &used, &changed);
	ck_assert_int_eq(used, 0);
	ck_assert_int_eq(changed, 0);
}
END_TEST

START_TEST(kill_and_yank)
{
	struct editor e;

	/* Nothing killed yet: Ctrl-Y is used and does nothing. */
	load(&e, 0, 0, "ab|");
	ck_assert_int_eq(press(&e, HK_CTRL('y')), 1);
	ck_assert_str_eq(state(&e), "ab|");
	ck_assert_int_eq(e.changed, 0);
	editor_free(&e);

	/* Round trip: what is killed comes back where the cursor is. */
	load(&e, 0, 0, "hello wörld|");
	ck_assert_int_eq(press(&e, HK_ALT_BACKSPACE), 1);
	ck_assert_str_eq(state(&e), "hello |");
	ck_assert_int_eq(press(&e, HK_CTRL('a')), 1);
	ck_assert_int_eq(press(&e, HK_CTRL('y')), 1);
	ck_assert_str_eq(state(&e), "wörld|hello ");
	ck_assert_int_eq(press(&e, HK_CTRL('y')), 1);
	ck_assert_str_eq(state(&e), "wörldwörld|hello ");
	/* Each kill replaces the buffer; a kill of nothing keeps it. */
	ck_assert_int_eq(press(&e, HK_CTRL('k')), 1);
	ck_assert_str_eq(e.killed, "hello ");
	ck_assert_int_eq(press(&e, HK_CTRL('k')), 1);
	ck_assert_str_eq(e.killed, "hello ");
	ck_assert_int_eq(press(&e, HK_CTRL('u')), 1);
	ck_assert_str_eq(state(&e), "|");
	ck_assert_str_eq(e.killed, "wörldwörld");
	/* Replacing the text keeps the buffer. */
	ck_assert_int_eq(editor_set(&e, "x"), 0);
	ck_assert_int_eq(press(&e, HK_CTRL('y')), 1);
	ck_assert_str_eq(state(&e), "xwörldwörld|");
	editor_free(&e);
	ck_assert_ptr_null(e.killed);

	/* Several lines killed and yanked back. */
	load(&e, 1, 0, "{\n  \"a\": 1,\n  \"b\": 2\n}|");
	ck_assert_int_eq(press(&e, HK_UP), 1);
	ck_assert_int_eq(press(&e, HK_UP), 1);
	ck_assert_int_eq(press(&e, HK_CTRL('e')), 1);
	ck_assert_int_eq(press(&e, HK_CTRL('w')), 1);
	ck_assert_str_eq(state(&e), "{\n  \"a\": |\n  \"b\": 2\n}");
	ck_assert_str_eq(e.killed, "1,");
	ck_assert_int_eq(press(&e, HK_DOWN), 1);
	ck_assert_int_eq(press(&e, HK_CTRL('e')), 1);
	ck_assert_int_eq(press(&e, HK_ALT('b')), 1);
	ck_assert_int_eq(press(&e, HK_CTRL('y')), 1);
	ck_assert_str_eq(state(&e), "{\n  \"a\": \n  \"b\": 1,|2\n}");
	editor_free(&e);
}
END_TEST

START_TEST(yank_respects_limit)
{
	struct editor e;
	char *t;

	load(&e, 0, 10, "hello|");
	ck_assert_int_eq(press(&e, HK_CTRL('u')), 1);
	ck_assert_int_eq(press(&e, HK_CTRL('y')), 1);
	ck_assert_int_eq(press(&e, HK_CTRL('y')), 1);
	ck_assert_str_eq(state(&e), "hellohello|");
	e.changed = 0;
	/* One more would pass 10 bytes: refused whole, text unchanged. */
	ck_assert_int_eq(press(&e, HK_CTRL('y')), 0);
	ck_assert_str_eq(state(&e), "hellohello|");
	ck_assert_int_eq(e.changed, 0);
	editor_free(&e);

	/* The limit counts bytes: 日本 is 6 of them, the line break 1. */
	load(&e, 1, 8, "日本|\nx");
	ck_assert_int_eq(press(&e, HK_CTRL('k')), 1);   /* the line break */
	ck_assert_int_eq(press(&e, HK_CTRL('y')), 1);
	ck_assert_int_eq(press(&e, HK_CTRL('y')), 0);   /* 9 bytes */
	t = editor_text(&e);
	ck_assert_str_eq(t, "日本\nx");
	free(t);
	editor_free(&e);
}
END_TEST

START_TEST(changed_flag)
{
	static const int motions[] = {
		HK_CTRL('a'), HK_CTRL('e'), HK_CTRL('b'), HK_CTRL('f'), HK_ALT('b'), HK_ALT('f'),
		HK_HOME, HK_END, HK_LEFT, HK_RIGHT, HK_UP, HK_DOWN,
	};
	static const int edits[] = {
		HK_CTRL('k'), HK_CTRL('u'), HK_CTRL('w'), HK_ALT_BACKSPACE, HK_ALT('d'), HK_CTRL('d'),
		HK_DELETE, HK_BACKSPACE,
	};
	struct editor e;
	size_t i;

	for (i = 0; i < sizeof motions / sizeof *motions; i++) {
		load(&e, 1, 0, "ab cd\nef| gh\nij");
		ck_assert_int_eq(press(&e, motions[i]), 1);
		ck_assert_int_eq(e.changed, 0);
		editor_free(&e);
	}
	for (i = 0; i < sizeof edits / sizeof *edits; i++) {
		load(&e, 1, 0, "ab cd\nef g|h\nij");
		ck_assert_int_eq(press(&e, edits[i]), 1);
		ck_assert_msg(e.changed, "key %#x did not mark the editor changed", edits[i]);
		editor_free(&e);
	}
	load(&e, 0, 0, "ab|");
	ck_assert_int_eq(press(&e, HK_CTRL('k')), 1);
	ck_assert_int_eq(press(&e, HK_CTRL('a')), 1);
	ck_assert_int_eq(press(&e, HK_CTRL('w')), 1);
	ck_assert_int_eq(e.changed, 0);
	ck_assert_int_eq(press(&e, HK_CTRL('d')), 1);
	ck_assert_int_eq(e.changed, 1);
	editor_free(&e);
}
END_TEST

START_TEST(keys_not_taken)
{
	struct editor e;

	load(&e, 0, 0, "ab|");
	ck_assert_int_eq(press(&e, 'x'), 0);
	ck_assert_int_eq(press(&e, HK_ALT('z')), 0);
	ck_assert_int_eq(press(&e, HK_CTRL('s')), 0);
	ck_assert_int_eq(press(&e, HK_ENTER), 0);
	ck_assert_int_eq(press(&e, HK_UP), 0);
	ck_assert_str_eq(state(&e), "ab|");
	editor_free(&e);
	/* A new editor, with no line yet, takes the keys too. */
	editor_init(&e, 0, 0);
	ck_assert_int_eq(press(&e, HK_CTRL('w')), 1);
	ck_assert_int_eq(press(&e, HK_CTRL('y')), 1);
	ck_assert_str_eq(state(&e), "|");
	editor_free(&e);
}
END_TEST

START_TEST(help_text)
{
	static const char *const lines[] = {
		"^A, Home", "^E, End", "^B, Left", "^F, Right", "Alt-B", "Alt-F", "^K", "^U", "^W",
		"Alt-Backspace", "Alt-D", "^Y", "Delete, ^D",
	};
	struct sbuf help;
	size_t i;

	/* The help screen lists the editor's keys from the one key table. */
	sbuf_init(&help);
	keys_help(&help, CTX_LIST);
	for (i = 0; i < sizeof lines / sizeof *lines; i++)
		ck_assert_msg(strstr(sbuf_text(&help), lines[i]), "%s missing from the help", lines[i]);
	sbuf_release(&help);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("editor");
	TCase *motion = tcase_create("motion");
	TCase *kill = tcase_create("kill and yank");
	TCase *misc = tcase_create("flags and help");

	tcase_add_test(motion, line_ends);
	tcase_add_test(motion, characters);
	tcase_add_test(motion, word_motions);
	tcase_add_test(kill, kill_line_keys);
	tcase_add_test(kill, ctrl_k_joins_lines);
	tcase_add_test(kill, word_kills);
	tcase_add_test(kill, deletes);
	tcase_add_test(kill, kill_and_yank);
	tcase_add_test(kill, yank_respects_limit);
	tcase_add_test(misc, changed_flag);
	tcase_add_test(misc, keys_not_taken);
	tcase_add_test(misc, help_text);
	suite_add_tcase(s, motion);
	suite_add_tcase(s, kill);
	suite_add_tcase(s, misc);
	return tu_run(s);
}
