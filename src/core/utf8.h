/* UTF-8 checks for text an operator types: names, titles, header values. */
#ifndef HOOKMAN_UTF8_H
#define HOOKMAN_UTF8_H

#include <stddef.h>

/* Check that s[0..len) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF). Returns the number of code points, or -1 and
 * sets *bad_offset to the byte offset of the first invalid sequence. */
long utf8_check(const char *s, size_t len, size_t *bad_offset);

/* Decode one code point at s (at most len bytes, already validated).
 * Returns its byte length and stores the value in *cp. */
size_t utf8_decode(const char *s, size_t len, unsigned *cp);

/* True for C0 and C1 controls and DEL, which no displayed field may hold. */
int utf8_is_control(unsigned cp);

/* True for the bidirectional formatting characters: the embeddings and
 * overrides U+202A-U+202E, the isolates U+2066-U+2069 and the marks U+200E,
 * U+200F and U+061C. Invisible themselves, they reorder how the text around
 * them is shown, so a name holding one can read as another ("rm \u202Eevil"
 * shows as "rm live"). */
int utf8_is_bidi_control(unsigned cp);

/* True for characters that show as nothing, or as a line break, in a
 * name: the zero-width space and non-joiner U+200B-U+200C, the word
 * joiner and invisible operators U+2060-U+2064, U+FEFF, the soft hyphen
 * U+00AD, the tags U+E0000-U+E007F and the separators U+2028 and U+2029.
 * Two names that differ only by one read the same. The zero-width joiner
 * U+200D is not one: joined emoji need it. */
int utf8_is_invisible(unsigned cp);

/* Text from the network made safe to print on a terminal: every control
 * character (C0, DEL, C1) becomes a visible escape such as "\x1B" or
 * "\u009B", so that a receiver cannot send escape sequences to the
 * operator's terminal; newlines and tabs stay, and a CR before a newline
 * is dropped. s must be valid UTF-8. Returns a new string the caller
 * frees, or NULL when memory runs out. */
char *utf8_escape_controls(const char *s);

/* Terminal cells one code point takes (wcwidth; unknown or control: 1). */
size_t utf8_cp_width(unsigned cp);

/* Display width of a valid UTF-8 string in terminal cells (wcwidth rules,
 * unknown or control code points counted as 1). */
size_t utf8_width(const char *s);

#endif
