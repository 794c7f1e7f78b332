// SPDX-License-Identifier: GPL-2.0
/*
 * bprof: the traffic and the trace reader of plink's profile benchmark
 * (bench/guest/profile.sh), one static binary.  Time is the guest's
 * CLOCK_MONOTONIC: under QEMU -icount it counts instructions.
 *
 *   bprof udpecho ADDR PORT          answer each datagram with itself
 *   bprof tcpsrv ADDR PORT           accept and close at once
 *   bprof udp DST PORT WARM N [ON]   one connected UDP socket: WARM round
 *                                    trips, then N (an 18-byte datagram
 *                                    and its echo each); ON: a tracefs
 *                                    tracing_on file, 1 before the N and
 *                                    0 after them
 *   bprof tcp DST PORT WARM N [ON]   the same with short connections:
 *                                    connect, wait for the server's close,
 *                                    close
 *   bprof agg udp|tcp PID LABEL XMIT RCV
 *                                    read a function_graph trace (options
 *                                    funcgraph-proc, no funcgraph-overhead)
 *                                    on stdin: per function, what it cost
 *
 * udp and tcp print "PID NS FAILS": their pid, the guest ns the N took,
 * the operations that failed (warm-up included).
 *
 * agg: each graph (a call of a set_graph_function root at depth 0) is one
 * root, its calls a tree.  XMIT and RCV (comma lists) name the transmit
 * and the receive roots: anything else at depth 0 (a return whose call
 * came before tracing_on, or a task switched back to within a function)
 * is a stray, left out.  In udp mode a transmit root is forward when task
 * PID (the client) made it, else reverse; a receive root takes the
 * direction of the last transmit root: with one request in flight, each
 * packet is received before the next is sent.  In tcp mode there is one
 * direction, "all".  A subtree of an interrupt (irq_enter_rcu,
 * irq_exit_rcu, __sysvec_*...) within a graph is not the packet's: its
 * duration is taken out of every enclosing call and counted apart.
 * Prints, per direction and function:
 *   F LABEL DIR FUNC CALLS OUTER INCL NDESC SELF NCHILD LEAFN LEAFSUM IRQC DIRQC
 * CALLS: calls; OUTER: calls with no call of the same function above them,
 * INCL the sum of their durations (ns), NDESC of their traced descendants;
 * SELF: the sum over all calls of the duration not in traced children;
 * NCHILD: the sum of direct children; LEAFN, LEAFSUM: calls that had no
 * child, and the sum of their durations; IRQC: the interrupt subtrees
 * below the OUTER calls, DIRQC those right below any call (each left its
 * hooks' outer part behind).  Per direction:
 *   G LABEL DIR FUNC ROOTS INCL
 * FUNC's calls at the top of a graph (roots) and their durations' sum;
 *   T LABEL DIR ROOTS INCL NDESC IRQS IRQNS IRQC
 * the roots, their durations' sum, their traced descendants, and the
 * interrupt subtrees taken out (IRQC: of them, those within roots).  Last:
 *   E LABEL LINES UNPARSED UNMATCHED MISNAMED STRAYS SLOWLEAVES SLOWSELF PREIRQ
 *     POSTIRQ
 * SLOWLEAVES: leaves over 20 us, counted as interrupts (and the first 20
 * of them as "X LABEL DIR FUNC NS LINE"); SLOWSELF: calls whose own time
 * was over 20 us more than their children's hooks can explain; PREIRQ:
 * calls that held the interrupt written right before them; POSTIRQ: calls
 * whose trailing interrupt was their caller's.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
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
		fprintf(stderr, "bprof: bad address %s\n", addr);
		exit(2);
	}
	return s;
}

static int bound(const char *addr, const char *port, int type)
{
	struct sockaddr_in s = sin_of(addr, port);
	int fd, one = 1;

	fd = socket(AF_INET, type, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (void *)&s, sizeof(s)))
		die("bind");
	return fd;
}

static int udpecho(char **av)
{
	int fd = bound(av[0], av[1], SOCK_DGRAM);
	struct sockaddr_in peer;
	socklen_t plen;
	char buf[2048];
	ssize_t n;

	for (;;) {
		plen = sizeof(peer);
		n = recvfrom(fd, buf, sizeof(buf), 0, (void *)&peer, &plen);
		if (n >= 0)
			sendto(fd, buf, n, 0, (void *)&peer, plen);
	}
	return 0;
}

static int tcpsrv(char **av)
{
	int fd = bound(av[0], av[1], SOCK_STREAM), c;

	if (listen(fd, 1024))
		die("listen");
	for (;;) {
		c = accept(fd, NULL, NULL);
		if (c >= 0)
			close(c);
	}
	return 0;
}

/* One round trip on connected socket @fd: 0, or -1 when it failed. */
static int udp_op(int fd)
{
	static const char req[18] = "plink-profile-udp";
	char buf[64];

	if (send(fd, req, sizeof(req), 0) != sizeof(req))
		return -1;
	return recv(fd, buf, sizeof(buf), 0) == sizeof(req) ? 0 : -1;
}

