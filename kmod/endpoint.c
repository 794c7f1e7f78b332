// SPDX-License-Identifier: GPL-2.0
/*
 * Interface endpoints: their life cycle (their state and what changes it
 * are in endpoint-state.c), who may see or change them
 * (plink_endpoint_side()) and their flows (plink_flow_visible()); and what
 * binds a plink device: the services it is the NLB device of, or the
 * endpoints it holds.  Process context, under plink_cfg_lock (and RTNL
 * where a device's binding changes).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/hashtable.h>
#include <linux/memcontrol.h>
#include <linux/netlink.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/siphash.h>
#include <linux/slab.h>

#include "flow.h"
#include "plink.h"

/* All endpoints, under plink_cfg_lock. */
struct list_head plink_endpoints = LIST_HEAD_INIT(plink_endpoints);
EXPORT_SYMBOL_IF_KUNIT(plink_endpoints);

/*
 * The same endpoints by id, under plink_cfg_lock: every request that names
 * an endpoint, and every new one (its id must be free), finds it without a
 * walk of all of them.  The hash is keyed (a restored endpoint's id is its
 * owner's choice), as WireGuard's table of peers by public key is.
 */
static DEFINE_HASHTABLE(plink_endpoint_ids, 11);
static siphash_key_t plink_endpoint_id_key;

static u32 plink_endpoint_id_hash(const char *id)
{
	get_random_once(&plink_endpoint_id_key, sizeof(plink_endpoint_id_key));
	return siphash(id, strnlen(id, PLINK_ID_LEN), &plink_endpoint_id_key);
}

struct plink_endpoint *plink_endpoint_by_id(const char *id)
{
	struct plink_endpoint *ep;

