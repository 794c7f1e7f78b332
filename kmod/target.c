// SPDX-License-Identifier: GPL-2.0
/*
 * The targets of a service: their life cycle (add, change, unlink, drain,
 * free) and the Maglev rebuild each change needs.  Process context, under
 * plink_cfg_lock; the datapath reads targets under RCU, through the
 * service's Maglev tables, and holds a reference per flow.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netlink.h>
#include <linux/rculist.h>
#include <linux/slab.h>

#include "plink.h"

struct plink_target *plink_target_by_addr(struct plink_service *svc,
					  const struct plink_addr *addr,
					  __be16 port)
{
	struct plink_target *t;

	lockdep_assert_held(&plink_cfg_lock);
	list_for_each_entry(t, &svc->targets, list) {
		if (t->port == port && plink_addr_equal(&t->addr, addr))
			return t;
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(plink_target_by_addr);

/*
 * Weight and health are single words: datapath readers see the old value or
 * the new one.  (The zone is for display only.)
 */
static void plink_target_apply(struct plink_target *t,
			       const struct plink_target_update *upd)
{
	if (upd->set_weight)
		WRITE_ONCE(t->weight, upd->weight);
	if (upd->set_health) {
		WRITE_ONCE(t->health, upd->health);
		WRITE_ONCE(t->reason, upd->reason);
	}
	if (upd->set_zone)
		strscpy(t->zone, upd->zone, sizeof(t->zone));
}

/**
 * plink_target_alloc() - a new target, not yet in a service
 * @addr: its address
 * @port: its port (0: each listener's target port)
 * @upd: its weight, health and zone, where given (else weight 1, health
 *	initial)
 *
 * Charged to the caller's memory cgroup.  plink_target_add() links it;
 * until then the caller frees it with kfree().
 *
 * Return: the target, or NULL without memory.
 */
struct plink_target *plink_target_alloc(const struct plink_addr *addr,
					__be16 port,
					const struct plink_target_update *upd)
{
	struct plink_target *t;

	t = kzalloc(sizeof(*t), PLINK_GFP_TENANT);
	if (!t)
		return NULL;
	t->addr = *addr;
	t->port = port;
	t->weight = 1;
	t->health = PLINK_HEALTH_INITIAL;
	plink_target_apply(t, upd);
	return t;
}

