// SPDX-License-Identifier: GPL-2.0
/*
 * plinkctl limits: the quotas of owners (uids in the initial user
 * namespace), which the host administrator sets.
 *
 *	plinkctl limits set uid:N [default] [LIMIT N | LIMIT unlimited]...
 *	plinkctl limits [{ show | list } [uid:N]]
 */

#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/plink.h>

#include "plinkctl.h"
#include "req.h"

/* The limits, in the order of their attributes (and of the kernel's). */
static const char *const limits_kw[LIMITS_N] = {
	"flows", "services", "endpoints", "targets", "maglev-slots",
};

/*
 * As JSON keys: "_quota", since "services" and "endpoints" are arrays of
 * objects elsewhere.
 */
static const char *const limits_key[LIMITS_N] = {
	"flows_quota", "services_quota", "endpoints_quota", "targets_quota",
	"maglev_slots_quota",
};

/* The kernel's "no limit". */
#define LIMITS_NONE	4294967295U

static const enum mnl_attr_data_type limits_types[PLINK_A_LIMITS_MAX + 1] = {
	[PLINK_A_LIMITS_UID ... PLINK_A_LIMITS_N_MAGLEV_SLOTS] = MNL_TYPE_U32,
	[PLINK_A_LIMITS_DEFAULT]	= MNL_TYPE_FLAG,
	[PLINK_A_LIMITS_OWN]		= MNL_TYPE_U32,
	[PLINK_A_LIMITS_PROBES]		= MNL_TYPE_U32,
	[PLINK_A_LIMITS_N_PROBES_LIMITED] = MNL_TYPE_U32,
};

/* "uid:N", N a decimal u32. */
static int limits_uid_parse(const char *word, unsigned int *uid)
{
	if (strncmp(word, "uid:", 4)) {
		pl_err("invalid owner \"%s\" (uid:N)", word);
		return -1;
	}
	return pl_u32_parse("uid", word + 4, uid);
}

int limits_req_parse(struct limits_req *req, int argc, char **argv)
{
	const char *val;
	unsigned int k;
	bool any = false;
	int i;

	memset(req, 0, sizeof(*req));
	if (argc < 1)
		return pl_missing("uid:N", "limits set");
	if (limits_uid_parse(argv[0], &req->uid))
		return -1;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "default")) {
			if (pl_once(&req->reset, argv[i]))
				return -1;
			any = true;
			continue;
		}
		for (k = 0; k < LIMITS_N; k++)
			if (!strcmp(argv[i], limits_kw[k]))
				break;
		if (k == LIMITS_N)
			return pl_unknown(argv[i], "limits set");
		if (pl_once(&req->has[k], limits_kw[k]))
			return -1;
		val = pl_value(argc, argv, &i);
		if (!val)
			return -1;
		if (!strcmp(val, "unlimited"))
			req->limit[k] = LIMITS_NONE;
		else if (pl_u32_parse(limits_kw[k], val, &req->limit[k]))
			return -1;
		any = true;
	}
	if (!any) {
		pl_err("nothing to change for \"limits set\"");
		return -1;
	}
	return 0;
}

void limits_req_put(struct plnl_msg *m, const struct limits_req *req)
{
	unsigned int k;

	plnl_put_u32(m, PLINK_A_LIMITS_UID, req->uid);
	for (k = 0; k < LIMITS_N; k++)
		if (req->has[k])
			plnl_put_u32(m, PLINK_A_LIMITS_FLOWS + k, req->limit[k]);
	if (req->reset)
		plnl_put_flag(m, PLINK_A_LIMITS_DEFAULT);
}

/* plinkctl limits set uid:N ... */
static int limits_set(struct pl_ctx *ctx, int argc, char **argv)
{
	struct limits_req req;
	struct plnl_msg m;
	struct plnl nl;
	int ret;

	if (limits_req_parse(&req, argc, argv))
		return PL_EXIT_USAGE;
	ret = pl_open(ctx, &nl);
	if (ret)
		return ret;
	m = plnl_msg_req(&nl, PLINK_CMD_LIMITS_SET, 0);
	limits_req_put(&m, &req);
	ret = pl_request(&nl, &m, NULL, NULL);
	plnl_close(&nl);
	return ret;
}

static unsigned int limits_u32(const struct nlattr *attr)
{
	return attr ? mnl_attr_get_u32(attr) : 0;
}

