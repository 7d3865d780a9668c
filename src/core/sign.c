#include "sign.h"

#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "secret.h"

int sign_hmac_sha256(const unsigned char *key, size_t keylen, const void *data, size_t len,
		     unsigned char out[32], char *err)
{
	size_t outlen = 0;

	if (!EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, keylen, data, len, out, 32, &outlen) ||
	    outlen != 32) {
		err_set(err, "HMAC-SHA256 failed in libcrypto");
		return -1;
	}
	return 0;
}

int sign_webhook(const char *secret, const char *msg_id, long long timestamp,
		 const char *body, size_t len, char *out, char *err)
{
	unsigned char key[SECRET_MAX_BYTES], mac[32];
	char prefix[128];
	EVP_MAC *hmac = NULL;
	EVP_MAC_CTX *ctx = NULL;
	OSSL_PARAM params[2];
	size_t maclen = 0;
	int keylen, n, rc = -1;

	keylen = secret_decode(secret, key, err);
	if (keylen < 0)
		return -1;
	n = snprintf(prefix, sizeof prefix, "%s.%lld.", msg_id, timestamp);
	if (n < 0 || (size_t)n >= sizeof prefix) {
		err_set(err, "delivery id \"%.40s\" is too long to sign", msg_id);
		return -1;
	}
	/* Streamed, so a 256 KiB body is never copied just to be signed. */
	hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	ctx = hmac ? EVP_MAC_CTX_new(hmac) : NULL;
	params[0] = OSSL_PARAM_construct_utf8_string("digest", (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!ctx || !EVP_MAC_init(ctx, key, (size_t)keylen, params) ||
	    !EVP_MAC_update(ctx, (const unsigned char *)prefix, (size_t)n) ||
	    !EVP_MAC_update(ctx, (const unsigned char *)body, len) ||
	    !EVP_MAC_final(ctx, mac, &maclen, sizeof mac) || maclen != 32) {
		err_set(err, "HMAC-SHA256 failed in libcrypto");
		goto out;
	}
	memcpy(out, "v1,", 3);
	EVP_EncodeBlock((unsigned char *)out + 3, mac, 32);
	rc = 0;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(hmac);
	OPENSSL_cleanse(key, sizeof key);
	return rc;
}

int sign_webhook_header(const char *secret, const char *previous, const char *msg_id,
			long long timestamp, const char *body, size_t len, char *out, char *err)
{
	size_t n;

	if (sign_webhook(secret, msg_id, timestamp, body, len, out, err) < 0)
		return -1;
	if (!previous)
		return 0;
	n = strlen(out);
	out[n] = ' ';
	return sign_webhook(previous, msg_id, timestamp, body, len, out + n + 1, err);
}
