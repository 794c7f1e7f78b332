// SPDX-License-Identifier: GPL-2.0
/*
 * Private DNS names: a service may have a DNS name (dns-name FQDN), and an
 * endpoint with private-dns on (the default) maps it to its addresses.
 * For a named netns (-n NETNS), plinkctl keeps /etc/netns/NETNS/hosts, the
 * file "ip netns exec" puts over /etc/hosts, in step: one line per endpoint
 * address,
 *
 *	ADDR	FQDN	# plink plep-ID uid:N/SERVICE
 *
 * added by "endpoint add", removed by "endpoint del" and, in every
 * /etc/netns/ * /hosts, by "service del"; other lines are left as they
 * are, and the file is replaced atomically (a new file, renamed over it).
 * A missing file starts as a copy of /etc/hosts.  "plinkctl dns show"
 * prints the entries of any netns, from the kernel.  "service set NAME
 * dns-name" renames the service's lines in every /etc/netns/ * /hosts (or
 * removes them); the provider's plinkctl cannot know the addresses of
 * endpoints that have no line yet (added while the service had no name,
 * or restored before it): "plinkctl -n NETNS dns sync" in their netns
 * makes its plink lines again from the kernel.
 *
 *	plinkctl [-n NETNS] dns [show]
 *	plinkctl -n NETNS dns sync
 */

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/plink.h>

#include "addr.h"
#include "plinkctl.h"

#define DNS_NETNS_DIR	"/etc/netns"
#define DNS_TAG		"# plink "

/* A service's name, owner and DNS name, as service-get tells. */
struct dns_service {
	char name[80];
	unsigned int owner;
	char fqdn[256];
};

static const struct nlattr *dns_attr(const struct nlmsghdr *nlh,
				     unsigned int type)
{
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(attr) == type)
			return attr;
	return NULL;
}

static int dns_service_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *name = dns_attr(nlh, PLINK_A_SERVICE_NAME);
	const struct nlattr *owner = dns_attr(nlh, PLINK_A_SERVICE_OWNER_UID);
	const struct nlattr *fqdn = dns_attr(nlh, PLINK_A_SERVICE_DNS_NAME);
	struct dns_service *s = data;

	if (name)
		snprintf(s->name, sizeof(s->name), "%s", mnl_attr_get_str(name));
	if (owner)
		s->owner = mnl_attr_get_u32(owner);
	if (fqdn)
		snprintf(s->fqdn, sizeof(s->fqdn), "%s", mnl_attr_get_str(fqdn));
	return MNL_CB_OK;
}

/* Service @ref's name, owner and DNS name, quietly (empty if none). */
static void dns_service_get(struct plnl *nl, const char *ref,
			    struct dns_service *s)
{
	struct plnl_msg m = plnl_msg_req(nl, PLINK_CMD_SERVICE_GET, 0);

	memset(s, 0, sizeof(*s));
	plnl_put_strz(&m, PLINK_A_SERVICE_NAME, ref);
	if (m.full)
		return;
	nl->quiet = true;
	if (plnl_run(nl, m.nlh, dns_service_cb, s))
		memset(s, 0, sizeof(*s));
	nl->quiet = false;
}

/* Whether hosts line @line is one of plink's with tag @tag at its end. */
static bool dns_line_is(const char *line, const char *tag)
{
	const char *t = strstr(line, DNS_TAG);
	size_t len = strlen(tag), l;

	if (!t)
		return false;
	t += strlen(DNS_TAG);
	l = strcspn(t, "\n");
	/* "plep-ID uid:N/NAME": the id, or the service reference. */
	if (!strncmp(t, tag, len) && (t[len] == ' ' || t[len] == '\n' || !t[len]))
		return true;
	return l > len && t[l - len - 1] == ' ' && !strncmp(t + l - len, tag, len);
}

/*
 * Rewrite hosts file @path atomically: plink's lines tagged @tag (NULL:
 * all of plink's lines) with their name replaced by @rename, or without
 * them if @rename is NULL or empty, then @add (NULL: nothing).  A missing
 * file is left missing if there is nothing to add, else starts as a copy
 * of /etc/hosts.
 */
