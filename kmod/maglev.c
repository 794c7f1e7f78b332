// SPDX-License-Identifier: GPL-2.0
/*
 * Weighted Maglev (Eisenbud et al., NSDI 2016), as a pure function: no
 * locks, no allocation, so that KUnit can test its balance and disruption
 * and the control plane can build tables in process context and publish
 * them with RCU.
 *
 * Each backend i has a permutation of the M slots, offset_i + j * skip_i
 * (mod M, M prime).  Backends take turns claiming their next free slot; a
 * backend of weight w claims, over each round, w / w_max of a slot, so the
 * heaviest claims one slot per round and shares stay proportional.
 */

#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/minmax.h>
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

/*
 * Fill @table (@m entries) with backend indexes.  @b holds @n backends'
 * offset, skip and weight; backends of weight 0 take no slot.  @next is
 * scratch space for @n words (each backend's next slot in its permutation).
 * Returns the number of backends that took part, 0 (and a table of
 * PLINK_MAGLEV_NONE) when none has a weight.
 */
unsigned int plink_maglev_build(u16 *table, u32 m,
				const struct plink_maglev_backend *b,
				unsigned int n, u32 *next)
{
	unsigned int i, live = 0;
	u32 filled = 0, wmax = 0;
	u64 round;

	for (i = 0; i < m; i++)
		table[i] = PLINK_MAGLEV_NONE;
	for (i = 0; i < n; i++) {
		next[i] = b[i].offset;
		if (b[i].weight) {
			live++;
			wmax = max(wmax, b[i].weight);
		}
	}
	if (!live)
		return 0;

	for (round = 0; ; round++) {
		for (i = 0; i < n; i++) {
			u32 turns;

			if (!b[i].weight)
				continue;
			/* Slots owed to i in this round: its share's increment. */
			turns = div_u64((round + 1) * b[i].weight, wmax) -
				div_u64(round * b[i].weight, wmax);
			while (turns--) {
				u32 slot;

				do {
					slot = next[i];
					next[i] += b[i].skip;
					if (next[i] >= m)
						next[i] -= m;
				} while (table[slot] != PLINK_MAGLEV_NONE);
				table[slot] = i;
				if (++filled == m)
					return live;
			}
		}
	}
}
EXPORT_SYMBOL_IF_KUNIT(plink_maglev_build);
