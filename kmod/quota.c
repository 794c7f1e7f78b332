// SPDX-License-Identifier: GPL-2.0
/*
 * Quotas per owner, so that no tenant starves the others.  An owner is a
 * uid in the initial user namespace: a service's creator, an endpoint's
 * (whose endpoints' flows it is charged with).  Owners are kept in a small
 * table while they own something or have limits of their own.  Their
 * configuration counts change under plink_cfg_lock; their flow count is
 * the datapath's, atomic.
 *
 * Every owner but uid 0 is bound by the default limits, module parameters
 * the host administrator may change at run time; the administrator sets an
 * owner's own limits through the family (PLINK_CMD_LIMITS_SET).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "flow.h"
#include "plink.h"

static unsigned int owner_max_flows;
module_param(owner_max_flows, uint, 0644);
MODULE_PARM_DESC(owner_max_flows,
		 "Most flows of one owner (uid) but uid 0; 0: a quarter of max_flows (default)");

static unsigned int owner_max_services = 64;
module_param(owner_max_services, uint, 0644);
MODULE_PARM_DESC(owner_max_services,
		 "Most services of one owner (uid) but uid 0 (default 64)");

static unsigned int owner_max_endpoints = 1024;
module_param(owner_max_endpoints, uint, 0644);
MODULE_PARM_DESC(owner_max_endpoints,
		 "Most endpoints of one owner (uid) but uid 0 (default 1024)");

static unsigned int owner_max_targets = 4096;
module_param(owner_max_targets, uint, 0644);
MODULE_PARM_DESC(owner_max_targets,
		 "Most targets in the services of one owner (uid) but uid 0 (default 4096)");

static unsigned int owner_max_maglev_slots = 1048576;
module_param(owner_max_maglev_slots, uint, 0644);
MODULE_PARM_DESC(owner_max_maglev_slots,
		 "Most Maglev slots (the sum of its services' maglev-size) of one owner (uid) but uid 0 (default 1048576)");

static unsigned int owner_max_probes = 200;
module_param(owner_max_probes, uint, 0644);
MODULE_PARM_DESC(owner_max_probes,
		 "Most health-check probes per second of one owner (uid) but uid 0 (default 200)");

/* Guards the table's list; the owners' counts are guarded as said above. */
DEFINE_SPINLOCK(plink_owner_lock);
LIST_HEAD(plink_owners);

static const char *const plink_quota_err[PLINK_QUOTA_MAX] = {
	[PLINK_QUOTA_FLOWS] = "over the owner's flows quota",
	[PLINK_QUOTA_SERVICES] = "over the owner's services quota",
	[PLINK_QUOTA_ENDPOINTS] = "over the owner's endpoints quota",
	[PLINK_QUOTA_TARGETS] = "over the owner's targets quota",
	[PLINK_QUOTA_MAGLEV_SLOTS] = "over the owner's maglev-slots quota",
};

u32 plink_flows_max(void)
{
	return plink_flows.max;
}
EXPORT_SYMBOL_IF_KUNIT(plink_flows_max);

static u32 plink_quota_default(enum plink_quota q)
{
	switch (q) {
	case PLINK_QUOTA_FLOWS:
		return READ_ONCE(owner_max_flows) ?:
		       plink_quota_share(plink_flows_max());
	case PLINK_QUOTA_SERVICES:
		return READ_ONCE(owner_max_services);
	case PLINK_QUOTA_ENDPOINTS:
		return READ_ONCE(owner_max_endpoints);
	case PLINK_QUOTA_TARGETS:
		return READ_ONCE(owner_max_targets);
	default:
		return READ_ONCE(owner_max_maglev_slots);
	}
}

/* The limit in force for @o; any context. */
u32 plink_owner_limit(const struct plink_owner *o, enum plink_quota q)
{
	return plink_quota_limit(READ_ONCE(o->own[q]), READ_ONCE(o->limit[q]),
				 plink_quota_default(q), o->uid);
}
EXPORT_SYMBOL_IF_KUNIT(plink_owner_limit);

/* @uid's owner, if the table has it (a new reference), or NULL. */
struct plink_owner *plink_owner_by_uid(u32 uid)
{
	struct plink_owner *o, *found = NULL;

	spin_lock_bh(&plink_owner_lock);
	list_for_each_entry(o, &plink_owners, list) {
		/* One whose last reference went is leaving the table. */
		if (o->uid == uid && refcount_inc_not_zero(&o->ref)) {
			found = o;
			break;
		}
	}
	spin_unlock_bh(&plink_owner_lock);
	return found;
}
EXPORT_SYMBOL_IF_KUNIT(plink_owner_by_uid);

/* @uid's owner, added to the table if need be (a new reference), or NULL. */
struct plink_owner *plink_owner_get(u32 uid)
{
	struct plink_owner *o;

	lockdep_assert_held(&plink_cfg_lock);
	o = plink_owner_by_uid(uid);
	if (o)
		return o;
	o = kzalloc(sizeof(*o), PLINK_GFP_TENANT);
	if (!o)
		return NULL;
	o->uid = uid;
	refcount_set(&o->ref, 1);
	atomic_set(&o->nflows, 0);
	spin_lock_bh(&plink_owner_lock);
	list_add_tail(&o->list, &plink_owners);
	spin_unlock_bh(&plink_owner_lock);
	pr_debug("owner %u created\n", uid);
	return o;
}
EXPORT_SYMBOL_IF_KUNIT(plink_owner_get);

/* Any context (an endpoint's last reference goes in an RCU callback). */
void plink_owner_put(struct plink_owner *o)
{
	if (!refcount_dec_and_test(&o->ref))
		return;
	spin_lock_bh(&plink_owner_lock);
	list_del(&o->list);
	spin_unlock_bh(&plink_owner_lock);
	WARN_ON_ONCE(atomic_read(&o->nflows));
	pr_debug("owner %u deleted\n", o->uid);
	kfree(o);
}
EXPORT_SYMBOL_IF_KUNIT(plink_owner_put);