static int dns_hosts_rewrite(const char *path, const char *tag,
			     const char *rename_to, const char *add)
{
	char tmp[PATH_MAX], *line = NULL;
	FILE *in, *out;
	size_t cap = 0;
	bool changed = false;
	int fd;

	in = fopen(path, "re");
	if (!in && errno == ENOENT) {
		if (!add)
			return 0;
		in = fopen("/etc/hosts", "re");
		changed = true;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.plinkXXXXXX", path) >= (int)sizeof(tmp))
		goto err;
	fd = mkstemp(tmp);
	if (fd < 0)
		goto err;
	fchmod(fd, 0644);
	out = fdopen(fd, "w");
	if (!out) {
		close(fd);
		unlink(tmp);
		goto err;
	}
	while (in && getline(&line, &cap, in) >= 0) {
		if (tag ? !dns_line_is(line, tag) : !strstr(line, DNS_TAG)) {
			fputs(line, out);
			continue;
		}
		changed = true;
		/* "ADDR<tab>FQDN<tab># plink ...": a new FQDN. */
		if (rename_to && *rename_to)
			fprintf(out, "%.*s\t%s\t%s", (int)strcspn(line, " \t"),
				line, rename_to, strstr(line, DNS_TAG));
	}
	free(line);
	if (in)
		fclose(in);
	if (add) {
		fputs(add, out);
		changed = true;
	}
	if (fflush(out) || fsync(fileno(out)) || ferror(out)) {
		fclose(out);
		unlink(tmp);
		goto err;
	}
	fclose(out);
	if (!changed) {
		unlink(tmp);
		return 0;
	}
	if (rename(tmp, path)) {
		unlink(tmp);
		goto err;
	}
	return 0;
err:
	pl_err("cannot update %s: %s", path, strerror(errno));
	return PL_EXIT_USAGE;
}

static int dns_hosts_edit(const char *path, const char *tag, const char *add)
{
	return dns_hosts_rewrite(path, tag, NULL, add);
}

/* /etc/netns/NETNS/hosts of -n NETNS in @path; false without -n. */
static bool dns_hosts_path(const struct pl_ctx *ctx, char *path, size_t len)
{
	if (!ctx->netns)
		return false;
	snprintf(path, len, "%s/%s/hosts", DNS_NETNS_DIR, ctx->netns);
	return true;
}

int pl_dns_endpoint_added(struct pl_ctx *ctx, struct plnl *nl,
			  const char *id, const char *service,
			  bool private_dns, const struct pl_addr *addrs,
			  size_t n)
{
	char path[PATH_MAX], dir[PATH_MAX], buf[PL_ADDRSTRLEN];
	struct dns_service s;
	char *add = NULL;
	size_t len = 0, i;
	FILE *out;
	int ret;

	if (!private_dns || !dns_hosts_path(ctx, path, sizeof(path)))
		return PL_EXIT_OK;
	dns_service_get(nl, service, &s);
	if (!s.fqdn[0])
		return PL_EXIT_OK;
	out = open_memstream(&add, &len);
	if (!out)
		return PL_EXIT_USAGE;
	for (i = 0; i < n; i++)
		fprintf(out, "%s\t%s\t%s%s uid:%u/%s\n",
			pl_addr_fmt(addrs[i].bytes, addrs[i].len, buf), s.fqdn,
			DNS_TAG, id, s.owner, s.name);
	fclose(out);
	snprintf(dir, sizeof(dir), "%s/%s", DNS_NETNS_DIR, ctx->netns);
	mkdir(DNS_NETNS_DIR, 0755);
	mkdir(dir, 0755);
	ret = dns_hosts_edit(path, id, add);
	free(add);
	return ret;
}

int pl_dns_endpoint_deleted(struct pl_ctx *ctx, const char *id)
{
	char path[PATH_MAX];

	if (!dns_hosts_path(ctx, path, sizeof(path)))
		return PL_EXIT_OK;
	return dns_hosts_edit(path, id, NULL);
}

void pl_dns_service_ref(struct plnl *nl, const char *name, char *ref,
			size_t len)
{
	struct dns_service s;

	dns_service_get(nl, name, &s);
	if (s.name[0] && s.fqdn[0])
		snprintf(ref, len, "uid:%u/%s", s.owner, s.name);
	else
		*ref = '\0';
}

int pl_dns_service_deleted(const char *ref)
{
	int ret = PL_EXIT_OK;
	glob_t g;
	size_t i;

	if (!*ref || glob(DNS_NETNS_DIR "/*/hosts", 0, NULL, &g))
		return PL_EXIT_OK;
	for (i = 0; i < g.gl_pathc; i++)
		if (dns_hosts_edit(g.gl_pathv[i], ref, NULL))
			ret = PL_EXIT_USAGE;
	globfree(&g);
	return ret;
}

/*
 * After "service set NAME dns-name ...": in every /etc/netns/ * /hosts, the
 * lines of that service get its new name, or go if it has none now.
 * Endpoints that had no line (their service had no name when they were
 * added, or they were restored before it) get theirs with "dns sync".
 */
int pl_dns_service_changed(struct plnl *nl, const char *name)
{
	char ref[128];
	struct dns_service s;
	int ret = PL_EXIT_OK;
	glob_t g;
	size_t i;

	dns_service_get(nl, name, &s);
	if (!s.name[0] || glob(DNS_NETNS_DIR "/*/hosts", 0, NULL, &g))
		return PL_EXIT_OK;
	snprintf(ref, sizeof(ref), "uid:%u/%s", s.owner, s.name);
	for (i = 0; i < g.gl_pathc; i++)
		if (dns_hosts_rewrite(g.gl_pathv[i], ref, s.fqdn, NULL))
			ret = PL_EXIT_USAGE;
	globfree(&g);
	return ret;
}

/* dns show: the netns's endpoints, then each one's service's name. */
struct dns_ep {
	char id[32];
	char ref[96];
	struct pl_addr addrs[16];
	size_t naddrs;
};

struct dns_eps {
	struct dns_ep *v;
	size_t n;
};

static int dns_endpoint_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *id = dns_attr(nlh, PLINK_A_ENDPOINT_ID);
	const struct nlattr *svc = dns_attr(nlh, PLINK_A_ENDPOINT_SERVICE);
	const struct nlattr *owner = dns_attr(nlh, PLINK_A_ENDPOINT_SERVICE_OWNER);
	const struct nlattr *pdns = dns_attr(nlh, PLINK_A_ENDPOINT_PRIVATE_DNS);
	const struct nlattr *attr;
	struct dns_eps *e = data;
	struct dns_ep *ep, *v;
	size_t len;

	/* This netns's endpoints (the consumer's view), with private DNS. */
	if (!id || !svc || !owner || !pdns || !mnl_attr_get_u8(pdns))
		return MNL_CB_OK;
	v = realloc(e->v, (e->n + 1) * sizeof(*v));
	if (!v) {
		pl_err("%s", strerror(errno));
		return MNL_CB_ERROR;
	}
	e->v = v;
	ep = &v[e->n++];
	memset(ep, 0, sizeof(*ep));
	snprintf(ep->id, sizeof(ep->id), "%s", mnl_attr_get_str(id));
	snprintf(ep->ref, sizeof(ep->ref), "uid:%u/%s",
		 mnl_attr_get_u32(owner), mnl_attr_get_str(svc));
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		len = mnl_attr_get_payload_len(attr);
		if (mnl_attr_get_type(attr) != PLINK_A_ENDPOINT_ADDR ||
		    (len != 4 && len != 16) ||
		    ep->naddrs == ARRAY_SIZE(ep->addrs))
			continue;
		pl_addr_set(&ep->addrs[ep->naddrs++],
			    mnl_attr_get_payload(attr), len);
	}
	return MNL_CB_OK;
}

