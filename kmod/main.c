// SPDX-License-Identifier: GPL-2.0
/*
 * plink: AWS PrivateLink-style endpoint services between network namespaces.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/genetlink.h>
#include <linux/module.h>
#include <net/rtnetlink.h>

#include "plink.h"

static int __init plink_mod_init(void)
{
	int err;

	err = plink_device_init();
	if (err)
		return err;

	err = plink_genl_init();
	if (err)
		goto err_device;

	pr_info("loaded\n");
	return 0;

err_device:
	plink_device_exit();
	return err;
}

static void __exit plink_mod_exit(void)
{
	plink_genl_exit();
	plink_device_exit();
	pr_info("unloaded\n");
}

module_init(plink_mod_init);
module_exit(plink_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("PrivateLink-style endpoint services between network namespaces");
MODULE_AUTHOR("The plink developers");
MODULE_ALIAS_RTNL_LINK(PLINK_DEV_KIND);
MODULE_ALIAS_GENL_FAMILY(PLINK_FAMILY_NAME);
