// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for weighted Maglev: table sizes, balance (every share within
 * one slot of its quota), disruption (a rebuild from the previous table
 * moves only the slots the new quotas take: none of the other targets'
 * when one leaves, only the newcomer's when one comes, only the difference
 * when a weight changes), proportional weights, and zero weights.
 */

#include <kunit/test.h>
#include <linux/slab.h>

#include "../maglev.h"

static const siphash_key_t plink_test_key = {{ 0x0123456789abcdefULL,
					       0xfedcba9876543210ULL }};

struct plink_mtest {
	u16 *table;
	u16 *table2;
	struct plink_maglev_backend *b;
	u32 *count;
};

static struct plink_mtest *plink_mtest_alloc(struct kunit *test, u32 m,
					     unsigned int n)
{
	struct plink_mtest *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->table = kunit_kmalloc_array(test, m, sizeof(u16), GFP_KERNEL);
	t->table2 = kunit_kmalloc_array(test, m, sizeof(u16), GFP_KERNEL);
	/* Room for one more backend (a target added). */
	t->b = kunit_kmalloc_array(test, n + 1, sizeof(*t->b), GFP_KERNEL);
	t->count = kunit_kcalloc(test, n + 1, sizeof(u32), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->table);
	KUNIT_ASSERT_NOT_NULL(test, t->table2);
	KUNIT_ASSERT_NOT_NULL(test, t->b);
	KUNIT_ASSERT_NOT_NULL(test, t->count);
	for (i = 0; i <= n; i++) {
		u32 id = 0x0a000000 + i;	/* a target's address, say */

		plink_maglev_perm(&plink_test_key, &id, sizeof(id), m,
				  &t->b[i].offset, &t->b[i].skip);
		t->b[i].weight = 1;
	}
	return t;
}

/* Build @table of @n backends from the previous @old of @oldn (@map). */
static unsigned int plink_mtest_rebuild(struct plink_mtest *t, u16 *table,
					u32 m, unsigned int n, const u16 *old,
					const u16 *map, unsigned int oldn)
{
	struct plink_maglev_prev prev = {
		.table = old,
		.map = map,
		.n = oldn,
	};

	return plink_maglev_build(table, m, t->b, n, &prev);
}

static void plink_mtest_count(struct plink_mtest *t, const u16 *table, u32 m,
			      unsigned int n)
{
	u32 i;

	memset(t->count, 0, n * sizeof(u32));
	for (i = 0; i < m; i++) {
		if (table[i] < n)
			t->count[table[i]]++;
	}
}

static void plink_test_maglev_sizes(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, plink_maglev_size_valid(PLINK_MAGLEV_DEFAULT_SIZE));
	KUNIT_EXPECT_TRUE(test, plink_maglev_size_valid(65537));
	KUNIT_EXPECT_TRUE(test, plink_maglev_size_valid(251));
	KUNIT_EXPECT_FALSE(test, plink_maglev_size_valid(65536));
	KUNIT_EXPECT_FALSE(test, plink_maglev_size_valid(16383));	/* 3 * 43 * 127 */
	KUNIT_EXPECT_FALSE(test, plink_maglev_size_valid(65539));	/* prime, too big */
	KUNIT_EXPECT_FALSE(test, plink_maglev_size_valid(1));
}

static void plink_test_maglev_full_and_stable(struct kunit *test)
{
	const u32 m = 16381;
	const unsigned int n = 37;
	struct plink_mtest *t = plink_mtest_alloc(test, m, n);
	u32 i;

	KUNIT_EXPECT_EQ(test, plink_maglev_build(t->table, m, t->b, n, NULL), n);
	for (i = 0; i < m; i++)
		KUNIT_ASSERT_LT(test, t->table[i], n);
	/* The same targets give the same table. */
	plink_maglev_build(t->table2, m, t->b, n, NULL);
	KUNIT_EXPECT_EQ(test, memcmp(t->table, t->table2, m * sizeof(u16)), 0);
}

static void plink_test_maglev_balance(struct kunit *test)
{
	static const struct { u32 m; unsigned int n; } cases[] = {
		{ 16381, 100 }, { 16381, 163 }, { 65537, 655 }, { 251, 2 },
	};
	unsigned int c, i;

	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		u32 m = cases[c].m, max = 0;
		unsigned int n = cases[c].n;
		struct plink_mtest *t = plink_mtest_alloc(test, m, n);

		u32 min = m;

		plink_maglev_build(t->table, m, t->b, n, NULL);
		plink_mtest_count(t, t->table, m, n);
		for (i = 0; i < n; i++) {
			max = max(max, t->count[i]);
			min = min(min, t->count[i]);
		}
		/* Each share is m / n, rounded down or up. */
		KUNIT_EXPECT_LE_MSG(test, max, m / n + 1, "M=%u N=%u", m, n);
		KUNIT_EXPECT_GE_MSG(test, min, m / n, "M=%u N=%u", m, n);
	}
}

