// SPDX-License-Identifier: GPL-2.0
/*
 * The host routes of a device's bound addresses, put back when it comes up.
 *
 * The stack sends to an endpoint address (on an endpoint device) or replies
 * to an NLB address (on an NLB device) through a host route, ADDR/32 or
 * ADDR/128 dev DEV scope link proto static in table main, which plinkctl
 * adds with the object.  Taking the device down flushes every route
 * through it, and nothing in the stack puts them back: without this file a
 * flap ("ip link set pl0 down; ip link set pl0 up") would break the
 * device's services or endpoints for good.
 *
 * ndo_open takes a snapshot of the device's bound addresses and queues a
 * work item that adds their routes again, as plinkctl does, over
 * rtnetlink from a kernel socket in the device's netns.  The work item
 * runs in a kworker, whose credentials are the kernel's: it works for a
 * device in any netns, an unprivileged tenant's too, and it adds nothing
 * the device's owner could not add itself (the routes of addresses that
 * owner bound to its own device, in its own netns).  The FIB's insertion
 * functions are not exported to modules; rtnetlink is their interface.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/net.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "plink.h"

static struct workqueue_struct *plink_route_wq;

/**
 * struct plink_route_work - the routes to add for a device that came up
 * @work: runs plink_route_work_fn()
 * @net: the device's netns (a reference)
 * @ns_tracker: tracks the reference on @net
 * @ifindex: the device
 * @naddrs: number of entries in @addrs
 * @addrs: the addresses, each its host route
 */
struct plink_route_work {
	struct work_struct work;
	struct net *net;
	netns_tracker ns_tracker;
	int ifindex;
	unsigned int naddrs;
	struct plink_addr addrs[];
};

/* One RTM_NEWROUTE: ADDR/32 or /128 dev IFINDEX scope link proto static. */
#define PLINK_ROUTE_MSG_SIZE	(NLMSG_SPACE(sizeof(struct rtmsg)) + \
				 NLA_ALIGN(NLA_HDRLEN + 16) + \
				 NLA_ALIGN(NLA_HDRLEN + 4))

static void plink_route_attr(struct nlmsghdr *nlh, u16 type, const void *data,
			     int len)
{
	struct nlattr *nla = (struct nlattr *)((u8 *)nlh +
					       NLMSG_ALIGN(nlh->nlmsg_len));

	nla->nla_type = type;
	nla->nla_len = nla_attr_size(len);
	memcpy(nla_data(nla), data, len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + nla_total_size(len);
}

static int plink_route_add(struct socket *sock, int ifindex,
			   const struct plink_addr *a, u32 seq)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	union {
		struct nlmsghdr nlh;
		u8 buf[PLINK_ROUTE_MSG_SIZE];
	} m = {};
	struct {
		struct nlmsghdr nlh;
		struct nlmsgerr err;
	} ack;
	struct msghdr msg = {};
	struct rtmsg *rtm;
	struct kvec iov;
	u32 oif = ifindex;
	int alen, ret;

	alen = a->family == AF_INET ? sizeof(a->ip) : sizeof(a->in6);
	m.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(*rtm));
	m.nlh.nlmsg_type = RTM_NEWROUTE;
	m.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
			    NLM_F_REPLACE;
	m.nlh.nlmsg_seq = seq;
	rtm = nlmsg_data(&m.nlh);
	rtm->rtm_family = a->family;
	rtm->rtm_dst_len = alen * 8;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	plink_route_attr(&m.nlh, RTA_DST, &a->in6, alen);
	plink_route_attr(&m.nlh, RTA_OIF, &oif, sizeof(oif));

	/*
	 * Naming the destination (the kernel, port 0) makes rtnetlink check
	 * the sender's capability, not that of the socket's (absent) file.
	 */
	msg.msg_name = &kernel;
	msg.msg_namelen = sizeof(kernel);
	iov.iov_base = &m;
	iov.iov_len = m.nlh.nlmsg_len;
	ret = kernel_sendmsg(sock, &msg, &iov, 1, iov.iov_len);
	if (ret < 0)
		return ret;

	/* rtnetlink answered while we sent: the ack is queued already. */
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = &ack;
	iov.iov_len = sizeof(ack);
	ret = kernel_recvmsg(sock, &msg, &iov, 1, iov.iov_len,
			     MSG_DONTWAIT | MSG_TRUNC);
	if (ret < (int)sizeof(ack) || ack.nlh.nlmsg_type != NLMSG_ERROR)
		return -EPROTO;
	return ack.err.error;
}

