// SPDX-License-Identifier: GPL-2.0
/*
 * plinkctl stats: the counters of services, of their targets, and of
 * endpoints (the "stats" nests of their replies).
 *
 *	plinkctl stats [service NAME | endpoint ID]
 *
 * The replies are collected first, then printed: nothing is printed unless
 * every request succeeded.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/plink.h>

#include "plinkctl.h"
#include "req.h"

/* The counters, by attribute type: their JSON key, and text column. */
static const struct {
	const char *key;
	const char *col;
} stats_names[PLINK_A_STATS_MAX + 1] = {
	[PLINK_A_STATS_FWD_PACKETS]	= { "fwd_packets", "fwd-packets" },
	[PLINK_A_STATS_FWD_BYTES]	= { "fwd_bytes", "fwd-bytes" },
	[PLINK_A_STATS_REV_PACKETS]	= { "rev_packets", "rev-packets" },
	[PLINK_A_STATS_REV_BYTES]	= { "rev_bytes", "rev-bytes" },
	[PLINK_A_STATS_FLOWS_NEW]	= { "flows_new", "new" },
	[PLINK_A_STATS_FLOWS_ACTIVE]	= { "flows_active", "active" },
	[PLINK_A_STATS_FLOWS_RESET]	= { "flows_reset", "reset" },
	[PLINK_A_STATS_ICMP_ERRORS]	= { "icmp_errors", "icmp-errors" },
	[PLINK_A_STATS_DROP_MALFORMED]	= { "drop_malformed", "malformed" },
	[PLINK_A_STATS_DROP_FRAGMENT]	= { "drop_fragment", "fragment" },
	[PLINK_A_STATS_DROP_NO_LISTENER] = { "drop_no_listener",
					     "no-listener" },
	[PLINK_A_STATS_DROP_SECURITY_GROUP] = { "drop_security_group",
						"security-group" },
	[PLINK_A_STATS_DROP_STATE]	= { "drop_state", "state" },
	[PLINK_A_STATS_DROP_NO_TARGET]	= { "drop_no_target", "no-target" },
	[PLINK_A_STATS_DROP_TABLE_FULL]	= { "drop_table_full", "table-full" },
	[PLINK_A_STATS_DROP_NO_PORT]	= { "drop_no_port", "no-port" },
	[PLINK_A_STATS_DROP_NO_FLOW]	= { "drop_no_flow", "no-flow" },
	[PLINK_A_STATS_DROP_IP_OPTIONS]	= { "drop_ip_options", "ip-options" },
	[PLINK_A_STATS_DROP_QUOTA]	= { "drop_quota", "quota" },
	[PLINK_A_STATS_PASSIVE_SYN_RST]	= { "passive_syn_rst", "syn-rst" },
	[PLINK_A_STATS_PASSIVE_ICMP_UNREACH] = { "passive_icmp_unreach",
						 "icmp-unreach" },
	[PLINK_A_STATS_PASSIVE_SYN_TIMEOUT] = { "passive_syn_timeout",
						"syn-timeout" },
	[PLINK_A_STATS_CHECKS]		= { "checks", "checks" },
	[PLINK_A_STATS_CHECKS_FAILED]	= { "checks_failed", "checks-failed" },
	[PLINK_A_STATS_PPV2_SENT]	= { "ppv2_sent", "sent" },
	[PLINK_A_STATS_PPV2_RETRANSMITS] = { "ppv2_retransmits",
					     "retransmits" },
};

