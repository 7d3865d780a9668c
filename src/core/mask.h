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

/* Mask the value of a header that carries a credential (Authorization,
 * Proxy-Authorization, Cookie, or a name containing token, secret, key,
 * auth, password or session): "****" plus its last four characters when it
 * is long. Other values are copied. */
void mask_header_value(const char *name, const char *value, char *out, size_t size);

#endif
