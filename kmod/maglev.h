/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PLINK_MAGLEV_H
#define _PLINK_MAGLEV_H

#include <linux/siphash.h>
#include <linux/types.h>
#include <kunit/visibility.h>

#define PLINK_MAGLEV_DEFAULT_SIZE	16381
#define PLINK_MAGLEV_MAX_SIZE		65537
#define PLINK_MAGLEV_NONE		0xffff	/* an empty slot */

struct plink_maglev_backend {
	u32 offset;
	u32 skip;
	u32 weight;
};

bool plink_maglev_size_valid(u32 m);
void plink_maglev_perm(const siphash_key_t *key, const void *id, size_t len,
		       u32 m, u32 *offset, u32 *skip);
unsigned int plink_maglev_build(u16 *table, u32 m,
				const struct plink_maglev_backend *b,
				unsigned int n, u32 *next);

#endif /* _PLINK_MAGLEV_H */
