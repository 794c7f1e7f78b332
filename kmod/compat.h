/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels plink builds on (Debian's 6.1 and
 * 6.12) is handled here and nowhere else.  Features are detected by Kbuild
 * from the target kernel's headers (stable backports make
 * LINUX_VERSION_CODE unreliable); see the PLINK_HAVE_* tests in Kbuild.
 */
#ifndef _PLINK_COMPAT_H
#define _PLINK_COMPAT_H

#include <linux/netdevice.h>
#include <net/genetlink.h>

/* Lockless transmit: a netdev feature flag until 6.11, a device bit since. */
static inline void plink_set_lltx(struct net_device *dev)
{
#ifdef PLINK_HAVE_DEV_LLTX
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

static inline bool plink_dev_lltx(const struct net_device *dev)
{
#ifdef PLINK_HAVE_DEV_LLTX
	return dev->lltx;
#else
	return dev->features & NETIF_F_LLTX;
#endif
}

/* Pin a device to its netns: a feature flag, then netns_local, then netns_immutable. */
static inline void plink_set_netns_immutable(struct net_device *dev)
{
#if defined(PLINK_HAVE_DEV_NETNS_IMMUTABLE)
	dev->netns_immutable = true;
#elif defined(PLINK_HAVE_DEV_NETNS_LOCAL)
	dev->netns_local = true;
#else
	dev->features |= NETIF_F_NETNS_LOCAL;
#endif
}

static inline bool plink_dev_netns_immutable(const struct net_device *dev)
{
#if defined(PLINK_HAVE_DEV_NETNS_IMMUTABLE)
	return dev->netns_immutable;
#elif defined(PLINK_HAVE_DEV_NETNS_LOCAL)
	return dev->netns_local;
#else
	return dev->features & NETIF_F_NETNS_LOCAL;
#endif
}

/* Request attributes of a dump: genl_info_dump() appeared in 6.7. */
static inline struct nlattr **plink_dump_attrs(struct netlink_callback *cb)
{
#ifdef PLINK_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * A policy's range of values beyond s16 (the generated full-range
 * policies): a const pointer since 6.2, not before; the kernel only reads
 * it.  netlink-gen.c is built with this header included first.
 */
#ifndef PLINK_HAVE_CONST_NLA_RANGE
#undef NLA_POLICY_FULL_RANGE
#define NLA_POLICY_FULL_RANGE(tp, _range) {				\
	.type = NLA_ENSURE_UINT_OR_BINARY_TYPE(tp),			\
	.validation_type = NLA_VALIDATE_RANGE_PTR,			\
	.range = (struct netlink_range_validation *)(_range),		\
}
#endif

/*
 * Whether something on @dev's receive path may change a packet or where it
 * goes before IP routes it: tc (a qdisc's filters until 6.6, tcx since),
 * netfilter's ingress hook or a generic XDP program.
 */
static inline bool plink_dev_rx_hooked(const struct net_device *dev)
{
#ifdef PLINK_HAVE_TCX_INGRESS
#ifdef CONFIG_NET_XGRESS
	if (rcu_access_pointer(dev->tcx_ingress))
		return true;
#endif
#elif defined(CONFIG_NET_CLS_ACT)
	if (rcu_access_pointer(dev->miniq_ingress))
		return true;
#endif
#ifdef CONFIG_NETFILTER_INGRESS
	if (rcu_access_pointer(dev->nf_hooks_ingress))
		return true;
#endif
	return rcu_access_pointer(dev->xdp_prog);
}

/* get_unaligned() and friends: <linux/unaligned.h> since 6.12. */
#ifdef PLINK_HAVE_LINUX_UNALIGNED
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

#endif /* _PLINK_COMPAT_H */
