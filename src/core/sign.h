/* Standard Webhooks signing: HMAC-SHA256 over "id.timestamp.body". */
#ifndef HOOKMAN_SIGN_H
#define HOOKMAN_SIGN_H

#include <stddef.h>

#define SIGN_HEADER_MAX 64   /* "v1," + 44 base64 characters + NUL */

/* HMAC-SHA256 of data with key into out (32 bytes). 0 or -1 with err. */
int sign_hmac_sha256(const unsigned char *key, size_t keylen, const void *data, size_t len,
		     unsigned char out[32], char *err);

/* The webhook-signature header value for a delivery: "v1,<base64>" where
 * the HMAC key is the base64 decoding of what follows "whsec_" in secret.
 * Writes into out (SIGN_HEADER_MAX bytes). 0 or -1 with err. */
int sign_webhook(const char *secret, const char *msg_id, long long timestamp,
		 const char *body, size_t len, char *out, char *err);

/* The whole webhook-signature header value. With a previous secret (still
 * in its grace after a rotation) the request is signed with both, the new
 * one first, space-separated as Standard Webhooks allows:
 * "v1,<new> v1,<old>", so a receiver holding either secret accepts it.
 * previous NULL: "v1,<new>" alone. Writes into out (SIGN_HEADERS_MAX
 * bytes). 0 or -1 with err. */
#define SIGN_HEADERS_MAX (2 * SIGN_HEADER_MAX)
int sign_webhook_header(const char *secret, const char *previous, const char *msg_id,
			long long timestamp, const char *body, size_t len, char *out, char *err);

#endif
