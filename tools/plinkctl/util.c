// SPDX-License-Identifier: GPL-2.0
/*
 * What the commands of plinkctl share: dispatching, entering the netns,
 * the words of the command line, enum names, and printing replies.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/plink.h>

#include "addr.h"
#include "plinkctl.h"

#define NETNS_RUN_DIR	"/run/netns"

const char *pl_err_where = "plinkctl: ";

const struct pl_cmd *pl_lookup(const struct pl_cmd *tab, size_t n,
			       const char *word)
{
	const struct pl_cmd *found = NULL;
	size_t len = strlen(word), i;

	if (!len)
		return NULL;
	for (i = 0; i < n; i++) {
		if (!strcmp(tab[i].name, word))
			return &tab[i];
		if (!found && len >= tab[i].min &&
		    !strncmp(tab[i].name, word, len))
			found = &tab[i];
	}
	return found;
}

int pl_dispatch(struct pl_ctx *ctx, const char *object,
		const struct pl_cmd *cmds, size_t ncmds, const char *dflt,
		int argc, char **argv)
{
	const char *word = argc > 0 ? argv[0] : dflt;
	const struct pl_cmd *cmd;

	cmd = pl_lookup(cmds, ncmds, word);
	if (!cmd) {
		pl_err("unknown command \"%s\" for \"%s\", try \"plinkctl %s help\"",
		       word, object, object);
		return PL_EXIT_USAGE;
	}
	if (argc > 0) {
		argc--;
		argv++;
	}
	if (cmd->fn)
		return cmd->fn(ctx, argc, argv);
	/* "OBJECT help" */
	if (pl_args_max(argc, argv, 0))
		return PL_EXIT_USAGE;
	cmd->usage(stdout);
	return PL_EXIT_OK;
}

int pl_args_max(int argc, char **argv, int max)
{
	if (argc <= max)
		return 0;
	pl_err("unexpected argument \"%s\"", argv[max]);
	return -1;
}