/* One short connection to @s: 0, or -1 when it failed. */
static int tcp_op(const struct sockaddr_in *s)
{
	struct timeval tv = { 2, 0 };
	int fd = socket(AF_INET, SOCK_STREAM, 0), r = -1;
	char b[16];

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (!connect(fd, (const void *)s, sizeof(*s)) && read(fd, b, sizeof(b)) == 0)
		r = 0;
	close(fd);
	return r;
}

static void set_on(int fd, const char *v)
{
	if (fd >= 0 && write(fd, v, 1) != 1)
		die("tracing_on");
}

/* udp and tcp: WARM operations, then N timed (and traced, with ON). */
static int client(char **av, int ac, int tcp)
{
	struct sockaddr_in s = sin_of(av[0], av[1]);
	long warm = atol(av[2]), n = atol(av[3]), i, fails = 0;
	struct timeval tv = { 2, 0 };
	int fd = -1, on = -1;
	long long t0, t1;

	if (!tcp) {
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if (fd < 0 || connect(fd, (void *)&s, sizeof(s)))
			die("udp");
	}
	for (i = 0; i < warm; i++)
		if (tcp ? tcp_op(&s) : udp_op(fd))
			fails++;
	if (ac > 4) {
		on = open(av[4], O_WRONLY);
		if (on < 0)
			die(av[4]);
	}
	set_on(on, "1");
	t0 = now_ns();
	for (i = 0; i < n; i++)
		if (tcp ? tcp_op(&s) : udp_op(fd))
			fails++;
	t1 = now_ns();
	set_on(on, "0");
	printf("%d %lld %ld\n", (int)getpid(), t1 - t0, fails);
	return 0;
}

/* --- agg: the function_graph reader ------------------------------------ */

enum { DIR_FWD, DIR_REV, DIR_ALL, NDIR };
static const char * const dir_name[NDIR] = { "fwd", "rev", "all" };

struct fstat {
	unsigned long long calls, outer, ndesc, nchild, leafn, roots, irqc, dirqc;
	long long incl, self, leafsum, rootincl;
};

#define MAXFN 8192
static char *fn_name[MAXFN];
static unsigned int nfn;
static int fn_hash[MAXFN * 2];
static struct fstat fst[NDIR][MAXFN];

static int fn_id(const char *name)
{
	unsigned int h = 5381, i;
	const char *c;

	for (c = name; *c; c++)
		h = h * 33 + (unsigned char)*c;
	for (i = h % (MAXFN * 2);; i = (i + 1) % (MAXFN * 2)) {
		if (!fn_hash[i])
			break;
		if (!strcmp(fn_name[fn_hash[i] - 1], name))
			return fn_hash[i] - 1;
	}
	if (nfn == MAXFN) {
		fprintf(stderr, "bprof: more than %d functions\n", MAXFN);
		exit(1);
	}
	fn_name[nfn] = strdup(name);
	fn_hash[i] = ++nfn;
	return nfn - 1;
}

