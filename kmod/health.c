// SPDX-License-Identifier: GPL-2.0
/*
 * Health checks of a service's targets: active TCP and HTTP probes from
 * kernel sockets in the service's netns, and passive health from what the
 * datapath sees.
 *
 * One delayed work per checked service (@hc_work) does everything, under
 * plink_cfg_lock: it starts the probes that are due, looks at those in
 * flight, applies results and reschedules itself for the next deadline.
 * Probes never block it: a probe is a non-blocking connect, and its
 * socket's callbacks only queue the work again.  A target's result goes
 * through plink_target_set(), as a manual change of health does.
 *
 * Ownership: a probe socket belongs to its target's probe state and is
 * closed (its callbacks detached first) when the probe ends, when the
 * target is removed, zeroed or drained, and when the service's checks
 * stop: health-check off, service deletion (so its NLB device's deletion
 * or unbinding, its netns's exit and the module's unload), and the
 * netns's pre_exit.  Kernel sockets hold no reference to their netns: none
 * may outlive the service.  The work holds a reference to the service
 * (@hc_ref) while it is armed; once the checks stop, its last run waits
 * for a grace period (the datapath and the socket callbacks queue it under
 * RCU, seeing @hc_on) and drops the reference.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <linux/random.h>
#include <linux/socket.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "plink.h"

static struct workqueue_struct *plink_health_wq;

/*
 * Run the service's checks at once, if it has any.  Any context: probe
 * sockets' callbacks and the datapath (BH, under RCU), configuration
 * changes (under plink_cfg_lock).  The service is alive: its work holds
 * it until a grace period after its checks stopped, and @hc_on is cleared
 * before that.
 */
void plink_health_kick(struct plink_service *svc)
{
	if (svc && READ_ONCE(svc->hc_on))
		mod_delayed_work(plink_health_wq, &svc->hc_work, 0);
}

static void plink_probe_sk_event(struct sock *sk)
{
	rcu_read_lock();
	plink_health_kick(rcu_dereference_sk_user_data(sk));
	rcu_read_unlock();
}

/* Detach the callbacks and close the probe's socket, with a RST. */
static void plink_probe_close(struct plink_probe *pr)
{
	struct socket *sock = pr->sock;
	struct sock *sk;

	if (!sock)
		return;
	sk = sock->sk;
	write_lock_bh(&sk->sk_callback_lock);
	rcu_assign_sk_user_data(sk, NULL);
	sk->sk_state_change = pr->old_state_change;
	sk->sk_data_ready = pr->old_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
	sock_release(sock);
	pr->sock = NULL;
	pr->sent = false;
	pr->rlen = 0;
}

/* The port a probe goes to: the check's, the target's, the listener's. */
static __be16 plink_probe_port(const struct plink_service_cfg *cfg,
			       const struct plink_target *t)
{
	return cfg->hc.port ?: t->port ?: cfg->listeners[0].target_port;
}

/* Start a probe of @t: a non-blocking connect. */
static int plink_probe_start(struct plink_service *svc,
			     const struct plink_service_cfg *cfg,
			     struct plink_target *t)
{
	struct plink_probe *pr = &t->probe;
	struct sockaddr_storage ss = {};
	struct socket *sock;
	struct sock *sk;
	int len, err;

	if (t->addr.family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = t->addr.ip;
		sin->sin_port = plink_probe_port(cfg, t);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = t->addr.in6;
		sin6->sin6_port = plink_probe_port(cfg, t);
		len = sizeof(*sin6);
	}
	err = sock_create_kern(svc->net, t->addr.family, SOCK_STREAM,
			       IPPROTO_TCP, &sock);
	if (err)
		return err;
	sk = sock->sk;
	/* Closed with a RST: nothing lingers once the probe is over. */
	sock_no_linger(sk);
	write_lock_bh(&sk->sk_callback_lock);
	pr->old_state_change = sk->sk_state_change;
	pr->old_data_ready = sk->sk_data_ready;
	rcu_assign_sk_user_data(sk, svc);
	sk->sk_state_change = plink_probe_sk_event;
	sk->sk_data_ready = plink_probe_sk_event;
	write_unlock_bh(&sk->sk_callback_lock);
	pr->sock = sock;
	err = kernel_connect(sock, (struct sockaddr *)&ss, len, O_NONBLOCK);
	if (err && err != -EINPROGRESS) {
		plink_probe_close(pr);
		return err;
	}
	return 0;
}

