/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PLINK_H
#define _PLINK_H

#include <linux/list.h>
#include <linux/netdevice.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>
#include <kunit/visibility.h>
#include <uapi/linux/plink.h>

#define PLINK_DEV_KIND		"plink"
#define PLINK_MIN_MTU		68
#define PLINK_MAX_MTU		ETH_MAX_MTU
#define PLINK_DEFAULT_MTU	ETH_DATA_LEN

/**
 * struct plink_net - per network namespace state
 * @devs: the plink devices in this netns (struct plink_dev::list), under RTNL
 * @ndevs: number of entries in @devs
 */
struct plink_net {
	struct list_head devs;
	unsigned int ndevs;
};

/**
 * struct plink_dev - private data of a plink netdevice
 * @dev: the netdevice
 * @list: entry in struct plink_net::devs, under RTNL
 * @binding: what the device is bound to (enum plink_binding); written under
 *	RTNL, read locklessly by the datapath and dumps
 */
struct plink_dev {
	struct net_device *dev;
	struct list_head list;
	u32 binding;
};

extern unsigned int plink_net_id;
extern struct rtnl_link_ops plink_link_ops;

static inline struct plink_net *plink_pernet(const struct net *net)
{
	return net_generic(net, plink_net_id);
}

static inline bool netif_is_plink(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &plink_link_ops;
}

int plink_device_init(void);
void plink_device_exit(void);
int plink_genl_init(void);
void plink_genl_exit(void);

#if IS_ENABLED(CONFIG_KUNIT)
void plink_setup(struct net_device *dev);
netdev_tx_t plink_xmit(struct sk_buff *skb, struct net_device *dev);
#endif

#endif /* _PLINK_H */
