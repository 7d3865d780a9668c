#include "rotate.h"

#include <stdlib.h>
#include <string.h>

#include "credref.h"
#include "duration.h"
#include "err.h"

int rotate_parse_grace(const char *text, long long *ms, char *err)
{
	static const struct duration_rule rule = {
		DURATION_S | DURATION_M | DURATION_H | DURATION_D, 0, ROTATE_GRACE_MAX_MS
	};
	char why[ERR_MAX];

	if (duration_parse(text, strlen(text), &rule, "the grace", ms, why) < 0) {
		err_setk(err, ERR_INVALID, "--grace %.40s: %s", text, why);
		return -1;
	}
	return 0;
}

int rotate_secret(struct store *st, const char *name, long long grace_ms, long long now_ms,
		  struct rotation *out, char *err)
{
	struct webhook wh, kept, after;
	struct db_stmt *s;
	long long until;

	memset(out, 0, sizeof *out);
	if (secret_generate(out->secret, err) < 0)
		return -1;
	if (store_begin(st, err) < 0)
		return -1;
	if (store_webhook_get(st, name, &wh, err) < 0)
		goto fail;
	out->had_secret = wh.secret != NULL;
	out->dropped_previous = wh.secret_previous != NULL;
	until = out->had_secret && grace_ms > 0 ? now_ms + grace_ms : 0;
	/* The new secret comes from no reference: the secret's is dropped,
	 * by the rule every change follows (credref_keep). kept shares
	 * wh's fields but for the secret and the references. */
	kept = wh;
	kept.secret = out->secret;
	kept.refs = NULL;
	if (credref_keep(&kept, &wh, err) < 0) {
		webhook_clear(&wh);
		goto fail;
	}
	s = store_sql(st, "UPDATE webhooks SET secret = ?1, secret_previous = ?2, secret_previous_until = ?3, "
			   "refs = ?6, version = version + 1, updated_at = ?4 WHERE id = ?5", err);
	if (!s) {
		free(kept.refs);
		webhook_clear(&wh);
		goto fail;
	}
	db_bind_text_own(s, 6, kept.refs);
	db_bind_text(s, 1, out->secret);
	if (until) {
		db_bind_text_copy(s, 2, wh.secret);
		db_bind_int64(s, 3, until);
	} else {
		db_bind_null(s, 2);
		db_bind_null(s, 3);
	}
	db_bind_int64(s, 4, now_ms);
	db_bind_int64(s, 5, wh.id);
	if (db_step(s) != DB_DONE) {
		store_sql_error(st, "cannot save the new secret", err);
		db_reset(s);
		webhook_clear(&wh);
		goto fail;
	}
	db_reset(s);
	/* The audit record (store_observe) sees the rotation as an
	 * update of the secret. */
	if (store_webhook_get_id(st, wh.id, &after, err) < 0 || store_webhook_changed(st, &wh, &after, err) < 0) {
		webhook_clear(&wh);
		webhook_clear(&after);
		goto fail;
	}
	webhook_clear(&wh);
	webhook_clear(&after);
	out->previous_until = until;
	return store_commit(st, err);
fail:
	store_rollback(st);
	return -1;
}
