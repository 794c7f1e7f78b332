/* SPDX-License-Identifier: GPL-2.0 */
/*
 * plinkctl: what main() and the per-object files share.
 *
 * An object (dev, service, target, endpoint, monitor, stats, flow,
 * limits) is a
 * file with a do_OBJECT() entry point and an OBJECT_usage() text, listed
 * in the object table in plinkctl.c.  do_OBJECT() hands its words to
 * pl_dispatch() with a table of its own commands.  A command parses all of its words before it
 * talks to the kernel, so a bad command line fails the same with or
 * without the plink module.  An object's replies and events are printed
 * by one function of its file, for the text and for JSON alike (print.h).
 */
#ifndef PLINKCTL_H
#define PLINKCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "nl.h"
#include "print.h"

#ifndef PLINKCTL_VERSION
#define PLINKCTL_VERSION "0.1"
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit statuses, as ip(8) has them. */
#define PL_EXIT_OK	0
#define PL_EXIT_USAGE	1	/* bad command line, or a local failure */
#define PL_EXIT_KERNEL	2	/* the kernel refused, or netlink failed */

/*
 * One line on stderr: "plinkctl: " and the message ("FILE:LINE: " and the
 * message, for a line of -batch FILE).
 */
extern const char *pl_err_where;
#define pl_err(fmt, ...) \
	fprintf(stderr, "%s" fmt "\n", pl_err_where, ##__VA_ARGS__)

/* The global options. */
struct pl_ctx {
	bool json;		/* -j: JSON output */
	bool details;		/* -d: every counter, even those at 0 */
	bool stats;		/* -s: "show" prints counters too */
	const char *netns;	/* -n: act inside /run/netns/NETNS */
	bool entered;		/* we are inside it */
};

/*
 * An entry of an object or command table.  @fn gets the words after the
 * object or command and returns an exit status; @usage prints the object's
 * part of the usage text.  A command with no @fn is the object's "help":
 * it prints @usage.  @min, when not 0, is the length of the shortest
 * prefix that names the entry.
 */
struct pl_cmd {
	const char *name;
	int (*fn)(struct pl_ctx *ctx, int argc, char **argv);
	void (*usage)(FILE *out);
	size_t min;
};

/* util.c: commands and the kernel. */

/*
 * The entry of @tab named @word exactly, else the first one whose name
 * starts with @word (and is @min long at least), as ip(8) resolves
 * abbreviations: never ambiguous, the order of @tab decides.  So a table
 * lists its commands as add, del, show, list, then the others: "a" is
 * add, "d" del, "s" show.  NULL if none matches.
 */
const struct pl_cmd *pl_lookup(const struct pl_cmd *tab, size_t n,
			       const char *word);

/*
 * Run the command of @object named by argv[0] (an exact name or a unique
 * prefix of one), or @dflt when there are no words left.
 */
int pl_dispatch(struct pl_ctx *ctx, const char *object,
		const struct pl_cmd *cmds, size_t ncmds, const char *dflt,
		int argc, char **argv);

/* At most @max words: else -1, after printing: unexpected argument. */
int pl_args_max(int argc, char **argv, int max);

/*
 * Enter the -n netns, if any and not done yet.  Returns 0, or the exit
 * status to give up with (the error is printed).
 */
int pl_enter(struct pl_ctx *ctx);

/*
 * Enter the -n netns, if any, and open a session with the plink family.
 * Returns 0, or the exit status to give up with (the error is printed).
 */
int pl_open(struct pl_ctx *ctx, struct plnl *nl);

/*
 * Send the request @m (built with plnl_put*()) and call @cb with @data on
 * each reply.  Returns an exit status: PL_EXIT_USAGE when @m did not fit
 * in the buffer, PL_EXIT_KERNEL when the kernel refused it.
 */
int pl_request(struct plnl *nl, struct plnl_msg *m, mnl_cb_t cb, void *data);

/*
 * As pl_open(), but first find the ifindex of device @dev, which is the
 * -n netns's: see pl_ifindex().
 */
int pl_open_dev(struct pl_ctx *ctx, const char *dev, unsigned int *ifindex,
		struct plnl *nl);

/* util.c: the words of a command line. */

/*
 * Whether @dev can name a device: not empty, shorter than IFNAMSIZ.
 * Returns 0, or -1 after printing why not.
 */
int pl_dev_check(const char *dev);

/*
 * The ifindex of device @dev in the current netns (so: after pl_enter()).
 * Returns 0, or PL_EXIT_USAGE after printing: cannot find device "DEV".
 */
int pl_ifindex(const char *dev, unsigned int *ifindex);

/* The @n decimal digits at @s, at most @max; -1 if they are not that. */
int pl_ulong(const char *s, size_t n, unsigned long max, unsigned long *v);

/*
 * The value of keyword argv[*i]: argv[*i + 1], and *i moves on to it; NULL,
 * after printing that it is missing, at the end of the words.
 */
const char *pl_value(int argc, char **argv, int *i);

/* A keyword @kw that may come once; -1 after printing if *@seen already. */
int pl_once(bool *seen, const char *kw);

/* A decimal u32, the value of @what (printed in the error). */
int pl_u32_parse(const char *what, const char *word, unsigned int *v);

/*
 * A decimal u32 from @min to @max, the value of @what; else -1 after
 * printing: invalid WHAT "WORD" (MIN-MAX).  The bounds are the spec's
 * (linux/plink.h), so the kernel's policy would refuse what this refuses.
 */
int pl_u32_range_parse(const char *what, const char *word, unsigned int min,
		       unsigned int max, unsigned int *v);

/* Print: unknown keyword "WORD" for "CMD"; returns -1. */
int pl_unknown(const char *word, const char *cmd);

/* Print: missing "WHAT" for "CMD"; returns -1. */
int pl_missing(const char *what, const char *cmd);

/* The names of an enum; a value may have several, the first is printed. */
struct pl_name {
	const char *name;
	unsigned int value;
};

/* @word, one of @names; else -1 after printing: invalid WHAT "WORD" (...). */
int pl_name_parse(const char *what, const struct pl_name *names, size_t n,
		  const char *word, unsigned int *value);

/* Room for a name of pl_name_of(): "unknown(4294967295)". */
#define PL_NAMELEN	24

/* The name of @value, or "unknown(VALUE)" in @buf (PL_NAMELEN bytes). */
const char *pl_name_of(const struct pl_name *names, size_t n,
		       unsigned int value, char *buf);

extern const struct pl_name pl_acceptances[2];
extern const struct pl_name pl_revokes[2];

/* What a change's reply says it revoked: attribute @type's count. */
struct pl_revoked {
	unsigned short type;
	unsigned int n;
};

int pl_revoked_cb(const struct nlmsghdr *nlh, void *data);
void pl_revoked_print(const struct pl_ctx *ctx, const struct pl_revoked *r);
extern const struct pl_name pl_healths[6];
extern const struct pl_name pl_health_shown[5];
extern const struct pl_name pl_health_reasons[9];
extern const struct pl_name pl_hc_types[3];
extern const struct pl_name pl_endpoint_states[5];
extern const struct pl_name pl_service_states[1];
extern const struct pl_name pl_onoff[2];

/* util.c: output. */

/*
 * What a "show" command prints, into memory first: nothing reaches stdout
 * unless the whole request succeeded (a dump can fail, or be interrupted,
 * half way).  With -j, one JSON array of the objects.
 */
struct pl_show {
	struct pl_ctx *ctx;
	struct pl_print p;
	const void *priv;	/* the command's, for its callback */
};

/*
 * Run @req on @nl (then closed), calling @cb with a struct pl_show whose
 * priv is @priv on each reply, and print what it printed.  Returns an exit
 * status.
 */
int pl_show(struct pl_ctx *ctx, struct plnl *nl, struct plnl_msg *req,
	    mnl_cb_t cb, const void *priv);

/*
 * "OBJECT show [KEY]": get the object whose string attribute @key is KEY
 * with request @cmd, or dump all of them, and print them with pl_show()
 * and @cb, whose priv is KEY (or NULL).
 */
int pl_show_key(struct pl_ctx *ctx, unsigned char cmd, unsigned short key,
		mnl_cb_t cb, int argc, char **argv);

/*
 * The value of an attribute, printed with pl_print_*() (@kind, @key and
 * @fmt are theirs), or nothing without the attribute; with PL_DASH in
 * @kind, the text has "-" in its place, in @fmt.
 */
#define PL_DASH	4

void pl_print_attr_str(struct pl_print *p, unsigned int kind,
		       const char *key, const char *fmt,
		       const struct nlattr *attr);
void pl_print_attr_u32(struct pl_print *p, unsigned int kind,
		       const char *key, const char *fmt,
		       const struct nlattr *attr);
void pl_print_attr_u64(struct pl_print *p, unsigned int kind,
		       const char *key, const char *fmt,
		       const struct nlattr *attr);
/* A u8, 0 or not: false or true in JSON, off or on in the text. */
void pl_print_attr_on_off(struct pl_print *p, unsigned int kind,
			  const char *key, const char *fmt,
			  const struct nlattr *attr);
/* A u32 enum, by its name in @names (see pl_name_of()). */
void pl_print_attr_name(struct pl_print *p, unsigned int kind,
			const char *key, const char *fmt,
			const struct nlattr *attr,
			const struct pl_name *names, size_t n);
/*
 * An ifindex: in JSON "ifindex" and, if it has a name here, "dev"; in the
 * text its name, else its number.
 */
void pl_print_attr_dev(struct pl_print *p, unsigned int kind,
		       const char *fmt, const struct nlattr *attr);

/*
 * The addresses of the attributes @type of @nlh: in JSON the array @key,
 * in the text each with @fmt (" addr %s").
 */
/*
 * -s: the counters of the stats nest @nest (NULL if the kernel sent none),
 * in JSON the member "stats" (null without @nest), in the text indented
 * lines "stats KEY N ...": the traffic and flows, then the other counters
 * that are not 0, or with @details all of them.  -1 if @nest is malformed.
 */
int pl_print_stats(struct pl_print *p, const struct nlattr *nest,
		   bool details);

void pl_print_addrs(struct pl_print *p, enum pl_kind kind, const char *key,
		    const char *fmt, const struct nlmsghdr *nlh,
		    unsigned int type);

/*
 * A principal of a service as it is typed: the kernel's "*" is "any".
 * pl_principal_parse() checks @word (uid:UID, any or *) and returns what
 * the kernel takes; NULL after printing if it is none of them.
 */
const char *pl_principal_name(const char *principal);
const char *pl_principal_parse(const char *word);

/*
 * An event of "monitor", on stdout: pl_event_begin() starts it (a JSON
 * object with an "event" key, @name, or a line starting with "NAME "),
 * pl_event_end() ends it and the line.
 */
void pl_event_begin(struct pl_print *p, bool json, const char *name);
void pl_event_end(struct pl_print *p);

/* The objects. */
int do_dev(struct pl_ctx *ctx, int argc, char **argv);
void dev_usage(FILE *out);
int do_service(struct pl_ctx *ctx, int argc, char **argv);
void service_usage(FILE *out);
int do_target(struct pl_ctx *ctx, int argc, char **argv);
void target_usage(FILE *out);
int do_endpoint(struct pl_ctx *ctx, int argc, char **argv);
void endpoint_usage(FILE *out);
int do_monitor(struct pl_ctx *ctx, int argc, char **argv);
void monitor_usage(FILE *out);
int do_stats(struct pl_ctx *ctx, int argc, char **argv);
void stats_usage(FILE *out);
int do_flow(struct pl_ctx *ctx, int argc, char **argv);
void flow_usage(FILE *out);
int do_limits(struct pl_ctx *ctx, int argc, char **argv);
void limits_usage(FILE *out);
int do_save(struct pl_ctx *ctx, int argc, char **argv);
void save_usage(FILE *out);
int do_metrics(struct pl_ctx *ctx, int argc, char **argv);
void metrics_usage(FILE *out);
int do_dns(struct pl_ctx *ctx, int argc, char **argv);
void dns_usage(FILE *out);

/*
 * dns.c: the private DNS entries of -n NETNS in /etc/netns/NETNS/hosts,
 * after "endpoint add" (of @service, on session @nl), "endpoint del", and
 * "service del" (pl_dns_service_ref() names the service before it goes,
 * "" if it has no DNS name).  Return an exit status, after printing.
 */
struct pl_addr;
int pl_dns_endpoint_added(struct pl_ctx *ctx, struct plnl *nl,
			  const char *id, const char *service,
			  bool private_dns, const struct pl_addr *addrs,
			  size_t n);
int pl_dns_endpoint_deleted(struct pl_ctx *ctx, const char *id);
void pl_dns_service_ref(struct plnl *nl, const char *name, char *ref,
			size_t len);
int pl_dns_service_deleted(const char *ref);
int pl_dns_service_changed(struct plnl *nl, const char *name);

/*
 * endpoint.c: the id of the one endpoint on device @dev of the current
 * netns, into @id (@len bytes), asked on session @nl.  Returns an exit
 * status, after printing when there is none or several.
 */
int pl_endpoint_of_dev(struct plnl *nl, const char *dev, char *id,
		       size_t len);

/* plinkctl.c: run one command line's words, OBJECT [COMMAND [ARGS]]. */
int pl_run(struct pl_ctx *ctx, int argc, char **argv);

/*
 * batch.c: run the lines of @file ("-": stdin) as plinkctl commands; stop
 * at the first that fails, or (@force) go on.  Returns the first failure's
 * exit status, or 0.
 */
int pl_batch(struct pl_ctx *ctx, const char *file, bool force);

/*
 * Print the event (notification) @nlh of the object on stdout: one line,
 * or with -j one JSON object on one line, with an "event" key.
 */
int endpoint_event(struct pl_ctx *ctx, const struct nlmsghdr *nlh);
int target_event(struct pl_ctx *ctx, const struct nlmsghdr *nlh);

#endif /* PLINKCTL_H */