static int pl_enter_netns(const char *name)
{
	char path[PATH_MAX];
	int fd, len;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..")) {
		pl_err("invalid netns name \"%s\"", name);
		return -1;
	}
	len = snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	if (len < 0 || (size_t)len >= sizeof(path)) {
		pl_err("cannot open netns \"%s\": %s", name,
		       strerror(ENAMETOOLONG));
		return -1;
	}

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pl_err("cannot open netns \"%s\": %s", name, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		pl_err("cannot enter netns \"%s\": %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int pl_enter(struct pl_ctx *ctx)
{
	if (!ctx->netns || ctx->entered)
		return PL_EXIT_OK;
	if (pl_enter_netns(ctx->netns))
		return PL_EXIT_USAGE;
	ctx->entered = true;
	return PL_EXIT_OK;
}

int pl_open(struct pl_ctx *ctx, struct plnl *nl)
{
	int ret = pl_enter(ctx);

	if (ret)
		return ret;
	if (plnl_open(nl))
		return PL_EXIT_KERNEL;
	return PL_EXIT_OK;
}

int pl_request(struct plnl *nl, struct plnl_msg *m, mnl_cb_t cb, void *data)
{
	if (m->full) {
		pl_err("too many arguments: the request is over %zu bytes",
		       m->size);
		return PL_EXIT_USAGE;
	}
	return plnl_run(nl, m->nlh, cb, data) ? PL_EXIT_KERNEL : PL_EXIT_OK;
}

int pl_open_dev(struct pl_ctx *ctx, const char *dev, unsigned int *ifindex,
		struct plnl *nl)
{
	int ret = pl_enter(ctx);

	if (!ret)
		ret = pl_ifindex(dev, ifindex);
	if (!ret)
		ret = pl_open(ctx, nl);
	return ret;
}

int pl_dev_check(const char *dev)
{
	if (!*dev) {
		pl_err("invalid device \"\"");
		return -1;
	}
	if (strlen(dev) >= IFNAMSIZ) {
		pl_err("device name \"%s\" is too long", dev);
		return -1;
	}
	return 0;
}

int pl_ifindex(const char *dev, unsigned int *ifindex)
{
	*ifindex = if_nametoindex(dev);
	if (!*ifindex) {
		pl_err("cannot find device \"%s\"", dev);
		return PL_EXIT_USAGE;
	}
	return PL_EXIT_OK;
}

int pl_ulong(const char *s, size_t n, unsigned long max, unsigned long *v)
{
	unsigned long x = 0;
	size_t i;

	if (!n)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (unsigned long)(s[i] - '0');
		if (x > max)
			return -1;
	}
	*v = x;
	return 0;
}

const char *pl_value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		pl_err("missing value after \"%s\"", argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

int pl_once(bool *seen, const char *kw)
{
	if (*seen) {
		pl_err("duplicate keyword \"%s\"", kw);
		return -1;
	}
	*seen = true;
	return 0;
}

int pl_u32_parse(const char *what, const char *word, unsigned int *v)
{
	unsigned long x;

	if (pl_ulong(word, strlen(word), UINT32_MAX, &x)) {
		pl_err("invalid %s \"%s\"", what, word);
		return -1;
	}
	*v = (unsigned int)x;
	return 0;
}

int pl_u32_range_parse(const char *what, const char *word, unsigned int min,
		       unsigned int max, unsigned int *v)
{
	unsigned long x;

	if (pl_ulong(word, strlen(word), UINT32_MAX, &x) || x < min ||
	    x > max) {
		pl_err("invalid %s \"%s\" (%u-%u)", what, word, min, max);
		return -1;
	}
	*v = (unsigned int)x;
	return 0;
}

const char *pl_principal_name(const char *principal)
{
	return strcmp(principal, "*") ? principal : "any";
}

const char *pl_principal_parse(const char *word)
{
	unsigned long uid;

	if (!strcmp(word, "any") || !strcmp(word, "*"))
		return "*";
	if (!strncmp(word, "uid:", 4) &&
	    !pl_ulong(word + 4, strlen(word + 4), UINT32_MAX, &uid))
		return word;
	pl_err("invalid principal \"%s\" (uid:UID, any or *)", word);
	return NULL;
}

int pl_unknown(const char *word, const char *cmd)
{
	pl_err("unknown keyword \"%s\" for \"%s\"", word, cmd);
	return -1;
}

int pl_missing(const char *what, const char *cmd)
{
	pl_err("missing \"%s\" for \"%s\"", what, cmd);
	return -1;
}

const struct pl_name pl_revokes[2] = {
	{ "reset",	PLINK_REVOKE_RESET },
	{ "keep",	PLINK_REVOKE_KEEP },
};

/* A reply's revoked count (pl_revoked), if it has one. */
int pl_revoked_cb(const struct nlmsghdr *nlh, void *data)
{
	struct pl_revoked *r = data;
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != r->type)
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0) {
			pl_err("malformed reply from the kernel");
			return MNL_CB_ERROR;
		}
		r->n = mnl_attr_get_u32(attr);
	}
	return MNL_CB_OK;
}

/* "N flows reset" when a change reset some: {"revoked": N} in JSON. */
void pl_revoked_print(const struct pl_ctx *ctx, const struct pl_revoked *r)
{
	struct pl_print p;

	if (!r->n)
		return;
	pl_print_init(&p, stdout, ctx->json);
	pl_open_object(&p, NULL);
	pl_print_uint(&p, PL_ANY, "revoked", "%u flows reset", r->n);
	pl_close_object(&p);
	pl_print_nl(&p, PL_ANY);
}

const struct pl_name pl_acceptances[2] = {
	{ "required",	PLINK_ACCEPTANCE_REQUIRED },
	{ "auto",	PLINK_ACCEPTANCE_AUTO },
};

const struct pl_name pl_healths[6] = {
	{ "initial",	PLINK_HEALTH_INITIAL },
	{ "healthy",	PLINK_HEALTH_HEALTHY },
	{ "unhealthy",	PLINK_HEALTH_UNHEALTHY },
	{ "draining",	PLINK_HEALTH_DRAINING },
	{ "up",		PLINK_HEALTH_HEALTHY },
	{ "down",	PLINK_HEALTH_UNHEALTHY },
};