struct frame {
	int fn, dir, in_irq, irq_root;
	long long child_raw, sub_irq, direct_irq, pending_irq, pre_irq;
	unsigned long long nchild, ndesc, irqc, dirqc, pending_irqc;
};

#define MAXDEPTH 512
#define MAXTASK 64
static struct task {
	int pid, depth;
	struct frame f[MAXDEPTH];
} tasks[MAXTASK];
static int ntask;

static struct {
	unsigned long long roots, ndesc, irqs, irqc;
	long long incl, irqns;
} tot[NDIR];
static unsigned long long unmatched, misnamed, unparsed, strays;
static int mode_tcp, client_pid, last_dir = DIR_FWD;
static const char *xmit_roots, *rcv_roots, *label;
static unsigned long long lineno, nslow, slow_self, pre_irq_fixed, post_irq_fixed;
#define SLOW_LEAF 20000

static struct task *task_of(int pid)
{
	int i;

	for (i = 0; i < ntask; i++)
		if (tasks[i].pid == pid)
			return &tasks[i];
	if (ntask == MAXTASK) {
		fprintf(stderr, "bprof: more than %d tasks\n", MAXTASK);
		exit(1);
	}
	tasks[ntask].pid = pid;
	return &tasks[ntask++];
}

static int is_irq(const char *n)
{
	return !strncmp(n, "__sysvec_", 9) || !strcmp(n, "irq_enter_rcu") ||
	       !strcmp(n, "irq_exit_rcu") || !strcmp(n, "irq_enter") ||
	       !strcmp(n, "irq_exit") || !strcmp(n, "__common_interrupt");
}

static int in_list(const char *list, const char *n)
{
	size_t l = strlen(n);
	const char *p = list;

	while ((p = strstr(p, n))) {
		if ((p == list || p[-1] == ',') && (p[l] == ',' || !p[l]))
			return 1;
		p += l;
	}
	return 0;
}

static void agg_open(struct task *t, const char *name)
{
	struct frame *up = t->depth ? &t->f[t->depth - 1] : NULL, *f;

	if (t->depth == MAXDEPTH) {
		fprintf(stderr, "bprof: call depth over %d\n", MAXDEPTH);
		exit(1);
	}
	f = &t->f[t->depth++];
	memset(f, 0, sizeof(*f));
	f->fn = fn_id(name);
	if (up) {
		f->dir = up->dir;
		f->irq_root = !up->in_irq && is_irq(name);
		f->in_irq = up->in_irq || f->irq_root;
		if (!f->in_irq) {
			f->pre_irq = up->pending_irq;
			up->pending_irq = 0;
			up->pending_irqc = 0;
		}
	} else if (in_list(xmit_roots, name)) {
		f->dir = t->pid == client_pid ? DIR_FWD : DIR_REV;
		if (mode_tcp)
			f->dir = DIR_ALL;
		last_dir = f->dir;
	} else if (in_list(rcv_roots, name)) {
		f->dir = last_dir;
	} else {
		/* A stray: its subtree counts nowhere, as an interrupt's. */
		f->in_irq = 1;
		strays++;
	}
}