static int plink_probe_send(struct plink_target *t,
			    const struct plink_health_cfg *hc)
{
	char req[PLINK_HC_PATH_LEN + 96];
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec iov;
	int len;

	if (t->addr.family == AF_INET)
		len = snprintf(req, sizeof(req),
			       "GET %s HTTP/1.1\r\nHost: %pI4\r\nConnection: close\r\n\r\n",
			       hc->path, &t->addr.ip);
	else
		len = snprintf(req, sizeof(req),
			       "GET %s HTTP/1.1\r\nHost: [%pI6c]\r\nConnection: close\r\n\r\n",
			       hc->path, &t->addr.in6);
	/* The longest path and address fit: a truncated one never goes. */
	if (len >= sizeof(req))
		return -E2BIG;
	iov.iov_base = req;
	iov.iov_len = len;
	return kernel_sendmsg(t->probe.sock, &msg, &iov, 1, len) == len ?
	       0 : -EIO;
}

/* The result of @t's probe in flight, or -EINPROGRESS. */
static int plink_probe_poll(struct plink_target *t,
			    const struct plink_health_cfg *hc,
			    unsigned long now)
{
	struct plink_probe *pr = &t->probe;
	struct sock *sk = pr->sock->sk;
	int state = READ_ONCE(sk->sk_state);
	bool eof = false;
	int code;

	if (state == TCP_SYN_SENT)
		goto pending;
	if (!pr->sent && state != TCP_ESTABLISHED &&
	    state != TCP_CLOSE_WAIT)
		return READ_ONCE(sk->sk_err) == ECONNREFUSED ?
		       PLINK_HC_REFUSED : PLINK_HC_FAILED;
	if (hc->type == PLINK_HEALTH_CHECK_TYPE_TCP)
		return PLINK_HC_PASS;
	if (!pr->sent) {
		if (plink_probe_send(t, hc))
			return PLINK_HC_FAILED;
		pr->sent = true;
	}
	while (pr->rlen < sizeof(pr->rbuf)) {
		struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
		struct kvec iov = {
			.iov_base = pr->rbuf + pr->rlen,
			.iov_len = sizeof(pr->rbuf) - pr->rlen,
		};
		int n;

		n = kernel_recvmsg(pr->sock, &msg, &iov, 1, iov.iov_len,
				   MSG_DONTWAIT);
		if (n == -EAGAIN)
			break;
		if (n < 0)
			return PLINK_HC_FAILED;
		if (!n) {
			eof = true;
			break;
		}
		pr->rlen += n;
	}
	code = plink_hc_status_code(pr->rbuf, pr->rlen,
				    eof || pr->rlen == sizeof(pr->rbuf));
	if (code == -EAGAIN)
		goto pending;
	if (code < 0)
		return PLINK_HC_FAILED;
	return plink_hc_match(hc, code) ? PLINK_HC_PASS : PLINK_HC_MISMATCH;
pending:
	if (time_after_eq(now, pr->deadline))
		return PLINK_HC_TIMEOUT;
	return -EINPROGRESS;
}

/* Per-CPU counters are bumped with BH off, as the datapath does. */
static void plink_health_count(struct plink_target *t, enum plink_stat s)
{
	local_bh_disable();
	plink_count(&t->cnt, s, 1);
	local_bh_enable();
}

