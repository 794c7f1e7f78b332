// SPDX-License-Identifier: GPL-2.0
/*
 * plinkctl dev: the plink devices of the network namespace.
 *
 *	plinkctl dev [{ show | list } [DEV]]
 *	plinkctl dev add DEV [mtu MTU] [up]
 *
 * "show" names what a device carries: the endpoints of a consumer's device
 * (their ids and services), the services of an NLB device.  The kernel's
 * device replies only say which kind; the endpoints and services of the
 * netns, dumped first, say which ones.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/plink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include "plinkctl.h"

static const struct pl_name dev_bindings[] = {
	{ "none",	PLINK_BINDING_NONE },
	{ "nlb",	PLINK_BINDING_NLB },
	{ "endpoint",	PLINK_BINDING_ENDPOINT },
};

static const enum mnl_attr_data_type dev_types[PLINK_A_DEV_MAX + 1] = {
	[PLINK_A_DEV_IFINDEX]	= MNL_TYPE_U32,
	[PLINK_A_DEV_IFNAME]	= MNL_TYPE_NUL_STRING,
	[PLINK_A_DEV_BINDING]	= MNL_TYPE_U32,
};

/* Of the endpoint and service replies, only the keys and the device. */
static const enum mnl_attr_data_type
dev_endpoint_types[PLINK_A_ENDPOINT_MAX + 1] = {
	[PLINK_A_ENDPOINT_ID]		= MNL_TYPE_NUL_STRING,
	[PLINK_A_ENDPOINT_SERVICE]	= MNL_TYPE_NUL_STRING,
	[PLINK_A_ENDPOINT_IFINDEX]	= MNL_TYPE_U32,
};

static const enum mnl_attr_data_type
dev_service_types[PLINK_A_SERVICE_MAX + 1] = {
	[PLINK_A_SERVICE_NAME]		= MNL_TYPE_NUL_STRING,
	[PLINK_A_SERVICE_IFINDEX]	= MNL_TYPE_U32,
};

/* An endpoint (@id set) or a service (@id empty) bound to a device. */
struct dev_bound {
	unsigned int ifindex;
	char id[64];
	char service[128];
};

struct dev_bounds {
	struct dev_bound *v;
	size_t n;
};

static int dev_bound_add(struct dev_bounds *b, unsigned int ifindex,
			 const char *id, const char *service)
{
	struct dev_bound *v;

	v = realloc(b->v, (b->n + 1) * sizeof(*v));
	if (!v) {
		pl_err("%s", strerror(errno));
		return MNL_CB_ERROR;
	}
	b->v = v;
	v += b->n++;
	v->ifindex = ifindex;
	snprintf(v->id, sizeof(v->id), "%s", id);
	snprintf(v->service, sizeof(v->service), "%s", service);
	return MNL_CB_OK;
}

/* An endpoint of this netns's (only they have a device). */
static int dev_endpoint_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PLINK_A_ENDPOINT_MAX + 1] = { NULL };

	if (plnl_parse(nlh, "endpoint", dev_endpoint_types,
		       PLINK_A_ENDPOINT_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[PLINK_A_ENDPOINT_ID]) {
		pl_err("malformed endpoint message from the kernel");
		return MNL_CB_ERROR;
	}
	if (!tb[PLINK_A_ENDPOINT_IFINDEX])
		return MNL_CB_OK;
	return dev_bound_add(data, mnl_attr_get_u32(tb[PLINK_A_ENDPOINT_IFINDEX]),
			     mnl_attr_get_str(tb[PLINK_A_ENDPOINT_ID]),
			     tb[PLINK_A_ENDPOINT_SERVICE] ?
			     mnl_attr_get_str(tb[PLINK_A_ENDPOINT_SERVICE]) :
			     "-");
}

