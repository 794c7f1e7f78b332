/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PLINK_MAGLEV_H
#define _PLINK_MAGLEV_H

#include <linux/siphash.h>
#include <linux/types.h>
#include <kunit/visibility.h>

#define PLINK_MAGLEV_DEFAULT_SIZE	16381
#define PLINK_MAGLEV_MAX_SIZE		65537
#define PLINK_MAGLEV_NONE		0xffff	/* an empty slot */

/* A backend's permutation and weight; @next, @want and @more are scratch. */
struct plink_maglev_backend {
	u32 offset;
	u32 skip;
	u32 weight;
	u32 next;	/* its next slot in its permutation */
	u32 want;	/* slots still owed to it */
	u32 more;	/* whether it may take one of the leftover slots */
};

/*
 * The table a rebuild starts from, of the same size: slot s belonged to
 * backend @map[@table[s]] of the new set (PLINK_MAGLEV_NONE: gone).
 */
struct plink_maglev_prev {
	const u16 *table;
	const u16 *map;
	unsigned int n;		/* entries in @map */
};

bool plink_maglev_size_valid(u32 m);
void plink_maglev_perm(const siphash_key_t *key, const void *id, size_t len,
		       u32 m, u32 *offset, u32 *skip);
unsigned int plink_maglev_build(u16 *table, u32 m,
				struct plink_maglev_backend *b, unsigned int n,
				const struct plink_maglev_prev *prev);

#endif /* _PLINK_MAGLEV_H */