	lockdep_assert_held(&plink_cfg_lock);
	hash_for_each_possible(plink_endpoint_ids, ep, id_node,
			       plink_endpoint_id_hash(id)) {
		if (!strcmp(ep->id, id))
			return ep;
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(plink_endpoint_by_id);

/**
 * plink_endpoint_alloc() - a new endpoint, not yet in the registry
 *
 * The caller fills in its addresses and its security group (from
 * plink_sg_alloc()), then hands it to plink_endpoint_create(), or frees it
 * with plink_endpoint_free().  Charged to the caller's memory cgroup.
 *
 * Return: the endpoint, or NULL without memory.
 */
struct plink_endpoint *plink_endpoint_alloc(void)
{
	return kzalloc(sizeof(struct plink_endpoint), PLINK_GFP_TENANT);
}

/**
 * plink_sg_alloc() - a security group with room for @nrules rules
 * @nrules: how many rules it will hold (the caller counts them in ->n)
 *
 * Charged to the caller's memory cgroup.
 *
 * Return: the security group, or NULL without memory.
 */
struct plink_sg *plink_sg_alloc(unsigned int nrules)
{
	struct plink_sg *sg;

	return kzalloc(struct_size(sg, rules, nrules), PLINK_GFP_TENANT);
}

/**
 * plink_endpoint_free() - free an endpoint plink_endpoint_create() refused
 * @ep: the endpoint, from plink_endpoint_alloc(), or NULL
 */
void plink_endpoint_free(struct plink_endpoint *ep)
{
	if (ep)
		kfree(rcu_access_pointer(ep->sg));
	kfree(ep);
}

/**
 * plink_endpoint_side() - which side of an endpoint a netns is on
 * @ep: the endpoint
 * @net: the netns that asks
 *
 * The consumer (the endpoint's netns) sees all of its endpoint, and may
 * delete it; the provider (its service's netns) sees it without its
 * addresses and rules, and may accept or reject it; any other netns sees
 * nothing.
 *
 * Context: under plink_cfg_lock (@ep->svc changes under it).
 * Return: %PLINK_VIEW_CONSUMER, %PLINK_VIEW_PROVIDER or %PLINK_VIEW_NONE.
 */
enum plink_view plink_endpoint_side(const struct plink_endpoint *ep,
				    const struct net *net)
{
	if (net_eq(ep->net, net))
		return PLINK_VIEW_CONSUMER;
	if (ep->svc && net_eq(ep->svc->net, net))
		return PLINK_VIEW_PROVIDER;
	return PLINK_VIEW_NONE;
}

/**
 * plink_flow_visible() - whether a netns may see a flow
 * @f: the flow
 * @net: the netns that asks
 *
 * A live flow (its service not deleted, its endpoint available) is seen
 * from its endpoint's netns and from its service's, each side its own
 * addresses only (the caller puts those).
 *
 * Context: under RCU; no lock needed.
 */
bool plink_flow_visible(const struct plink_flow *f, const struct net *net)
{
	const struct plink_service *svc = f->target->svc;

	if (READ_ONCE(svc->dead) ||
	    READ_ONCE(f->ep->state) != PLINK_ENDPOINT_STATE_AVAILABLE)
		return false;
	return net_eq(f->ep->net, net) || net_eq(svc->net, net);
}

/*
 * An address may name only one endpoint of a device; each needs an NLB
 * address of its family on @svc (checked when it links, without @svc).
 */
static int plink_endpoint_check_addrs(const struct plink_dev *pd,
				      const struct plink_service *svc,
				      const struct plink_endpoint *ep,
				      struct netlink_ext_ack *extack)
{
	const struct plink_endpoint *other;
	unsigned int i, j;

	if (!ep->naddrs) {
		NL_SET_ERR_MSG(extack, "an endpoint needs at least one address");
		return -EINVAL;
	}
	for (i = 0; i < ep->naddrs; i++) {
		if (svc && !plink_service_has_family(svc, ep->addrs[i].family)) {
			NL_SET_ERR_MSG(extack,
				       "service has no NLB address of the endpoint address's family");
			return -EAFNOSUPPORT;
		}
		for (j = 0; j < i; j++) {
			if (plink_addr_equal(&ep->addrs[i], &ep->addrs[j])) {
				NL_SET_ERR_MSG(extack, "duplicate endpoint address");
				return -EINVAL;
			}
		}
		list_for_each_entry(other, &pd->endpoints, dev_node) {
			for (j = 0; j < other->naddrs; j++) {
				if (plink_addr_equal(&ep->addrs[i],
						     &other->addrs[j])) {
					NL_SET_ERR_MSG(extack,
						       "address is used by another endpoint on the device");
					return -EEXIST;
				}
			}
		}
	}
	return 0;
}

/*
 * The memory cgroup an endpoint's flows are charged to: its creator's,
 * unless that is the root cgroup, which is charged nothing (NULL then).
 */
static struct mem_cgroup *plink_endpoint_memcg(void)
{
	struct mem_cgroup *memcg = get_mem_cgroup_from_mm(current->mm);

	if (memcg && !parent_mem_cgroup(memcg)) {
		mem_cgroup_put(memcg);
		return NULL;
	}
	return memcg;
}

/* May @uid have one more endpoint of @svc on @pd, in netns @pn? */
static int plink_endpoint_may_create(const struct plink_net *pn,
				     const struct plink_dev *pd,
				     const struct plink_service *svc,
				     const struct plink_service_cfg *cfg,
				     u32 uid, struct netlink_ext_ack *extack)
{
	if (!plink_principal_allows(cfg->principals, cfg->nprincipals, uid)) {
		NL_SET_ERR_MSG(extack, "principal is not allowed to use the service");
		return -EPERM;
	}
	if (!list_empty(&pd->services)) {
		NL_SET_ERR_MSG(extack, "device is an NLB device and cannot hold endpoints");
		return -EBUSY;
	}
	if (svc->nendpoints >= PLINK_MAX_ENDPOINTS_PER_SERVICE) {
		NL_SET_ERR_MSG(extack, "too many endpoints for the service");
		return -ENOSPC;
	}
	if (pn->nendpoints >= PLINK_MAX_ENDPOINTS_PER_NET) {
		NL_SET_ERR_MSG(extack, "too many endpoints in this netns");
		return -ENOSPC;
	}
	return 0;
}

/* "plep-" and 16 lowercase hex digits, as plink_endpoint_create() makes. */
bool plink_endpoint_id_valid(const char *id)
{
	unsigned int i;

	if (strncmp(id, "plep-", 5) || strlen(id) != 21)
		return false;
	for (i = 5; i < 21; i++)
		if (!isdigit(id[i]) && !(id[i] >= 'a' && id[i] <= 'f'))
			return false;
	return true;
}

/*
 * An id the caller asked for (a saved endpoint being restored): not in
 * use, and not accepted in advance by any service for another owner, so
 * that a tenant cannot take the id of another's endpoint that its
 * provider restored first, nor, with it, that endpoint's acceptance.
 */
static int plink_endpoint_id_free(const char *id, u32 uid,
				  struct netlink_ext_ack *extack)
{
	struct plink_service *svc;
	unsigned int i;

	if (plink_endpoint_by_id(id)) {
		NL_SET_ERR_MSG(extack, "endpoint id in use");
		return -EEXIST;
	}
	list_for_each_entry(svc, &plink_services, list) {
		for (i = 0; i < svc->naccepted; i++) {
			if (svc->accepted[i].uid != uid &&
			    !strcmp(svc->accepted[i].id, id)) {
				NL_SET_ERR_MSG(extack, "endpoint id reserved for another owner");
				return -EEXIST;
			}
		}
	}
	return 0;
}

/*
 * What every new endpoint takes: its id (the one asked for, or a new one),
 * its owner @uid, charged one endpoint, and its counters.
 */
static int plink_endpoint_init(struct plink_endpoint *ep, u32 uid,
			       struct netlink_ext_ack *extack)
{
	int err;

	if (ep->id[0]) {
		err = plink_endpoint_id_free(ep->id, uid, extack);
		if (err)
			return err;
	}
	ep->owner = plink_owner_get(uid);
	if (!ep->owner) {
		NL_SET_ERR_MSG(extack, "no memory for the endpoint");
		return -ENOMEM;
	}
	err = plink_owner_charge(ep->owner, PLINK_QUOTA_ENDPOINTS, 1, extack);
	if (err)
		goto err_put;
	ep->rtc = plink_rtc_alloc(PLINK_GFP_TENANT);
	if (!ep->rtc || plink_counted_init(&ep->cnt)) {
		NL_SET_ERR_MSG(extack, "no memory for the endpoint");
		err = -ENOMEM;
		goto err_uncharge;
	}
	refcount_set(&ep->ref, 1);
	ep->memcg = plink_endpoint_memcg();
	while (!ep->id[0] || plink_endpoint_by_id(ep->id))
		snprintf(ep->id, sizeof(ep->id), "plep-%016llx",
			 get_random_u64());
	ep->owner_uid = uid;
	return 0;

err_uncharge:
	plink_rtc_free(ep->rtc);
	ep->rtc = NULL;
	plink_owner_uncharge(ep->owner, PLINK_QUOTA_ENDPOINTS, 1);
err_put:
	plink_owner_put(ep->owner);
	ep->owner = NULL;
	return err;
}

/* The endpoint into the registry and onto its device @pd in @net. */
static void plink_endpoint_link(struct net *net, struct plink_dev *pd,
				struct plink_endpoint *ep)
{
	ep->net = net;
	ep->dev = pd;
	list_add_tail_rcu(&ep->list, &plink_endpoints);
	hash_add(plink_endpoint_ids, &ep->id_node,
		 plink_endpoint_id_hash(ep->id));
	list_add_tail_rcu(&ep->dev_node, &pd->endpoints);
	plink_pernet(net)->nendpoints++;
	plink_cfg_gen++;
	plink_dev_update_binding(pd);
}

/*
 * The endpoint joins @svc: available at once if the service takes every
 * allowed principal's, or accepted @ep's owner and id in advance; else it
 * waits for the provider.  The datapath passes traffic only once it sees
 * both the service and the available state.
 */
static void plink_endpoint_join(struct plink_endpoint *ep,
				struct plink_service *svc,
				const struct plink_service_cfg *cfg)
{
	WRITE_ONCE(ep->state,
		   cfg->acceptance == PLINK_ACCEPTANCE_AUTO ||
		   plink_service_claim(svc, ep->id, ep->owner_uid) ?
		   PLINK_ENDPOINT_STATE_AVAILABLE :
		   PLINK_ENDPOINT_STATE_PENDING_ACCEPTANCE);
	list_add_tail(&ep->svc_node, &svc->endpoints);
	svc->nendpoints++;
	WRITE_ONCE(ep->svc, svc);
}

/*
 * Create the endpoint @ep (filled in by the caller with its addresses and
 * rules, and optionally its id; linked here, and owned by the registry on
 * success) on @pd for @svc, on behalf of principal @uid.  An endpoint that
 * @svc accepted in advance starts available.
 */
int plink_endpoint_create(struct net *net, struct plink_dev *pd,
			  struct plink_service *svc, u32 uid,
			  struct plink_endpoint *ep,
			  struct netlink_ext_ack *extack)
{
	struct plink_net *pn = plink_pernet(net);
	struct plink_service_cfg *cfg;
	int err;

	lockdep_assert_held(&plink_cfg_lock);
	cfg = rcu_dereference_protected(svc->cfg,
					lockdep_is_held(&plink_cfg_lock));

	err = plink_endpoint_may_create(pn, pd, svc, cfg, uid, extack) ?:
	      plink_endpoint_check_addrs(pd, svc, ep, extack) ?:
	      plink_endpoint_init(ep, uid, extack);
	if (err)
		return err;
	strscpy(ep->svc_name, svc->name, sizeof(ep->svc_name));
	ep->svc_owner = svc->owner_uid;
	plink_endpoint_join(ep, svc, cfg);
	plink_endpoint_link(net, pd, ep);
	pr_debug("endpoint %s of uid:%u/%s created\n", ep->id, svc->owner_uid,
		 svc->name);
	plink_nl_endpoint_event(ep);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(plink_endpoint_create);

/**
 * plink_endpoint_create_waiting() - restore an endpoint before its service
 * @net: the consumer's netns
 * @pd: the endpoint device
 * @svc_owner: the owner of the service it names ("uid:N/NAME")
 * @svc_name: that service's name
 * @uid: the consumer's principal
 * @ep: the endpoint, filled in as for plink_endpoint_create(), with its id
 * @extack: where a refusal's reason goes
 *
 * A saved consumer may be restored before its provider: its endpoint,
 * which names its service by owner and name and keeps its id, waits in
 * pending-service, passing nothing, until that owner creates a service of
 * that name (plink_service_adopt()).  It is charged to @uid as any
 * endpoint, and its id must be free as any asked-for id.  It gains nothing
 * by waiting: it then joins the service as if created at that moment,
 * subject to the service's principals and its acceptance.
 *
 * Context: under RTNL and plink_cfg_lock.
 * Return: 0, or the reason it cannot be created.
 */
int plink_endpoint_create_waiting(struct net *net, struct plink_dev *pd,
				  u32 svc_owner, const char *svc_name, u32 uid,
				  struct plink_endpoint *ep,
				  struct netlink_ext_ack *extack)
{
	int err;

	lockdep_assert_held(&plink_cfg_lock);
	if (!ep->id[0] || !plink_name_valid(svc_name)) {
		NL_SET_ERR_MSG(extack, "no such service");
		return -ENOENT;
	}
	if (!list_empty(&pd->services)) {
		NL_SET_ERR_MSG(extack, "device is an NLB device and cannot hold endpoints");
		return -EBUSY;
	}
	if (plink_pernet(net)->nendpoints >= PLINK_MAX_ENDPOINTS_PER_NET) {
		NL_SET_ERR_MSG(extack, "too many endpoints in this netns");
		return -ENOSPC;
	}
	err = plink_endpoint_check_addrs(pd, NULL, ep, extack) ?:
	      plink_endpoint_init(ep, uid, extack);
	if (err)
		return err;
	strscpy(ep->svc_name, svc_name, sizeof(ep->svc_name));
	ep->svc_owner = svc_owner;
	ep->state = PLINK_ENDPOINT_STATE_PENDING_SERVICE;
	plink_endpoint_link(net, pd, ep);
	pr_debug("endpoint %s of uid:%u/%s created, waiting for its service\n",
		 ep->id, svc_owner, svc_name);
	plink_nl_endpoint_event(ep);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(plink_endpoint_create_waiting);

/**
 * plink_service_adopt() - a service takes the endpoints waiting for it
 * @svc: a new service, or one whose settings changed
 *
 * Each endpoint in pending-service that names @svc's owner and name joins
 * it if the service allows its principal, has an NLB address of each of
 * its addresses' families and room for it; the others go on waiting.
 *
 * Context: under plink_cfg_lock.
 */
void plink_service_adopt(struct plink_service *svc)
{
	const struct plink_service_cfg *cfg;
	struct plink_endpoint *ep;
	unsigned int i;

	lockdep_assert_held(&plink_cfg_lock);
	cfg = rcu_dereference_protected(svc->cfg,
					lockdep_is_held(&plink_cfg_lock));
	list_for_each_entry(ep, &plink_endpoints, list) {
		if (ep->state != PLINK_ENDPOINT_STATE_PENDING_SERVICE ||
		    ep->svc_owner != svc->owner_uid ||
		    strcmp(ep->svc_name, svc->name))
			continue;
		if (!plink_principal_allows(cfg->principals, cfg->nprincipals,
					    ep->owner_uid) ||
		    svc->nendpoints >= PLINK_MAX_ENDPOINTS_PER_SERVICE)
			continue;
		for (i = 0; i < ep->naddrs; i++)
			if (!plink_service_has_family(svc, ep->addrs[i].family))
				break;
		if (i < ep->naddrs)
			continue;
		plink_endpoint_join(ep, svc, cfg);
		plink_cfg_gen++;
		pr_debug("endpoint %s joined uid:%u/%s\n", ep->id,
			 svc->owner_uid, svc->name);
		plink_nl_endpoint_event(ep);
	}
}
EXPORT_SYMBOL_IF_KUNIT(plink_service_adopt);

/**
 * plink_endpoint_remove() - the consumer deletes its endpoint
 * @ep: the endpoint
 * @net: the caller's netns
 * @extack: where a refusal's reason goes
 *
 * Its flows are reset, then it goes (plink_endpoint_destroy()).
 *
 * Context: under RTNL (its device's binding may change) and plink_cfg_lock.
 * Return: 0, or -EPERM if @net is not the endpoint's.
 */
int plink_endpoint_remove(struct plink_endpoint *ep, const struct net *net,
			  struct netlink_ext_ack *extack)
{
	ASSERT_RTNL();
	if (plink_endpoint_side(ep, net) != PLINK_VIEW_CONSUMER) {
		NL_SET_ERR_MSG(extack,
			       "only the endpoint's consumer can delete it");
		return -EPERM;
	}
	plink_flows_reset(ep, NULL, NULL);
	plink_endpoint_destroy(ep);
	return 0;
}

static void plink_endpoint_free_rcu(struct rcu_head *head)
{
	struct plink_endpoint *ep = container_of(head, struct plink_endpoint,
						 rcu);

	kfree(rcu_dereference_protected(ep->sg, true));
	plink_counted_free(&ep->cnt);
	plink_rtc_free(ep->rtc);
	plink_owner_put(ep->owner);
	mem_cgroup_put(ep->memcg);
	kfree(ep);
}

/* The last reference (the registry's, or a flow's) frees the endpoint. */
void plink_endpoint_put(struct plink_endpoint *ep)
{
	if (refcount_dec_and_test(&ep->ref))
		call_rcu(&ep->rcu, plink_endpoint_free_rcu);
}

/* Unlink and free an endpoint; its service's netns hears it is deleted. */
void plink_endpoint_destroy(struct plink_endpoint *ep)
{
	lockdep_assert_held(&plink_cfg_lock);
	WRITE_ONCE(ep->state, PLINK_ENDPOINT_STATE_DELETED);
	plink_nl_endpoint_event(ep);
	if (ep->svc) {
		list_del(&ep->svc_node);
		ep->svc->nendpoints--;
	}
	list_del_rcu(&ep->list);
	hash_del(&ep->id_node);
	list_del_rcu(&ep->dev_node);
	plink_pernet(ep->net)->nendpoints--;
	plink_owner_uncharge(ep->owner, PLINK_QUOTA_ENDPOINTS, 1);
	plink_cfg_gen++;
	plink_dev_update_binding(ep->dev);
	pr_debug("endpoint %s deleted\n", ep->id);
	plink_endpoint_put(ep);
}
EXPORT_SYMBOL_IF_KUNIT(plink_endpoint_destroy);