static void agg_close(struct task *t, long long d, const char *tail)
{
	struct frame *f, *up;
	struct fstat *s;
	int i, outer = 1;

	if (!t->depth) {
		unmatched++;
		return;
	}
	f = &t->f[--t->depth];
	up = t->depth ? &t->f[t->depth - 1] : NULL;
	if (tail && strcmp(tail, fn_name[f->fn]))
		misnamed++;
	if (f->in_irq) {
		if (f->irq_root && up) {
			up->pending_irq += d;
			up->pending_irqc++;
			up->sub_irq += d;
			up->direct_irq += d;
			up->irqc++;
			up->dirqc++;
			tot[f->dir].irqs++;
			tot[f->dir].irqns += d;
		}
		return;
	}
	/*
	 * An interrupt in a call's entry hook, after its clock read and
	 * before its entry event, is written before the call: the subtrees
	 * right before it, already taken out of the caller, are in its
	 * duration too.  So when its own time holds them, they come out.
	 */
	if (f->pre_irq && d - f->direct_irq - f->child_raw >= f->pre_irq) {
		d -= f->pre_irq;
		pre_irq_fixed++;
	}
	/*
	 * One that came in its exit hook, after its clock read and before
	 * its return event, is written within the call and is not in its
	 * duration: when its own time comes out below zero, the trailing
	 * interrupt belongs to the caller.
	 */
	if (up && f->pending_irq && d - f->direct_irq - f->child_raw < 0) {
		f->sub_irq -= f->pending_irq;
		f->direct_irq -= f->pending_irq;
		f->irqc -= f->pending_irqc;
		f->dirqc -= f->pending_irqc;
		up->sub_irq += f->pending_irq;
		up->direct_irq += f->pending_irq;
		up->irqc += f->pending_irqc;
		up->dirqc += f->pending_irqc;
		post_irq_fixed++;
	}
	/* A leaf still over SLOW_LEAF ns: an interrupt the tracer missed. */
	if (up && !f->nchild && !f->direct_irq && d > SLOW_LEAF) {
		if (nslow++ < 20)
			printf("X %s %s %s %lld %llu\n", label,
			       dir_name[f->dir], fn_name[f->fn], d, lineno);
		up->sub_irq += d;
		up->direct_irq += d;
		up->irqc++;
		up->dirqc++;
		tot[f->dir].irqs++;
		tot[f->dir].irqns += d;
		return;
	}
	/* The same in a function's own time: counted, left in. */
	if (d - f->direct_irq - f->child_raw > SLOW_LEAF + 2000 * (long long)f->nchild)
		slow_self++;
	for (i = 0; i < t->depth; i++)
		if (t->f[i].fn == f->fn)
			outer = 0;
	s = &fst[f->dir][f->fn];
	s->calls++;
	s->self += d - f->direct_irq - f->child_raw;
	s->nchild += f->nchild;
	s->dirqc += f->dirqc;
	if (outer) {
		s->outer++;
		s->incl += d - f->sub_irq;
		s->ndesc += f->ndesc;
		s->irqc += f->irqc;
	}
	if (!f->nchild && !f->direct_irq) {
		s->leafn++;
		s->leafsum += d;
	}
	if (up) {
		up->child_raw += d;
		up->nchild++;
		up->ndesc += 1 + f->ndesc;
		up->sub_irq += f->sub_irq;
		up->irqc += f->irqc;
	} else {
		s->roots++;
		s->rootincl += d - f->sub_irq;
		tot[f->dir].roots++;
		tot[f->dir].incl += d - f->sub_irq;
		tot[f->dir].ndesc += f->ndesc;
		tot[f->dir].irqc += f->irqc;
	}
}

/* A duration column: "12.345 us" -> 12345 (ns); -1 when there is none. */
static long long duration(const char *s)
{
	while (*s && !isdigit((unsigned char)*s))
		s++;
	if (!*s || !strstr(s, "us"))
		return -1;
	return (long long)(strtod(s, NULL) * 1000 + 0.5);
}