/*
 * One of n targets leaves; the rebuild packs the others' indexes (as
 * lb.c's does: index i > gone becomes i - 1).  None of their slots moves,
 * and the leaver's are dealt out evenly.
 */
static void plink_test_maglev_remove(struct kunit *test)
{
	static const unsigned int ns[] = { 2, 10, 100, 1000 };
	const u32 m = 65537;
	unsigned int c;

	for (c = 0; c < ARRAY_SIZE(ns); c++) {
		unsigned int n = ns[c], gone = n / 2, i;
		struct plink_mtest *t = plink_mtest_alloc(test, m, n);
		u16 *map = kunit_kmalloc_array(test, n, sizeof(u16), GFP_KERNEL);
		u32 s, moved = 0, max = 0, min = m;

		KUNIT_ASSERT_NOT_NULL(test, map);
		plink_maglev_build(t->table, m, t->b, n, NULL);
		for (i = 0; i < n; i++)
			map[i] = i < gone ? i : i > gone ? i - 1 : PLINK_MAGLEV_NONE;
		memmove(&t->b[gone], &t->b[gone + 1], (n - gone - 1) * sizeof(*t->b));
		KUNIT_EXPECT_EQ(test, plink_mtest_rebuild(t, t->table2, m, n - 1,
							  t->table, map, n), n - 1);
		for (s = 0; s < m; s++) {
			KUNIT_ASSERT_LT(test, t->table2[s], n - 1);
			if (t->table[s] == gone)
				continue;
			moved += map[t->table[s]] != t->table2[s];
		}
		KUNIT_EXPECT_EQ_MSG(test, moved, 0U, "N=%u", n);
		plink_mtest_count(t, t->table2, m, n - 1);
		for (i = 0; i < n - 1; i++) {
			max = max(max, t->count[i]);
			min = min(min, t->count[i]);
		}
		KUNIT_EXPECT_LE_MSG(test, max, m / (n - 1) + 1, "N=%u", n);
		KUNIT_EXPECT_GE_MSG(test, min, m / (n - 1), "N=%u", n);
	}
}

/* A target comes: the only slots that move are the ones it takes. */
static void plink_test_maglev_add(struct kunit *test)
{
	static const unsigned int ns[] = { 1, 10, 100, 999 };
	const u32 m = 16381;
	unsigned int c;

	for (c = 0; c < ARRAY_SIZE(ns); c++) {
		unsigned int n = ns[c], i;
		struct plink_mtest *t = plink_mtest_alloc(test, m, n);
		u16 *map = kunit_kmalloc_array(test, n, sizeof(u16), GFP_KERNEL);
		u32 s, moved = 0, taken = 0;

		KUNIT_ASSERT_NOT_NULL(test, map);
		plink_maglev_build(t->table, m, t->b, n, NULL);
		for (i = 0; i < n; i++)
			map[i] = i;
		plink_mtest_rebuild(t, t->table2, m, n + 1, t->table, map, n);
		for (s = 0; s < m; s++) {
			moved += t->table[s] != t->table2[s];
			taken += t->table2[s] == n;
		}
		KUNIT_EXPECT_EQ_MSG(test, moved, taken, "N=%u", n);
		KUNIT_EXPECT_GE_MSG(test, taken, m / (n + 1), "N=%u", n);
		KUNIT_EXPECT_LE_MSG(test, taken, m / (n + 1) + 1, "N=%u", n);
	}
}

/* A weight changes: only the difference of its quota moves. */
static void plink_test_maglev_reweight(struct kunit *test)
{
	const u32 m = 16381;
	const unsigned int n = 100, which = 42;
	struct plink_mtest *t = plink_mtest_alloc(test, m, n);
	u16 *map = kunit_kmalloc_array(test, n, sizeof(u16), GFP_KERNEL);
	u32 s, i, moved = 0, before, after;

	KUNIT_ASSERT_NOT_NULL(test, map);
	plink_maglev_build(t->table, m, t->b, n, NULL);
	for (i = 0; i < n; i++)
		map[i] = i;
	plink_mtest_count(t, t->table, m, n);
	before = t->count[which];
	t->b[which].weight = 3;		/* 3 / 102 of the slots */
	plink_mtest_rebuild(t, t->table2, m, n, t->table, map, n);
	plink_mtest_count(t, t->table2, m, n);
	after = t->count[which];
	for (s = 0; s < m; s++) {
		if (t->table[s] == t->table2[s])
			continue;
		moved++;
		KUNIT_EXPECT_EQ(test, t->table2[s], which);
	}
	KUNIT_EXPECT_EQ(test, moved, after - before);
	KUNIT_EXPECT_GE(test, after, m * 3 / 102);
	KUNIT_EXPECT_LE(test, after, m * 3 / 102 + 1);

	/* And back: it gives up what it took, no one else moves. */
	memcpy(t->table, t->table2, m * sizeof(u16));
	t->b[which].weight = 1;
	plink_mtest_rebuild(t, t->table2, m, n, t->table, map, n);
	plink_mtest_count(t, t->table2, m, n);
	before = t->count[which];
	KUNIT_EXPECT_GE(test, before, m / n);
	KUNIT_EXPECT_LE(test, before, m / n + 1);
	moved = 0;
	for (s = 0; s < m; s++) {
		if (t->table[s] == t->table2[s])
			continue;
		moved++;
		KUNIT_EXPECT_EQ(test, t->table[s], which);
	}
	KUNIT_EXPECT_EQ(test, moved, after - before);
}

