// SPDX-License-Identifier: GPL-2.0
/*
 * Target selection state of a service (its eligible targets and their
 * weighted Maglev table) and the selection of a new flow's target.  Tables
 * are built in process context under plink_cfg_lock and published with
 * RCU.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "maglev.h"
#include "pkt.h"
#include "plink.h"

static siphash_key_t plink_maglev_key;
static bool plink_maglev_key_set;

/* A table holds a reference to each of its targets. */
static void plink_lb_free(struct plink_lb *lb)
{
	unsigned int i;

	if (!lb)
		return;
	for (i = 0; i < lb->n; i++)
		plink_target_put(lb->targets[i]);
	kvfree(lb);
}

static void plink_lb_free_rcu(struct rcu_head *head)
{
	plink_lb_free(container_of(head, struct plink_lb, rcu));
}

/*
 * A target not yet checked takes new flows only when its service has no
 * health check: with one, it waits until the check finds it healthy.
 */
static bool plink_target_eligible(const struct plink_target *t,
				  const struct plink_service_cfg *cfg,
				  u8 family, bool any)
{
	if (t->addr.family != family || !t->weight ||
	    t->health == PLINK_HEALTH_DRAINING)
		return false;
	return any || t->health == PLINK_HEALTH_HEALTHY ||
	       (t->health == PLINK_HEALTH_INITIAL &&
		cfg->hc.type == PLINK_HEALTH_CHECK_TYPE_OFF);
}

/* What Maglev hashes to place a target: its address and port. */
struct plink_target_id {
	struct in6_addr addr;
	__be16 port;
	u8 family;
	u8 pad;
};

/*
 * Build a table of the @n eligible targets, starting from @old (the table
 * in use, if any, of the same size) so that as few slots as possible move.
 */
static struct plink_lb *plink_lb_build(const struct plink_service *svc,
				       const struct plink_service_cfg *cfg,
				       u8 family, bool any, unsigned int n,
				       const struct plink_lb *old)
{
	struct plink_maglev_prev prev, *pp = NULL;
	struct plink_maglev_backend *b;
	struct plink_target *t;
	struct plink_lb *lb;
	unsigned int i = 0;
	u32 m = cfg->maglev_size;
	u16 *map = NULL;
	size_t size;

	size = size_add(struct_size(lb, table, m), sizeof(void *));
	size = size_add(size, array_size(n, sizeof(*lb->targets)));
	/* Up to 128 KiB: its failure is the request's (-ENOMEM), not a splat. */
	lb = kvzalloc(size, PLINK_GFP_TENANT | __GFP_NOWARN);
	b = kvmalloc_array(n, sizeof(*b), PLINK_GFP_TENANT);
	if (old && old->m == m) {
		map = kvmalloc_array(old->n, sizeof(*map), PLINK_GFP_TENANT);
		if (!map)
			goto fail;
		/* The old table's targets are alive: it holds them. */
		for (i = 0; i < old->n; i++)
			old->targets[i]->lb_index = PLINK_MAGLEV_NONE;
		i = 0;
	}
	if (!lb || !b)
		goto fail;
	/* The pointers follow the u16 table, aligned. */
	lb->targets = PTR_ALIGN((struct plink_target **)(lb->table + m),
				sizeof(void *));

	list_for_each_entry(t, &svc->targets, list) {
		struct plink_target_id id = {
			.addr = t->addr.in6,
			.port = t->port,
			.family = t->addr.family,
		};

		if (!plink_target_eligible(t, cfg, family, any))
			continue;
		plink_maglev_perm(&plink_maglev_key, &id, sizeof(id), m,
				  &b[i].offset, &b[i].skip);
		b[i].weight = t->weight;
		t->lb_index = i;
		refcount_inc(&t->ref);
		lb->targets[i++] = t;
	}
	lb->n = n;
	lb->m = m;
	if (map) {
		for (i = 0; i < old->n; i++)
			map[i] = old->targets[i]->lb_index;
		prev.table = old->table;
		prev.map = map;
		prev.n = old->n;
		pp = &prev;
	}
	plink_maglev_build(lb->table, m, b, n, pp);
	kvfree(b);
	kvfree(map);
	return lb;
fail:
	kvfree(lb);
	kvfree(b);
	kvfree(map);
	return NULL;
}

