// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/plink.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/plink.h>

/* PLINK_CMD_DEV_GET - do */
const struct nla_policy plink_dev_get_nl_policy[PLINK_A_DEV_IFNAME + 1] = {
	[PLINK_A_DEV_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[PLINK_A_DEV_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* Ops table for plink */
const struct genl_ops plink_nl_ops[1] = {
	{
		.cmd		= PLINK_CMD_DEV_GET,
		.doit		= plink_nl_dev_get_doit,
		.dumpit		= plink_nl_dev_get_dumpit,
		.policy		= plink_dev_get_nl_policy,
		.maxattr	= PLINK_A_DEV_IFNAME,
	},
};
