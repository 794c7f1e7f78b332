// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU counters of endpoints, services and targets: allocated with
 * their object, bumped in the datapath (BH disabled) with plink_count(),
 * plink_count_packet() or plink_count_path(), summed for netlink with
 * plink_stats_read().  A packet of a flow updates two per-CPU blocks, its
 * endpoint's and its target's, packets and bytes side by side; a service's
 * counters are its own (drops that concern no target) plus its targets',
 * summed when read (plink_service_stats_read()), a freed target's kept in
 * the service (plink_service_fold()).
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

/* Add the counters @v of a target to a service's @sum: not its health's. */
void plink_stats_fold(u64 *sum, const u64 *v)
{
	int i;

	for (i = 0; i < PLINK_STAT_MAX; i++) {
		if (i == PLINK_STAT_FLOWS_ACTIVE ||
		    (i >= PLINK_STAT_HEALTH_FIRST && i < PLINK_STAT_HEALTH_END))
			continue;
		sum[i] += v[i];
	}
}

/*
 * A service's counters: its own (what concerns no target), its targets',
 * those unlinked but not freed, and those of the freed ones.  Under
 * plink_cfg_lock, which keeps @svc->targets.
 */
void plink_service_stats_read(struct plink_service *svc, u64 *sum)
{
	const struct plink_target *t;
	u64 v[PLINK_STAT_MAX];

	lockdep_assert_held(&plink_cfg_lock);
	plink_stats_read(&svc->cnt, sum);
	list_for_each_entry(t, &svc->targets, list) {
		plink_stats_read(&t->cnt, v);
		plink_stats_fold(sum, v);
	}
	spin_lock_bh(&svc->retired_lock);
	list_for_each_entry(t, &svc->retired, retired) {
		plink_stats_read(&t->cnt, v);
		plink_stats_fold(sum, v);
	}
	plink_stats_fold(sum, svc->folded);
	spin_unlock_bh(&svc->retired_lock);
}
EXPORT_SYMBOL_IF_KUNIT(plink_service_stats_read);

/*
 * Target @t of @svc is being freed (its last reference went: no flow and
 * no table holds it, so nothing counts on it any more): its counters stay
 * in the service's.
 */
void plink_service_fold(struct plink_service *svc, struct plink_target *t)
{
	u64 v[PLINK_STAT_MAX];

	plink_stats_read(&t->cnt, v);
	spin_lock_bh(&svc->retired_lock);
	list_del_init(&t->retired);
	plink_stats_fold(svc->folded, v);
	spin_unlock_bh(&svc->retired_lock);
}

/*
 * Count against every object that has a say in it (NULL: none).  What
 * concerns a target is counted on it and on the endpoint alone: the
 * service's sums are its targets' (plink_service_stats_read()).
 */
void plink_count_path(struct plink_endpoint *ep, struct plink_service *svc,
		      struct plink_target *t, enum plink_stat s, u64 n)
{
	if (ep)
		plink_count(&ep->cnt, s, n);
	if (t)
		plink_count(&t->cnt, s, n);
	else if (svc)
		plink_count(&svc->cnt, s, n);
}
EXPORT_SYMBOL_IF_KUNIT(plink_count_path);
