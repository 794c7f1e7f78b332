// SPDX-License-Identifier: GPL-2.0
/*
 * plinkctl target: the targets of the caller's netns's services.
 *
 *	plinkctl target add SERVICE ADDR[:PORT] [weight W] [zone Z] [health H]
 *	plinkctl target set SERVICE ADDR[:PORT] [weight W] [zone Z] [health H]
 *	plinkctl target del SERVICE ADDR[:PORT]
 *	plinkctl target [{ show | list } [SERVICE [ADDR[:PORT]]]]
 */

#include <arpa/inet.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/plink.h>

#include "plinkctl.h"
#include "req.h"

static const enum mnl_attr_data_type target_types[PLINK_A_TARGET_MAX + 1] = {
	[PLINK_A_TARGET_SERVICE]	= MNL_TYPE_NUL_STRING,
	[PLINK_A_TARGET_ADDR]		= MNL_TYPE_BINARY,
	[PLINK_A_TARGET_PORT]		= MNL_TYPE_U16,
	[PLINK_A_TARGET_WEIGHT]		= MNL_TYPE_U32,
	[PLINK_A_TARGET_ZONE]		= MNL_TYPE_NUL_STRING,
	[PLINK_A_TARGET_HEALTH]		= MNL_TYPE_U32,
	[PLINK_A_TARGET_STATS]		= MNL_TYPE_NESTED,
	[PLINK_A_TARGET_REASON]		= MNL_TYPE_U32,
	[PLINK_A_TARGET_OLD_HEALTH]	= MNL_TYPE_U32,
};

/* One setting, keyword argv[*i], and its value. */
static int target_parse_kw(struct target_req *req, const char *cmd,
			   int argc, char **argv, int *i)
{
	const char *kw = argv[*i], *val;
	bool seen;

	if (strcmp(kw, "weight") && strcmp(kw, "zone") && strcmp(kw, "health"))
		return pl_unknown(kw, cmd);
	val = pl_value(argc, argv, i);
	if (!val)
		return -1;

	if (!strcmp(kw, "weight")) {
		if (pl_once(&req->has_weight, kw))
			return -1;
		return pl_u32_range_parse(kw, val, 0, PLINK_WEIGHT_MAX,
					  &req->weight);
	}
	if (!strcmp(kw, "health")) {
		if (pl_once(&req->has_health, kw))
			return -1;
		return pl_name_parse(kw, pl_healths, ARRAY_SIZE(pl_healths),
				     val, &req->health);
	}
	/* zone */
	seen = req->zone;
	req->zone = val;
	return pl_once(&seen, kw);
}

int target_req_parse(struct target_req *req, const char *cmd, int argc,
		     char **argv)
{
	bool settings = strcmp(cmd, "target del");
	int i;

	memset(req, 0, sizeof(*req));
	if (argc < 1)
		return pl_missing("SERVICE", cmd);
	if (argc < 2)
		return pl_missing("ADDR", cmd);
	req->service = argv[0];
	if (pl_addr_port_parse(argv[1], &req->addr, &req->port))
		return -1;

	for (i = 2; i < argc; i++) {
		if (!settings)
			return pl_unknown(argv[i], cmd);
		if (target_parse_kw(req, cmd, argc, argv, &i))
			return -1;
	}
	if (!strcmp(cmd, "target set") && !req->has_weight && !req->zone &&
	    !req->has_health) {
		pl_err("nothing to change for \"%s\"", cmd);
		return -1;
	}
	return 0;
}

void target_req_put(struct plnl_msg *m, const struct target_req *req)
{
	plnl_put_strz(m, PLINK_A_TARGET_SERVICE, req->service);
	plnl_put(m, PLINK_A_TARGET_ADDR, req->addr.len, req->addr.bytes);
	if (req->port)
		plnl_put_be16(m, PLINK_A_TARGET_PORT, req->port);
	if (req->has_weight)
		plnl_put_u32(m, PLINK_A_TARGET_WEIGHT, req->weight);
	if (req->zone)
		plnl_put_strz(m, PLINK_A_TARGET_ZONE, req->zone);
	if (req->has_health)
		plnl_put_u32(m, PLINK_A_TARGET_HEALTH, req->health);
}

/* The commands that change a target: one request, no reply to print. */
static int target_change(struct pl_ctx *ctx, const char *cmd,
			 unsigned char nlcmd, int argc, char **argv)
{
	struct target_req req;
	struct plnl_msg m;
	struct plnl nl;
	int ret;

	if (target_req_parse(&req, cmd, argc, argv))
		return PL_EXIT_USAGE;
	ret = pl_open(ctx, &nl);
	if (ret)
		return ret;
	m = plnl_msg_req(&nl, nlcmd, 0);
	target_req_put(&m, &req);
	ret = pl_request(&nl, &m, NULL, NULL);
	plnl_close(&nl);
	return ret;
}

