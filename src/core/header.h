/* Custom HTTP headers an operator adds to a webhook, kept as "Name: value". */
#ifndef HOOKMAN_HEADER_H
#define HOOKMAN_HEADER_H

#include <stddef.h>

#define HEADER_MAX 8192    /* bytes of one "Name: value" line */
#define HEADERS_MAX 32     /* headers per webhook */

/* Check one "Name: value" line: a name of RFC 9110 token characters, a
 * colon, and a value without CR, LF or other control characters (C0, DEL
 * and C1; tab allowed) or the Unicode line and paragraph separators
 * U+2028 and U+2029, valid UTF-8; names that hookman sets itself (Content-Type,
 * Content-Length, Host, Transfer-Encoding, Connection, webhook-id,
 * webhook-timestamp, webhook-signature) are refused. On success, when
 * name/value are not NULL, they receive copies the caller frees, trimmed of
 * surrounding blanks. Returns 0 or -1 with err set. */
int header_parse(const char *line, char **name, char **value, char *err);

/* Normalise line to "Name: value" (one space after the colon). Returns a
 * new string the caller frees, or NULL with err set when invalid. */
char *header_normalize(const char *line, char *err);

#endif
