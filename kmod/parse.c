// SPDX-License-Identifier: GPL-2.0
/*
 * What requests say, parsed and checked: addresses, service names and
 * references, principals, security-group rules.  No locks, no skbs: KUnit
 * tests them directly (kmod/tests/registry_test.c).
 */

#include <linux/ctype.h>
#include <linux/in.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/ipv6.h>

#include "plink.h"

/* An address attribute: exactly 4 bytes (IPv4) or 16 (IPv6). */
int plink_addr_from_bytes(struct plink_addr *addr, const void *data, int len)
{
	memset(addr, 0, sizeof(*addr));
	switch (len) {
	case 4:
		memcpy(&addr->ip, data, 4);
		addr->family = AF_INET;
		return 0;
	case 16:
		memcpy(&addr->in6, data, 16);
		addr->family = AF_INET6;
		return 0;
	}
	return -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(plink_addr_from_bytes);

bool plink_addr_equal(const struct plink_addr *a, const struct plink_addr *b)
{
	return a->family == b->family && nf_inet_addr_cmp(&a->inet, &b->inet);
}
EXPORT_SYMBOL_IF_KUNIT(plink_addr_equal);

/* Service names: 1-63 of [A-Za-z0-9._-], starting with a letter or digit. */
bool plink_name_valid(const char *name)
{
	size_t i, len = strnlen(name, PLINK_NAME_LEN);

	if (!len || len >= PLINK_NAME_LEN || !isalnum(name[0]))
		return false;
	for (i = 0; i < len; i++) {
		if (!isalnum(name[i]) && !strchr("._-", name[i]))
			return false;
	}
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(plink_name_valid);

/*
 * How a request names a service: "plsvc-ID" (its generated id),
 * "uid:N/NAME" (owner N's NAME) or a bare "NAME".  Only the form is checked
 * here: whether such a service exists, and whether the caller may see it,
 * is the registry's business.
 */
int plink_svc_ref_parse(struct plink_svc_ref *ref, const char *s)
{
	const char *slash;
	char uid[11];
	size_t len;

	memset(ref, 0, sizeof(*ref));
	if (!strncmp(s, PLINK_SVC_ID_PREFIX, strlen(PLINK_SVC_ID_PREFIX))) {
		if (strscpy(ref->name, s, PLINK_ID_LEN) < 0)
			return -EINVAL;
		ref->kind = PLINK_SVC_REF_ID;
		return 0;
	}
	if (!strncmp(s, "uid:", 4)) {
		slash = strchr(s, '/');
		if (!slash)
			return -EINVAL;
		len = slash - (s + 4);
		if (!len || len >= sizeof(uid) || !isdigit(s[4]))
			return -EINVAL;
		memcpy(uid, s + 4, len);
		uid[len] = '\0';
		if (kstrtou32(uid, 10, &ref->uid))
			return -EINVAL;
		s = slash + 1;
		ref->kind = PLINK_SVC_REF_OWNER;
	} else {
		ref->kind = PLINK_SVC_REF_NAME;
	}
	if (!plink_name_valid(s))
		return -EINVAL;
	strscpy(ref->name, s, sizeof(ref->name));
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(plink_svc_ref_parse);

int plink_principal_parse(struct plink_principal *p, const char *s)
{
	memset(p, 0, sizeof(*p));
	if (!strcmp(s, "*")) {
		p->any = true;
		return 0;
	}
	if (strncmp(s, "uid:", 4) || !isdigit(s[4]))
		return -EINVAL;
	return kstrtou32(s + 4, 10, &p->uid);
}
EXPORT_SYMBOL_IF_KUNIT(plink_principal_parse);

bool plink_principal_allows(const struct plink_principal *set, unsigned int n,
			    u32 uid)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (set[i].any || set[i].uid == uid)
			return true;
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(plink_principal_allows);

/*
 * A rule's prefix length fits its family, its address has no bits past the
 * prefix, its protocol is TCP, UDP or none, and ports come with a protocol
 * and form a range.
 */
int plink_rule_check(const struct plink_rule *rule, const char **why)
{
	unsigned int max = rule->prefix.family == AF_INET ? 32 : 128;
	const u8 *bytes = rule->prefix.in6.s6_addr;
	unsigned int i;

	if (rule->prefix_len > max) {
		*why = "prefix length exceeds the address family's";
		return -EINVAL;
	}
	for (i = rule->prefix_len; i < max; i++) {
		if (bytes[i / 8] & (0x80 >> (i % 8))) {
			*why = "prefix has host bits set";
			return -EINVAL;
		}
	}
	if (rule->proto && rule->proto != IPPROTO_TCP &&
	    rule->proto != IPPROTO_UDP) {
		*why = "rule protocol must be tcp or udp";
		return -EINVAL;
	}
	if (!rule->proto && (rule->port_min || rule->port_max)) {
		*why = "rule ports need a protocol";
		return -EINVAL;
	}
	if (rule->proto && (!rule->port_min || rule->port_max < rule->port_min)) {
		*why = "rule port range is empty";
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(plink_rule_check);

/*
 * A DNS name: labels of 1-63 letters, digits and '-' (not at either end),
 * joined by '.', 253 characters at most; a final '.' is not part of it.
 */
bool plink_dns_name_valid(const char *name)
{
	size_t len = strlen(name), label = 0, i;

	if (!len || len > PLINK_DNS_NAME_LEN - 1)
		return false;
	for (i = 0; i < len; i++) {
		if (name[i] == '.') {
			if (!label || name[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!isalnum(name[i]) && name[i] != '-')
			return false;
		if (name[i] == '-' && !label)
			return false;
		if (++label > 63)
			return false;
	}
	return label && name[len - 1] != '-';
}

/* Whether rule @r lets in a packet from @saddr to port @dport. */
static bool plink_rule_allows(const struct plink_rule *r, u8 family,
			      const union nf_inet_addr *saddr, u8 proto,
			      __be16 dport)
{
	u16 port = ntohs(dport);

	if (r->prefix.family != family)
		return false;
	if (family == AF_INET) {
		if (r->prefix_len &&
		    (saddr->ip ^ r->prefix.ip) &
		    htonl(~0U << (32 - r->prefix_len)))
			return false;
	} else if (!ipv6_prefix_equal(&saddr->in6, &r->prefix.in6,
				      r->prefix_len)) {
		return false;
	}
	if (!r->proto)
		return true;
	return r->proto == proto &&
	       (!r->port_min || (port >= r->port_min && port <= r->port_max));
}

/**
 * plink_sg_allows() - whether a security group lets a packet in
 * @sg: the security group, NULL for none
 * @family: the packet's address family
 * @saddr: its source (the client)
 * @proto: its protocol
 * @dport: its destination port (the listener's)
 *
 * No rules allow everything, else one rule must.  The datapath asks for
 * each new packet; revocation asks for each live flow.
 */
bool plink_sg_allows(const struct plink_sg *sg, u8 family,
		     const union nf_inet_addr *saddr, u8 proto, __be16 dport)
{
	unsigned int i;

	if (!sg || !sg->n)
		return true;
	for (i = 0; i < sg->n; i++) {
		if (plink_rule_allows(&sg->rules[i], family, saddr, proto,
				      dport))
			return true;
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(plink_sg_allows);
