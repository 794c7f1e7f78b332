// SPDX-License-Identifier: GPL-2.0
/*
 * bnet: the traffic programs of plink's benchmarks, one static binary.
 * Time is the guest's CLOCK_MONOTONIC: under QEMU -icount it counts
 * instructions, so rates are deterministic.
 *
 * ADDR and DST are IPv4 or IPv6 (udpecho, udpprobe and spray: IPv4 only).
 *
 *   bnet udpsink ADDR PORT              read and count datagrams, forever
 *   bnet udpflood DST PORT SIZE SECS    send SIZE-byte datagrams for SECS;
 *                                       prints packets sent
 *   bnet tcpsrv ADDR PORT               accept and close at once, forever
 *   bnet tcpsrvpp ADDR PORT             the same, after reading what has
 *                                       come (a PROXY protocol header):
 *                                       closing with it unread sends a RST
 *   bnet tcpsink ADDR PORT              accept and read to the end, forever
 *   bnet tcpsend DST PORT SECS          one connection, send for SECS;
 *                                       prints Gbit/s
 *   bnet connrate DST PORT CLIENTS SECS CLIENTS processes connect, wait for
 *                                       the server's close, close; prints
 *                                       connections completed per second
 *   bnet udpecho PORT                   answer each datagram with the
 *                                       address it was sent to
 *   bnet udpprobe DST PORT SPORT0 N     N flows from source ports SPORT0..:
 *                                       one request each, prints the answers
 *   bnet spray SRCNET DST PORT N        N UDP datagrams from N distinct
 *                                       (source address, port) over a raw
 *                                       socket: N flows
 *   bnet tcpecho ADDR PORT              echo what each connection sends
 *                                       (epoll, one process), close on EOF
 *   bnet rr DST PORT SECS               TCP_RR: one connection, 1-byte
 *                                       request, 1-byte response, again;
 *                                       prints transactions per second
 *   bnet crr DST PORT CLIENTS SECS      TCP_CRR: CLIENTS processes connect,
 *                                       send 1 byte, read 1 byte, close;
 *                                       prints as connrate
 *   bnet udpreflect ADDR PORT           answer each datagram with itself
 *   bnet udprr DST PORT SECS            UDP request/response, 1 byte each
 *                                       way (a lost one waits 1 s); prints
 *                                       transactions per second, total, lost
 *   bnet hold DST PORT N SECS           open N connections, print how many
 *                                       opened, hold them SECS, close
 *   bnet bigtcp DEV SIZE                BIG TCP: DEV's GSO and GRO maximum
 *                                       sizes, IPv6 and IPv4, to SIZE (ip
 *                                       6.1 cannot set IPv4's)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* An IPv4 or IPv6 socket address, and its length. */
struct sa {
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} u;
	socklen_t len;
	int fam;
};

static struct sa sa_of(const char *addr, const char *port)
{
	struct sa s;

	memset(&s, 0, sizeof(s));
	if (strchr(addr, ':')) {
		s.fam = AF_INET6;
		s.len = sizeof(s.u.in6);
		s.u.in6.sin6_family = AF_INET6;
		s.u.in6.sin6_port = htons(atoi(port));
		if (inet_pton(AF_INET6, addr, &s.u.in6.sin6_addr) == 1)
			return s;
	} else {
		s.fam = AF_INET;
		s.len = sizeof(s.u.in);
		s.u.in.sin_family = AF_INET;
		s.u.in.sin_port = htons(atoi(port));
		if (inet_pton(AF_INET, addr, &s.u.in.sin_addr) == 1)
			return s;
	}
	fprintf(stderr, "bnet: bad address %s\n", addr);
	exit(2);
}

/* A socket of s's family, bound to s (and listening, for TCP). */
static int serve(const struct sa *s, int type, const char *what)
{
	int fd, one = 1;

	signal(SIGPIPE, SIG_IGN);
	fd = socket(s->fam, type, 0);
	if (fd < 0)
		die(what);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, &s->u.sa, s->len) ||
	    (type == SOCK_STREAM && listen(fd, 4096)))
		die(what);
	return fd;
}