/* The counters by rows, in the order JSON has them (the labels name them). */
static const struct {
	const char *label;
	unsigned short types[6];
} stats_rows[] = {
	{ "traffic:", { PLINK_A_STATS_FWD_PACKETS, PLINK_A_STATS_FWD_BYTES,
			PLINK_A_STATS_REV_PACKETS, PLINK_A_STATS_REV_BYTES } },
	{ "flows:", { PLINK_A_STATS_FLOWS_NEW, PLINK_A_STATS_FLOWS_ACTIVE,
		      PLINK_A_STATS_FLOWS_RESET, PLINK_A_STATS_ICMP_ERRORS } },
	{ "drop:", { PLINK_A_STATS_DROP_MALFORMED, PLINK_A_STATS_DROP_FRAGMENT,
		     PLINK_A_STATS_DROP_NO_LISTENER,
		     PLINK_A_STATS_DROP_SECURITY_GROUP,
		     PLINK_A_STATS_DROP_STATE } },
	{ "", { PLINK_A_STATS_DROP_NO_TARGET, PLINK_A_STATS_DROP_TABLE_FULL,
		PLINK_A_STATS_DROP_NO_PORT, PLINK_A_STATS_DROP_NO_FLOW,
		PLINK_A_STATS_DROP_IP_OPTIONS, PLINK_A_STATS_DROP_QUOTA } },
	{ "health:", { PLINK_A_STATS_PASSIVE_SYN_RST,
		       PLINK_A_STATS_PASSIVE_ICMP_UNREACH,
		       PLINK_A_STATS_PASSIVE_SYN_TIMEOUT, PLINK_A_STATS_CHECKS,
		       PLINK_A_STATS_CHECKS_FAILED } },
	{ "proxy:", { PLINK_A_STATS_PPV2_SENT,
		      PLINK_A_STATS_PPV2_RETRANSMITS } },
};

static const enum mnl_attr_data_type stats_types[PLINK_A_STATS_MAX + 1] = {
	[PLINK_A_STATS_FWD_PACKETS ... PLINK_A_STATS_PPV2_RETRANSMITS] =
		MNL_TYPE_U64,
};

/* Of the replies, only the key, the target's address, and the stats. */
static const enum mnl_attr_data_type
stats_service_types[PLINK_A_SERVICE_MAX + 1] = {
	[PLINK_A_SERVICE_NAME]		= MNL_TYPE_NUL_STRING,
	[PLINK_A_SERVICE_STATS]		= MNL_TYPE_NESTED,
};

static const enum mnl_attr_data_type
stats_target_types[PLINK_A_TARGET_MAX + 1] = {
	[PLINK_A_TARGET_SERVICE]	= MNL_TYPE_NUL_STRING,
	[PLINK_A_TARGET_ADDR]		= MNL_TYPE_BINARY,
	[PLINK_A_TARGET_PORT]		= MNL_TYPE_U16,
	[PLINK_A_TARGET_STATS]		= MNL_TYPE_NESTED,
};

static const enum mnl_attr_data_type
stats_endpoint_types[PLINK_A_ENDPOINT_MAX + 1] = {
	[PLINK_A_ENDPOINT_ID]		= MNL_TYPE_NUL_STRING,
	[PLINK_A_ENDPOINT_STATS]	= MNL_TYPE_NESTED,
};

/* Room in a parse table for the attributes of any of the three sets. */
#define STATS_TB	32

/* How to ask for the objects of one kind, and what to read of them. */
struct stats_kind {
	const char *what;
	unsigned char cmd;
	const enum mnl_attr_data_type *types;
	unsigned int max;
	unsigned short key;	/* the name or id; the filter of a request */
	unsigned short stats;
	unsigned short addr;	/* a target's address and port, else 0 */
	unsigned short port;
};

static const struct stats_kind stats_service = {
	.what = "service", .cmd = PLINK_CMD_SERVICE_GET,
	.types = stats_service_types, .max = PLINK_A_SERVICE_MAX,
	.key = PLINK_A_SERVICE_NAME, .stats = PLINK_A_SERVICE_STATS,
};

static const struct stats_kind stats_target = {
	.what = "target", .cmd = PLINK_CMD_TARGET_GET,
	.types = stats_target_types, .max = PLINK_A_TARGET_MAX,
	.key = PLINK_A_TARGET_SERVICE, .stats = PLINK_A_TARGET_STATS,
	.addr = PLINK_A_TARGET_ADDR, .port = PLINK_A_TARGET_PORT,
};

static const struct stats_kind stats_endpoint = {
	.what = "endpoint", .cmd = PLINK_CMD_ENDPOINT_GET,
	.types = stats_endpoint_types, .max = PLINK_A_ENDPOINT_MAX,
	.key = PLINK_A_ENDPOINT_ID, .stats = PLINK_A_ENDPOINT_STATS,
};