/* Without the previous table (a new size), a table is rebuilt whole. */
static void plink_test_maglev_scratch(struct kunit *test)
{
	const u32 m = 65537;
	const unsigned int n = 100;
	struct plink_mtest *t = plink_mtest_alloc(test, m, n);
	u32 s, others = 0, moved = 0;

	plink_maglev_build(t->table, m, t->b, n, NULL);
	t->b[7].weight = 0;
	plink_maglev_build(t->table2, m, t->b, n, NULL);
	for (s = 0; s < m; s++) {
		KUNIT_ASSERT_NE(test, t->table2[s], 7);
		if (t->table[s] == 7)
			continue;
		others++;
		moved += t->table[s] != t->table2[s];
	}
	/* Maglev's own disruption: a few percent at most. */
	KUNIT_EXPECT_LE_MSG(test, (u64)moved * 100, (u64)others * 5,
			    "%u of %u slots moved", moved, others);
	kunit_info(test, "from scratch, removing 1 of %u moved %u of %u other slots",
		   n, moved, others);
}

static void plink_test_maglev_weights(struct kunit *test)
{
	const u32 m = 65537;
	const unsigned int n = 10;
	struct plink_mtest *t = plink_mtest_alloc(test, m, n);
	unsigned int i, wsum = 0;

	for (i = 0; i < n; i++) {
		t->b[i].weight = (i + 1) * 10;	/* 10, 20, ... 100 */
		wsum += t->b[i].weight;
	}
	plink_maglev_build(t->table, m, t->b, n, NULL);
	plink_mtest_count(t, t->table, m, n);
	for (i = 0; i < n; i++) {
		u64 want = div_u64((u64)m * t->b[i].weight, wsum);
		u64 got = t->count[i];
		u64 diff = got > want ? got - want : want - got;

		KUNIT_EXPECT_LE_MSG(test, diff * 100, want,
				    "weight %u: %llu slots, want %llu",
				    t->b[i].weight, got, want);
	}
}

static void plink_test_maglev_zero_weights(struct kunit *test)
{
	const u32 m = 251;
	const unsigned int n = 4;
	struct plink_mtest *t = plink_mtest_alloc(test, m, n);
	u32 i;

	t->b[0].weight = 0;
	t->b[2].weight = 0;
	KUNIT_EXPECT_EQ(test, plink_maglev_build(t->table, m, t->b, n, NULL), 2U);
	plink_mtest_count(t, t->table, m, n);
	KUNIT_EXPECT_EQ(test, t->count[0], 0U);
	KUNIT_EXPECT_EQ(test, t->count[2], 0U);
	KUNIT_EXPECT_EQ(test, t->count[1] + t->count[3], m);

	for (i = 0; i < n; i++)
		t->b[i].weight = 0;
	KUNIT_EXPECT_EQ(test, plink_maglev_build(t->table, m, t->b, n, NULL), 0U);
	for (i = 0; i < m; i++)
		KUNIT_ASSERT_EQ(test, t->table[i], PLINK_MAGLEV_NONE);
}

static struct kunit_case plink_maglev_cases[] = {
	KUNIT_CASE(plink_test_maglev_sizes),
	KUNIT_CASE(plink_test_maglev_full_and_stable),
	KUNIT_CASE(plink_test_maglev_balance),
	KUNIT_CASE(plink_test_maglev_remove),
	KUNIT_CASE(plink_test_maglev_add),
	KUNIT_CASE(plink_test_maglev_reweight),
	KUNIT_CASE(plink_test_maglev_scratch),
	KUNIT_CASE(plink_test_maglev_weights),
	KUNIT_CASE(plink_test_maglev_zero_weights),
	{}
};

static struct kunit_suite plink_maglev_suite = {
	.name = "plink_maglev",
	.test_cases = plink_maglev_cases,
};

kunit_test_suite(plink_maglev_suite);
