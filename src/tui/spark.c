#include "spark.h"

static const char *const blocks[8] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };

static enum color how(const struct activity_bucket *b)
{
	return b->failed == 0 ? C_OK : b->ok == 0 ? C_BAD : C_WARN;
}

/* Height 1..8 for part of whole (part > 0): any activity shows. */
static const char *block(long long part, long long whole)
{
	long long h = whole > 0 ? (part * 8 + whole - 1) / whole : 8;

	return blocks[h < 1 ? 0 : h > 8 ? 7 : h - 1];
}

struct spark_cell spark_volume(const struct activity_bucket *b, long long max)
{
	long long total = b->ok + b->failed;

	if (total == 0)
		return (struct spark_cell){ " ", C_DIM };
	return (struct spark_cell){ block(total, max), how(b) };
}

struct spark_cell spark_success(const struct activity_bucket *b)
{
	long long total = b->ok + b->failed;

	if (total == 0)
		return (struct spark_cell){ " ", C_DIM };
	/* No success at all still shows, as the lowest block in red. */
	return (struct spark_cell){ b->ok ? block(b->ok, total) : blocks[0], how(b) };
}

long long spark_max(const struct activity_bucket *b, size_t n)
{
	long long max = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i].ok + b[i].failed > max)
			max = b[i].ok + b[i].failed;
	return max;
}