/* Take @n more of @q for @o, if its limit allows; under plink_cfg_lock. */
int plink_owner_charge(struct plink_owner *o, enum plink_quota q, u32 n,
		       struct netlink_ext_ack *extack)
{
	lockdep_assert_held(&plink_cfg_lock);
	if (!plink_quota_allows(o->used[q], n, plink_owner_limit(o, q))) {
		plink_set_err(extack, NULL, plink_quota_err[q]);
		return -EDQUOT;
	}
	o->used[q] += n;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(plink_owner_charge);

void plink_owner_uncharge(struct plink_owner *o, enum plink_quota q, u32 n)
{
	lockdep_assert_held(&plink_cfg_lock);
	if (WARN_ON_ONCE(o->used[q] < n))
		n = o->used[q];
	o->used[q] -= n;
}
EXPORT_SYMBOL_IF_KUNIT(plink_owner_uncharge);

/*
 * Charge @o with a new flow, in the datapath; false if over its limit.
 * The flow's free gives it back (atomic_dec() of @o->nflows).
 */
bool plink_owner_flow_charge(struct plink_owner *o)
{
	if ((u32)atomic_inc_return(&o->nflows) <=
	    plink_owner_limit(o, PLINK_QUOTA_FLOWS))
		return true;
	atomic_dec(&o->nflows);
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(plink_owner_flow_charge);

/*
 * Set @o's own limits where @set says so (after dropping them all, with
 * @reset).  An owner with limits of its own stays in the table (its
 * "pinned" reference); one without goes when it owns nothing.  Under
 * plink_cfg_lock; @o stays valid for the caller (its own reference).
 */
void plink_owner_set_limits(struct plink_owner *o, const bool *set,
			    const u32 *limit, bool reset)
{
	bool own = false;
	int q;

	lockdep_assert_held(&plink_cfg_lock);
	for (q = 0; q < PLINK_QUOTA_MAX; q++) {
		if (set[q]) {
			WRITE_ONCE(o->limit[q], limit[q]);
			WRITE_ONCE(o->own[q], true);
		} else if (reset) {
			WRITE_ONCE(o->own[q], false);
		}
		own |= o->own[q];
	}
	if (own && !o->pinned) {
		refcount_inc(&o->ref);
		o->pinned = true;
	} else if (!own && o->pinned) {
		o->pinned = false;
		plink_owner_put(o);
	}
}
EXPORT_SYMBOL_IF_KUNIT(plink_owner_set_limits);

/* Module exit: every object is gone; only owners with own limits are left. */
void plink_owners_exit(void)
{
	struct plink_owner *o, *tmp;

	mutex_lock(&plink_cfg_lock);
	list_for_each_entry_safe(o, tmp, &plink_owners, list) {
		WARN_ON_ONCE(!o->pinned || refcount_read(&o->ref) != 1);
		o->pinned = false;
		plink_owner_put(o);
	}
	mutex_unlock(&plink_cfg_lock);
}

/*
 * The limit in force for an owner: its own if it has one, else the
 * default, which binds every uid but 0 (the host administrator's).
 */
u32 plink_quota_limit(bool own, u32 limit, u32 dflt, u32 uid)
{
	if (own)
		return limit;
	return uid ? dflt : PLINK_LIMIT_NONE;
}
EXPORT_SYMBOL_IF_KUNIT(plink_quota_limit);

/* Whether @used plus @more stays within @limit (no wrap-around). */
bool plink_quota_allows(u32 used, u32 more, u32 limit)
{
	return (u64)used + more <= limit;
}
EXPORT_SYMBOL_IF_KUNIT(plink_quota_allows);

/* The probe rate in force for @o, per second. */
u32 plink_owner_probe_rate(const struct plink_owner *o)
{
	return plink_quota_limit(false, 0, READ_ONCE(owner_max_probes),
				 o->uid);
}

/**
 * plink_owner_probe_allowed() - take one probe from @o's probe rate
 * @o: the owner of the service whose target is to be checked
 *
 * A token bucket of a second's worth of probes, refilled as time passes.
 * A probe it refuses is counted in @o's probes_limited and put off.
 *
 * Context: under plink_cfg_lock.
 * Return: whether the probe may start now.
 */
bool plink_owner_probe_allowed(struct plink_owner *o)
{
	u32 rate = plink_owner_probe_rate(o);
	unsigned long now = jiffies;
	u64 more;

	lockdep_assert_held(&plink_cfg_lock);
	if (rate == PLINK_LIMIT_NONE)
		return true;
	if (!o->probe_stamp) {
		o->probe_stamp = now;
		o->probe_tokens = rate;
	}
	more = (u64)(now - o->probe_stamp) * rate / HZ;
	if (more) {
		o->probe_tokens = min_t(u64, (u64)o->probe_tokens + more, rate);
		o->probe_stamp = now;
	}
	if (!o->probe_tokens) {
		o->probes_limited++;
		return false;
	}
	o->probe_tokens--;
	return true;
}

/* The default share of @total one owner or endpoint may take: a quarter. */
u32 plink_quota_share(u32 total)
{
	return max(total / 4, 1U);
}
EXPORT_SYMBOL_IF_KUNIT(plink_quota_share);

/* Most flows one endpoint of a service may hold at once. */
u32 plink_endpoint_max_flows(const struct plink_service_cfg *cfg)
{
	return cfg->endpoint_max_flows ?: plink_quota_share(cfg->max_flows);
}
EXPORT_SYMBOL_IF_KUNIT(plink_endpoint_max_flows);
