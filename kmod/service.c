// SPDX-License-Identifier: GPL-2.0
/*
 * Endpoint services: their life cycle, their configuration, and who may
 * see or name them (plink_service_view(), plink_service_by_ref()); their
 * targets are in target.c.  Everything here runs in process context under
 * plink_cfg_lock; services are unlinked with list_del_rcu() and freed after
 * a grace period, so that the datapath can read them under RCU.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/cred.h>
#include <linux/netlink.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/slab.h>

#include "maglev.h"
#include "plink.h"

/* Serialises every configuration change; nests inside RTNL. */
struct mutex plink_cfg_lock = __MUTEX_INITIALIZER(plink_cfg_lock);
EXPORT_SYMBOL_IF_KUNIT(plink_cfg_lock);

/* All services, under plink_cfg_lock. */
struct list_head plink_services = LIST_HEAD_INIT(plink_services);
EXPORT_SYMBOL_IF_KUNIT(plink_services);
/* Bumped on every change of the service, target or endpoint lists (dumps). */
unsigned int plink_cfg_gen;

void plink_service_cfg_init(struct plink_service_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->acceptance = PLINK_ACCEPTANCE_REQUIRED;
	cfg->timeout_tcp = PLINK_TIMEOUT_TCP_DEFAULT;
	cfg->timeout_udp = PLINK_TIMEOUT_UDP_DEFAULT;
	cfg->dereg_delay = PLINK_DEREG_DELAY_DEFAULT;
	/* No service may hold more than the whole table. */
	cfg->max_flows = min_not_zero(plink_flows_max(),
				      (u32)PLINK_MAX_FLOWS_DEFAULT);
	cfg->maglev_size = PLINK_MAGLEV_DEFAULT_SIZE;
	plink_health_cfg_init(&cfg->hc);
}
EXPORT_SYMBOL_IF_KUNIT(plink_service_cfg_init);

/* Names are unique per owner: @owner's service @name. */
struct plink_service *plink_service_by_name(u32 owner, const char *name)
{
	struct plink_service *svc;

