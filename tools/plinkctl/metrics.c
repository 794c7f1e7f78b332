// SPDX-License-Identifier: GPL-2.0
/*
 * plinkctl metrics: every counter of the netns's services, of their
 * targets and of its endpoints, in the Prometheus text exposition format
 * (version 0.0.4), for node_exporter's textfile collector:
 *
 *	plink_{service,target,endpoint}_{fwd,rev}_{packets,bytes}_total
 *	plink_{service,target,endpoint}_flows_{new,reset}_total
 *	plink_{service,target,endpoint}_icmp_errors_total
 *	plink_{service,target,endpoint}_drops_total{reason="..."}
 *	plink_{service,target,endpoint}_flows_active	(a gauge)
 *	plink_target_health{health="..."}		(1 for the target's)
 *	plink_endpoint_state{state="..."}		(1 for the endpoint's)
 *
 * Labels: service and owner (the service's owner uid); target
 * ("ADDR[:PORT]"); endpoint (its id).  The replies are collected first,
 * then printed one family after the other, as the format wants.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/plink.h>

#include "addr.h"
#include "plinkctl.h"

enum { M_SERVICE, M_TARGET, M_ENDPOINT, M_NKINDS };

static const char *const metrics_kinds[M_NKINDS] = {
	"service", "target", "endpoint",
};

/* One object: its labels, counters, and health or state. */
struct metrics_obj {
	unsigned int kind;
	char *labels;			/* service="...",owner="...",... */
	uint64_t v[PLINK_A_STATS_MAX + 1];
	unsigned int state;		/* target health, endpoint state */
};

struct metrics {
	struct metrics_obj *v;
	size_t n;
	/* The services, for the owner of a target's service. */
	char **svc_names;
	unsigned int *svc_owners;
	size_t nsvc;
	bool oom;
};

/* The counter families: their attribute, name and help. */
static const struct {
	unsigned short type;
	const char *name;
	const char *help;
} metrics_counters[] = {
	{ PLINK_A_STATS_FWD_PACKETS, "fwd_packets_total",
	  "Packets from the consumer to the provider." },
	{ PLINK_A_STATS_FWD_BYTES, "fwd_bytes_total",
	  "Bytes from the consumer to the provider." },
	{ PLINK_A_STATS_REV_PACKETS, "rev_packets_total",
	  "Packets from the provider to the consumer." },
	{ PLINK_A_STATS_REV_BYTES, "rev_bytes_total",
	  "Bytes from the provider to the consumer." },
	{ PLINK_A_STATS_FLOWS_NEW, "flows_new_total", "Flows opened." },
	{ PLINK_A_STATS_FLOWS_RESET, "flows_reset_total", "Flows reset." },
	{ PLINK_A_STATS_ICMP_ERRORS, "icmp_errors_total",
	  "ICMP errors translated." },
};

/* The drop counters: reason="..." of plink_KIND_drops_total. */
static const struct {
	unsigned short type;
	const char *reason;
} metrics_drops[] = {
	{ PLINK_A_STATS_DROP_MALFORMED, "malformed" },
	{ PLINK_A_STATS_DROP_FRAGMENT, "fragment" },
	{ PLINK_A_STATS_DROP_NO_LISTENER, "no_listener" },
	{ PLINK_A_STATS_DROP_SECURITY_GROUP, "security_group" },
	{ PLINK_A_STATS_DROP_STATE, "state" },
	{ PLINK_A_STATS_DROP_NO_TARGET, "no_target" },
	{ PLINK_A_STATS_DROP_TABLE_FULL, "table_full" },
	{ PLINK_A_STATS_DROP_NO_PORT, "no_port" },
	{ PLINK_A_STATS_DROP_NO_FLOW, "no_flow" },
	{ PLINK_A_STATS_DROP_IP_OPTIONS, "ip_options" },
	{ PLINK_A_STATS_DROP_QUOTA, "quota" },
};

static const char *const metrics_healths[] = {
	[PLINK_HEALTH_INITIAL] = "initial",
	[PLINK_HEALTH_HEALTHY] = "healthy",
	[PLINK_HEALTH_UNHEALTHY] = "unhealthy",
	[PLINK_HEALTH_DRAINING] = "draining",
	[PLINK_HEALTH_UNUSED] = "unused",
};

