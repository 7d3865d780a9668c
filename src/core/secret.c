#include "secret.h"

#include <openssl/evp.h>
#include <string.h>

#include "err.h"
#include "randid.h"

#define PREFIX "whsec_"
#define PREFIX_LEN 6

int secret_generate(char *out, char *err)
{
	unsigned char key[SECRET_GEN_BYTES];

	if (randid_bytes(key, sizeof key, err) < 0)
		return -1;
	memcpy(out, PREFIX, PREFIX_LEN);
	EVP_EncodeBlock((unsigned char *)out + PREFIX_LEN, key, sizeof key);
	return 0;
}

int secret_decode(const char *secret, unsigned char *key, char *err)
{
	unsigned char buf[SECRET_MAX];
	const char *b64;
	size_t n, i;
	int len;

	if (strncmp(secret, PREFIX, PREFIX_LEN) != 0) {
		err_setk(err, ERR_INVALID, "secret must start with \"whsec_\" (use --gen-secret to make one)");
		return -1;
	}
	b64 = secret + PREFIX_LEN;
	n = strlen(b64);
	if (n == 0 || n % 4 != 0 || n > sizeof buf) {
		err_setk(err, ERR_INVALID, "secret after \"whsec_\" must be base64 (a multiple of 4 characters, at most %d)",
			SECRET_MAX - PREFIX_LEN);
		return -1;
	}
	for (i = 0; i < n; i++) {
		char c = b64[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '/' || (c == '=' && i >= n - 2))) {
			err_setk(err, ERR_INVALID, "secret has a character that is not base64 at position %zu", PREFIX_LEN + i + 1);
			return -1;
		}
	}
	len = EVP_DecodeBlock(buf, (const unsigned char *)b64, (int)n);
	if (len < 0) {
		err_setk(err, ERR_INVALID, "secret after \"whsec_\" is not valid base64");
		return -1;
	}
	/* EVP_DecodeBlock counts padding as zero bytes; take them back off. */
	if (b64[n - 1] == '=')
		len--;
	if (b64[n - 2] == '=')
		len--;
	if (len < SECRET_MIN_BYTES || len > SECRET_MAX_BYTES) {
		err_setk(err, ERR_INVALID, "secret key is %d bytes; it must be %d to %d bytes", len,
			SECRET_MIN_BYTES, SECRET_MAX_BYTES);
		return -1;
	}
	if (key)
		memcpy(key, buf, (size_t)len);
	return len;
}

int secret_check(const char *secret, char *err)
{
	return secret_decode(secret, NULL, err) < 0 ? -1 : 0;
}