static void plink_route_work_fn(struct work_struct *work)
{
	struct plink_route_work *w = container_of(work, struct plink_route_work,
						  work);
	struct socket *sock;
	unsigned int i;
	int err;

	err = sock_create_kern(w->net, PF_NETLINK, SOCK_RAW, NETLINK_ROUTE,
			       &sock);
	if (err) {
		pr_debug("ifindex %d: no rtnetlink socket (%d): routes not restored\n",
			 w->ifindex, err);
		goto out;
	}
	for (i = 0; i < w->naddrs; i++) {
		err = plink_route_add(sock, w->ifindex, &w->addrs[i], i + 1);
		/* The device went down again, or away: nothing to restore. */
		if (err)
			pr_debug("ifindex %d: route %u of %u not restored (%d)\n",
				 w->ifindex, i + 1, w->naddrs, err);
	}
	sock_release(sock);
out:
	put_net_track(w->net, &w->ns_tracker);
	kfree(w);
}

/* Copy @pd's bound addresses into @v (NULL: only count them). */
static unsigned int plink_route_addrs(struct plink_dev *pd,
				      struct plink_addr *v)
{
	const struct plink_service_cfg *cfg;
	struct plink_endpoint *ep;
	struct plink_service *svc;
	unsigned int n = 0, i;

	lockdep_assert_held(&plink_cfg_lock);
	list_for_each_entry(svc, &pd->services, dev_node) {
		cfg = rcu_dereference_protected(svc->cfg,
						lockdep_is_held(&plink_cfg_lock));
		for (i = 0; i < cfg->naddrs; i++, n++)
			if (v)
				v[n] = cfg->addrs[i];
	}
	list_for_each_entry(ep, &pd->endpoints, dev_node)
		for (i = 0; i < ep->naddrs; i++, n++)
			if (v)
				v[n] = ep->addrs[i];
	return n;
}

/**
 * plink_route_restore() - put back the host routes of @pd's addresses
 * @pd: a device that is coming up
 *
 * Called from ndo_open, under RTNL: the routes are added by a work item,
 * once RTNL is free again and the device is up.  Nothing to restore, or no
 * memory: nothing is done, and the routes are the administrator's to add.
 */
void plink_route_restore(struct plink_dev *pd)
{
	struct net *net = dev_net(pd->dev);
	struct plink_route_work *w;
	unsigned int n;

	ASSERT_RTNL();
	mutex_lock(&plink_cfg_lock);
	n = plink_route_addrs(pd, NULL);
	if (!n)
		goto unlock;
	w = kzalloc(struct_size(w, addrs, n), GFP_KERNEL_ACCOUNT);
	if (!w)
		goto unlock;
	w->naddrs = plink_route_addrs(pd, w->addrs);
	w->ifindex = pd->dev->ifindex;
	INIT_WORK(&w->work, plink_route_work_fn);
	w->net = get_net_track(net, &w->ns_tracker, GFP_KERNEL);
	queue_work(plink_route_wq, &w->work);
unlock:
	mutex_unlock(&plink_cfg_lock);
}

int __init plink_route_init(void)
{
	plink_route_wq = alloc_workqueue("plink_route", WQ_UNBOUND, 0);
	return plink_route_wq ? 0 : -ENOMEM;
}

/* After the devices are gone: waits for the work items still queued. */
void plink_route_exit(void)
{
	destroy_workqueue(plink_route_wq);
}
