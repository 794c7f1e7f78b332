/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/plink.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_PLINK_GEN_H
#define _LINUX_PLINK_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/plink.h>

extern const struct nla_policy plink_dev_get_nl_policy[PLINK_A_DEV_IFNAME + 1];

/* Ops table for plink */
extern const struct genl_ops plink_nl_ops[1];

int plink_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int plink_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _LINUX_PLINK_GEN_H */
