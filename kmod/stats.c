// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU counters of endpoints, services and targets: allocated with
 * their object, bumped in the datapath (BH disabled) with plink_count() or
 * plink_count_path(), summed for netlink with plink_stats_read().
 */

#include <linux/percpu.h>
#include <linux/string.h>

#include "pkt.h"

int plink_counted_init(struct plink_counted *cnt)
{
	int cpu;

	cnt->stats = alloc_percpu_gfp(struct plink_stats, PLINK_GFP_TENANT);
	if (!cnt->stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(cnt->stats, cpu)->syncp);
	atomic_set(&cnt->nflows, 0);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(plink_counted_init);

void plink_counted_free(struct plink_counted *cnt)
{
	free_percpu(cnt->stats);
	cnt->stats = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(plink_counted_free);

/* Sum the counters of every CPU into @sum[PLINK_STAT_MAX]. */
void plink_stats_read(const struct plink_counted *cnt, u64 *sum)
{
	int cpu, i;

	memset(sum, 0, PLINK_STAT_MAX * sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct plink_stats *st = per_cpu_ptr(cnt->stats, cpu);
		u64 v[PLINK_STAT_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&st->syncp);
			for (i = 0; i < PLINK_STAT_MAX; i++)
				v[i] = u64_stats_read(&st->c[i]);
		} while (u64_stats_fetch_retry(&st->syncp, start));
		for (i = 0; i < PLINK_STAT_MAX; i++)
			sum[i] += v[i];
	}
	sum[PLINK_STAT_FLOWS_ACTIVE] = atomic_read(&cnt->nflows);
}

/* Count a packet against every object that has a say in it (NULL: none). */
void plink_count_path(struct plink_endpoint *ep, struct plink_service *svc,
		      struct plink_target *t, enum plink_stat s, u64 n)
{
	if (ep)
		plink_count(&ep->cnt, s, n);
	if (svc)
		plink_count(&svc->cnt, s, n);
	if (t)
		plink_count(&t->cnt, s, n);
}
