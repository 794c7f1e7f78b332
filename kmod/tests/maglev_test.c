// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for weighted Maglev: table sizes, balance (max/mean <= 1.01
 * when M >= 100 N), disruption when a target leaves (<= 1% of the other
 * targets' slots move at M = 65537, N = 1000), proportional weights (each
 * share within 1% of its weight's), and zero weights.
 */

#include <kunit/test.h>
#include <linux/slab.h>

#include "../maglev.h"

static const siphash_key_t plink_test_key = {{ 0x0123456789abcdefULL,
					       0xfedcba9876543210ULL }};

struct plink_mtest {
	u16 *table;
	u16 *table2;
	u32 *next;
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
	t->next = kunit_kmalloc_array(test, n, sizeof(u32), GFP_KERNEL);
	t->b = kunit_kmalloc_array(test, n, sizeof(*t->b), GFP_KERNEL);
	t->count = kunit_kcalloc(test, n, sizeof(u32), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->table);
	KUNIT_ASSERT_NOT_NULL(test, t->table2);
	KUNIT_ASSERT_NOT_NULL(test, t->next);
	KUNIT_ASSERT_NOT_NULL(test, t->b);
	KUNIT_ASSERT_NOT_NULL(test, t->count);
	for (i = 0; i < n; i++) {
		u32 id = 0x0a000000 + i;	/* a target's address, say */

		plink_maglev_perm(&plink_test_key, &id, sizeof(id), m,
				  &t->b[i].offset, &t->b[i].skip);
		t->b[i].weight = 1;
	}
	return t;
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

	KUNIT_EXPECT_EQ(test, plink_maglev_build(t->table, m, t->b, n, t->next), n);
	for (i = 0; i < m; i++)
		KUNIT_ASSERT_LT(test, t->table[i], n);
	/* The same targets give the same table. */
	plink_maglev_build(t->table2, m, t->b, n, t->next);
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

		plink_maglev_build(t->table, m, t->b, n, t->next);
		plink_mtest_count(t, t->table, m, n);
		for (i = 0; i < n; i++)
			max = max(max, t->count[i]);
		/* max / mean <= 1.01, mean = m / n */
		KUNIT_EXPECT_LE_MSG(test, (u64)max * n * 100, (u64)m * 101,
				    "M=%u N=%u max=%u mean=%u", m, n, max, m / n);
	}
}

static void plink_test_maglev_disruption(struct kunit *test)
{
	static const unsigned int ns[] = { 10, 100, 1000 };
	const u32 m = 65537;
	unsigned int c;

	for (c = 0; c < ARRAY_SIZE(ns); c++) {
		unsigned int n = ns[c], gone = n / 2;
		struct plink_mtest *t = plink_mtest_alloc(test, m, n);
		u32 i, others = 0, moved = 0;

		plink_maglev_build(t->table, m, t->b, n, t->next);
		t->b[gone].weight = 0;
		plink_maglev_build(t->table2, m, t->b, n, t->next);
		for (i = 0; i < m; i++) {
			KUNIT_ASSERT_NE(test, t->table2[i], gone);
			if (t->table[i] == gone)
				continue;
			others++;
			moved += t->table[i] != t->table2[i];
		}
		/* <= 1% of the slots of the targets that stayed move */
		KUNIT_EXPECT_LE_MSG(test, (u64)moved * 100, (u64)others,
				    "N=%u: %u of %u slots moved", n, moved, others);
		kunit_info(test, "N=%u: removing one target moved %u of %u other slots",
			   n, moved, others);
	}
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
	plink_maglev_build(t->table, m, t->b, n, t->next);
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
	KUNIT_EXPECT_EQ(test, plink_maglev_build(t->table, m, t->b, n, t->next), 2U);
	plink_mtest_count(t, t->table, m, n);
	KUNIT_EXPECT_EQ(test, t->count[0], 0U);
	KUNIT_EXPECT_EQ(test, t->count[2], 0U);
	KUNIT_EXPECT_EQ(test, t->count[1] + t->count[3], m);

	for (i = 0; i < n; i++)
		t->b[i].weight = 0;
	KUNIT_EXPECT_EQ(test, plink_maglev_build(t->table, m, t->b, n, t->next), 0U);
	for (i = 0; i < m; i++)
		KUNIT_ASSERT_EQ(test, t->table[i], PLINK_MAGLEV_NONE);
}

static struct kunit_case plink_maglev_cases[] = {
	KUNIT_CASE(plink_test_maglev_sizes),
	KUNIT_CASE(plink_test_maglev_full_and_stable),
	KUNIT_CASE(plink_test_maglev_balance),
	KUNIT_CASE(plink_test_maglev_disruption),
	KUNIT_CASE(plink_test_maglev_weights),
	KUNIT_CASE(plink_test_maglev_zero_weights),
	{}
};

static struct kunit_suite plink_maglev_suite = {
	.name = "plink_maglev",
	.test_cases = plink_maglev_cases,
};

kunit_test_suite(plink_maglev_suite);