/* Apply @health and @reason through the path a manual change takes. */
static void plink_health_set(struct plink_service *svc,
			     struct plink_target *t, u32 health, u32 reason)
{
	struct plink_target_update upd = {
		.health = health,
		.reason = reason,
		.set_health = true,
	};

	if (plink_target_set(svc, t, &upd, NULL))
		pr_warn_ratelimited("service %s: no memory to apply a health check result\n",
				    svc->name);
}

static void plink_health_result(struct plink_service *svc,
				const struct plink_health_cfg *hc,
				struct plink_target *t,
				enum plink_hc_result res)
{
	u32 health = t->health, reason = t->reason;

	if (res != PLINK_HC_PASS)
		plink_health_count(t, PLINK_STAT_CHECKS_FAILED);
	if (plink_hc_step(&t->probe.npass, &t->probe.nfail, &health, &reason,
			  res, hc->healthy, hc->unhealthy))
		plink_health_set(svc, t, health, reason);
	else
		WRITE_ONCE(t->reason, reason);
}

/* Passive health: the datapath saw enough failed connections in a row. */
static void plink_health_passive_check(struct plink_service *svc,
				       const struct plink_health_cfg *hc,
				       struct plink_target *t)
{
	int fails = atomic_read(&t->passive_fails);

	if (fails < hc->unhealthy)
		return;
	atomic_set(&t->passive_fails, 0);
	t->probe.npass = 0;
	t->probe.nfail = hc->unhealthy;
	if (t->health != PLINK_HEALTH_UNHEALTHY)
		plink_health_set(svc, t, PLINK_HEALTH_UNHEALTHY,
				 PLINK_HEALTH_REASON_FAILED_CHECKS);
}

/* Whether @t is checked: not with weight 0, nor draining. */
static bool plink_target_checked(const struct plink_target *t)
{
	return t->weight && t->health != PLINK_HEALTH_DRAINING;
}

static unsigned long plink_earliest(unsigned long a, unsigned long b)
{
	return time_before(a, b) ? a : b;
}

/* Whether a probe of @pr's target is due (waiting since pr->next). */
static bool plink_probe_due(const struct plink_probe *pr, unsigned long now)
{
	return !pr->sock && (pr->due || time_after_eq(now, pr->next));
}

/*
 * Of the targets whose probe is due, the one waiting longest: with probes
 * rationed (the owner's rate), no target starves behind the others.
 */
static struct plink_target *plink_health_pick(struct plink_service *svc,
					      unsigned long now)
{
	struct plink_target *t, *best = NULL;

	list_for_each_entry(t, &svc->targets, list) {
		if (!plink_target_checked(t) || !plink_probe_due(&t->probe, now))
			continue;
		if (!best || time_before(t->probe.next, best->probe.next))
			best = t;
	}
	return best;
}

/* Start @t's probe, and set when the next one is due. */
static void plink_health_probe(struct plink_service *svc,
			       const struct plink_service_cfg *cfg,
			       struct plink_target *t, unsigned long now)
{
	unsigned long interval = cfg->hc.interval * HZ;
	struct plink_probe *pr = &t->probe;

	plink_health_count(t, PLINK_STAT_CHECKS);
	/*
	 * The first probe goes at once, the second somewhere in the next
	 * interval, so that the probes of many targets spread; then one per
	 * interval.
	 */
	if (pr->due)
		pr->next = now + interval / 2 +
			   get_random_u32_below(interval / 2 + 1);
	else if (time_before(pr->next + interval, now))
		pr->next = now + interval;
	else
		pr->next += interval;
	pr->due = false;
	if (plink_probe_start(svc, cfg, t))
		plink_health_result(svc, &cfg->hc, t, PLINK_HC_FAILED);
	else
		pr->deadline = now + cfg->hc.timeout * HZ;
}

/*
 * One pass over the service's targets: results of probes in flight,
 * passive failures, then the probes due, as the owner's rate allows.
 * Returns when it must run next.
 */