/* One object's counters; absent ones are 0. */
struct stats_obj {
	char name[64];		/* a service's name (a target's service's), */
				/* or an endpoint's id */
	struct pl_addr addr;	/* a target's */
	unsigned short port;
	unsigned long long v[PLINK_A_STATS_MAX + 1];
	bool has[PLINK_A_STATS_MAX + 1];	/* which the kernel sent */
};

struct stats_list {
	struct stats_obj *v;
	size_t n;
};

/* What "stats" collects, then prints. */
struct stats_report {
	const char *service;	/* stats service NAME */
	const char *endpoint;	/* stats endpoint ID */
	bool details;		/* -d: every counter, not the non-zero ones */
	struct stats_list services, targets, endpoints;
};

/* The objects of one kind that one request collects. */
struct stats_collect {
	const struct stats_kind *kind;
	struct stats_list *list;
};

/* A new object at the end of @list, all 0; NULL after printing. */
static struct stats_obj *stats_add(struct stats_list *list)
{
	struct stats_obj *v;

	v = realloc(list->v, (list->n + 1) * sizeof(*v));
	if (!v) {
		pl_err("%s", strerror(errno));
		return NULL;
	}
	list->v = v;
	memset(&v[list->n], 0, sizeof(*v));
	return &v[list->n++];
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[STATS_TB] = { NULL };
	const struct nlattr *stb[PLINK_A_STATS_MAX + 1] = { NULL };
	const struct stats_collect *c = data;
	const struct stats_kind *kind = c->kind;
	const struct nlattr *addr;
	struct stats_obj *o;
	unsigned int t;

	if (plnl_parse(nlh, kind->what, kind->types, kind->max, tb))
		return MNL_CB_ERROR;
	addr = kind->addr ? tb[kind->addr] : NULL;
	if (!tb[kind->key] || (kind->addr && !addr)) {
		pl_err("malformed %s message from the kernel", kind->what);
		return MNL_CB_ERROR;
	}
	if (tb[kind->stats] &&
	    plnl_parse_nested(tb[kind->stats], kind->what, stats_types,
			      PLINK_A_STATS_MAX, stb))
		return MNL_CB_ERROR;
	/* Another netns's service: this one counts nothing of it. */
	if (kind == &stats_service && !tb[kind->stats])
		return MNL_CB_OK;

	o = stats_add(c->list);
	if (!o)
		return MNL_CB_ERROR;
	snprintf(o->name, sizeof(o->name), "%s",
		 mnl_attr_get_str(tb[kind->key]));
	if (addr) {
		pl_addr_set(&o->addr, mnl_attr_get_payload(addr),
			    mnl_attr_get_payload_len(addr));
		if (tb[kind->port])
			o->port = ntohs(mnl_attr_get_u16(tb[kind->port]));
	}
	for (t = 0; t <= PLINK_A_STATS_MAX; t++)
		if (stb[t]) {
			o->v[t] = mnl_attr_get_u64(stb[t]);
			o->has[t] = true;
		}
	return MNL_CB_OK;
}

/* Whether the kernel sent one of the counters of the row @types. */
static bool stats_row_sent(const struct stats_obj *o,
			   const unsigned short *types)
{
	size_t j;

	for (j = 0; j < ARRAY_SIZE(stats_rows[0].types) && types[j]; j++)
		if (o->has[types[j]])
			return true;
	return false;
}

/*
 * In JSON, the object "stats" of @o's counters, by rows of stats_rows
 * (those the kernel sent: a target's health ones, say), or null when the
 * kernel sent none (another namespace's service): no invented zeros.
 */
static void stats_print_counters(struct pl_print *p,
				 const struct stats_obj *o)
{
	const unsigned short *types;
	size_t r, j;

	/* The traffic counters always come with the others. */
	if (!stats_row_sent(o, stats_rows[0].types)) {
		pl_print_null(p, PL_JSON, "stats", NULL, NULL);
		return;
	}
	pl_open_object(p, "stats");
	for (r = 0; r < ARRAY_SIZE(stats_rows); r++) {
		types = stats_rows[r].types;
		if (!stats_row_sent(o, types))
			continue;
		for (j = 0; j < ARRAY_SIZE(stats_rows[0].types) && types[j];
		     j++)
			pl_print_u64(p, PL_JSON, stats_names[types[j]].key,
				     NULL, o->v[types[j]]);
	}
	pl_close_object(p);
}

