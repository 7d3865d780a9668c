#include <string.h>

#include "err.h"
#include "sign.h"
#include "testutil.h"

static void hex(const unsigned char *b, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = d[b[i] >> 4];
		out[2 * i + 1] = d[b[i] & 15];
	}
	out[2 * n] = '\0';
}

START_TEST(standard_webhooks_vector)
{
	char sig[SIGN_HEADER_MAX], err[ERR_MAX];
	const char *body = "{\"test\": 2432232314}";

	ck_assert_int_eq(sign_webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
				      1614265330, body, strlen(body), sig, err), 0);
	ck_assert_str_eq(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	/* One byte of the body, the id or the time changes the signature. */
	ck_assert_int_eq(sign_webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
				      1614265331, body, strlen(body), sig, err), 0);
	ck_assert_str_ne(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	ck_assert_int_eq(sign_webhook("not-a-secret", "msg_1", 1, "{}", 2, sig, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "whsec_"));
}
END_TEST

START_TEST(header_with_two_secrets)
{
	char hdr[SIGN_HEADERS_MAX], old[SIGN_HEADER_MAX], want[SIGN_HEADERS_MAX], err[ERR_MAX];
	const char *body = "{\"test\": 2432232314}";
	const char *prev = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

	/* Alone: the one signature of the Standard Webhooks vector. */
	ck_assert_int_eq(sign_webhook_header("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", NULL,
					     "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body, strlen(body), hdr,
					     err), 0);
	ck_assert_str_eq(hdr, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	/* With a previous secret: the new one first, then the old, one space. */
	ck_assert_int_eq(sign_webhook(prev, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body, strlen(body), old,
				      err), 0);
	snprintf(want, sizeof want, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= %s", old);
	ck_assert_int_eq(sign_webhook_header("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", prev,
					     "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body, strlen(body), hdr,
					     err), 0);
	ck_assert_str_eq(hdr, want);
	ck_assert_uint_eq(strlen(hdr), 2 * 47 + 1);
	ck_assert_int_eq(sign_webhook_header("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "bad", "msg_1", 1, "{}", 2,
					     hdr, err), -1);
}
END_TEST

START_TEST(rfc4231_vectors)
{
	unsigned char key1[20], key6[131], mac[32];
	char out[65];
	static const char big[] = "Test Using Larger Than Block-Size Key - Hash Key First";

	memset(key1, 0x0b, sizeof key1);
	ck_assert_int_eq(sign_hmac_sha256(key1, sizeof key1, "Hi There", 8, mac, NULL), 0);
	hex(mac, 32, out);
	ck_assert_str_eq(out, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	ck_assert_int_eq(sign_hmac_sha256((const unsigned char *)"Jefe", 4, "what do ya want for nothing?", 28, mac, NULL), 0);
	hex(mac, 32, out);
	ck_assert_str_eq(out, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	memset(key6, 0xaa, sizeof key6);
	ck_assert_int_eq(sign_hmac_sha256(key6, sizeof key6, big, strlen(big), mac, NULL), 0);
	hex(mac, 32, out);
	ck_assert_str_eq(out, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sign");
	TCase *tc = tcase_create("sign");

	tcase_add_test(tc, standard_webhooks_vector);
	tcase_add_test(tc, header_with_two_secrets);
	tcase_add_test(tc, rfc4231_vectors);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