/*
 * uid:N  flows USED/LIMIT  services USED/LIMIT ..., an own limit (not the
 * default) marked with a "*"; in JSON {"uid":N,"flows_quota":{"used":N,
 * "limit":N or null,"own":BOOL},...}.
 */
static void limits_print(struct pl_print *p, const struct nlattr **tb)
{
	unsigned int own = limits_u32(tb[PLINK_A_LIMITS_OWN]), k, limit;

	pl_print_uint(p, PL_ANY, "uid", "uid:%-10u",
		      limits_u32(tb[PLINK_A_LIMITS_UID]));
	for (k = 0; k < LIMITS_N; k++) {
		limit = limits_u32(tb[PLINK_A_LIMITS_FLOWS + k]);
		pl_open_object(p, limits_key[k]);
		pl_print_string(p, PL_TEXT, NULL, " %s ", limits_kw[k]);
		pl_print_uint(p, PL_ANY, "used", "%u/",
			      limits_u32(tb[PLINK_A_LIMITS_N_FLOWS + k]));
		if (limit == LIMITS_NONE)
			pl_print_null(p, PL_ANY, "limit", "%s", "unlimited");
		else
			pl_print_uint(p, PL_ANY, "limit", "%u", limit);
		pl_print_bool(p, PL_JSON, "own", NULL, own & (1U << k));
		if (own & (1U << k))
			pl_print_text(p, "*");
		pl_close_object(p);
	}
	/* Health-check probes a second, and how many waited for the rate. */
	if (!tb[PLINK_A_LIMITS_PROBES])
		return;
	limit = limits_u32(tb[PLINK_A_LIMITS_PROBES]);
	pl_open_object(p, "probes");
	if (limit == LIMITS_NONE)
		pl_print_null(p, PL_ANY, "limit", " probes %s", "unlimited");
	else
		pl_print_uint(p, PL_ANY, "limit", " probes %u/s", limit);
	pl_print_uint(p, PL_ANY, "limited", " (%u limited)",
		      limits_u32(tb[PLINK_A_LIMITS_N_PROBES_LIMITED]));
	pl_close_object(p);
}

static int limits_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PLINK_A_LIMITS_MAX + 1] = { NULL };
	struct pl_show *s = data;

	if (plnl_parse(nlh, "limits", limits_types, PLINK_A_LIMITS_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[PLINK_A_LIMITS_UID]) {
		pl_err("malformed limits message from the kernel");
		return MNL_CB_ERROR;
	}
	pl_open_object(&s->p, NULL);
	limits_print(&s->p, tb);
	pl_close_object(&s->p);
	pl_print_nl(&s->p, PL_TEXT);
	return MNL_CB_OK;
}

/* plinkctl limits show [uid:N] */
static int limits_show(struct pl_ctx *ctx, int argc, char **argv)
{
	struct plnl_msg m;
	unsigned int uid;
	struct plnl nl;
	int ret;

	if (pl_args_max(argc, argv, 1) ||
	    (argc && limits_uid_parse(argv[0], &uid)))
		return PL_EXIT_USAGE;
	ret = pl_open(ctx, &nl);
	if (ret)
		return ret;
	m = plnl_msg_req(&nl, PLINK_CMD_LIMITS_GET, argc ? 0 : NLM_F_DUMP);
	if (argc)
		plnl_put_u32(&m, PLINK_A_LIMITS_UID, uid);
	return pl_show(ctx, &nl, &m, limits_show_cb, NULL);
}

static const struct pl_cmd limits_cmds[] = {
	{ .name = "set",	.fn = limits_set },
	{ .name = "show",	.fn = limits_show },
	{ .name = "list",	.fn = limits_show },
	{ .name = "help",	.usage = limits_usage },
};

void limits_usage(FILE *out)
{
	fputs("  plinkctl limits set uid:UID [default] [LIMIT { N | unlimited }]...\n"
	      "  plinkctl limits [{ show | list } [uid:UID]]\n"
	      "      LIMIT := { flows | services | endpoints | targets | maglev-slots }\n",
	      out);
}

int do_limits(struct pl_ctx *ctx, int argc, char **argv)
{
	return pl_dispatch(ctx, "limits", limits_cmds, ARRAY_SIZE(limits_cmds),
			   "show", argc, argv);
}