/* A service, its counters, and those of its targets. */
static void stats_print_service(struct pl_print *p,
				const struct stats_report *r,
				const struct stats_obj *svc)
{
	const struct stats_obj *t;
	char addr[PL_ADDRSTRLEN];
	size_t i;

	pl_open_object(p, NULL);
	pl_print_string(p, PL_JSON, "name", NULL, svc->name);
	stats_print_counters(p, svc);
	pl_open_array(p, "targets");
	for (i = 0; i < r->targets.n; i++) {
		t = &r->targets.v[i];
		if (strcmp(t->name, svc->name))
			continue;
		pl_open_object(p, NULL);
		pl_print_string(p, PL_JSON, "target_addr", NULL,
				pl_addr_fmt(t->addr.bytes, t->addr.len, addr));
		pl_print_uint(p, PL_JSON, "target_port", NULL, t->port);
		stats_print_counters(p, t);
		pl_close_object(p);
	}
	pl_close_array(p);
	pl_close_object(p);
}

static void stats_print_endpoint(struct pl_print *p,
				 const struct stats_obj *ep)
{
	pl_open_object(p, NULL);
	pl_print_string(p, PL_JSON, "id", NULL, ep->name);
	stats_print_counters(p, ep);
	pl_close_object(p);
}

/* The columns of the text's table, as ipvsadm -L --stats has them. */
static const struct {
	const char *head;
	unsigned short type;
} stats_cols[] = {
	{ "NEW",	PLINK_A_STATS_FLOWS_NEW },
	{ "ACTIVE",	PLINK_A_STATS_FLOWS_ACTIVE },
	{ "RESET",	PLINK_A_STATS_FLOWS_RESET },
	{ "FWD-PKTS",	PLINK_A_STATS_FWD_PACKETS },
	{ "FWD-BYTES",	PLINK_A_STATS_FWD_BYTES },
	{ "REV-PKTS",	PLINK_A_STATS_REV_PACKETS },
	{ "REV-BYTES",	PLINK_A_STATS_REV_BYTES },
};

/* The widths of a table: the first column's, then stats_cols'. */
struct stats_widths {
	int name;
	int col[ARRAY_SIZE(stats_cols)];
};

static bool stats_sent(const struct stats_obj *o)
{
	size_t t;

	for (t = 0; t <= PLINK_A_STATS_MAX; t++)
		if (o->has[t])
			return true;
	return false;
}

static bool stats_is_col(unsigned int type)
{
	size_t c;

	for (c = 0; c < ARRAY_SIZE(stats_cols); c++)
		if (stats_cols[c].type == type)
			return true;
	return false;
}

/* The JSON key of counter @t, drop_no_flow, as drop-no-flow, in @buf. */
static const char *stats_key_text(unsigned int t, char *buf, size_t len)
{
	char *u;

	snprintf(buf, len, "%s", stats_names[t].key);
	for (u = buf; *u; u++)
		if (*u == '_')
			*u = '-';
	return buf;
}

/* A target's first column, "  -> ADDR[:PORT]", in @buf. */
static const char *stats_target_label(const struct stats_obj *t, char *buf,
				      size_t len)
{
	char addr[PL_ADDRSTRLEN];

	snprintf(buf, len, "  -> %s",
		 pl_addr_port_fmt(t->addr.bytes, t->addr.len, t->port, addr));
	return buf;
}

static void stats_widen(struct stats_widths *w, const char *name,
			const struct stats_obj *o)
{
	size_t c;
	int len;

	len = (int)strlen(name);
	if (len > w->name)
		w->name = len;
	for (c = 0; c < ARRAY_SIZE(stats_cols); c++) {
		len = snprintf(NULL, 0, "%llu", o->v[stats_cols[c].type]);
		if (len > w->col[c])
			w->col[c] = len;
	}
}

static void stats_head(FILE *out, const char *first, struct stats_widths *w)
{
	size_t c;

	fprintf(out, "%-*s", w->name, first);
	for (c = 0; c < ARRAY_SIZE(stats_cols); c++)
		fprintf(out, " %*s", w->col[c], stats_cols[c].head);
	fputc('\n', out);
}