static unsigned long plink_health_run(struct plink_service *svc,
				      unsigned long now)
{
	const struct plink_service_cfg *cfg;
	const struct plink_health_cfg *hc;
	struct plink_target *t;
	unsigned long wake;
	bool rationed;
	int res;

	cfg = rcu_dereference_protected(svc->cfg,
					lockdep_is_held(&plink_cfg_lock));
	hc = &cfg->hc;
	rationed = plink_owner_probe_rate(svc->owner) != PLINK_LIMIT_NONE;
	list_for_each_entry(t, &svc->targets, list) {
		struct plink_probe *pr = &t->probe;

		if (!plink_target_checked(t)) {
			plink_probe_close(pr);
			/* Checked at once when it is again. */
			pr->due = true;
			pr->next = now;
			continue;
		}
		if (hc->passive)
			plink_health_passive_check(svc, hc, t);
		if (pr->sock) {
			res = plink_probe_poll(t, hc, now);
			if (res == -EINPROGRESS)
				continue;
			plink_probe_close(pr);
			plink_health_result(svc, hc, t, res);
		}
	}
	if (!rationed) {
		list_for_each_entry(t, &svc->targets, list) {
			if (plink_target_checked(t) &&
			    plink_probe_due(&t->probe, now))
				plink_health_probe(svc, cfg, t, now);
		}
	}
	while (rationed && (t = plink_health_pick(svc, now))) {
		if (!plink_owner_probe_allowed(svc->owner))
			break;
		plink_health_probe(svc, cfg, t, now);
	}
	wake = now + hc->interval * HZ;
	list_for_each_entry(t, &svc->targets, list) {
		if (!plink_target_checked(t))
			continue;
		if (t->probe.sock)
			wake = plink_earliest(wake, t->probe.deadline);
		else if (plink_probe_due(&t->probe, now))
			/* Put off by the rate: try again soon. */
			wake = plink_earliest(wake, now + HZ / 10 + 1);
		else
			wake = plink_earliest(wake, t->probe.next);
	}
	return wake;
}

static void plink_health_work(struct work_struct *work)
{
	struct plink_service *svc = container_of(to_delayed_work(work),
						 struct plink_service,
						 hc_work);
	unsigned long now, wake;
	bool put = false;

	mutex_lock(&plink_cfg_lock);
	if (svc->hc_on) {
		now = jiffies;
		wake = plink_health_run(svc, now);
		/*
		 * Not mod_delayed_work(): a callback may have queued the work
		 * again while it ran (at once), and must not be put off.
		 */
		queue_delayed_work(plink_health_wq, &svc->hc_work,
				   time_after(wake, now) ? wake - now : 0);
	} else if (svc->hc_ref) {
		svc->hc_ref = false;
		put = true;
	}
	mutex_unlock(&plink_cfg_lock);
	if (!put)
		return;
	/* Who saw @hc_on may still queue the work: wait for them. */
	synchronize_rcu();
	mutex_lock(&plink_cfg_lock);
	/* Unless the checks started again (the work is theirs then). */
	if (!svc->hc_on && !svc->hc_ref)
		cancel_delayed_work(&svc->hc_work);
	mutex_unlock(&plink_cfg_lock);
	plink_service_put(svc);
}

/* A new service: its work, idle. */
void plink_health_init(struct plink_service *svc)
{
	INIT_DELAYED_WORK(&svc->hc_work, plink_health_work);
}

static void plink_health_reset(struct plink_target *t, bool on)
{
	struct plink_probe *pr = &t->probe;

	plink_probe_close(pr);
	pr->npass = 0;
	pr->nfail = 0;
	pr->due = true;
	pr->next = jiffies;
	atomic_set(&t->passive_fails, 0);
	if (t->health == PLINK_HEALTH_INITIAL)
		WRITE_ONCE(t->reason, on ? PLINK_HEALTH_REASON_INITIAL_CHECKING :
				      PLINK_HEALTH_REASON_NONE);
}

