// SPDX-License-Identifier: GPL-2.0
/*
 * What a health check decides, apart from how it probes (health.c): a
 * check's defaults, the HTTP status line and the list of codes that
 * pass, the threshold state machine (pure functions, tested by KUnit in
 * health_test.c), the health a target shows, and the counts that feed
 * the thresholds: a manual change resets them, passive failures from the
 * datapath add to them.
 */

#include <linux/ctype.h>
#include <linux/string.h>

#include "flow.h"
#include "plink.h"

void plink_health_cfg_init(struct plink_health_cfg *hc)
{
	memset(hc, 0, sizeof(*hc));
	hc->type = PLINK_HEALTH_CHECK_TYPE_OFF;
	hc->interval = PLINK_HC_INTERVAL_DEFAULT;
	hc->timeout = PLINK_HC_TIMEOUT_DEFAULT;
	hc->healthy = PLINK_HC_HEALTHY_THRESHOLD_DEFAULT;
	hc->unhealthy = PLINK_HC_UNHEALTHY_THRESHOLD_DEFAULT;
	strscpy(hc->path, "/", sizeof(hc->path));
	strscpy(hc->match, "200-399", sizeof(hc->match));
	hc->ranges[0].lo = 200;
	hc->ranges[0].hi = 399;
	hc->nranges = 1;
}
EXPORT_SYMBOL_IF_KUNIT(plink_health_cfg_init);

/**
 * plink_hc_status_code() - the status code of an HTTP answer's status line
 * @buf: the start of the answer
 * @len: bytes in @buf
 * @complete: no more bytes will come
 *
 * The status line begins "HTTP/d.d ddd" and a space or the line's end.
 *
 * Return: the code (100-599), -EAGAIN if @buf is a prefix of a status line
 * and more may come, or -EINVAL.
 */