static const char *const metrics_states[] = {
	[PLINK_ENDPOINT_STATE_PENDING_ACCEPTANCE] = "pending_acceptance",
	[PLINK_ENDPOINT_STATE_AVAILABLE] = "available",
	[PLINK_ENDPOINT_STATE_REJECTED] = "rejected",
	[PLINK_ENDPOINT_STATE_DELETED] = "deleted",
	[PLINK_ENDPOINT_STATE_PENDING_SERVICE] = "pending_service",
};

/* @s as a label value: \, " and newline escaped. */
static void metrics_escape(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', out);
		if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

static void metrics_label(FILE *out, bool first, const char *key,
			  const char *value)
{
	fprintf(out, "%s%s=\"", first ? "" : ",", key);
	metrics_escape(out, value);
	fputc('"', out);
}

static const struct nlattr *metrics_attr(const struct nlmsghdr *nlh,
					 unsigned int type)
{
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(attr) == type)
			return attr;
	return NULL;
}

static unsigned int metrics_owner(const struct metrics *m, const char *svc)
{
	size_t i;

	for (i = 0; i < m->nsvc; i++)
		if (!strcmp(m->svc_names[i], svc))
			return m->svc_owners[i];
	return 0;
}

/* A new object of @kind with @stats' counters; NULL when out of memory. */
static struct metrics_obj *metrics_add(struct metrics *m, unsigned int kind,
				       const struct nlattr *stats)
{
	struct metrics_obj *v, *o;
	const struct nlattr *attr;
	unsigned int type;

	v = realloc(m->v, (m->n + 1) * sizeof(*v));
	if (!v) {
		m->oom = true;
		return NULL;
	}
	m->v = v;
	o = &v[m->n++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	mnl_attr_for_each_nested(attr, stats) {
		type = mnl_attr_get_type(attr);
		if (type <= PLINK_A_STATS_MAX &&
		    mnl_attr_get_payload_len(attr) == sizeof(uint64_t))
			o->v[type] = mnl_attr_get_u64(attr);
	}
	return o;
}

/* Labels into a string of their own. */
static char *metrics_labels(const char *svc, unsigned int owner,
			    const char *key, const char *value)
{
	char owner_s[16], *text = NULL;
	size_t len = 0;
	FILE *out;

	out = open_memstream(&text, &len);
	if (!out)
		return NULL;
	snprintf(owner_s, sizeof(owner_s), "%u", owner);
	metrics_label(out, true, "service", svc);
	metrics_label(out, false, "owner", owner_s);
	if (key)
		metrics_label(out, false, key, value);
	if (fclose(out)) {
		free(text);
		return NULL;
	}
	return text;
}

static int metrics_service_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *name = metrics_attr(nlh, PLINK_A_SERVICE_NAME);
	const struct nlattr *stats = metrics_attr(nlh, PLINK_A_SERVICE_STATS);
	const struct nlattr *owner = metrics_attr(nlh, PLINK_A_SERVICE_OWNER_UID);
	struct metrics *m = data;
	struct metrics_obj *o;
	unsigned int *no;
	char **nn;

	/* Only the provider's view has the counters: this netns's. */
	if (!name || !stats || !owner ||
	    !metrics_attr(nlh, PLINK_A_SERVICE_IFINDEX))
		return MNL_CB_OK;
	nn = realloc(m->svc_names, (m->nsvc + 1) * sizeof(*nn));
	if (nn)
		m->svc_names = nn;
	no = realloc(m->svc_owners, (m->nsvc + 1) * sizeof(*no));
	if (no)
		m->svc_owners = no;
	o = nn && no ? metrics_add(m, M_SERVICE, stats) : NULL;
	if (!o)
		goto oom;
	m->svc_names[m->nsvc] = strdup(mnl_attr_get_str(name));
	m->svc_owners[m->nsvc] = mnl_attr_get_u32(owner);
	if (!m->svc_names[m->nsvc])
		goto oom;
	m->nsvc++;
	o->labels = metrics_labels(mnl_attr_get_str(name),
				   mnl_attr_get_u32(owner), NULL, NULL);
	if (!o->labels)
		goto oom;
	return MNL_CB_OK;
oom:
	pl_err("%s", strerror(ENOMEM));
	return MNL_CB_ERROR;
}

