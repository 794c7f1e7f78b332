// SPDX-License-Identifier: GPL-2.0
/*
 * plinkctl dev: the plink devices of the network namespace.
 *
 *	plinkctl dev [{ show | list } [DEV]]
 */

#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/plink.h>

#include "json.h"
#include "plinkctl.h"

struct dev_show {
	struct pl_ctx *ctx;
	struct json_writer jw;
	FILE *out;
};

static const char *const dev_bindings[] = {
	[PLINK_BINDING_NONE]		= "none",
	[PLINK_BINDING_NLB]		= "nlb",
	[PLINK_BINDING_ENDPOINT]	= "endpoint",
};

static const char *dev_binding_name(unsigned int binding, char *buf,
				    size_t len)
{
	if (binding < ARRAY_SIZE(dev_bindings) && dev_bindings[binding])
		return dev_bindings[binding];
	snprintf(buf, len, "unknown(%u)", binding);
	return buf;
}

static int dev_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(attr);
	int ret;

	switch (type) {
	case PLINK_A_DEV_IFINDEX:
	case PLINK_A_DEV_BINDING:
		ret = mnl_attr_validate(attr, MNL_TYPE_U32);
		break;
	case PLINK_A_DEV_IFNAME:
		ret = mnl_attr_validate(attr, MNL_TYPE_NUL_STRING);
		break;
	default:
		/* an attribute newer than this tool */
		return MNL_CB_OK;
	}
	if (ret < 0)
		return MNL_CB_ERROR;
	tb[type] = attr;
	return MNL_CB_OK;
}

static int dev_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PLINK_A_DEV_MAX + 1] = { NULL };
	struct dev_show *ds = data;
	unsigned int ifindex, binding;
	const char *ifname, *bname;
	char buf[32];

	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), dev_attr_cb,
			   tb) != MNL_CB_OK ||
	    !tb[PLINK_A_DEV_IFINDEX] || !tb[PLINK_A_DEV_IFNAME] ||
	    !tb[PLINK_A_DEV_BINDING]) {
		pl_err("malformed device message from the kernel");
		return MNL_CB_ERROR;
	}
	ifindex = mnl_attr_get_u32(tb[PLINK_A_DEV_IFINDEX]);
	ifname = mnl_attr_get_str(tb[PLINK_A_DEV_IFNAME]);
	binding = mnl_attr_get_u32(tb[PLINK_A_DEV_BINDING]);
	bname = dev_binding_name(binding, buf, sizeof(buf));

	if (ds->ctx->json) {
		json_object_begin(&ds->jw);
		json_kv_string(&ds->jw, "ifname", ifname);
		json_kv_uint(&ds->jw, "ifindex", ifindex);
		json_kv_string(&ds->jw, "binding", bname);
		json_object_end(&ds->jw);
	} else {
		fprintf(ds->out, "%-16s %-8u %s\n", ifname, ifindex, bname);
	}
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
	if (!*dev) {
		pl_err("invalid device \"\"");
		return -1;
	}
	if (strspn(dev, "0123456789") != strlen(dev)) {
		if (strlen(dev) >= IFNAMSIZ) {
			pl_err("device name \"%s\" is too long", dev);
			return -1;
		}
		return 0;
	}

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
	struct dev_show ds = { .ctx = ctx };
	const char *dev = NULL;
	unsigned int ifindex = 0;
	struct nlmsghdr *nlh;
	struct plnl nl;
	char *text = NULL;
	size_t len = 0;
	int ret;

	if (argc > 1) {
		pl_err("unexpected argument \"%s\"", argv[1]);
		return PL_EXIT_USAGE;
	}
	if (argc == 1) {
		dev = argv[0];
		if (dev_parse(dev, &ifindex))
			return PL_EXIT_USAGE;
	}

	ret = pl_open(ctx, &nl);
	if (ret)
		return ret;

	/*
	 * Print into memory first: nothing reaches stdout unless the whole
	 * request succeeded (a dump can fail, or be interrupted, half way).
	 */
	ds.out = open_memstream(&text, &len);
	if (!ds.out) {
		pl_err("%s", strerror(errno));
		plnl_close(&nl);
		return PL_EXIT_USAGE;
	}
	json_init(&ds.jw, ds.out);

	nlh = plnl_req(&nl, PLINK_CMD_DEV_GET, dev ? 0 : NLM_F_DUMP);
	if (ifindex)
		mnl_attr_put_u32(nlh, PLINK_A_DEV_IFINDEX, ifindex);
	else if (dev)
		mnl_attr_put_strz(nlh, PLINK_A_DEV_IFNAME, dev);

	if (ctx->json)
		json_array_begin(&ds.jw);
	ret = plnl_run(&nl, nlh, dev_show_cb, &ds) ? PL_EXIT_KERNEL : 0;
	if (ctx->json) {
		json_array_end(&ds.jw);
		fputc('\n', ds.out);
	}
	plnl_close(&nl);

	if (fclose(ds.out) && !ret) {
		pl_err("%s", strerror(errno));
		ret = PL_EXIT_USAGE;
	}
	if (!ret)
		fwrite(text, 1, len, stdout);
	free(text);
	return ret;
}

static int dev_help(struct pl_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	if (argc) {
		pl_err("unexpected argument \"%s\"", argv[0]);
		return PL_EXIT_USAGE;
	}
	dev_usage(stdout);
	return PL_EXIT_OK;
}

static const struct pl_cmd dev_cmds[] = {
	{ .name = "show",	.fn = dev_show },
	{ .name = "list",	.fn = dev_show },
	{ .name = "help",	.fn = dev_help },
};

void dev_usage(FILE *out)
{
	fputs("  plinkctl dev [{ show | list } [DEV]]\n"
	      "      DEV := { IFNAME | IFINDEX }\n", out);
}

int do_dev(struct pl_ctx *ctx, int argc, char **argv)
{
	return pl_dispatch(ctx, "dev", dev_cmds, ARRAY_SIZE(dev_cmds), "show",
			   argc, argv);
}
