// SPDX-License-Identifier: GPL-2.0
/*
 * plink: AWS PrivateLink-style endpoint services between network namespaces.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/genetlink.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <net/rtnetlink.h>

#include "flow.h"
#include "pkt.h"
#include "plink.h"

/*
 * The flow table, then per-netns state, and the link type last: the
 * family's handlers and the devices' teardown both use per-netns state, and
 * tearing devices down sends events on the family.
 */
static int __init plink_mod_init(void)
{
	int err;

	err = plink_flows_init(plink_flow_reset, plink_health_syn_timeout,
			       plink_ppv2_resend);
	if (err)
		return err;

	err = plink_pernet_init();
	if (err)
		goto err_flows;

	err = plink_genl_init();
	if (err)
		goto err_pernet;

	err = plink_health_mod_init();
	if (err)
		goto err_genl;

	err = plink_route_init();
	if (err)
		goto err_health;

	err = plink_device_init();
	if (err)
		goto err_route;

	pr_info("loaded\n");
	return 0;

err_route:
	plink_route_exit();
err_health:
	plink_health_mod_exit();
err_genl:
	plink_genl_exit();
err_pernet:
	plink_pernet_exit();
err_flows:
	plink_flows_exit();
	return err;
}

static void __exit plink_mod_exit(void)
{
	plink_device_exit();
	/* The routes of devices that came up are added; the devices are gone. */
	plink_route_exit();
	/* The services' health-check works run once more after them. */
	plink_health_mod_exit();
	/*
	 * No request may be running when the flow table goes:
	 * genl_unregister_family() waits for those in flight.
	 */
	plink_genl_exit();
	/* The objects' last references are their flows'. */
	plink_flows_exit();
	plink_pernet_exit();
	/* Objects are freed by call_rcu() callbacks in this module. */
	rcu_barrier();
	/* Their owners went with them, but those with limits of their own. */
	plink_owners_exit();
	pr_info("unloaded\n");
}

module_init(plink_mod_init);
module_exit(plink_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("PrivateLink-style endpoint services between network namespaces");
MODULE_AUTHOR("The plink developers");
MODULE_ALIAS_RTNL_LINK(PLINK_DEV_KIND);
MODULE_ALIAS_GENL_FAMILY(PLINK_FAMILY_NAME);