	lockdep_assert_held(&plink_cfg_lock);
	list_for_each_entry(svc, &plink_services, list) {
		if (svc->owner_uid == owner && !strcmp(svc->name, name))
			return svc;
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(plink_service_by_name);

struct plink_service *plink_service_by_id(const char *id)
{
	struct plink_service *svc;

	lockdep_assert_held(&plink_cfg_lock);
	list_for_each_entry(svc, &plink_services, list) {
		if (!strcmp(svc->id, id))
			return svc;
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(plink_service_by_id);

/**
 * plink_service_view() - what a netns may see of a service
 * @svc: the service
 * @net: the netns that asks
 * @uid: the principal that asks (a uid in the initial user namespace)
 *
 * The provider's netns sees all of its own services.  Of another netns's
 * service, a principal the service allows sees its id, name, owner,
 * listeners (without target ports) and acceptance; anyone else nothing.
 *
 * Context: under plink_cfg_lock.
 * Return: %PLINK_VIEW_PROVIDER, %PLINK_VIEW_CONSUMER or %PLINK_VIEW_NONE.
 */
enum plink_view plink_service_view(const struct plink_service *svc,
				   const struct net *net, u32 uid)
{
	const struct plink_service_cfg *cfg;

	if (net_eq(svc->net, net))
		return PLINK_VIEW_PROVIDER;
	cfg = rcu_dereference_protected(svc->cfg,
					lockdep_is_held(&plink_cfg_lock));
	if (plink_principal_allows(cfg->principals, cfg->nprincipals, uid))
		return PLINK_VIEW_CONSUMER;
	return PLINK_VIEW_NONE;
}

/* A bare @name of a provider: the one service of that name in @net. */
static struct plink_service *plink_service_local(const struct net *net,
						 const char *name,
						 struct netlink_ext_ack *extack)
{
	struct plink_service *svc, *found = NULL;

	list_for_each_entry(svc, &plink_services, list) {
		if (!net_eq(svc->net, net) || strcmp(svc->name, name))
			continue;
		if (found) {
			/* The caller's netns holds both: no secret here. */
			NL_SET_ERR_MSG(extack,
				       "several owners have a service of this name here: name it uid:N/NAME");
			return ERR_PTR(-EINVAL);
		}
		found = svc;
	}
	return found;
}

/**
 * plink_service_by_ref() - the service a request names, as its caller may
 *	see it
 * @ref: "plsvc-ID", "uid:N/NAME" or "NAME"
 * @net: the caller's netns
 * @uid: the caller's principal
 * @provider: the caller names a service of its own netns (else one it may
 *	use as a consumer)
 * @extack: where the reason goes; the caller names the attribute
 *
 * A provider names a service of its own netns; a bare NAME is its own
 * uid's NAME there or, failing that, the only service of that name in the
 * netns.  A consumer names any service it may use; a bare NAME is its own
 * uid's NAME if there is one, else uid 0's (the host administrator's), and
 * nothing else: another owner's NAME can neither shadow nor capture it.  A
 * service the caller may not see gets the same answer as one that does
 * not exist.
 *
 * Context: under plink_cfg_lock.
 * Return: the service, or an ERR_PTR(): -ENOENT, or -EINVAL for a bare
 * NAME that several owners' services of the provider's netns share.
 */
struct plink_service *plink_service_by_ref(const char *ref,
					   const struct net *net, u32 uid,
					   bool provider,
					   struct netlink_ext_ack *extack)
{
	struct plink_service *svc = NULL;
	struct plink_svc_ref r;

	lockdep_assert_held(&plink_cfg_lock);
	if (plink_svc_ref_parse(&r, ref))
		goto noent;

	switch (r.kind) {
	case PLINK_SVC_REF_ID:
		svc = plink_service_by_id(r.name);
		break;
	case PLINK_SVC_REF_OWNER:
		svc = plink_service_by_name(r.uid, r.name);
		break;
	case PLINK_SVC_REF_NAME:
		svc = plink_service_by_name(uid, r.name);
		if (provider && (!svc || !net_eq(svc->net, net)))
			svc = plink_service_local(net, r.name, extack);
		else if (!provider && !svc)
			svc = plink_service_by_name(0, r.name);
		if (IS_ERR(svc))
			return svc;
		break;
	}
	if (svc && (provider ? net_eq(svc->net, net) :
		    plink_service_view(svc, net, uid) != PLINK_VIEW_NONE))
		return svc;
noent:
	NL_SET_ERR_MSG(extack, "no such service");
	return ERR_PTR(-ENOENT);
}

/*
 * The NLB addresses of the services on one device tell their replies apart:
 * no two services on a device may share one.
 */
static int plink_service_check_addrs(const struct plink_service *self,
				     const struct plink_dev *nlb,
				     const struct plink_service_cfg *cfg,
				     struct netlink_ext_ack *extack)
{
	const struct plink_service *svc;
	unsigned int i, j, k;

	for (i = 0; i < cfg->naddrs; i++) {
		for (j = 0; j < i; j++) {
			if (plink_addr_equal(&cfg->addrs[i], &cfg->addrs[j])) {
				NL_SET_ERR_MSG(extack, "duplicate NLB address");
				return -EINVAL;
			}
		}
		list_for_each_entry(svc, &nlb->services, dev_node) {
			const struct plink_service_cfg *other;

			if (svc == self)
				continue;
			other = rcu_dereference_protected(svc->cfg,
							  lockdep_is_held(&plink_cfg_lock));
			for (k = 0; k < other->naddrs; k++) {
				if (plink_addr_equal(&cfg->addrs[i],
						     &other->addrs[k])) {
					NL_SET_ERR_MSG(extack,
						       "NLB address is used by another service on the device");
					return -EEXIST;
				}
			}
		}
	}
	return 0;
}

static int plink_service_check_cfg(const struct plink_service_cfg *cfg,
				   struct netlink_ext_ack *extack)
{
	unsigned int i, j;

	if (!cfg->naddrs) {
		NL_SET_ERR_MSG(extack, "a service needs at least one NLB address");
		return -EINVAL;
	}
	if (!cfg->nlisteners) {
		NL_SET_ERR_MSG(extack, "a service needs at least one listener");
		return -EINVAL;
	}
	for (i = 0; i < cfg->nlisteners; i++) {
		for (j = 0; j < i; j++) {
			if (cfg->listeners[i].proto == cfg->listeners[j].proto &&
			    cfg->listeners[i].port == cfg->listeners[j].port) {
				NL_SET_ERR_MSG(extack, "duplicate listener");
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Whether @owner may have a service @name of @cfg on @nlb, and room for it. */
static int plink_service_check_new(struct plink_net *pn,
				   const struct plink_dev *nlb, u32 owner,
				   const char *name,
				   const struct plink_service_cfg *cfg,
				   struct netlink_ext_ack *extack)
{
	int err;

	if (!plink_name_valid(name)) {
		NL_SET_ERR_MSG(extack,
			       "service name must be 1-63 letters, digits, '.', '-' or '_'");
		return -EINVAL;
	}
	if (!strncmp(name, PLINK_SVC_ID_PREFIX, strlen(PLINK_SVC_ID_PREFIX))) {
		NL_SET_ERR_MSG(extack,
			       "service names beginning with \"plsvc-\" are reserved for ids");
		return -EINVAL;
	}
	if (plink_service_by_name(owner, name)) {
		NL_SET_ERR_MSG(extack, "a service with this name exists");
		return -EEXIST;
	}
	if (!list_empty(&nlb->endpoints)) {
		NL_SET_ERR_MSG(extack,
			       "device holds endpoints and cannot be an NLB device");
		return -EBUSY;
	}
	if (pn->nservices >= PLINK_MAX_SERVICES_PER_NET) {
		NL_SET_ERR_MSG(extack, "too many services in this netns");
		return -ENOSPC;
	}
	err = plink_service_check_cfg(cfg, extack);
	if (err)
		return err;
	return plink_service_check_addrs(NULL, nlb, cfg, extack);
}

/* @cfg's DNS name is no other service's of @owner (@self aside). */
static int plink_service_check_dns(const struct plink_service *self,
				   u32 owner,
				   const struct plink_service_cfg *cfg,
				   struct netlink_ext_ack *extack)
{
	const struct plink_service_cfg *other;
	struct plink_service *svc;

	if (!cfg->dns_name[0])
		return 0;
	list_for_each_entry(svc, &plink_services, list) {
		if (svc == self || svc->owner_uid != owner)
			continue;
		other = rcu_dereference_protected(svc->cfg,
						  lockdep_is_held(&plink_cfg_lock));
		if (!strcasecmp(other->dns_name, cfg->dns_name)) {
			NL_SET_ERR_MSG(extack, "another service of this owner has this DNS name");
			return -EEXIST;
		}
	}
	return 0;
}

/*
 * Create @owner's service @name.  Another owner's service of the same name
 * neither blocks nor is shadowed by it.
 */
int plink_service_create(struct net *net, struct plink_dev *nlb, u32 owner,
			 const char *name, struct plink_service_cfg *cfg,
			 struct plink_service **svcp,
			 struct netlink_ext_ack *extack)
{
	struct plink_net *pn = plink_pernet(net);
	struct plink_service *svc;
	struct plink_owner *o;
	int err;

	lockdep_assert_held(&plink_cfg_lock);
	err = plink_service_check_new(pn, nlb, owner, name, cfg, extack) ?:
	      plink_service_check_dns(NULL, owner, cfg, extack);
	if (err)
		return err;

	o = plink_owner_get(owner);
	if (!o) {
		NL_SET_ERR_MSG(extack, "no memory for the service");
		return -ENOMEM;
	}
	err = plink_owner_charge(o, PLINK_QUOTA_SERVICES, 1, extack);
	if (err)
		goto err_put;
	err = plink_owner_charge(o, PLINK_QUOTA_MAGLEV_SLOTS, cfg->maglev_size,
				 extack);
	if (err)
		goto err_services;
	err = -ENOMEM;
	svc = kzalloc(sizeof(*svc), PLINK_GFP_TENANT);
	if (!svc || plink_counted_init(&svc->cnt)) {
		NL_SET_ERR_MSG(extack, "no memory for the service");
		kfree(svc);
		goto err_maglev;
	}
	refcount_set(&svc->ref, 1);
	svc->owner = o;
	strscpy(svc->name, name, sizeof(svc->name));
	svc->owner_uid = owner;
	do {
		snprintf(svc->id, sizeof(svc->id), PLINK_SVC_ID_PREFIX "%016llx",
			 get_random_u64());
	} while (plink_service_by_id(svc->id));
	svc->net = net;
	svc->nlb = nlb;
	svc->state = PLINK_SERVICE_STATE_AVAILABLE;
	INIT_LIST_HEAD(&svc->targets);
	INIT_LIST_HEAD(&svc->retired);
	spin_lock_init(&svc->retired_lock);
	INIT_LIST_HEAD(&svc->endpoints);
	RCU_INIT_POINTER(svc->cfg, cfg);
	plink_health_init(svc);

	list_add_tail_rcu(&svc->list, &plink_services);
	list_add_tail_rcu(&svc->dev_node, &nlb->services);
	pn->nservices++;
	plink_cfg_gen++;
	plink_dev_update_binding(nlb);
	plink_health_update(svc, NULL, cfg);
	pr_debug("service uid:%u/%s (%s) created\n", svc->owner_uid, svc->name,
		 svc->id);
	*svcp = svc;
	return 0;

err_maglev:
	plink_owner_uncharge(o, PLINK_QUOTA_MAGLEV_SLOTS, cfg->maglev_size);
err_services:
	plink_owner_uncharge(o, PLINK_QUOTA_SERVICES, 1);
err_put:
	plink_owner_put(o);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(plink_service_create);

static bool plink_cfg_has_family(const struct plink_service_cfg *cfg,
				 u8 family)
{
	unsigned int i;

	for (i = 0; i < cfg->naddrs; i++) {
		if (cfg->addrs[i].family == family)
			return true;
	}
	return false;
}

/* Every family the targets and endpoints use keeps an NLB address. */
static bool plink_service_cfg_keeps_families(const struct plink_service *svc,
					     const struct plink_service_cfg *cfg)
{
	const struct plink_endpoint *ep;
	const struct plink_target *t;
	unsigned int i;

	list_for_each_entry(t, &svc->targets, list) {
		if (!plink_cfg_has_family(cfg, t->addr.family))
			return false;
	}
	list_for_each_entry(ep, &svc->endpoints, svc_node) {
		for (i = 0; i < ep->naddrs; i++) {
			if (!plink_cfg_has_family(cfg, ep->addrs[i].family))
				return false;
		}
	}
	return true;
}

/*
 * The listener generation of @cfg, which replaces @old: one more when @old
 * has a listener @cfg lacks, so that the flows opened under @old look theirs
 * up again (fwd.c); PLINK_LGEN_ALWAYS stays.
 */
u8 plink_service_lgen(const struct plink_service_cfg *old,
		      const struct plink_service_cfg *cfg)
{
	unsigned int i, j;

	if (old->lgen == PLINK_LGEN_ALWAYS)
		return old->lgen;
	for (i = 0; i < old->nlisteners; i++) {
		for (j = 0; j < cfg->nlisteners; j++) {
			if (old->listeners[i].proto == cfg->listeners[j].proto &&
			    old->listeners[i].port == cfg->listeners[j].port)
				break;
		}
		if (j == cfg->nlisteners)
			return old->lgen + 1;
	}
	return old->lgen;
}
EXPORT_SYMBOL_IF_KUNIT(plink_service_lgen);

/*
 * Publish @cfg in place of the service's configuration; @cfg is consumed.
 * *@revoked (if not NULL): how many flows the change reset.
 */
int plink_service_replace_cfg(struct plink_service *svc,
			      struct plink_service_cfg *cfg, u32 *revoked,
			      struct netlink_ext_ack *extack)
{
	struct plink_service_cfg *old;
	u32 n;
	int err;

	lockdep_assert_held(&plink_cfg_lock);
	err = plink_service_check_cfg(cfg, extack) ?:
	      plink_service_check_addrs(svc, svc->nlb, cfg, extack) ?:
	      plink_service_check_dns(svc, svc->owner_uid, cfg, extack);
	if (err) {
		kfree(cfg);
		return err;
	}
	if (!plink_service_cfg_keeps_families(svc, cfg)) {
		NL_SET_ERR_MSG(extack,
			       "targets or endpoints use an address family the new NLB addresses lack");
		kfree(cfg);
		return -EAFNOSUPPORT;
	}
	old = rcu_dereference_protected(svc->cfg,
					lockdep_is_held(&plink_cfg_lock));
	/* Slots a bigger table needs are charged before it is built. */
	if (cfg->maglev_size > old->maglev_size) {
		err = plink_owner_charge(svc->owner, PLINK_QUOTA_MAGLEV_SLOTS,
					 cfg->maglev_size - old->maglev_size,
					 extack);
		if (err) {
			kfree(cfg);
			return err;
		}
	}
	cfg->lgen = plink_service_lgen(old, cfg);
	rcu_assign_pointer(svc->cfg, cfg);
	/*
	 * The table size or fail-open may have changed.  Without memory for
	 * the new tables the old configuration stays, with its tables.
	 */
	if (plink_lb_update(svc)) {
		rcu_assign_pointer(svc->cfg, old);
		if (cfg->maglev_size > old->maglev_size)
			plink_owner_uncharge(svc->owner,
					     PLINK_QUOTA_MAGLEV_SLOTS,
					     cfg->maglev_size - old->maglev_size);
		kfree_rcu(cfg, rcu);
		NL_SET_ERR_MSG(extack, "no memory for the service's Maglev table");
		return -ENOMEM;
	}
	if (cfg->maglev_size < old->maglev_size)
		plink_owner_uncharge(svc->owner, PLINK_QUOTA_MAGLEV_SLOTS,
				     old->maglev_size - cfg->maglev_size);
	plink_health_update(svc, old, cfg);
	n = plink_service_revoke(svc, old, cfg);
	if (revoked)
		*revoked = n;
	kfree_rcu(old, rcu);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(plink_service_replace_cfg);

static void plink_service_free_rcu(struct rcu_head *head)
{
	struct plink_service *svc = container_of(head, struct plink_service, rcu);

	/*
	 * No reader can see the service any more: its cfg goes with it.  Its
	 * tables went at its deletion (they hold its targets, which hold it).
	 */
	kfree(rcu_dereference_raw(svc->cfg));
	WARN_ON_ONCE(rcu_access_pointer(svc->lb[0]) ||
		     rcu_access_pointer(svc->lb[1]));
	plink_counted_free(&svc->cnt);
	plink_owner_put(svc->owner);
	kfree(svc->accepted);
	kfree(svc);
}

/* The last reference (the registry's, or a target's) frees the service. */
void plink_service_put(struct plink_service *svc)
{
	if (refcount_dec_and_test(&svc->ref))
		call_rcu(&svc->rcu, plink_service_free_rcu);
}

/*
 * Delete a service: its endpoints become "deleted" (unless some are
 * available and @force is not set), its targets go, and it is freed after a
 * grace period.
 */
int plink_service_destroy(struct plink_service *svc, bool force,
			  struct netlink_ext_ack *extack)
{
	const struct plink_service_cfg *cfg;
	struct plink_endpoint *ep, *tmp_ep;
	struct plink_target *t, *tmp_t;
	unsigned int available = 0;

	lockdep_assert_held(&plink_cfg_lock);
	cfg = rcu_dereference_protected(svc->cfg,
					lockdep_is_held(&plink_cfg_lock));
	list_for_each_entry(ep, &svc->endpoints, svc_node)
		available += ep->state == PLINK_ENDPOINT_STATE_AVAILABLE;
	if (available && !force) {
		NL_SET_ERR_MSG(extack,
			       "service has available endpoints: reject them first, or force");
		return -EBUSY;
	}

	list_for_each_entry_safe(ep, tmp_ep, &svc->endpoints, svc_node) {
		u32 next;
		const char *why;

		if (!plink_endpoint_transition(ep->state, PLINK_EP_SERVICE_GONE,
					       &next, &why))
			WRITE_ONCE(ep->state, next);
		list_del_init(&ep->svc_node);
		WRITE_ONCE(ep->svc, NULL);
		plink_nl_endpoint_event(ep);
	}
	svc->nendpoints = 0;

	/* Its probes' sockets close now, before its netns may go. */
	plink_health_stop(svc);
	/* Its flows go with it (the GC takes them): no new ones. */
	WRITE_ONCE(svc->dead, true);
	list_for_each_entry_safe(t, tmp_t, &svc->targets, list)
		plink_target_unlink(svc, t);
	plink_lb_clear(svc);

	list_del_rcu(&svc->list);
	list_del_rcu(&svc->dev_node);
	plink_pernet(svc->net)->nservices--;
	plink_owner_uncharge(svc->owner, PLINK_QUOTA_SERVICES, 1);
	plink_owner_uncharge(svc->owner, PLINK_QUOTA_MAGLEV_SLOTS,
			     cfg->maglev_size);
	plink_cfg_gen++;
	plink_dev_update_binding(svc->nlb);
	pr_debug("service uid:%u/%s (%s) deleted\n", svc->owner_uid, svc->name,
		 svc->id);
	plink_service_put(svc);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(plink_service_destroy);

/* Whether the service has an NLB address of @family (NAT keeps families). */
bool plink_service_has_family(const struct plink_service *svc, u8 family)
{
	return plink_cfg_has_family(rcu_dereference_protected(svc->cfg,
							      lockdep_is_held(&plink_cfg_lock)),
				    family);
}