/*
 * A row: the name, the columns ("-" for counters the kernel did not send:
 * another namespace's service), then an indented line of the other
 * counters, those that are not 0 (all of them with @details).
 */
static void stats_row(FILE *out, const char *name, const struct stats_obj *o,
		      const struct stats_widths *w, const char *indent,
		      bool details)
{
	bool sent = stats_sent(o), any = false;
	char key[32];
	unsigned int t;
	size_t c;

	fprintf(out, "%-*s", w->name, name);
	for (c = 0; c < ARRAY_SIZE(stats_cols); c++) {
		if (sent)
			fprintf(out, " %*llu", w->col[c],
				o->v[stats_cols[c].type]);
		else
			fprintf(out, " %*s", w->col[c], "-");
	}
	fputc('\n', out);
	for (t = 0; t <= PLINK_A_STATS_MAX; t++) {
		if (!stats_names[t].key || stats_is_col(t) || !o->has[t] ||
		    (!details && !o->v[t]))
			continue;
		fprintf(out, "%s %s %llu", any ? "" : indent,
			stats_key_text(t, key, sizeof(key)), o->v[t]);
		any = true;
	}
	if (any)
		fputc('\n', out);
}

/*
 * The text: a table of the services, each followed by its targets'
 * "-> ADDR" rows, and one of the endpoints, as ipvsadm -L --stats prints.
 */
static void stats_report_text(FILE *out, const struct stats_report *r)
{
	struct stats_widths w = { .name = (int)strlen("SERVICE/TARGET") };
	const struct stats_obj *o;
	char label[PL_ADDRSTRLEN + 8];
	size_t c, i, j;

	for (c = 0; c < ARRAY_SIZE(stats_cols); c++)
		w.col[c] = (int)strlen(stats_cols[c].head);
	for (i = 0; i < r->services.n; i++)
		stats_widen(&w, r->services.v[i].name, &r->services.v[i]);
	for (i = 0; i < r->targets.n; i++)
		stats_widen(&w, stats_target_label(&r->targets.v[i], label,
						   sizeof(label)),
			    &r->targets.v[i]);
	if (r->services.n)
		stats_head(out, "SERVICE/TARGET", &w);
	for (i = 0; i < r->services.n; i++) {
		o = &r->services.v[i];
		stats_row(out, o->name, o, &w, "   ", r->details);
		for (j = 0; j < r->targets.n; j++) {
			if (strcmp(r->targets.v[j].name, o->name))
				continue;
			stats_row(out, stats_target_label(&r->targets.v[j],
							  label,
							  sizeof(label)),
				  &r->targets.v[j], &w, "      ",
				  r->details);
		}
	}

	w.name = (int)strlen("ENDPOINT");
	for (c = 0; c < ARRAY_SIZE(stats_cols); c++)
		w.col[c] = (int)strlen(stats_cols[c].head);
	for (i = 0; i < r->endpoints.n; i++)
		stats_widen(&w, r->endpoints.v[i].name, &r->endpoints.v[i]);
	if (r->endpoints.n)
		stats_head(out, "ENDPOINT", &w);
	for (i = 0; i < r->endpoints.n; i++)
		stats_row(out, r->endpoints.v[i].name, &r->endpoints.v[i], &w,
			  "   ", r->details);
}

/*
 * Print what was collected: with -j {"services": [...], "endpoints":
 * [...]} whatever the filter, which only shortens the arrays.
 */
static void stats_report_print(FILE *out, bool json,
			       const struct stats_report *r)
{
	struct pl_print p;
	size_t i;

	if (!json) {
		stats_report_text(out, r);
		return;
	}
	pl_print_init(&p, out, json);
	pl_open_object(&p, NULL);
	pl_open_array(&p, "services");
	for (i = 0; i < r->services.n; i++)
		stats_print_service(&p, r, &r->services.v[i]);
	pl_close_array(&p);
	pl_open_array(&p, "endpoints");
	for (i = 0; i < r->endpoints.n; i++)
		stats_print_endpoint(&p, &r->endpoints.v[i]);
	pl_close_array(&p);
	pl_close_object(&p);
	pl_print_nl(&p, PL_JSON);
}

