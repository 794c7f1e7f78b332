// SPDX-License-Identifier: GPL-2.0
/*
 * An endpoint's state: the state machine (pending-acceptance, available,
 * rejected, deleted), the provider's accept and reject, acceptance given in
 * advance (plink_service_claim()), and revocation: what a reject, a
 * principal a service no longer allows, or a narrower security group
 * takes away, at once (the flows reset on both sides).  Process context,
 * under plink_cfg_lock.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netlink.h>
#include <linux/slab.h>

#include "flow.h"
#include "plink.h"

/*
 * The endpoint state machine:
 *   pending-acceptance --accept--> available
 *   pending-acceptance, available --reject--> rejected
 *   any --service gone--> deleted (terminal)
 *   pending-service --its service appears--> pending-acceptance or
 *	available (plink_service_adopt(), outside this machine: a waiting
 *	endpoint has no service to accept, reject or lose it)
 */
int plink_endpoint_transition(u32 state, u32 event, u32 *next,
			      const char **why)
{
	if (state == PLINK_ENDPOINT_STATE_DELETED) {
		*why = "endpoint's service is gone";
		return -EINVAL;
	}
	if (state == PLINK_ENDPOINT_STATE_PENDING_SERVICE) {
		*why = "endpoint waits for its service";
		return -EINVAL;
	}
	switch (event) {
	case PLINK_EP_ACCEPT:
		if (state == PLINK_ENDPOINT_STATE_AVAILABLE) {
			*why = "endpoint is already available";
			return -EALREADY;
		}
		if (state == PLINK_ENDPOINT_STATE_REJECTED) {
			*why = "endpoint was rejected";
			return -EINVAL;
		}
		*next = PLINK_ENDPOINT_STATE_AVAILABLE;
		return 0;
	case PLINK_EP_REJECT:
		if (state == PLINK_ENDPOINT_STATE_REJECTED) {
			*why = "endpoint is already rejected";
			return -EALREADY;
		}
		*next = PLINK_ENDPOINT_STATE_REJECTED;
		return 0;
	case PLINK_EP_SERVICE_GONE:
		*next = PLINK_ENDPOINT_STATE_DELETED;
		return 0;
	}
	*why = "unknown endpoint event";
	return -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(plink_endpoint_transition);

/**
 * plink_endpoint_change_state() - an event of the endpoint state machine
 * @ep: the endpoint
 * @event: enum plink_ep_event
 * @revoked: set to how many of its flows were reset
 * @extack: where a refusal's reason goes
 *
 * An endpoint that stops passing traffic (rejected) has its flows reset on
 * both sides at once, whatever its service's revoke says: a rejected
 * endpoint passes nothing, and its clients would only wait for a timeout.
 * Both sides hear of it, with the count.
 *
 * Context: under plink_cfg_lock.
 * Return: 0, or the state machine's refusal.
 */
int plink_endpoint_change_state(struct plink_endpoint *ep, u32 event,
				u32 *revoked, struct netlink_ext_ack *extack)
{
	const char *why = NULL;
	u32 next;
	int err;

	lockdep_assert_held(&plink_cfg_lock);
	*revoked = 0;
	err = plink_endpoint_transition(ep->state, event, &next, &why);
	if (err) {
		plink_set_err(extack, NULL, why);
		return err;
	}
	if (ep->state == PLINK_ENDPOINT_STATE_AVAILABLE &&
	    next != PLINK_ENDPOINT_STATE_AVAILABLE)
		*revoked = plink_flows_reset(ep, NULL, NULL);
	WRITE_ONCE(ep->state, next);
	plink_cfg_gen++;
	plink_nl_endpoint_event_revoked(ep, *revoked);
	return 0;
}

int plink_endpoint_set_state(struct plink_endpoint *ep, u32 event,
			     struct netlink_ext_ack *extack)
{
	u32 revoked;

	return plink_endpoint_change_state(ep, event, &revoked, extack);
}
EXPORT_SYMBOL_IF_KUNIT(plink_endpoint_set_state);

/**
 * plink_endpoint_decide() - the provider accepts or rejects an endpoint
 * @ep: the endpoint
 * @net: the caller's netns
 * @event: %PLINK_EP_ACCEPT or %PLINK_EP_REJECT
 * @revoked: set to how many of its flows were reset
 * @extack: where a refusal's reason goes
 *
 * Context: under plink_cfg_lock.
 * Return: 0, -EPERM if @net is not the service's, or the state machine's
 * refusal.
 */
int plink_endpoint_decide(struct plink_endpoint *ep, const struct net *net,
			  u32 event, u32 *revoked,
			  struct netlink_ext_ack *extack)
{
	/* Its own consumer may be in the same netns: ask the service. */
	if (!ep->svc || !net_eq(ep->svc->net, net)) {
		NL_SET_ERR_MSG(extack,
			       "only the service's provider can accept or reject an endpoint");
		return -EPERM;
	}
	return plink_endpoint_change_state(ep, event, revoked, extack);
}

/* Whether the security group @arg no longer lets flow @f in. */
static bool plink_sg_revokes(const struct plink_flow *f, const void *arg)
{
	return !plink_sg_allows(arg, f->family, &f->caddr, f->proto, f->eport);
}

/**
 * plink_endpoint_set() - change an endpoint's mark or security group
 * @ep: the endpoint
 * @net: the caller's netns
 * @mark: the new mark, or NULL to leave it
 * @sg: the new security group (NULL: none), taken (*@sg set to NULL) if
 *	@set_sg
 * @set_sg: replace the security group with *@sg
 * @revoked: set to how many flows the new security group no longer allows
 *	and were reset
 * @extack: where a refusal's reason goes
 *
 * The mark is the provider's: it tells the provider's firewall which
 * endpoint a packet comes from, and the consumer neither sets nor sees it.
 * The security group is the consumer's.  Nothing changes unless the caller
 * may make every change asked.  A narrower security group resets the flows
 * it no longer allows, on both sides, unless the service says revoke keep
 * (then they go on, as a stateful firewall's would).
 *
 * Context: under plink_cfg_lock.
 * Return: 0, or -EPERM if @net may not make a change.
 */
int plink_endpoint_set(struct plink_endpoint *ep, const struct net *net,
		       const u32 *mark, struct plink_sg **sg, bool set_sg,
		       u32 *revoked, struct netlink_ext_ack *extack)
{
	const struct plink_service_cfg *cfg;
	struct plink_sg *old;

	lockdep_assert_held(&plink_cfg_lock);
	*revoked = 0;
	if (mark && (!ep->svc || !net_eq(ep->svc->net, net))) {
		NL_SET_ERR_MSG(extack,
			       "only the endpoint's provider can set its mark");
		return -EPERM;
	}
	if (set_sg && !net_eq(ep->net, net)) {
		NL_SET_ERR_MSG(extack,
			       "only the endpoint's consumer can change its security group");
		return -EPERM;
	}
	if (mark)
		WRITE_ONCE(ep->mark, *mark);
	if (set_sg) {
		/* New flows see the new rules before the old flows go. */
		old = rcu_replace_pointer(ep->sg, *sg,
					  lockdep_is_held(&plink_cfg_lock));
		cfg = ep->svc ?
		      rcu_dereference_protected(ep->svc->cfg,
						lockdep_is_held(&plink_cfg_lock)) :
		      NULL;
		if (cfg && cfg->revoke == PLINK_REVOKE_RESET &&
		    ep->state == PLINK_ENDPOINT_STATE_AVAILABLE)
			*revoked = plink_flows_revoke(ep, plink_sg_revokes,
						      *sg);
		*sg = NULL;
		if (old)
			kfree_rcu(old, rcu);
	}
	plink_cfg_gen++;
	/* A new mark alone is the provider's: the consumer hears nothing. */
	if (set_sg)
		plink_nl_endpoint_event_revoked(ep, *revoked);
	else
		plink_nl_endpoint_event_provider(ep);
	return 0;
}

/*
 * Reject the endpoints created under a principal @old allowed and @cfg no
 * longer does (unless @cfg says revoke keep): their flows are reset at
 * once.  Returns how many flows were.
 */
u32 plink_service_revoke(struct plink_service *svc,
			 const struct plink_service_cfg *old,
			 const struct plink_service_cfg *cfg)
{
	struct plink_endpoint *ep;
	u32 n = 0, revoked;

	if (cfg->revoke != PLINK_REVOKE_RESET)
		return 0;
	list_for_each_entry(ep, &svc->endpoints, svc_node) {
		if ((ep->state != PLINK_ENDPOINT_STATE_AVAILABLE &&
		     ep->state != PLINK_ENDPOINT_STATE_PENDING_ACCEPTANCE) ||
		    plink_principal_allows(cfg->principals, cfg->nprincipals,
					   ep->owner_uid) ||
		    !plink_principal_allows(old->principals, old->nprincipals,
					    ep->owner_uid))
			continue;
		if (!plink_endpoint_change_state(ep, PLINK_EP_REJECT, &revoked,
						 NULL))
			n += revoked;
	}
	return n;
}

/*
 * Whether @uid's endpoint @id was accepted in advance on @svc: then the
 * entry is claimed (removed), so that it serves once.
 */
bool plink_service_claim(struct plink_service *svc, const char *id, u32 uid)
{
	unsigned int i;

	lockdep_assert_held(&plink_cfg_lock);
	for (i = 0; i < svc->naccepted; i++) {
		if (svc->accepted[i].uid != uid ||
		    strcmp(svc->accepted[i].id, id))
			continue;
		svc->accepted[i] = svc->accepted[--svc->naccepted];
		return true;
	}
	return false;
}