static int metrics_target_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *svc = metrics_attr(nlh, PLINK_A_TARGET_SERVICE);
	const struct nlattr *stats = metrics_attr(nlh, PLINK_A_TARGET_STATS);
	const struct nlattr *addr = metrics_attr(nlh, PLINK_A_TARGET_ADDR);
	const struct nlattr *port = metrics_attr(nlh, PLINK_A_TARGET_PORT);
	const struct nlattr *health = metrics_attr(nlh, PLINK_A_TARGET_HEALTH);
	char buf[PL_ADDRSTRLEN];
	struct metrics *m = data;
	struct metrics_obj *o;

	if (!svc || !stats || !addr)
		return MNL_CB_OK;
	o = metrics_add(m, M_TARGET, stats);
	if (!o)
		goto oom;
	o->state = health ? mnl_attr_get_u32(health) : PLINK_HEALTH_INITIAL;
	pl_addr_port_fmt(mnl_attr_get_payload(addr),
			 mnl_attr_get_payload_len(addr),
			 port ? ntohs(mnl_attr_get_u16(port)) : 0, buf);
	o->labels = metrics_labels(mnl_attr_get_str(svc),
				   metrics_owner(m, mnl_attr_get_str(svc)),
				   "target", buf);
	if (!o->labels)
		goto oom;
	return MNL_CB_OK;
oom:
	pl_err("%s", strerror(ENOMEM));
	return MNL_CB_ERROR;
}

static int metrics_endpoint_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *id = metrics_attr(nlh, PLINK_A_ENDPOINT_ID);
	const struct nlattr *svc = metrics_attr(nlh, PLINK_A_ENDPOINT_SERVICE);
	const struct nlattr *stats = metrics_attr(nlh, PLINK_A_ENDPOINT_STATS);
	const struct nlattr *state = metrics_attr(nlh, PLINK_A_ENDPOINT_STATE);
	const struct nlattr *owner = metrics_attr(nlh,
						  PLINK_A_ENDPOINT_SERVICE_OWNER);
	struct metrics *m = data;
	struct metrics_obj *o;

	/* Only the consumer's view has the device: this netns's endpoints. */
	if (!id || !svc || !stats ||
	    !metrics_attr(nlh, PLINK_A_ENDPOINT_IFINDEX))
		return MNL_CB_OK;
	o = metrics_add(m, M_ENDPOINT, stats);
	if (!o)
		goto oom;
	o->state = state ? mnl_attr_get_u32(state) :
		   PLINK_ENDPOINT_STATE_DELETED;
	o->labels = metrics_labels(mnl_attr_get_str(svc),
				   owner ? mnl_attr_get_u32(owner) : 0,
				   "endpoint", mnl_attr_get_str(id));
	if (!o->labels)
		goto oom;
	return MNL_CB_OK;
oom:
	pl_err("%s", strerror(ENOMEM));
	return MNL_CB_ERROR;
}

static bool metrics_any(const struct metrics *m, unsigned int kind)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->v[i].kind == kind)
			return true;
	return false;
}

static void metrics_head(FILE *out, unsigned int kind, const char *name,
			 const char *type, const char *help)
{
	fprintf(out, "# HELP plink_%s_%s %s\n", metrics_kinds[kind], name,
		help);
	fprintf(out, "# TYPE plink_%s_%s %s\n", metrics_kinds[kind], name,
		type);
}

/* The state set @names (@n of them) of @kind, 1 for each object's own. */
static void metrics_set(FILE *out, const struct metrics *m,
			unsigned int kind, const char *name, const char *key,
			const char *const *names, size_t n, const char *help)
{
	size_t i, s;

	metrics_head(out, kind, name, "gauge", help);
	for (i = 0; i < m->n; i++) {
		if (m->v[i].kind != kind)
			continue;
		for (s = 0; s < n; s++)
			fprintf(out, "plink_%s_%s{%s,%s=\"%s\"} %d\n",
				metrics_kinds[kind], name, m->v[i].labels,
				key, names[s], m->v[i].state == s);
	}
}