/* The health a target shows (pl_healths: what a request sets). */
const struct pl_name pl_health_shown[5] = {
	{ "initial",	PLINK_HEALTH_INITIAL },
	{ "healthy",	PLINK_HEALTH_HEALTHY },
	{ "unhealthy",	PLINK_HEALTH_UNHEALTHY },
	{ "draining",	PLINK_HEALTH_DRAINING },
	{ "unused",	PLINK_HEALTH_UNUSED },
};

const struct pl_name pl_health_reasons[9] = {
	{ "none",			PLINK_HEALTH_REASON_NONE },
	{ "initial-checking",		PLINK_HEALTH_REASON_INITIAL_CHECKING },
	{ "timeout",			PLINK_HEALTH_REASON_TIMEOUT },
	{ "connection-refused",		PLINK_HEALTH_REASON_CONNECTION_REFUSED },
	{ "response-code-mismatch",
	  PLINK_HEALTH_REASON_RESPONSE_CODE_MISMATCH },
	{ "failed-checks",		PLINK_HEALTH_REASON_FAILED_CHECKS },
	{ "deregistration",		PLINK_HEALTH_REASON_DEREGISTRATION },
	{ "no-health-check",		PLINK_HEALTH_REASON_NO_HEALTH_CHECK },
	{ "manual",			PLINK_HEALTH_REASON_MANUAL },
};

const struct pl_name pl_hc_types[3] = {
	{ "off",	PLINK_HEALTH_CHECK_TYPE_OFF },
	{ "tcp",	PLINK_HEALTH_CHECK_TYPE_TCP },
	{ "http",	PLINK_HEALTH_CHECK_TYPE_HTTP },
};

const struct pl_name pl_endpoint_states[5] = {
	{ "pending-acceptance",	PLINK_ENDPOINT_STATE_PENDING_ACCEPTANCE },
	{ "available",		PLINK_ENDPOINT_STATE_AVAILABLE },
	{ "rejected",		PLINK_ENDPOINT_STATE_REJECTED },
	{ "deleted",		PLINK_ENDPOINT_STATE_DELETED },
	{ "pending-service",	PLINK_ENDPOINT_STATE_PENDING_SERVICE },
};

const struct pl_name pl_service_states[1] = {
	{ "available",	PLINK_SERVICE_STATE_AVAILABLE },
};

const struct pl_name pl_onoff[2] = {
	{ "on",		1 },
	{ "off",	0 },
};

int pl_name_parse(const char *what, const struct pl_name *names, size_t n,
		  const char *word, unsigned int *value)
{
	char list[128] = "";
	size_t i, len = 0;

	for (i = 0; i < n; i++) {
		if (!strcmp(names[i].name, word)) {
			*value = names[i].value;
			return 0;
		}
	}
	for (i = 0; i < n && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
					i ? ", " : "", names[i].name);
	pl_err("invalid %s \"%s\" (%s)", what, word, list);
	return -1;
}

const char *pl_name_of(const struct pl_name *names, size_t n,
		       unsigned int value, char *buf)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i].value == value)
			return names[i].name;
	snprintf(buf, PL_NAMELEN, "unknown(%u)", value);
	return buf;
}

int pl_show_key(struct pl_ctx *ctx, unsigned char cmd, unsigned short key,
		mnl_cb_t cb, int argc, char **argv)
{
	const char *word = argc ? argv[0] : NULL;
	struct plnl_msg m;
	struct plnl nl;
	int ret;

	if (pl_args_max(argc, argv, 1))
		return PL_EXIT_USAGE;
	ret = pl_open(ctx, &nl);
	if (ret)
		return ret;

	m = plnl_msg_req(&nl, cmd, word ? 0 : NLM_F_DUMP);
	if (word)
		plnl_put_strz(&m, key, word);
	return pl_show(ctx, &nl, &m, cb, word);
}

int pl_show(struct pl_ctx *ctx, struct plnl *nl, struct plnl_msg *req,
	    mnl_cb_t cb, const void *priv)
{
	struct pl_show s = { .ctx = ctx, .priv = priv };
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	int ret;

	out = open_memstream(&text, &len);
	if (!out) {
		pl_err("%s", strerror(errno));
		plnl_close(nl);
		return PL_EXIT_USAGE;
	}
	pl_print_init(&s.p, out, ctx->json);

	pl_open_array(&s.p, NULL);
	ret = pl_request(nl, req, cb, &s);
	pl_close_array(&s.p);
	pl_print_nl(&s.p, PL_JSON);
	plnl_close(nl);

	if (fclose(out) && !ret) {
		pl_err("%s", strerror(errno));
		ret = PL_EXIT_USAGE;
	}
	if (!ret)
		fwrite(text, 1, len, stdout);
	free(text);
	return ret;
}