/*
 * Without a check, a health the checks gave goes: the target is as one
 * never checked (a health set by hand, or draining, stays).
 */
static void plink_health_forget(struct plink_service *svc,
				struct plink_target *t)
{
	if (t->health == PLINK_HEALTH_DRAINING ||
	    t->reason == PLINK_HEALTH_REASON_MANUAL ||
	    (t->health == PLINK_HEALTH_INITIAL &&
	     t->reason == PLINK_HEALTH_REASON_NONE))
		return;
	plink_health_set(svc, t, PLINK_HEALTH_INITIAL,
			 PLINK_HEALTH_REASON_NONE);
}

/*
 * The service's configuration went from @old (NULL: a new service) to
 * @cfg: start, stop or restart its checks.  A changed check probes every
 * target at once.
 */
void plink_health_update(struct plink_service *svc,
			 const struct plink_service_cfg *old,
			 const struct plink_service_cfg *cfg)
{
	bool on = cfg->hc.type != PLINK_HEALTH_CHECK_TYPE_OFF;
	struct plink_target *t;

	lockdep_assert_held(&plink_cfg_lock);
	if (old && !memcmp(&old->hc, &cfg->hc, sizeof(cfg->hc)) &&
	    old->listeners[0].target_port == cfg->listeners[0].target_port)
		return;
	if (!on) {
		plink_health_stop(svc);
		list_for_each_entry(t, &svc->targets, list) {
			plink_health_reset(t, false);
			plink_health_forget(svc, t);
		}
		return;
	}
	list_for_each_entry(t, &svc->targets, list)
		plink_health_reset(t, true);
	if (!svc->hc_ref) {
		refcount_inc(&svc->ref);
		svc->hc_ref = true;
	}
	WRITE_ONCE(svc->hc_on, true);
	mod_delayed_work(plink_health_wq, &svc->hc_work, 0);
	pr_debug("service uid:%u/%s: health checks on\n", svc->owner_uid,
		 svc->name);
}

/*
 * Stop the service's checks: every probe socket is closed now; the work
 * runs once more to drop its reference.
 */
void plink_health_stop(struct plink_service *svc)
{
	struct plink_target *t;

	lockdep_assert_held(&plink_cfg_lock);
	if (!svc->hc_on)
		return;
	WRITE_ONCE(svc->hc_on, false);
	list_for_each_entry(t, &svc->targets, list)
		plink_probe_close(&t->probe);
	mod_delayed_work(plink_health_wq, &svc->hc_work, 0);
	pr_debug("service uid:%u/%s: health checks off\n", svc->owner_uid,
		 svc->name);
}

/* A target leaves its service: its probe goes. */
void plink_health_target_stop(struct plink_target *t)
{
	lockdep_assert_held(&plink_cfg_lock);
	plink_probe_close(&t->probe);
}

/* A new target of @svc is checked at once. */
void plink_health_target_new(struct plink_service *svc,
			     struct plink_target *t)
{
	lockdep_assert_held(&plink_cfg_lock);
	plink_health_reset(t, svc->hc_on);
	if (svc->hc_on)
		mod_delayed_work(plink_health_wq, &svc->hc_work, 0);
}

/* A netns goes: the checks of its services stop before anything else. */
void plink_health_net_stop(struct net *net)
{
	struct plink_service *svc;

	mutex_lock(&plink_cfg_lock);
	list_for_each_entry(svc, &plink_services, list) {
		if (net_eq(svc->net, net))
			plink_health_stop(svc);
	}
	mutex_unlock(&plink_cfg_lock);
}

int __init plink_health_mod_init(void)
{
	plink_health_wq = alloc_workqueue("plink_health", WQ_UNBOUND, 0);
	return plink_health_wq ? 0 : -ENOMEM;
}

/* After every service is gone: waits for their works' last runs. */
void plink_health_mod_exit(void)
{
	destroy_workqueue(plink_health_wq);
}
