// SPDX-License-Identifier: GPL-2.0
/*
 * The plink netdevice: an L3 device with no link-layer header.  Bound to an
 * endpoint it is the consumer's interface endpoint; bound to a service it is
 * the provider's NLB device.  Unbound, it drops what it is asked to send.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/if_arp.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <net/net_namespace.h>
#include <net/rtnetlink.h>

#include "compat.h"
#include "flow.h"
#include "plink.h"

unsigned int plink_net_id __read_mostly;
EXPORT_SYMBOL_IF_KUNIT(plink_net_id);

/*
 * TCP and UDP GSO only: the datapath rewrites a GSO packet's one set of
 * headers, which fraglist GSO (a list of packets, each with its own) and
 * SCTP do not have.
 */
#define PLINK_FEATURES	(NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_RXCSUM | \
			 NETIF_F_HIGHDMA | NETIF_F_ALL_TSO | \
			 NETIF_F_GSO_UDP_L4)

/* What @pd is bound to, from its lists (under plink_cfg_lock). */
void plink_dev_update_binding(struct plink_dev *pd)
{
	u32 binding = PLINK_BINDING_NONE;

	if (!list_empty(&pd->services))
		binding = PLINK_BINDING_NLB;
	else if (!list_empty(&pd->endpoints))
		binding = PLINK_BINDING_ENDPOINT;
	WRITE_ONCE(pd->binding, binding);
}

/* The device is going away: everything bound to it goes first. */
void plink_dev_unbind(struct plink_dev *pd)
{
	struct plink_endpoint *ep, *tmp_ep;
	struct plink_service *svc, *tmp_svc;

	mutex_lock(&plink_cfg_lock);
	/*
	 * An NLB device's services go: their consumers' sessions are reset
	 * (the device itself is down by now and gets no RST).  An endpoint
	 * device's flows are left to the GC: the device gets no RST either,
	 * and a scan per device would make a netns of many slow to go.
	 */
	if (!list_empty(&pd->services))
		plink_flows_reset(NULL, NULL, pd);
	list_for_each_entry_safe(svc, tmp_svc, &pd->services, dev_node)
		WARN_ON(plink_service_destroy(svc, true, NULL));
	list_for_each_entry_safe(ep, tmp_ep, &pd->endpoints, dev_node)
		plink_endpoint_destroy(ep);
	mutex_unlock(&plink_cfg_lock);
}

/*
 * The datapath reads RCU-protected state.  Not every caller holds
 * rcu_read_lock(): __dev_queue_xmit() holds only rcu_read_lock_bh(), and
 * AF_PACKET transmit adds nothing to it.  Take it here, as veth does.
 */
VISIBLE_IF_KUNIT netdev_tx_t plink_xmit(struct sk_buff *skb,
					struct net_device *dev)
{
	struct plink_dev *pd = netdev_priv(dev);

	rcu_read_lock();
	switch (READ_ONCE(pd->binding)) {
	case PLINK_BINDING_ENDPOINT:
		plink_fwd_xmit(skb, pd);	/* consumer to provider */
		break;
	case PLINK_BINDING_NLB:
		plink_rev_xmit(skb, pd);	/* provider to consumer */
		break;
	default:
		/* Nothing is bound: what the stack sends here goes nowhere. */
		dev_core_stats_tx_dropped_inc(dev);
		kfree_skb(skb);
		break;
	}
	rcu_read_unlock();
	return NETDEV_TX_OK;
}
EXPORT_SYMBOL_IF_KUNIT(plink_xmit);

/* Every way a device goes away passes here, under RTNL. */
static void plink_uninit(struct net_device *dev)
{
	plink_dev_unbind(netdev_priv(dev));
}

/* Coming up: the host routes the stack flushed when it went down come back. */
static int plink_open(struct net_device *dev)
{
	plink_route_restore(netdev_priv(dev));
	return 0;
}

static const struct net_device_ops plink_netdev_ops = {
	.ndo_uninit		= plink_uninit,
	.ndo_open		= plink_open,
	.ndo_start_xmit		= plink_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
};

