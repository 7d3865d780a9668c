/* Masking of values that are secrets: webhook URLs (a Slack or Teams URL is
 * a credential) and signing secrets. Used wherever such a value is shown. */
#ifndef HOOKMAN_MASK_H
#define HOOKMAN_MASK_H

#include <stddef.h>

/* Mask a URL: keep the scheme, host and port and the first path segment,
 * keep two characters of the second segment, and hide the rest behind a
 * slash and four stars, so a Slack URL reads
 * https://hooks.slack.com/services/T0… followed by the stars. User info
 * becomes "****@", a query "?****". Writes at most size bytes (always
 * terminated). */
void mask_url(const char *url, char *out, size_t size);

/* Mask a signing secret: "whsec_****" plus its last four characters. An
 * empty or NULL secret gives "". */
void mask_secret(const char *secret, char *out, size_t size);

struct sbuf;

/* Mask a database address (a PostgreSQL URI): a password in its user
 * information ("user:****@") or in a password= parameter
 * ("password=****"), and nothing else, so the host and the database stay
 * readable. 0, or -1 when memory ran out (sticky in out). */
int mask_store_uri(struct sbuf *out, const char *uri);

/* Whether a header carries a credential: Authorization,
 * Proxy-Authorization, Cookie, or any name containing (in any case) auth,
 * token, secret, key, password, session, cookie or signature. */
int mask_header_sensitive(const char *name);

/* Append a header's value to out, masked when the header carries a
 * credential: "****" plus its last four characters when it is longer than
 * 12, else "****". Other values are appended whole. The one masking of
 * header values: the record of what was sent, show, export, the form.
 * 0, or -1 when memory ran out (sticky in out). */
int mask_header_value(struct sbuf *out, const char *name, const char *value);

/* The same for a stored "Name: value" line: the name, ": ", the value
 * masked. A line without a colon is appended whole. */
int mask_header_line(struct sbuf *out, const char *line);

#endif