static void stats_report_free(struct stats_report *r)
{
	free(r->services.v);
	free(r->targets.v);
	free(r->endpoints.v);
}

/*
 * Ask for the objects of @kind (@key: the one so named, or with @dump
 * those so filtered, or without @key all of them) into @list.
 */
static int stats_get(struct plnl *nl, const struct stats_kind *kind,
		     const char *key, bool dump, struct stats_list *list)
{
	struct stats_collect c = { .kind = kind, .list = list };
	struct plnl_msg m;

	m = plnl_msg_req(nl, kind->cmd, dump || !key ? NLM_F_DUMP : 0);
	if (key)
		plnl_put_strz(&m, kind->key, key);
	return pl_request(nl, &m, stats_cb, &c);
}

int pl_print_stats(struct pl_print *p, const struct nlattr *nest,
		   bool details)
{
	const struct nlattr *stb[PLINK_A_STATS_MAX + 1] = { NULL };
	struct stats_obj o = { 0 };
	bool others = false;
	unsigned int t;
	char key[32];
	size_t r, j;

	if (nest && plnl_parse_nested(nest, "stats", stats_types,
				      PLINK_A_STATS_MAX, stb))
		return -1;
	for (t = 0; t <= PLINK_A_STATS_MAX; t++)
		if (stb[t]) {
			o.v[t] = mnl_attr_get_u64(stb[t]);
			o.has[t] = true;
		}
	if (p->json) {
		stats_print_counters(p, &o);
		return 0;
	}
	if (!stats_sent(&o))
		return 0;

	/* The traffic and the flows, then the others. */
	pl_print_text(p, "\n    stats");
	for (r = 0; r < 2; r++)
		for (j = 0; j < ARRAY_SIZE(stats_rows[0].types) &&
		     stats_rows[r].types[j]; j++) {
			t = stats_rows[r].types[j];
			if (o.has[t])
				pl_print_text(p, " %s %llu",
					      stats_key_text(t, key,
							     sizeof(key)),
					      o.v[t]);
		}
	for (r = 2; r < ARRAY_SIZE(stats_rows); r++)
		for (j = 0; j < ARRAY_SIZE(stats_rows[0].types) &&
		     stats_rows[r].types[j]; j++) {
			t = stats_rows[r].types[j];
			if (!o.has[t] || (!details && !o.v[t]))
				continue;
			pl_print_text(p, "%s %s %llu", others ? "" : "\n   ",
				      stats_key_text(t, key, sizeof(key)),
				      o.v[t]);
			others = true;
		}
	return 0;
}

/* plinkctl stats [service NAME | endpoint ID] */
int do_stats(struct pl_ctx *ctx, int argc, char **argv)
{
	struct stats_report r = { 0 };
	struct flow_req req;
	char id[64];
	struct plnl nl;
	int ret;

	if (argc == 1 && !strcmp(argv[0], "help")) {
		stats_usage(stdout);
		return PL_EXIT_OK;
	}
	if (flow_req_parse(&req, "stats", argc, argv))
		return PL_EXIT_USAGE;
	r.service = req.service;
	r.endpoint = req.endpoint;
	r.details = ctx->details;
	ret = pl_open(ctx, &nl);
	if (ret)
		return ret;
	if (req.dev) {
		ret = pl_endpoint_of_dev(&nl, req.dev, id, sizeof(id));
		if (ret) {
			plnl_close(&nl);
			return ret;
		}
		r.endpoint = id;
	}

	if (!r.endpoint) {
		ret = stats_get(&nl, &stats_service, r.service, false,
				&r.services);
		if (!ret)
			ret = stats_get(&nl, &stats_target, r.service, true,
					&r.targets);
	}
	if (!ret && !r.service)
		ret = stats_get(&nl, &stats_endpoint, r.endpoint, false,
				&r.endpoints);
	plnl_close(&nl);

	if (!ret)
		stats_report_print(stdout, ctx->json, &r);
	stats_report_free(&r);
	return ret;
}

void stats_usage(FILE *out)
{
	fputs("  plinkctl stats [service NAME | endpoint ID | dev DEV]\n", out);
}