static void metrics_print(FILE *out, const struct metrics *m)
{
	unsigned int kind;
	size_t c, i;

	for (kind = 0; kind < M_NKINDS; kind++) {
		if (!metrics_any(m, kind))
			continue;
		for (c = 0; c < ARRAY_SIZE(metrics_counters); c++) {
			metrics_head(out, kind, metrics_counters[c].name,
				     "counter", metrics_counters[c].help);
			for (i = 0; i < m->n; i++)
				if (m->v[i].kind == kind)
					fprintf(out, "plink_%s_%s{%s} %llu\n",
						metrics_kinds[kind],
						metrics_counters[c].name,
						m->v[i].labels,
						(unsigned long long)
						m->v[i].v[metrics_counters[c].type]);
		}
		metrics_head(out, kind, "drops_total", "counter",
			     "Packets dropped, by reason.");
		for (i = 0; i < m->n; i++) {
			if (m->v[i].kind != kind)
				continue;
			for (c = 0; c < ARRAY_SIZE(metrics_drops); c++)
				fprintf(out, "plink_%s_drops_total{%s,reason=\"%s\"} %llu\n",
					metrics_kinds[kind], m->v[i].labels,
					metrics_drops[c].reason,
					(unsigned long long)
					m->v[i].v[metrics_drops[c].type]);
		}
		metrics_head(out, kind, "flows_active", "gauge",
			     "Flows open now.");
		for (i = 0; i < m->n; i++)
			if (m->v[i].kind == kind)
				fprintf(out, "plink_%s_flows_active{%s} %llu\n",
					metrics_kinds[kind], m->v[i].labels,
					(unsigned long long)
					m->v[i].v[PLINK_A_STATS_FLOWS_ACTIVE]);
		if (kind == M_TARGET)
			metrics_set(out, m, kind, "health", "health",
				    metrics_healths,
				    ARRAY_SIZE(metrics_healths),
				    "The target's health: 1 for the one it has.");
		if (kind == M_ENDPOINT)
			metrics_set(out, m, kind, "state", "state",
				    metrics_states,
				    ARRAY_SIZE(metrics_states),
				    "The endpoint's state: 1 for the one it is in.");
	}
}

static void metrics_free(struct metrics *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->v[i].labels);
	for (i = 0; i < m->nsvc; i++)
		free(m->svc_names[i]);
	free(m->v);
	free(m->svc_names);
	free(m->svc_owners);
}

static int metrics_dump(struct plnl *nl, unsigned char cmd, mnl_cb_t cb,
			struct metrics *m)
{
	struct plnl_msg req = plnl_msg_req(nl, cmd, NLM_F_DUMP);

	return pl_request(nl, &req, cb, m);
}

/* plinkctl [-n NETNS] metrics */
int do_metrics(struct pl_ctx *ctx, int argc, char **argv)
{
	struct metrics m = { 0 };
	struct plnl nl;
	int ret;

	if (pl_args_max(argc, argv, 0))
		return PL_EXIT_USAGE;
	ret = pl_open(ctx, &nl);
	if (ret)
		return ret;
	/* The services first: the targets take their owners. */
	ret = metrics_dump(&nl, PLINK_CMD_SERVICE_GET, metrics_service_cb, &m);
	if (!ret)
		ret = metrics_dump(&nl, PLINK_CMD_TARGET_GET, metrics_target_cb,
				   &m);
	if (!ret)
		ret = metrics_dump(&nl, PLINK_CMD_ENDPOINT_GET,
				   metrics_endpoint_cb, &m);
	plnl_close(&nl);
	if (!ret)
		metrics_print(stdout, &m);
	metrics_free(&m);
	return ret;
}

void metrics_usage(FILE *out)
{
	fputs("  plinkctl [-n NETNS] metrics\n", out);
}