/* A socket of s's family, connected to s. */
static int dial(const struct sa *s, int type)
{
	int fd = socket(s->fam, type, 0);

	if (fd >= 0 && connect(fd, &s->u.sa, s->len)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* As many open files as the kernel lets root have. */
static void nofile(void)
{
	struct rlimit r = { 1 << 20, 1 << 20 };

	if (setrlimit(RLIMIT_NOFILE, &r) && !getrlimit(RLIMIT_NOFILE, &r)) {
		r.rlim_cur = r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
	}
}

static struct sockaddr_in sin_of(const char *addr, const char *port)
{
	struct sockaddr_in s = { .sin_family = AF_INET };

	s.sin_port = htons(atoi(port));
	if (inet_pton(AF_INET, addr, &s.sin_addr) != 1) {
		fprintf(stderr, "bnet: bad address %s\n", addr);
		exit(2);
	}
	return s;
}

static int udpsink(char **av)
{
	struct sa s = sa_of(av[0], av[1]);
	struct mmsghdr m[64];
	struct iovec iov[64];
	static char buf[64][2048];
	int fd, i, rcv = 4 << 20;

	fd = serve(&s, SOCK_DGRAM, "udpsink");
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	memset(m, 0, sizeof(m));
	for (i = 0; i < 64; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = sizeof(buf[i]);
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	for (;;)
		recvmmsg(fd, m, 64, 0, NULL);
	return 0;
}

static int udpflood(char **av)
{
	struct sa s = sa_of(av[0], av[1]);
	int size = atoi(av[2]), fd, i, n;
	double secs = atof(av[3]), end;
	static char buf[2048];
	struct mmsghdr m[64];
	struct iovec iov;
	unsigned long sent = 0;

	fd = dial(&s, SOCK_DGRAM);
	if (fd < 0)
		die("udpflood");
	iov.iov_base = buf;
	iov.iov_len = size;
	memset(m, 0, sizeof(m));
	for (i = 0; i < 64; i++) {
		m[i].msg_hdr.msg_iov = &iov;
		m[i].msg_hdr.msg_iovlen = 1;
	}
	end = now() + secs;
	while (now() < end) {
		n = sendmmsg(fd, m, 64, 0);
		if (n > 0)
			sent += n;
	}
	printf("%lu\n", sent);
	return 0;
}

static int tcpsrv(char **av)
{
	struct sa s = sa_of(av[0], av[1]);
	int fd = serve(&s, SOCK_STREAM, "tcpsrv"), c;

	for (;;) {
		c = accept(fd, NULL, NULL);
		if (c >= 0)
			close(c);
	}
	return 0;
}

static int tcpsrvpp(char **av)
{
	struct sa s = sa_of(av[0], av[1]);
	int fd = serve(&s, SOCK_STREAM, "tcpsrvpp"), c;
	char b[256];

	for (;;) {
		c = accept(fd, NULL, NULL);
		if (c < 0)
			continue;
		/* The header comes with the handshake: it is there by now. */
		if (recv(c, b, sizeof(b), MSG_DONTWAIT) < 0 && errno != EAGAIN)
			perror("tcpsrvpp: recv");
		close(c);
	}
	return 0;
}

static int tcpsink(char **av)
{
	struct sa s = sa_of(av[0], av[1]);
	int fd = serve(&s, SOCK_STREAM, "tcpsink"), c;
	static char b[65536];

	for (;;) {
		c = accept(fd, NULL, NULL);
		if (c < 0)
			continue;
		while (read(c, b, sizeof(b)) > 0)
			;
		close(c);
	}
	return 0;
}

static int tcpsend(char **av)
{
	struct sa s = sa_of(av[0], av[1]);
	double secs = atof(av[2]), start, t;
	static char b[65536];
	unsigned long sent = 0;
	ssize_t n;
	int fd;

	signal(SIGPIPE, SIG_IGN);
	fd = dial(&s, SOCK_STREAM);
	if (fd < 0)
		die("tcpsend");
	start = now();
	do {
		n = write(fd, b, sizeof(b));
		if (n <= 0)
			die("tcpsend: write");
		sent += n;
		t = now();
	} while (t < start + secs);
	close(fd);
	printf("%.4f\n", sent * 8 / (t - start) / 1e9);
	return 0;
}

/*
 * One connection: connrate's (connect, wait for the server's close, close)
 * or, with crr, TCP_CRR's (connect, 1-byte request, 1-byte response,
 * close).  1: it completed.
 */
static int conn_once(const struct sa *s, int crr)
{
	int fd = dial(s, SOCK_STREAM), ok;
	char b[16];

	if (fd < 0)
		return 0;
	if (crr)
		ok = write(fd, "q", 1) == 1 && read(fd, b, 1) == 1;
	else
		ok = read(fd, b, sizeof(b)) == 0;
	close(fd);
	return ok;
}

static int connrate_run(char **av, int crr)
{
	struct sa s = sa_of(av[0], av[1]);
	int clients = atoi(av[2]), i, p[2];
	double secs = atof(av[3]), start, end;
	unsigned long total = 0, fails = 0;

	if (pipe(p))
		die("pipe");
	start = now();
	end = start + secs;
	for (i = 0; i < clients; i++) {
		if (fork() == 0) {
			unsigned long r[2] = { 0, 0 };

			while (now() < end)
				r[!conn_once(&s, crr)]++;
			if (write(p[1], r, sizeof(r)) != sizeof(r))
				_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	for (i = 0; i < clients; i++) {
		unsigned long r[2];

		if (read(p[0], r, sizeof(r)) == sizeof(r)) {
			total += r[0];
			fails += r[1];
		}
	}
	while (wait(NULL) > 0)
		;
	printf("%.1f %lu %lu\n", total / (now() - start), total, fails);
	return 0;
}

static int connrate(char **av)
{
	return connrate_run(av, 0);
}

static int crr(char **av)
{
	return connrate_run(av, 1);
}

/* Read what a connection has and send it back; close it on EOF or error. */
static void echo_conn(int ep, int c)
{
	char b[4096];
	ssize_t n = read(c, b, sizeof(b));

	if (n > 0 && write(c, b, n) == n)
		return;
	if (n < 0 && errno == EAGAIN)
		return;
	epoll_ctl(ep, EPOLL_CTL_DEL, c, NULL);
	close(c);
}

static int tcpecho(char **av)
{
	struct sa s = sa_of(av[0], av[1]);
	struct epoll_event ev = { .events = EPOLLIN }, evs[64];
	int fd, ep, c, i, n, one = 1;

	nofile();
	fd = serve(&s, SOCK_STREAM, "tcpecho");
	ep = epoll_create1(0);
	ev.data.fd = fd;
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
		die("tcpecho: epoll");
	for (;;) {
		n = epoll_wait(ep, evs, 64, -1);
		for (i = 0; i < n; i++) {
			if (evs[i].data.fd != fd) {
				echo_conn(ep, evs[i].data.fd);
				continue;
			}
			c = accept4(fd, NULL, NULL, SOCK_NONBLOCK);
			if (c < 0)
				continue;
			setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
			ev.data.fd = c;
			if (epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev))
				close(c);
		}
	}
	return 0;
}

static int rr(char **av)
{
	struct sa s = sa_of(av[0], av[1]);
	double secs = atof(av[2]), start, t;
	unsigned long n = 0;
	int fd, one = 1;
	char b;

	signal(SIGPIPE, SIG_IGN);
	fd = dial(&s, SOCK_STREAM);
	if (fd < 0)
		die("rr: connect");
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	start = now();
	do {
		if (write(fd, "q", 1) != 1 || read(fd, &b, 1) != 1)
			die("rr");
		n++;
		t = now();
	} while (t < start + secs);
	close(fd);
	printf("%.1f %lu\n", n / (t - start), n);
	return 0;
}

static int udpreflect(char **av)
{
	struct sa s = sa_of(av[0], av[1]);
	struct sockaddr_storage peer;
	int fd = serve(&s, SOCK_DGRAM, "udpreflect");
	char b[2048];

	for (;;) {
		socklen_t pl = sizeof(peer);
		ssize_t n = recvfrom(fd, b, sizeof(b), 0, (void *)&peer, &pl);

		if (n >= 0)
			sendto(fd, b, n, 0, (void *)&peer, pl);
	}
	return 0;
}

static int udprr(char **av)
{
	struct sa s = sa_of(av[0], av[1]);
	double secs = atof(av[2]), start, t;
	struct timeval tv = { 1, 0 };
	unsigned long n = 0, lost = 0;
	int fd;
	char b;

	fd = dial(&s, SOCK_DGRAM);
	if (fd < 0)
		die("udprr");
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	start = now();
	do {
		if (send(fd, "q", 1, 0) == 1 && recv(fd, &b, 1, 0) == 1)
			n++;
		else
			lost++;
		t = now();
	} while (t < start + secs);
	printf("%.1f %lu %lu\n", n / (t - start), n, lost);
	return 0;
}

static int hold(char **av)
{
	struct sa s = sa_of(av[0], av[1]);
	long n = atol(av[2]), i, open = 0;
	double secs = atof(av[3]);
	struct timespec ts = { (time_t)secs, (secs - (time_t)secs) * 1e9 };
	int *fds;
	char b;

	nofile();
	fds = calloc(n, sizeof(*fds));
	if (!fds)
		die("hold");
	/* Each one answered once: the connection is established end to end. */
	for (i = 0; i < n; i++) {
		fds[i] = dial(&s, SOCK_STREAM);
		if (fds[i] >= 0 && write(fds[i], "q", 1) == 1 &&
		    read(fds[i], &b, 1) == 1)
			open++;
	}
	printf("%ld\n", open);
	fflush(stdout);
	nanosleep(&ts, NULL);
	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return 0;
}

static int udpecho(char **av)
{
	struct sockaddr_in s = { .sin_family = AF_INET }, peer;
	int fd, one = 1;
	char buf[256], ctl[256], addr[32];

	s.sin_port = htons(atoi(av[0]));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	if (fd < 0 || bind(fd, (void *)&s, sizeof(s)))
		die("udpecho");
	for (;;) {
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr mh = {
			.msg_name = &peer, .msg_namelen = sizeof(peer),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = ctl, .msg_controllen = sizeof(ctl),
		};
		struct cmsghdr *c;

		if (recvmsg(fd, &mh, 0) < 0)
			continue;
		strcpy(addr, "?");
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level == IPPROTO_IP &&
			    c->cmsg_type == IP_PKTINFO) {
				struct in_pktinfo *pi = (void *)CMSG_DATA(c);

				inet_ntop(AF_INET, &pi->ipi_addr, addr,
					  sizeof(addr));
			}
		}
		/* Answer from the address asked (the target's). */
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level == IPPROTO_IP &&
			    c->cmsg_type == IP_PKTINFO) {
				struct in_pktinfo *pi = (void *)CMSG_DATA(c);

				pi->ipi_spec_dst = pi->ipi_addr;
				pi->ipi_ifindex = 0;
			}
		}
		iov.iov_base = addr;
		iov.iov_len = strlen(addr);
		mh.msg_namelen = sizeof(peer);
		sendmsg(fd, &mh, 0);
	}
	return 0;
}