/* Link the new target @t (allocated by the caller, consumed on success). */
int plink_target_add(struct plink_service *svc, struct plink_target *t,
		     struct netlink_ext_ack *extack)
{
	lockdep_assert_held(&plink_cfg_lock);
	if (!plink_service_has_family(svc, t->addr.family)) {
		NL_SET_ERR_MSG(extack,
			       "service has no NLB address of the target's family");
		return -EAFNOSUPPORT;
	}
	if (plink_target_by_addr(svc, &t->addr, t->port)) {
		NL_SET_ERR_MSG(extack, "target exists");
		return -EEXIST;
	}
	if (svc->ntargets >= PLINK_MAX_TARGETS) {
		NL_SET_ERR_MSG(extack, "too many targets in the service");
		return -ENOSPC;
	}
	if (plink_owner_charge(svc->owner, PLINK_QUOTA_TARGETS, 1, extack))
		return -EDQUOT;
	t->rtc = plink_rtc_alloc(PLINK_GFP_TENANT);
	if (!t->rtc || plink_counted_init(&t->cnt)) {
		plink_rtc_free(t->rtc);
		t->rtc = NULL;
		plink_owner_uncharge(svc->owner, PLINK_QUOTA_TARGETS, 1);
		NL_SET_ERR_MSG(extack, "no memory for the target");
		return -ENOMEM;
	}
	refcount_set(&t->ref, 1);
	refcount_inc(&svc->ref);
	t->svc = svc;
	INIT_LIST_HEAD(&t->retired);
	list_add_tail_rcu(&t->list, &svc->targets);
	svc->ntargets++;
	plink_cfg_gen++;
	plink_health_target_new(svc, t);
	if (plink_lb_update(svc)) {
		/* No reader saw it (the datapath reads the Maglev table). */
		NL_SET_ERR_MSG(extack, "no memory for the service's Maglev table");
		plink_health_target_stop(t);
		list_del(&t->list);
		svc->ntargets--;
		plink_owner_uncharge(svc->owner, PLINK_QUOTA_TARGETS, 1);
		refcount_dec(&svc->ref);
		plink_counted_free(&t->cnt);
		plink_rtc_free(t->rtc);
		t->rtc = NULL;
		return -ENOMEM;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(plink_target_add);

static void plink_target_free_rcu(struct rcu_head *head)
{
	struct plink_target *t = container_of(head, struct plink_target, rcu);

	plink_counted_free(&t->cnt);
	plink_rtc_free(t->rtc);
	kfree(t);
}

/* The last reference (the service's list, or a flow's) frees the target. */
void plink_target_put(struct plink_target *t)
{
	struct plink_service *svc = t->svc;

	if (refcount_dec_and_test(&t->ref)) {
		plink_service_fold(svc, t);
		call_rcu(&t->rcu, plink_target_free_rcu);
		plink_service_put(svc);
	}
}
EXPORT_SYMBOL_IF_KUNIT(plink_target_put);

/*
 * Take @t out of its service: it gets no new flow, and its flows drain
 * until the deregistration delay has passed (the GC then resets them).
 */
void plink_target_unlink(struct plink_service *svc, struct plink_target *t)
{
	lockdep_assert_held(&plink_cfg_lock);
	plink_health_target_stop(t);
	WRITE_ONCE(t->removed_at, jiffies);
	WRITE_ONCE(t->removed, true);
	/* Its flows still count on it: the service's sums go on to read it. */
	spin_lock_bh(&svc->retired_lock);
	list_add_tail(&t->retired, &svc->retired);
	spin_unlock_bh(&svc->retired_lock);
	list_del_rcu(&t->list);
	svc->ntargets--;
	plink_owner_uncharge(svc->owner, PLINK_QUOTA_TARGETS, 1);
	plink_cfg_gen++;
	plink_target_put(t);
}

void plink_target_del(struct plink_service *svc, struct plink_target *t)
{
	plink_target_unlink(svc, t);
	/*
	 * Without memory for a new table the old one stays: the datapath
	 * sees the target removed and refuses flows that hash to it.
	 */
	if (plink_lb_update(svc))
		pr_warn_ratelimited("service %s: no memory to rebuild its Maglev table\n",
				    svc->name);
}
EXPORT_SYMBOL_IF_KUNIT(plink_target_del);

/**
 * plink_target_set() - change a target's weight, health or zone
 * @svc: its service
 * @t: the target
 * @upd: what changes
 * @extack: where a failure's reason goes
 *
 * The service's Maglev tables are rebuilt for the new weight and health;
 * without memory for them the target keeps its old weight and health (and
 * the old tables stay).  A change of health is announced to the service's
 * netns.  Manual changes and health-check results both come this way.
 *
 * Context: under plink_cfg_lock.
 * Return: 0, or -ENOMEM.
 */
int plink_target_set(struct plink_service *svc, struct plink_target *t,
		     const struct plink_target_update *upd,
		     struct netlink_ext_ack *extack)
{
	u32 health = t->health, reason = t->reason, weight = t->weight;

	lockdep_assert_held(&plink_cfg_lock);
	plink_target_apply(t, upd);
	if (plink_lb_update(svc)) {
		NL_SET_ERR_MSG(extack,
			       "no memory for the service's Maglev table");
		WRITE_ONCE(t->health, health);
		WRITE_ONCE(t->reason, reason);
		WRITE_ONCE(t->weight, weight);
		return -ENOMEM;
	}
	plink_cfg_gen++;
	if (t->health != health)
		plink_nl_target_event(svc, t, health);
	/* A target back from weight 0 or draining is checked at once. */
	if (t->weight != weight || t->health != health)
		plink_health_kick(svc);
	return 0;
}