/* One line: "CPU) COMM-PID | DURATION | FUNCTION-PART". */
static void agg_line(char *line)
{
	char *bar1 = strchr(line, '|'), *bar2, *fp, *e, *p, name[256];
	long long d;
	int pid;

	if (!bar1)
		return;
	bar2 = strchr(bar1 + 1, '|');
	if (!bar2)
		return;
	/* The pid: the digits before the first bar. */
	for (e = bar1; e > line && isspace((unsigned char)e[-1]); e--)
		;
	for (p = e; p > line && isdigit((unsigned char)p[-1]); p--)
		;
	if (p == e || p == line || p[-1] != '-') {
		unparsed++;
		return;
	}
	pid = atoi(p);
	*bar2 = 0;
	d = duration(bar1 + 1);
	for (fp = bar2 + 1; isspace((unsigned char)*fp); fp++)
		;
	if (*fp == '}') {
		/* funcgraph-tail: "} /" "* name *" "/" */
		char *tail = NULL;

		p = strstr(fp, "/*");
		if (p && sscanf(p + 2, " %255s", name) == 1)
			tail = name;
		if (d < 0)
			unparsed++;
		else
			agg_close(task_of(pid), d, tail);
		return;
	}
	if (!*fp || (fp[0] == '/' && fp[1] == '*'))
		return;	/* an interrupt marker, a trace_marker comment */
	if (sscanf(fp, "%255[^ (]", name) != 1) {
		unparsed++;
		return;
	}
	p = strchr(fp, '(');
	if (!p) {
		unparsed++;
		return;
	}
	if (strstr(p, "{")) {
		agg_open(task_of(pid), name);
	} else if (strstr(p, ");") && d >= 0) {
		agg_open(task_of(pid), name);
		agg_close(task_of(pid), d, NULL);
	} else {
		unparsed++;
	}
}

static int agg(char **av)
{
	unsigned long long lines = 0;
	char line[4096];
	unsigned int i;
	int d;

	mode_tcp = !strcmp(av[0], "tcp");
	client_pid = atoi(av[1]);
	xmit_roots = av[3];
	rcv_roots = av[4];
	last_dir = mode_tcp ? DIR_ALL : DIR_FWD;
	label = av[2];
	while (fgets(line, sizeof(line), stdin)) {
		lines++;
		lineno = lines;
		if (line[0] == '#')
			continue;
		agg_line(line);
	}
	for (d = 0; d < NDIR; d++) {
		for (i = 0; i < nfn; i++) {
			struct fstat *s = &fst[d][i];

			if (!s->calls)
				continue;
			printf("F %s %s %s %llu %llu %lld %llu %lld %llu %llu %lld %llu %llu\n",
			       av[2], dir_name[d], fn_name[i], s->calls,
			       s->outer, s->incl, s->ndesc, s->self, s->nchild,
			       s->leafn, s->leafsum, s->irqc, s->dirqc);
			if (s->roots)
				printf("G %s %s %s %llu %lld\n", av[2],
				       dir_name[d], fn_name[i], s->roots,
				       s->rootincl);
		}
		if (tot[d].roots)
			printf("T %s %s %llu %lld %llu %llu %lld %llu\n", av[2],
			       dir_name[d], tot[d].roots, tot[d].incl,
			       tot[d].ndesc, tot[d].irqs, tot[d].irqns,
			       tot[d].irqc);
	}
	for (i = 0; i < (unsigned int)ntask; i++)
		unmatched += tasks[i].depth;
	printf("E %s %llu %llu %llu %llu %llu %llu %llu %llu %llu\n", av[2],
	       lines, unparsed, unmatched, misnamed, strays, nslow, slow_self,
	       pre_irq_fixed, post_irq_fixed);
	return 0;
}

int main(int ac, char **av)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (ac == 4 && !strcmp(av[1], "udpecho"))
		return udpecho(av + 2);
	if (ac == 4 && !strcmp(av[1], "tcpsrv"))
		return tcpsrv(av + 2);
	if ((ac == 6 || ac == 7) && !strcmp(av[1], "udp"))
		return client(av + 2, ac - 2, 0);
	if ((ac == 6 || ac == 7) && !strcmp(av[1], "tcp"))
		return client(av + 2, ac - 2, 1);
	if (ac == 7 && !strcmp(av[1], "agg"))
		return agg(av + 2);
	fprintf(stderr, "usage: see bprof.c in plink's bench/tools\n");
	return 2;
}