/*
 * A table of the service's targets of @family: those with a weight, not
 * draining, and healthy (or not checked, without a health check); with
 * fail-open and none of
 * those, every one with a weight that is not draining.  *@lbp is NULL when
 * there is none.
 */
static int plink_lb_family(struct plink_service *svc,
			   const struct plink_service_cfg *cfg, u8 family,
			   struct plink_lb **lbp)
{
	const struct plink_lb *old;
	struct plink_target *t;
	unsigned int n = 0;
	bool any = false;

	*lbp = NULL;
	list_for_each_entry(t, &svc->targets, list)
		n += plink_target_eligible(t, cfg, family, false);
	if (!n && cfg->fail_open) {
		any = true;
		list_for_each_entry(t, &svc->targets, list)
			n += plink_target_eligible(t, cfg, family, true);
	}
	if (!n)
		return 0;
	/* PLINK_MAX_TARGETS keeps n below PLINK_MAGLEV_NONE. */
	old = rcu_dereference_protected(svc->lb[plink_lb_index(family)],
					lockdep_is_held(&plink_cfg_lock));
	*lbp = plink_lb_build(svc, cfg, family, any, n, old);
	return *lbp ? 0 : -ENOMEM;
}

/* Rebuild and publish both of the service's tables, or neither. */
int plink_lb_update(struct plink_service *svc)
{
	static const u8 families[] = { AF_INET, AF_INET6 };
	const struct plink_service_cfg *cfg;
	struct plink_lb *lb[2], *old;
	unsigned int i;

	lockdep_assert_held(&plink_cfg_lock);
	if (!plink_maglev_key_set) {
		get_random_bytes(&plink_maglev_key, sizeof(plink_maglev_key));
		plink_maglev_key_set = true;
	}
	cfg = rcu_dereference_protected(svc->cfg,
					lockdep_is_held(&plink_cfg_lock));
	for (i = 0; i < ARRAY_SIZE(families); i++) {
		if (plink_lb_family(svc, cfg, families[i], &lb[i])) {
			if (i)
				plink_lb_free(lb[0]);
			return -ENOMEM;
		}
	}
	for (i = 0; i < ARRAY_SIZE(families); i++) {
		old = rcu_replace_pointer(svc->lb[plink_lb_index(families[i])],
					  lb[i],
					  lockdep_is_held(&plink_cfg_lock));
		if (old)
			call_rcu(&old->rcu, plink_lb_free_rcu);
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(plink_lb_update);

/* Unpublish the tables of a service being deleted: they let its targets go. */
void plink_lb_clear(struct plink_service *svc)
{
	struct plink_lb *old;
	unsigned int i;

	lockdep_assert_held(&plink_cfg_lock);
	for (i = 0; i < ARRAY_SIZE(svc->lb); i++) {
		old = rcu_replace_pointer(svc->lb[i], NULL,
					  lockdep_is_held(&plink_cfg_lock));
		if (old)
			call_rcu(&old->rcu, plink_lb_free_rcu);
	}
}

/*
 * The target of a new flow of @family whose forward key hashes to @hash
 * (the Maglev lookup reuses the keyed flow hash), with a reference for the
 * flow; NULL if the service has none of the family, or the slot's target
 * is going away.  Under RCU.
 */
struct plink_target *plink_lb_select(struct plink_service *svc, u8 family,
				     u32 hash)
{
	struct plink_lb *lb = rcu_dereference(svc->lb[plink_lb_index(family)]);
	struct plink_target *t;

	if (!lb)
		return NULL;
	t = lb->targets[lb->table[hash % lb->m]];
	if (!refcount_inc_not_zero(&t->ref))
		return NULL;
	if (READ_ONCE(t->removed)) {
		plink_target_put(t);
		return NULL;
	}
	return t;
}
