#include "stats.h"

#include <string.h>

#include "control_proto.h"

int stats_queue(struct store *st, json_t *obj, char *err)
{
	/* The keys are the deliveries' states, which the query returns. */
	static const char *const states[] = { CONTROL_F_PENDING, CONTROL_F_INFLIGHT, CONTROL_F_FAILED, CONTROL_F_DEAD,
					      CONTROL_F_DELIVERED, NULL };
	/* Test sends are counted apart: a failed test is no dead delivery.
	 * Both counts come from indexes (all by state, tests by state). */
	struct db_stmt *s = store_sql_dialect(st,
		"SELECT 0, state, count(*) FROM deliveries GROUP BY state UNION ALL "
		"SELECT 1, state, count(*) FROM deliveries WHERE is_test GROUP BY state",
		"SELECT 0, state, count(*) FROM deliveries GROUP BY state UNION ALL "
		"SELECT 1, state, count(*) FROM deliveries WHERE is_test <> 0 GROUP BY state", err);
	json_t *queue = json_object(), *tests = json_object(), *failing = json_array();
	size_t i;
	int rc;

	if (!s || !queue || !tests || !failing)
		goto fail;
	for (i = 0; states[i]; i++) {
		json_object_set_new(queue, states[i], json_integer(0));
		json_object_set_new(tests, states[i], json_integer(0));
	}
	while ((rc = db_step(s)) == DB_ROW) {
		const char *state = db_column_text(s, 1);
		json_int_t n = db_column_int64(s, 2);

		if (db_column_int(s, 0)) {
			json_object_set_new(tests, state, json_integer(n));
			json_object_set_new(queue, state,
					    json_integer(json_integer_value(json_object_get(queue, state)) - n));
		} else {
			json_object_set_new(queue, state, json_integer(n));
		}
	}
	db_reset(s);
	if (rc != DB_DONE)
		goto sqlfail;
#define FAILING(order) "SELECT w.name, w.failing_since, w.enabled, w.disabled_reason, " \
		"(SELECT d.last_error FROM deliveries d WHERE d.webhook_id = w.id AND d.last_error IS NOT NULL " \
		" ORDER BY d.id DESC LIMIT 1) " \
		"FROM webhooks w WHERE w.failing_since IS NOT NULL OR w.disabled_reason IS NOT NULL ORDER BY " order
	/* By name as the list sorts them (store_webhook_list). */
	s = store_sql_dialect(st, FAILING("w.name"), FAILING("w.name_key COLLATE \"C\""), err);
#undef FAILING
	if (!s)
		goto fail;
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *f = json_pack("{s:s, s:b}", CONTROL_F_NAME, db_column_text(s, 0),
				      CONTROL_F_ENABLED, db_column_int(s, 2));

		if (!f)
			continue;
		if (!db_column_null(s, 1))
			json_object_set_new(f, CONTROL_F_SINCE, json_integer(db_column_int64(s, 1)));
		if (!db_column_null(s, 3))
			json_object_set_new(f, CONTROL_F_REASON, json_string(db_column_text(s, 3)));
		if (!db_column_null(s, 4))
			json_object_set_new(f, CONTROL_F_LAST_ERROR, json_string(db_column_text(s, 4)));
		json_array_append_new(failing, f);
	}
	db_reset(s);
	if (rc != DB_DONE)
		goto sqlfail;
	json_object_set_new(obj, CONTROL_F_QUEUE, queue);
	json_object_set_new(obj, CONTROL_F_TESTS, tests);
	json_object_set_new(obj, CONTROL_F_FAILING, failing);
	return 0;
sqlfail:
	store_sql_error(st, "cannot read the queue", err);
fail:
	json_decref(queue);
	json_decref(tests);
	json_decref(failing);
	return -1;
}