/* plinkctl [-n NETNS] dns show: ADDR  FQDN  ENDPOINT, a line each. */
static int dns_show(struct pl_ctx *ctx, int argc, char **argv)
{
	struct dns_eps e = { 0 };
	char buf[PL_ADDRSTRLEN];
	struct dns_service s;
	struct plnl_msg m;
	struct plnl nl;
	size_t i, j;
	int ret;

	if (pl_args_max(argc, argv, 0))
		return PL_EXIT_USAGE;
	ret = pl_open(ctx, &nl);
	if (ret)
		return ret;
	m = plnl_msg_req(&nl, PLINK_CMD_ENDPOINT_GET, NLM_F_DUMP);
	ret = pl_request(&nl, &m, dns_endpoint_cb, &e);
	for (i = 0; !ret && i < e.n; i++) {
		dns_service_get(&nl, e.v[i].ref, &s);
		if (!s.fqdn[0])
			continue;
		for (j = 0; j < e.v[i].naddrs; j++)
			printf("%s\t%s\t%s\n",
			       pl_addr_fmt(e.v[i].addrs[j].bytes,
					   e.v[i].addrs[j].len, buf),
			       s.fqdn, e.v[i].id);
	}
	plnl_close(&nl);
	free(e.v);
	return ret;
}