static int target_add(struct pl_ctx *ctx, int argc, char **argv)
{
	return target_change(ctx, "target add", PLINK_CMD_TARGET_ADD, argc,
			     argv);
}

static int target_set(struct pl_ctx *ctx, int argc, char **argv)
{
	return target_change(ctx, "target set", PLINK_CMD_TARGET_SET, argc,
			     argv);
}

static int target_del(struct pl_ctx *ctx, int argc, char **argv)
{
	return target_change(ctx, "target del", PLINK_CMD_TARGET_DEL, argc,
			     argv);
}

/* Check a target message into @tb; -1 after printing if malformed. */
static int target_parse(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	if (plnl_parse(nlh, "target", target_types, PLINK_A_TARGET_MAX, tb))
		return -1;
	if (!tb[PLINK_A_TARGET_SERVICE] || !tb[PLINK_A_TARGET_ADDR]) {
		pl_err("malformed target message from the kernel");
		return -1;
	}
	return 0;
}

static unsigned short target_port(const struct nlattr **tb)
{
	const struct nlattr *port = tb[PLINK_A_TARGET_PORT];

	return port ? ntohs(mnl_attr_get_u16(port)) : 0;
}

/* ADDR, or ADDR:PORT ([ADDR]:PORT for IPv6) when it has a port. */
static const char *target_addr(const struct nlattr **tb, bool port,
			       char *buf)
{
	const struct nlattr *addr = tb[PLINK_A_TARGET_ADDR];

	return pl_addr_port_fmt(mnl_attr_get_payload(addr),
				mnl_attr_get_payload_len(addr),
				port ? target_port(tb) : 0, buf);
}

/*
 * A target: SERVICE  ADDR[:PORT]  WEIGHT  ZONE  HEALTH [(REASON)], or as
 * an @event "SERVICE ADDR[:PORT] health HEALTH [(REASON)] [from OLD]"; in
 * JSON the address and the port apart ("target_addr", "target_port"),
 * "reason" and (events) "old_health".
 */
static void target_print(struct pl_print *p, const struct nlattr **tb,
			 bool event)
{
	enum pl_kind show = event ? PL_JSON : PL_ANY;
	char addr[PL_ADDRSTRLEN];

	pl_print_attr_str(p, PL_ANY, "service", event ? "%s " : "%-16s ",
			  tb[PLINK_A_TARGET_SERVICE]);
	pl_print_string(p, PL_JSON, "target_addr", NULL,
			target_addr(tb, false, addr));
	pl_print_uint(p, PL_JSON, "target_port", NULL, target_port(tb));
	pl_print_string(p, PL_TEXT, NULL, event ? "%s " : "%-24s ",
			target_addr(tb, true, addr));
	if (tb[PLINK_A_TARGET_WEIGHT])
		pl_print_attr_u32(p, show, "weight", "%-5u ",
				  tb[PLINK_A_TARGET_WEIGHT]);
	else
		pl_print_string(p, show & PL_TEXT, NULL, "%-5s ", "-");
	pl_print_attr_str(p, show | PL_DASH, "zone", "%-12s ",
			  tb[PLINK_A_TARGET_ZONE]);
	pl_print_attr_name(p, PL_ANY | PL_DASH, "health",
			   event ? "health %s" : "%s",
			   tb[PLINK_A_TARGET_HEALTH], pl_health_shown,
			   ARRAY_SIZE(pl_health_shown));
	pl_print_attr_name(p, PL_JSON, "reason", NULL,
			   tb[PLINK_A_TARGET_REASON], pl_health_reasons,
			   ARRAY_SIZE(pl_health_reasons));
	if (tb[PLINK_A_TARGET_REASON] &&
	    mnl_attr_get_u32(tb[PLINK_A_TARGET_REASON]))
		pl_print_attr_name(p, PL_TEXT, NULL, " (%s)",
				   tb[PLINK_A_TARGET_REASON],
				   pl_health_reasons,
				   ARRAY_SIZE(pl_health_reasons));
	pl_print_attr_name(p, PL_ANY, "old_health", " from %s",
			   tb[PLINK_A_TARGET_OLD_HEALTH], pl_health_shown,
			   ARRAY_SIZE(pl_health_shown));
}

/*
 * A target for "show", in the text as "target add" takes it, SERVICE
 * ADDR[:PORT] weight W zone Z, then an indented line of what the kernel
 * (or its health checks) set: health HEALTH [(REASON)].  JSON as
 * target_print().
 */
