// SPDX-License-Identifier: GPL-2.0
/*
 * Weighted Maglev (Eisenbud et al., NSDI 2016), as a pure function: no
 * locks, no allocation, so that KUnit can test its balance and disruption
 * and the control plane can build tables in process context and publish
 * them with RCU.
 *
 * Each backend i has a permutation of the M slots, offset_i + j * skip_i
 * (mod M, M prime).  Backends take turns claiming their next free slot
 * until each has its quota, a share of M proportional to its weight.  A
 * rebuild starts from the previous table and keeps every slot it can.
 */

#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/siphash.h>
#include <linux/string.h>

#include "maglev.h"

bool plink_maglev_size_valid(u32 m)
{
	u32 d;

	if (m < 2 || m > PLINK_MAGLEV_MAX_SIZE)
		return false;
	for (d = 2; d * d <= m; d++) {
		if (m % d == 0)
			return false;
	}
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(plink_maglev_size_valid);

void plink_maglev_perm(const siphash_key_t *key, const void *id, size_t len,
		       u32 m, u32 *offset, u32 *skip)
{
	u64 h = siphash(id, len, key);

	*offset = (u32)h % m;
	*skip = (u32)(h >> 32) % (m - 1) + 1;
}
EXPORT_SYMBOL_IF_KUNIT(plink_maglev_perm);

/* Give backend @i the next free slot of its permutation (there is one). */
static void plink_maglev_claim(u16 *table, u32 m,
			       struct plink_maglev_backend *b, u16 i)
{
	u32 s;

	do {
		s = b->next;
		b->next += b->skip;
		if (b->next >= m)
			b->next -= m;
	} while (table[s] != PLINK_MAGLEV_NONE);
	table[s] = i;
}

/*
 * Fill @table (@m entries) with backend indexes.  @b holds @n backends'
 * offset, skip and weight (their weights add up to less than 2^32);
 * backends of weight 0 take no slot.  Returns the number of backends that
 * took part, 0 (and a table of PLINK_MAGLEV_NONE) when none has a weight.
 *
 * Each backend is owed its share of the @m slots, m * weight / sum of
 * weights, rounded down; the slots the rounding leaves over go one each to
 * backends whose share had a fraction.  With @prev, a slot whose backend
 * is still there stays with it while that backend is owed slots (or may
 * take one of the leftovers); only the other slots are dealt out again,
 * so a change moves no more slots than the new shares require: removing
 * one of N equal backends moves its own 1/N and nothing else.  The free
 * slots are dealt as in Maglev: the backends owed slots take turns
 * claiming the next free slot of their permutation.
 */
unsigned int plink_maglev_build(u16 *table, u32 m,
				struct plink_maglev_backend *b, unsigned int n,
				const struct plink_maglev_prev *prev)
{
	u32 wsum = 0, extra = m, left = m, owed, s;
	unsigned int i, live = 0;

	for (i = 0; i < n; i++) {
		wsum += b[i].weight;
		live += !!b[i].weight;
	}
	if (!live) {
		for (s = 0; s < m; s++)
			table[s] = PLINK_MAGLEV_NONE;
		return 0;
	}
	for (i = 0; i < n; i++) {
		u64 share = (u64)m * b[i].weight;
		u32 rem;

		b[i].want = div_u64_rem(share, wsum, &rem);
		b[i].more = rem != 0;
		b[i].next = b[i].offset;
		extra -= b[i].want;
	}

	for (s = 0; s < m; s++) {
		u16 o = PLINK_MAGLEV_NONE;

		if (prev && prev->table[s] < prev->n)
			o = prev->map[prev->table[s]];
		if (o < n && b[o].want) {
			b[o].want--;
		} else if (o < n && b[o].more && extra) {
			b[o].more = 0;
			extra--;
		} else {
			table[s] = PLINK_MAGLEV_NONE;
			continue;
		}
		table[s] = o;
		left--;
	}

	/* A permutation visits every slot (m is prime): a free one comes. */
	for (owed = left - extra; owed; ) {
		for (i = 0; i < n && owed; i++) {
			if (!b[i].want)
				continue;
			plink_maglev_claim(table, m, &b[i], i);
			b[i].want--;
			owed--;
		}
	}
	/* The leftovers: there are fewer than backends with a fraction. */
	for (i = 0; i < n && extra; i++) {
		if (!b[i].more)
			continue;
		plink_maglev_claim(table, m, &b[i], i);
		b[i].more = 0;
		extra--;
	}
	return live;
}
EXPORT_SYMBOL_IF_KUNIT(plink_maglev_build);
