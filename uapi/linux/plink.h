/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/plink.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_PLINK_H
#define _UAPI_LINUX_PLINK_H

#define PLINK_FAMILY_NAME	"plink"
#define PLINK_FAMILY_VERSION	1

/**
 * enum plink_binding - What a plink device is bound to.
 * @PLINK_BINDING_NONE: Not bound; the device drops what it is asked to send.
 * @PLINK_BINDING_NLB: The NLB device of one or more endpoint services.
 * @PLINK_BINDING_ENDPOINT: The device of one or more interface endpoints.
 */
enum plink_binding {
	PLINK_BINDING_NONE,
	PLINK_BINDING_NLB,
	PLINK_BINDING_ENDPOINT,
};

enum {
	PLINK_A_DEV_IFINDEX = 1,
	PLINK_A_DEV_IFNAME,
	PLINK_A_DEV_BINDING,

	__PLINK_A_DEV_MAX,
	PLINK_A_DEV_MAX = (__PLINK_A_DEV_MAX - 1)
};

enum {
	PLINK_CMD_DEV_GET = 1,

	__PLINK_CMD_MAX,
	PLINK_CMD_MAX = (__PLINK_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_PLINK_H */