/*
 * plinkctl -n NETNS dns sync: plink's lines of /etc/netns/NETNS/hosts made
 * again from the kernel (what "dns show" prints), the other lines kept.
 */
static int dns_sync(struct pl_ctx *ctx, int argc, char **argv)
{
	char path[PATH_MAX], dir[PATH_MAX], buf[PL_ADDRSTRLEN];
	struct dns_eps e = { 0 };
	struct dns_service s;
	struct plnl_msg m;
	char *add = NULL;
	struct plnl nl;
	size_t len = 0, i, j;
	FILE *out;
	int ret;

	if (pl_args_max(argc, argv, 0))
		return PL_EXIT_USAGE;
	if (!dns_hosts_path(ctx, path, sizeof(path))) {
		pl_err("dns sync needs -n NETNS: it keeps /etc/netns/NETNS/hosts");
		return PL_EXIT_USAGE;
	}
	ret = pl_open(ctx, &nl);
	if (ret)
		return ret;
	out = open_memstream(&add, &len);
	if (!out) {
		plnl_close(&nl);
		return PL_EXIT_USAGE;
	}
	m = plnl_msg_req(&nl, PLINK_CMD_ENDPOINT_GET, NLM_F_DUMP);
	ret = pl_request(&nl, &m, dns_endpoint_cb, &e);
	for (i = 0; !ret && i < e.n; i++) {
		dns_service_get(&nl, e.v[i].ref, &s);
		if (!s.fqdn[0])
			continue;
		for (j = 0; j < e.v[i].naddrs; j++)
			fprintf(out, "%s\t%s\t%s%s uid:%u/%s\n",
				pl_addr_fmt(e.v[i].addrs[j].bytes,
					    e.v[i].addrs[j].len, buf),
				s.fqdn, DNS_TAG, e.v[i].id, s.owner, s.name);
	}
	fclose(out);
	plnl_close(&nl);
	free(e.v);
	if (!ret) {
		snprintf(dir, sizeof(dir), "%s/%s", DNS_NETNS_DIR, ctx->netns);
		if (len) {
			mkdir(DNS_NETNS_DIR, 0755);
			mkdir(dir, 0755);
		}
		ret = dns_hosts_rewrite(path, NULL, NULL, len ? add : NULL);
	}
	free(add);
	return ret;
}

static const struct pl_cmd dns_cmds[] = {
	{ .name = "sync",	.fn = dns_sync },
	{ .name = "show",	.fn = dns_show },
	{ .name = "list",	.fn = dns_show },
	{ .name = "help",	.usage = dns_usage },
};

void dns_usage(FILE *out)
{
	fputs("  plinkctl [-n NETNS] dns [{ show | list }]\n", out);
	fputs("  plinkctl -n NETNS dns sync\n", out);
}

int do_dns(struct pl_ctx *ctx, int argc, char **argv)
{
	return pl_dispatch(ctx, "dns", dns_cmds, ARRAY_SIZE(dns_cmds), "show",
			   argc, argv);
}