static void target_print_show(struct pl_print *p, const struct nlattr **tb)
{
	char addr[PL_ADDRSTRLEN];

	if (p->json) {
		target_print(p, tb, false);
		return;
	}
	pl_print_attr_str(p, PL_TEXT, NULL, "%s", tb[PLINK_A_TARGET_SERVICE]);
	pl_print_string(p, PL_TEXT, NULL, " %s", target_addr(tb, true, addr));
	pl_print_attr_u32(p, PL_TEXT, NULL, " weight %u",
			  tb[PLINK_A_TARGET_WEIGHT]);
	pl_print_attr_str(p, PL_TEXT, NULL, " zone %s",
			  tb[PLINK_A_TARGET_ZONE]);
	if (!tb[PLINK_A_TARGET_HEALTH])
		return;
	pl_print_attr_name(p, PL_TEXT, NULL, "\n    health %s",
			   tb[PLINK_A_TARGET_HEALTH], pl_health_shown,
			   ARRAY_SIZE(pl_health_shown));
	if (tb[PLINK_A_TARGET_REASON] &&
	    mnl_attr_get_u32(tb[PLINK_A_TARGET_REASON]))
		pl_print_attr_name(p, PL_TEXT, NULL, " (%s)",
				   tb[PLINK_A_TARGET_REASON],
				   pl_health_reasons,
				   ARRAY_SIZE(pl_health_reasons));
}

static int target_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PLINK_A_TARGET_MAX + 1] = { NULL };
	struct pl_show *s = data;
	const char *service = s->priv;

	if (target_parse(nlh, tb))
		return MNL_CB_ERROR;
	if (service &&
	    strcmp(service, mnl_attr_get_str(tb[PLINK_A_TARGET_SERVICE])))
		return MNL_CB_OK;

	pl_open_object(&s->p, NULL);
	target_print_show(&s->p, tb);
	if (s->ctx->stats &&
	    pl_print_stats(&s->p, tb[PLINK_A_TARGET_STATS], s->ctx->details))
		return MNL_CB_ERROR;
	pl_close_object(&s->p);
	pl_print_nl(&s->p, PL_TEXT);
	return MNL_CB_OK;
}

/* plinkctl target show [SERVICE [ADDR[:PORT]]] */
static int target_show(struct pl_ctx *ctx, int argc, char **argv)
{
	struct target_req req = { 0 };
	struct plnl_msg m;
	struct plnl nl;
	int ret;

	if (pl_args_max(argc, argv, 2))
		return PL_EXIT_USAGE;
	if (argc == 2 &&
	    target_req_parse(&req, "target show", argc, argv))
		return PL_EXIT_USAGE;
	ret = pl_open(ctx, &nl);
	if (ret)
		return ret;

	if (argc == 2) {
		m = plnl_msg_req(&nl, PLINK_CMD_TARGET_GET, 0);
		target_req_put(&m, &req);
	} else {
		/* All the targets, or those of one service. */
		m = plnl_msg_req(&nl, PLINK_CMD_TARGET_GET, NLM_F_DUMP);
		if (argc)
			plnl_put_strz(&m, PLINK_A_TARGET_SERVICE, argv[0]);
	}
	return pl_show(ctx, &nl, &m, target_show_cb, argc ? argv[0] : NULL);
}

int target_event(struct pl_ctx *ctx, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[PLINK_A_TARGET_MAX + 1] = { NULL };
	struct pl_print p;

	if (target_parse(nlh, tb))
		return -1;
	pl_event_begin(&p, ctx->json, "target");
	target_print(&p, tb, true);
	pl_event_end(&p);
	return 0;
}

static const struct pl_cmd target_cmds[] = {
	{ .name = "add",	.fn = target_add },
	{ .name = "del",	.fn = target_del },
	{ .name = "delete",	.fn = target_del },
	{ .name = "show",	.fn = target_show },
	{ .name = "list",	.fn = target_show },
	{ .name = "set",	.fn = target_set },
	{ .name = "help",	.usage = target_usage },
};

void target_usage(FILE *out)
{
	fputs("  plinkctl target { add | set } SERVICE TARGET [weight W] [zone ZONE]\n"
	      "                                [health HEALTH]\n"
	      "  plinkctl target del SERVICE TARGET\n"
	      "  plinkctl target [{ show | list } [SERVICE [TARGET]]]\n"
	      "      TARGET := { IPV4[:PORT] | IPV6 | [IPV6][:PORT] }\n"
	      "      HEALTH := { initial | healthy | unhealthy | draining | up | down }\n",
	      out);
}

int do_target(struct pl_ctx *ctx, int argc, char **argv)
{
	return pl_dispatch(ctx, "target", target_cmds,
			   ARRAY_SIZE(target_cmds), "show", argc, argv);
}