static int udpprobe(char **av)
{
	struct sockaddr_in s = sin_of(av[0], av[1]);
	int sport0 = atoi(av[2]), n = atoi(av[3]), i, one = 1;
	struct timeval tv = { 1, 0 };

	for (i = 0; i < n; i++) {
		struct sockaddr_in b = { .sin_family = AF_INET };
		char buf[64];
		int fd = socket(AF_INET, SOCK_DGRAM, 0), len = -1;

		b.sin_port = htons(sport0 + i);
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if (fd >= 0 && !bind(fd, (void *)&b, sizeof(b)) &&
		    !connect(fd, (void *)&s, sizeof(s)) &&
		    send(fd, "?", 1, 0) == 1)
			len = recv(fd, buf, sizeof(buf) - 1, 0);
		if (len > 0) {
			buf[len] = 0;
			printf("%d %s\n", sport0 + i, buf);
		} else {
			printf("%d fail\n", sport0 + i);
		}
		close(fd);
	}
	return 0;
}

static unsigned short csum(const void *p, int len)
{
	const unsigned short *w = p;
	unsigned long sum = 0;

	for (; len > 1; len -= 2)
		sum += *w++;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static int spray(char **av)
{
	/* SRCNET: the first address of a /8../16 (e.g. 172.16.0.0). */
	struct in_addr net;
	struct sockaddr_in d = sin_of(av[1], av[2]);
	long n = atol(av[3]), i, done = 0;
	int fd, one = 1;
	enum { B = 128 };
	static struct {
		struct iphdr ip;
		struct udphdr udp;
		char data[8];
	} pk[B];
	struct mmsghdr m[B];
	struct iovec iov[B];

	if (inet_pton(AF_INET, av[0], &net) != 1)
		die("spray: SRCNET");
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)))
		die("spray: raw socket");
	memset(m, 0, sizeof(m));
	for (i = 0; i < B; i++) {
		iov[i].iov_base = &pk[i];
		iov[i].iov_len = sizeof(pk[i]);
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
		m[i].msg_hdr.msg_name = &d;
		m[i].msg_hdr.msg_namelen = sizeof(d);
	}
	while (done < n) {
		int k = n - done < B ? n - done : B, j, r;

		for (j = 0; j < k; j++) {
			long f = done + j;
			struct iphdr *ip = &pk[j].ip;

			memset(&pk[j], 0, sizeof(pk[j]));
			ip->version = 4;
			ip->ihl = 5;
			ip->ttl = 64;
			ip->protocol = IPPROTO_UDP;
			ip->tot_len = htons(sizeof(pk[j]));
			ip->saddr = htonl(ntohl(net.s_addr) + 1 + f / 60000);
			ip->daddr = d.sin_addr.s_addr;
			ip->check = csum(ip, sizeof(*ip));
			pk[j].udp.source = htons(1024 + f % 60000);
			pk[j].udp.dest = d.sin_port;
			pk[j].udp.len = htons(sizeof(pk[j]) - sizeof(*ip));
			pk[j].udp.check = 0;
		}
		r = sendmmsg(fd, m, k, 0);
		if (r <= 0)
			die("spray: sendmmsg");
		done += r;
	}
	printf("%ld\n", done);
	return 0;
}