int plink_hc_status_code(const char *buf, size_t len, bool complete)
{
	static const char pattern[] = "HTTP/d.d ddd";
	const size_t n = sizeof(pattern) - 1;
	int code = 0;
	size_t i;

	for (i = 0; i <= n; i++) {
		if (i == len)
			return complete ? -EINVAL : -EAGAIN;
		if (i == n) {
			if (buf[i] != ' ' && buf[i] != '\r' && buf[i] != '\n')
				return -EINVAL;
		} else if (pattern[i] == 'd') {
			if (!isdigit(buf[i]))
				return -EINVAL;
			if (i > n - 4)
				code = code * 10 + buf[i] - '0';
		} else if (buf[i] != pattern[i]) {
			return -EINVAL;
		}
	}
	return code >= 100 && code <= 599 ? code : -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(plink_hc_status_code);

/* Three digits, a status code (100-599), at *@s; *@s moves past them. */
static int plink_hc_code_parse(const char **s, u16 *code)
{
	const char *p = *s;
	unsigned int i, v = 0;

	for (i = 0; i < 3; i++) {
		if (!isdigit(p[i]))
			return -EINVAL;
		v = v * 10 + p[i] - '0';
	}
	if (isdigit(p[3]) || v < 100 || v > 599)
		return -EINVAL;
	*code = v;
	*s = p + 3;
	return 0;
}

/**
 * plink_hc_match_parse() - parse a list of status codes and ranges
 * @s: such as "200", "200-399" or "200,202-204,301"
 * @ranges: where the ranges go
 * @max: room in @ranges
 * @n: the number of ranges parsed
 *
 * Return: 0, -EINVAL for a malformed list, -E2BIG for more than @max.
 */
int plink_hc_match_parse(const char *s, struct plink_hc_range *ranges,
			 unsigned int max, u8 *n)
{
	unsigned int k = 0;

	for (;;) {
		struct plink_hc_range r;

		if (k == max)
			return -E2BIG;
		if (plink_hc_code_parse(&s, &r.lo))
			return -EINVAL;
		r.hi = r.lo;
		if (*s == '-') {
			s++;
			if (plink_hc_code_parse(&s, &r.hi) || r.hi < r.lo)
				return -EINVAL;
		}
		ranges[k++] = r;
		if (!*s)
			break;
		if (*s++ != ',')
			return -EINVAL;
	}
	*n = k;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(plink_hc_match_parse);

bool plink_hc_match(const struct plink_health_cfg *hc, int code)
{
	unsigned int i;

	for (i = 0; i < hc->nranges; i++) {
		if (code >= hc->ranges[i].lo && code <= hc->ranges[i].hi)
			return true;
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(plink_hc_match);

static const u32 plink_hc_reasons[] = {
	[PLINK_HC_PASS]		= PLINK_HEALTH_REASON_NONE,
	[PLINK_HC_TIMEOUT]	= PLINK_HEALTH_REASON_TIMEOUT,
	[PLINK_HC_REFUSED]	= PLINK_HEALTH_REASON_CONNECTION_REFUSED,
	[PLINK_HC_MISMATCH]	= PLINK_HEALTH_REASON_RESPONSE_CODE_MISMATCH,
	[PLINK_HC_FAILED]	= PLINK_HEALTH_REASON_FAILED_CHECKS,
};

/**
 * plink_hc_step() - the threshold state machine
 * @npass: consecutive passes, updated
 * @nfail: consecutive failures, updated
 * @health: the target's health (enum plink_health), updated
 * @reason: its reason (enum plink_health_reason), updated
 * @res: the result of a check
 * @healthy: passes in a row that make a target healthy
 * @unhealthy: failures in a row that make a target unhealthy
 *
 * An unhealthy target's reason follows its latest failure.  Draining
 * targets are not checked, and not changed here.
 *
 * Return: whether @health changed.
 */
bool plink_hc_step(u8 *npass, u8 *nfail, u32 *health, u32 *reason,
		   enum plink_hc_result res, u8 healthy, u8 unhealthy)
{
	u32 h = *health;

	if (h == PLINK_HEALTH_DRAINING)
		return false;
	if (res == PLINK_HC_PASS) {
		*nfail = 0;
		if (*npass < U8_MAX)
			(*npass)++;
		if (h != PLINK_HEALTH_HEALTHY && *npass >= healthy) {
			*health = PLINK_HEALTH_HEALTHY;
			*reason = PLINK_HEALTH_REASON_NONE;
		}
	} else {
		*npass = 0;
		if (*nfail < U8_MAX)
			(*nfail)++;
		if (h == PLINK_HEALTH_UNHEALTHY || *nfail >= unhealthy) {
			*health = PLINK_HEALTH_UNHEALTHY;
			*reason = plink_hc_reasons[res];
		}
	}
	return *health != h;
}
EXPORT_SYMBOL_IF_KUNIT(plink_hc_step);

/*
 * The health and reason a target shows: "unused" for one never set of a
 * service without a health check.
 */
u32 plink_target_health_shown(const struct plink_service_cfg *cfg,
			      const struct plink_target *t, u32 *reason)
{
	u32 health = READ_ONCE(t->health);

	*reason = READ_ONCE(t->reason);
	if (health == PLINK_HEALTH_DRAINING) {
		*reason = PLINK_HEALTH_REASON_DEREGISTRATION;
	} else if (cfg->hc.type == PLINK_HEALTH_CHECK_TYPE_OFF &&
		   health == PLINK_HEALTH_INITIAL) {
		*reason = PLINK_HEALTH_REASON_NO_HEALTH_CHECK;
		health = PLINK_HEALTH_UNUSED;
	}
	return health;
}

/* The provider set @t's health: the thresholds count from there. */
void plink_health_manual(struct plink_target *t)
{
	lockdep_assert_held(&plink_cfg_lock);
	t->probe.npass = 0;
	t->probe.nfail = 0;
	atomic_set(&t->passive_fails, 0);
}

/*
 * Passive health, from the datapath (BH, under RCU): a connection to @t
 * failed (@s says how).  Counted; with passive checks on, enough failures
 * in a row queue the service's work, which marks the target unhealthy.
 */
void plink_health_passive(struct plink_target *t, enum plink_stat s)
{
	struct plink_service *svc = t->svc;
	const struct plink_service_cfg *cfg;
	int fails;

	plink_count(&t->cnt, s, 1);
	/* Saturates: with passive off, nothing resets the run. */
	fails = atomic_read(&t->passive_fails);
	if (fails < U8_MAX)
		fails = atomic_inc_return(&t->passive_fails);
	cfg = rcu_dereference(svc->cfg);
	if (cfg->hc.passive && fails >= cfg->hc.unhealthy)
		plink_health_kick(svc);
}

/* A target answered a SYN: its run of passive failures ends. */
void plink_health_passive_ok(struct plink_target *t)
{
	if (atomic_read(&t->passive_fails))
		atomic_set(&t->passive_fails, 0);
}

/* The flow GC's callback for a TCP flow whose SYN was never answered. */
void plink_health_syn_timeout(struct plink_flow *f)
{
	plink_health_passive(f->target, PLINK_STAT_PASSIVE_SYN_TIMEOUT);
}