VISIBLE_IF_KUNIT void plink_setup(struct net_device *dev)
{
	struct plink_dev *pd = netdev_priv(dev);

	dev->netdev_ops = &plink_netdev_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->mtu = PLINK_DEFAULT_MTU;
	dev->min_mtu = PLINK_MIN_MTU;
	dev->max_mtu = PLINK_MAX_MTU;
	dev->features |= PLINK_FEATURES;
	dev->hw_features |= PLINK_FEATURES;
	dev->hw_enc_features |= PLINK_FEATURES;
	/*
	 * BIG TCP, as veth and netkit: the stack may hand over GSO packets up
	 * to gso_max_size (gso_ipv4_max_size), which the administrator raises
	 * past 64 KB; the datapath passes them whole.
	 */
	netif_set_tso_max_size(dev, GSO_MAX_SIZE);
	plink_set_lltx(dev);
	/*
	 * A plink device is the ENI of one VPC: it stays in the netns it was
	 * created in ("ip link add pl0 netns NS type plink" creates it there).
	 */
	plink_set_netns_immutable(dev);
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	dev->needs_free_netdev = true;
	dev->rtnl_link_ops = &plink_link_ops;

	pd->dev = dev;
	INIT_LIST_HEAD(&pd->list);
	INIT_LIST_HEAD(&pd->services);
	INIT_LIST_HEAD(&pd->endpoints);
	pd->binding = PLINK_BINDING_NONE;
}
EXPORT_SYMBOL_IF_KUNIT(plink_setup);

static int plink_validate(struct nlattr *tb[], struct nlattr *data[],
			  struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
				    "plink devices have no link-layer address");
		return -EINVAL;
	}
	if (tb[IFLA_BROADCAST]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_BROADCAST],
				    "plink devices have no link-layer address");
		return -EINVAL;
	}
	return 0;
}

static int plink_newlink(struct net *src_net, struct net_device *dev,
			 struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	struct plink_dev *pd = netdev_priv(dev);
	struct plink_net *pn;
	int err;

	err = register_netdevice(dev);
	if (err)
		return err;

	pn = plink_pernet(dev_net(dev));
	list_add_tail(&pd->list, &pn->devs);
	pn->ndevs++;
	netdev_dbg(dev, "created\n");
	return 0;
}

static void plink_dellink(struct net_device *dev, struct list_head *head)
{
	struct plink_dev *pd = netdev_priv(dev);
	struct plink_net *pn = plink_pernet(dev_net(dev));

	ASSERT_RTNL();
	list_del_init(&pd->list);
	pn->ndevs--;
	netdev_dbg(dev, "deleted\n");
	unregister_netdevice_queue(dev, head);
}

struct rtnl_link_ops plink_link_ops __read_mostly = {
	.kind		= PLINK_DEV_KIND,
	.priv_size	= sizeof(struct plink_dev),
	.setup		= plink_setup,
	.validate	= plink_validate,
	.newlink	= plink_newlink,
	.dellink	= plink_dellink,
};
EXPORT_SYMBOL_IF_KUNIT(plink_link_ops);

static __net_init int plink_net_init(struct net *net)
{
	struct plink_net *pn = plink_pernet(net);

	INIT_LIST_HEAD(&pn->devs);
	pn->ndevs = 0;
	return 0;
}

/*
 * Before anything of the netns goes: the health checks of its services
 * stop, and their sockets close (kernel sockets hold no netns reference).
 */
static __net_exit void plink_net_pre_exit(struct net *net)
{
	plink_health_net_stop(net);
}

static __net_exit void plink_net_exit(struct net *net)
{
	struct plink_net *pn = plink_pernet(net);

	/* Devices are deleted (dellink) before subsystems' exit runs. */
	WARN_ON_ONCE(!list_empty(&pn->devs));
}

static struct pernet_operations plink_net_ops = {
	.init	= plink_net_init,
	.pre_exit = plink_net_pre_exit,
	.exit	= plink_net_exit,
	.id	= &plink_net_id,
	.size	= sizeof(struct plink_net),
};

int __init plink_pernet_init(void)
{
	return register_pernet_subsys(&plink_net_ops);
}

void plink_pernet_exit(void)
{
	unregister_pernet_subsys(&plink_net_ops);
}

int __init plink_device_init(void)
{
	return rtnl_link_register(&plink_link_ops);
}

/* Deletes every plink device, and with them every service and endpoint. */
void plink_device_exit(void)
{
	rtnl_link_unregister(&plink_link_ops);
}