/* if_link.h's numbers (linux-libc-dev 6.1 lacks the IPv4 ones). */
enum {
	BNET_IFLA_GSO_MAX_SIZE = 41, BNET_IFLA_GRO_MAX_SIZE = 58,
	BNET_IFLA_GSO_IPV4_MAX_SIZE = 63, BNET_IFLA_GRO_IPV4_MAX_SIZE = 64,
};

static int bigtcp(char **av)
{
	static const unsigned short attrs[] = {
		BNET_IFLA_GSO_MAX_SIZE, BNET_IFLA_GRO_MAX_SIZE,
		BNET_IFLA_GSO_IPV4_MAX_SIZE, BNET_IFLA_GRO_IPV4_MAX_SIZE,
	};
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
		struct {
			struct rtattr rta;
			unsigned int val;
		} a[4];
	} req;
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	char buf[4096];
	struct nlmsghdr *nh = (void *)buf;
	unsigned int i;
	int fd, n;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_NEWLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.ifi.ifi_family = AF_UNSPEC;
	req.ifi.ifi_index = if_nametoindex(av[0]);
	if (!req.ifi.ifi_index)
		die("bigtcp: device");
	for (i = 0; i < 4; i++) {
		req.a[i].rta.rta_len = RTA_LENGTH(sizeof(unsigned int));
		req.a[i].rta.rta_type = attrs[i];
		req.a[i].val = atoi(av[1]);
	}
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	if (fd < 0 || sendto(fd, &req, sizeof(req), 0, (void *)&k, sizeof(k)) < 0)
		die("bigtcp: netlink");
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < (int)NLMSG_LENGTH(sizeof(struct nlmsgerr)) ||
	    nh->nlmsg_type != NLMSG_ERROR)
		die("bigtcp: no answer");
	errno = -((struct nlmsgerr *)NLMSG_DATA(nh))->error;
	if (errno)
		die(av[0]);
	return 0;
}

int main(int ac, char **av)
{
	static const struct {
		const char *name;
		int args;
		int (*fn)(char **);
	} cmds[] = {
		{ "udpsink", 2, udpsink }, { "udpflood", 4, udpflood },
		{ "tcpsrv", 2, tcpsrv }, { "connrate", 4, connrate },
		{ "udpecho", 1, udpecho }, { "udpprobe", 4, udpprobe },
		{ "spray", 4, spray }, { "tcpsrvpp", 2, tcpsrvpp },
		{ "tcpsink", 2, tcpsink }, { "tcpsend", 3, tcpsend },
		{ "tcpecho", 2, tcpecho }, { "rr", 3, rr }, { "crr", 4, crr },
		{ "udpreflect", 2, udpreflect }, { "udprr", 3, udprr },
		{ "hold", 4, hold }, { "bigtcp", 2, bigtcp },
	};
	unsigned int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; ac > 1 && i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (!strcmp(av[1], cmds[i].name) && ac - 2 == cmds[i].args)
			return cmds[i].fn(av + 2);
	}
	fprintf(stderr, "usage: see bench/tools/bnet.c\n");
	return 2;
}
