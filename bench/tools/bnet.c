// SPDX-License-Identifier: GPL-2.0
/*
 * bnet: the traffic programs of plink's benchmarks, one static binary.
 * Time is the guest's CLOCK_MONOTONIC: under QEMU -icount it counts
 * instructions, so rates are deterministic.
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
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	struct sockaddr_in s = sin_of(av[0], av[1]);
	struct mmsghdr m[64];
	struct iovec iov[64];
	static char buf[64][2048];
	int fd, i, rcv = 4 << 20;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	if (fd < 0 || bind(fd, (void *)&s, sizeof(s)))
		die("udpsink");
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
	struct sockaddr_in s = sin_of(av[0], av[1]);
	int size = atoi(av[2]), fd, i, n;
	double secs = atof(av[3]), end;
	static char buf[2048];
	struct mmsghdr m[64];
	struct iovec iov;
	unsigned long sent = 0;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (void *)&s, sizeof(s)))
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
	struct sockaddr_in s = sin_of(av[0], av[1]);
	int fd, c, one = 1;

	signal(SIGPIPE, SIG_IGN);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (void *)&s, sizeof(s)) || listen(fd, 1024))
		die("tcpsrv");
	for (;;) {
		c = accept(fd, NULL, NULL);
		if (c >= 0)
			close(c);
	}
	return 0;
}

static int tcpsrvpp(char **av)
{
	struct sockaddr_in s = sin_of(av[0], av[1]);
	int fd, c, one = 1;
	char b[256];

	signal(SIGPIPE, SIG_IGN);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (void *)&s, sizeof(s)) || listen(fd, 1024))
		die("tcpsrvpp");
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
	struct sockaddr_in s = sin_of(av[0], av[1]);
	int fd, c, one = 1;
	static char b[65536];

	signal(SIGPIPE, SIG_IGN);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (void *)&s, sizeof(s)) || listen(fd, 16))
		die("tcpsink");
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
	struct sockaddr_in s = sin_of(av[0], av[1]);
	double secs = atof(av[2]), start, t;
	static char b[65536];
	unsigned long sent = 0;
	ssize_t n;
	int fd;

	signal(SIGPIPE, SIG_IGN);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (void *)&s, sizeof(s)))
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

static int connrate(char **av)
{
	struct sockaddr_in s = sin_of(av[0], av[1]);
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
			char b[16];

			while (now() < end) {
				int fd = socket(AF_INET, SOCK_STREAM, 0);

				if (fd < 0 || connect(fd, (void *)&s, sizeof(s)) ||
				    read(fd, b, sizeof(b)) != 0)
					r[1]++;
				else
					r[0]++;
				close(fd);
			}
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