/* A service of this netns's (another's has no device). */
static int dev_service_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PLINK_A_SERVICE_MAX + 1] = { NULL };

	if (plnl_parse(nlh, "service", dev_service_types, PLINK_A_SERVICE_MAX,
		       tb))
		return MNL_CB_ERROR;
	if (!tb[PLINK_A_SERVICE_NAME]) {
		pl_err("malformed service message from the kernel");
		return MNL_CB_ERROR;
	}
	if (!tb[PLINK_A_SERVICE_IFINDEX])
		return MNL_CB_OK;
	return dev_bound_add(data, mnl_attr_get_u32(tb[PLINK_A_SERVICE_IFINDEX]),
			     "", mnl_attr_get_str(tb[PLINK_A_SERVICE_NAME]));
}

/*
 * What is bound to the device @ifindex: in the text " ID (SERVICE)" an
 * endpoint, " SERVICE" a service; in JSON the arrays "endpoints" of
 * {"id", "service"} and "services" of {"name"}, empty when none.
 */
static void dev_print_bound(struct pl_print *p, const struct dev_bounds *b,
			    unsigned int ifindex)
{
	size_t i;

	pl_open_array(p, "endpoints");
	for (i = 0; b && i < b->n; i++) {
		if (b->v[i].ifindex != ifindex || !b->v[i].id[0])
			continue;
		pl_open_object(p, NULL);
		pl_print_string(p, PL_ANY, "id", " %s", b->v[i].id);
		pl_print_string(p, PL_ANY, "service", " (%s)",
				b->v[i].service);
		pl_close_object(p);
	}
	pl_close_array(p);
	pl_open_array(p, "services");
	for (i = 0; b && i < b->n; i++) {
		if (b->v[i].ifindex != ifindex || b->v[i].id[0])
			continue;
		pl_open_object(p, NULL);
		pl_print_string(p, PL_ANY, "name", " %s", b->v[i].service);
		pl_close_object(p);
	}
	pl_close_array(p);
}

/* DEV  IFINDEX  BINDING [ENDPOINT (SERVICE) | SERVICE]... */
static void dev_print(struct pl_print *p, const struct nlattr **tb,
		      const struct dev_bounds *b)
{
	pl_print_attr_str(p, PL_ANY, "dev", "%-16s ", tb[PLINK_A_DEV_IFNAME]);
	pl_print_attr_u32(p, PL_ANY, "ifindex", "%-8u ",
			  tb[PLINK_A_DEV_IFINDEX]);
	pl_print_attr_name(p, PL_ANY, "binding", "%s", tb[PLINK_A_DEV_BINDING],
			   dev_bindings, ARRAY_SIZE(dev_bindings));
	dev_print_bound(p, b, mnl_attr_get_u32(tb[PLINK_A_DEV_IFINDEX]));
}

static int dev_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PLINK_A_DEV_MAX + 1] = { NULL };
	struct pl_show *s = data;

	if (plnl_parse(nlh, "device", dev_types, PLINK_A_DEV_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[PLINK_A_DEV_IFINDEX] || !tb[PLINK_A_DEV_IFNAME] ||
	    !tb[PLINK_A_DEV_BINDING]) {
		pl_err("malformed device message from the kernel");
		return MNL_CB_ERROR;
	}
	pl_open_object(&s->p, NULL);
	dev_print(&s->p, tb, s->priv);
	pl_close_object(&s->p);
	pl_print_nl(&s->p, PL_TEXT);
	return MNL_CB_OK;
}

/*
 * DEV is an ifindex if it is all digits, else an interface name.  Returns
 * 0 with *@ifindex set (0 for a name), or -1 after printing why not.
 */
static int dev_parse(const char *dev, unsigned int *ifindex)
{
	unsigned long long v;
	char *end;

	*ifindex = 0;
	if (!*dev || strspn(dev, "0123456789") != strlen(dev))
		return pl_dev_check(dev);

	errno = 0;
	v = strtoull(dev, &end, 10);
	if (errno || *end || !v || v > UINT32_MAX) {
		pl_err("invalid device index \"%s\"", dev);
		return -1;
	}
	*ifindex = v;
	return 0;
}

