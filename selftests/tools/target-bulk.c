// SPDX-License-Identifier: GPL-2.0
/*
 * target-bulk SERVICE A.B.C.D N: add N targets A.B.C.D, A.B.C.D+1, ... to
 * SERVICE of the caller's netns, over one genetlink socket (a plinkctl
 * process per target costs the test VM minutes under TCG).  Exit status 0
 * when every target was added, else 1 with the kernel's error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/plink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct req {
	struct nlmsghdr n;
	struct genlmsghdr g;
	char buf[256];
};

static void put_attr(struct req *r, unsigned short type, const void *data,
		     unsigned short len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->n.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->n.nlmsg_len = NLMSG_ALIGN(r->n.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

/* Send @r and read its answer into @ans; returns the error of the ack. */
static int talk(int fd, struct req *r, char *ans, size_t size)
{
	struct nlmsghdr *h = (struct nlmsghdr *)ans;
	ssize_t len;

	if (send(fd, r, r->n.nlmsg_len, 0) < 0)
		return -errno;
	len = recv(fd, ans, size, 0);
	if (len < 0)
		return -errno;
	if (!NLMSG_OK(h, (size_t)len))
		return -EPROTO;
	if (h->nlmsg_type == NLMSG_ERROR)
		return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
	return 0;
}

static int family_id(int fd)
{
	struct req r = {
		.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN),
		.n.nlmsg_type = GENL_ID_CTRL,
		.n.nlmsg_flags = NLM_F_REQUEST,
		.g.cmd = CTRL_CMD_GETFAMILY,
		.g.version = 1,
	};
	char ans[8192];
	struct nlmsghdr *h = (struct nlmsghdr *)ans;
	struct nlattr *a;
	int len;

	put_attr(&r, CTRL_ATTR_FAMILY_NAME, PLINK_FAMILY_NAME,
		 sizeof(PLINK_FAMILY_NAME));
	if (talk(fd, &r, ans, sizeof(ans)) || h->nlmsg_type == NLMSG_ERROR)
		return -1;
	len = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN) {
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			return *(unsigned short *)((char *)a + NLA_HDRLEN);
		len -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct in_addr base;
	char ans[8192];
	int fd, fam, err;
	long i, n;

	n = argc == 4 ? strtol(argv[3], NULL, 10) : 0;
	if (n <= 0 || inet_pton(AF_INET, argv[2], &base) != 1) {
		fprintf(stderr, "usage: target-bulk SERVICE A.B.C.D N\n");
		return 2;
	}
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("target-bulk: netlink");
		return 1;
	}
	fam = family_id(fd);
	if (fam < 0) {
		fprintf(stderr, "target-bulk: no plink family\n");
		return 1;
	}
	for (i = 0; i < n; i++) {
		struct req r = {
			.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN),
			.n.nlmsg_type = fam,
			.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
			.n.nlmsg_seq = i + 1,
			.g.cmd = PLINK_CMD_TARGET_ADD,
			.g.version = PLINK_FAMILY_VERSION,
		};
		struct in_addr a = { htonl(ntohl(base.s_addr) + i) };

		put_attr(&r, PLINK_A_TARGET_SERVICE, argv[1],
			 strlen(argv[1]) + 1);
		put_attr(&r, PLINK_A_TARGET_ADDR, &a, sizeof(a));
		err = talk(fd, &r, ans, sizeof(ans));
		if (err) {
			fprintf(stderr, "target-bulk: target %s: %s\n",
				inet_ntoa(a), strerror(-err));
			return 1;
		}
	}
	close(fd);
	return 0;
}