/* Whether to print @attr; if not, the text's "-" is printed. */
static bool pl_attr_or_dash(struct pl_print *p, unsigned int kind,
			    const char *fmt, const struct nlattr *attr)
{
	if (!attr && (kind & PL_DASH))
		pl_print_string(p, kind & PL_TEXT, NULL, fmt, "-");
	return attr;
}

void pl_print_attr_str(struct pl_print *p, unsigned int kind,
		       const char *key, const char *fmt,
		       const struct nlattr *attr)
{
	if (pl_attr_or_dash(p, kind, fmt, attr))
		pl_print_string(p, kind & PL_ANY, key, fmt,
				mnl_attr_get_str(attr));
}

void pl_print_attr_u32(struct pl_print *p, unsigned int kind,
		       const char *key, const char *fmt,
		       const struct nlattr *attr)
{
	if (attr)
		pl_print_uint(p, kind & PL_ANY, key, fmt,
			      mnl_attr_get_u32(attr));
}

void pl_print_attr_u64(struct pl_print *p, unsigned int kind,
		       const char *key, const char *fmt,
		       const struct nlattr *attr)
{
	if (attr)
		pl_print_u64(p, kind & PL_ANY, key, fmt,
			     (unsigned long long)mnl_attr_get_u64(attr));
}

void pl_print_attr_on_off(struct pl_print *p, unsigned int kind,
			  const char *key, const char *fmt,
			  const struct nlattr *attr)
{
	if (attr)
		pl_print_on_off(p, kind & PL_ANY, key, fmt,
				mnl_attr_get_u8(attr));
}

void pl_print_attr_name(struct pl_print *p, unsigned int kind,
			const char *key, const char *fmt,
			const struct nlattr *attr,
			const struct pl_name *names, size_t n)
{
	char buf[PL_NAMELEN];

	if (pl_attr_or_dash(p, kind, fmt, attr))
		pl_print_string(p, kind & PL_ANY, key, fmt,
				pl_name_of(names, n, mnl_attr_get_u32(attr),
					   buf));
}

void pl_print_attr_dev(struct pl_print *p, unsigned int kind,
		       const char *fmt, const struct nlattr *attr)
{
	char name[IF_NAMESIZE];
	unsigned int ifindex;
	bool named;

	if (!pl_attr_or_dash(p, kind, fmt, attr))
		return;
	ifindex = mnl_attr_get_u32(attr);
	named = if_indextoname(ifindex, name);
	pl_print_uint(p, kind & PL_JSON, "ifindex", NULL, ifindex);
	if (named)
		pl_print_string(p, kind & PL_JSON, "dev", NULL, name);
	if (!named)
		snprintf(name, sizeof(name), "%u", ifindex);
	pl_print_string(p, kind & PL_TEXT, NULL, fmt, name);
}

void pl_print_addrs(struct pl_print *p, enum pl_kind kind, const char *key,
		    const char *fmt, const struct nlmsghdr *nlh,
		    unsigned int type)
{
	const struct nlattr *attr;
	char buf[PL_ADDRSTRLEN];

	if (kind & PL_JSON)
		pl_open_array(p, key);
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) == type)
			pl_print_string(p, kind, NULL, fmt,
					pl_addr_fmt(mnl_attr_get_payload(attr),
						    mnl_attr_get_payload_len(attr),
						    buf));
	}
	if (kind & PL_JSON)
		pl_close_array(p);
}

void pl_event_begin(struct pl_print *p, bool json, const char *name)
{
	pl_print_init(p, stdout, json);
	pl_open_object(p, NULL);
	pl_print_string(p, PL_ANY, "event", "%s ", name);
}

void pl_event_end(struct pl_print *p)
{
	pl_close_object(p);
	pl_print_nl(p, PL_ANY);
}