/* plinkctl dev show [DEV] */
static int dev_show(struct pl_ctx *ctx, int argc, char **argv)
{
	struct dev_bounds b = { 0 };
	const char *dev = NULL;
	unsigned int ifindex = 0;
	struct plnl_msg m;
	struct plnl nl;
	int ret;

	if (pl_args_max(argc, argv, 1))
		return PL_EXIT_USAGE;
	if (argc == 1) {
		dev = argv[0];
		if (dev_parse(dev, &ifindex))
			return PL_EXIT_USAGE;
	}

	ret = pl_open(ctx, &nl);
	if (ret)
		return ret;

	m = plnl_msg_req(&nl, PLINK_CMD_ENDPOINT_GET, NLM_F_DUMP);
	ret = pl_request(&nl, &m, dev_endpoint_cb, &b);
	if (!ret) {
		m = plnl_msg_req(&nl, PLINK_CMD_SERVICE_GET, NLM_F_DUMP);
		ret = pl_request(&nl, &m, dev_service_cb, &b);
	}
	if (ret) {
		plnl_close(&nl);
		free(b.v);
		return ret;
	}

	m = plnl_msg_req(&nl, PLINK_CMD_DEV_GET, dev ? 0 : NLM_F_DUMP);
	if (ifindex)
		plnl_put_u32(&m, PLINK_A_DEV_IFINDEX, ifindex);
	else if (dev)
		plnl_put_strz(&m, PLINK_A_DEV_IFNAME, dev);
	ret = pl_show(ctx, &nl, &m, dev_show_cb, &b);
	free(b.v);
	return ret;
}

/*
 * plinkctl dev add DEV [mtu MTU] [up]: what "ip link add DEV type plink"
 * does, so that a saved configuration is plinkctl lines only.
 */
static int dev_add(struct pl_ctx *ctx, int argc, char **argv)
{
	unsigned int mtu = 0;
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	struct nlattr *info;
	bool up = false, has_mtu = false;
	struct plnl rt;
	char ctxmsg[64];
	int i, ret;

	if (argc < 1) {
		pl_missing("DEV", "dev add");
		return PL_EXIT_USAGE;
	}
	if (pl_dev_check(argv[0]))
		return PL_EXIT_USAGE;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "up")) {
			if (pl_once(&up, "up"))
				return PL_EXIT_USAGE;
		} else if (!strcmp(argv[i], "mtu")) {
			const char *val;

			if (pl_once(&has_mtu, "mtu"))
				return PL_EXIT_USAGE;
			val = pl_value(argc, argv, &i);
			if (!val || pl_u32_parse("mtu", val, &mtu))
				return PL_EXIT_USAGE;
		} else {
			pl_unknown(argv[i], "dev add");
			return PL_EXIT_USAGE;
		}
	}

	ret = pl_enter(ctx);
	if (ret)
		return ret;
	if (plnl_open_route(&rt))
		return PL_EXIT_KERNEL;
	snprintf(ctxmsg, sizeof(ctxmsg), "cannot add device \"%s\"", argv[0]);
	rt.errctx = ctxmsg;
	nlh = plnl_msg(&rt, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	if (up) {
		ifi->ifi_flags = IFF_UP;
		ifi->ifi_change = IFF_UP;
	}
	mnl_attr_put_strz(nlh, IFLA_IFNAME, argv[0]);
	if (has_mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "plink");
	mnl_attr_nest_end(nlh, info);
	ret = plnl_run(&rt, nlh, NULL, NULL) ? PL_EXIT_KERNEL : PL_EXIT_OK;
	plnl_close(&rt);
	return ret;
}

static const struct pl_cmd dev_cmds[] = {
	{ .name = "add",	.fn = dev_add },
	{ .name = "show",	.fn = dev_show },
	{ .name = "list",	.fn = dev_show },
	{ .name = "help",	.usage = dev_usage },
};

void dev_usage(FILE *out)
{
	fputs("  plinkctl dev [{ show | list } [DEV]]\n"
	      "  plinkctl dev add DEV [mtu MTU] [up]\n"
	      "      DEV := { IFNAME | IFINDEX }\n", out);
}

int do_dev(struct pl_ctx *ctx, int argc, char **argv)
{
	return pl_dispatch(ctx, "dev", dev_cmds, ARRAY_SIZE(dev_cmds), "show",
			   argc, argv);
}
