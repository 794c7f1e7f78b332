// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the health checks' pure logic: the threshold state
 * machine (sequences of passes, failures and timeouts), the HTTP
 * status-line parser (valid, partial, oversized, garbage) and the parser
 * of the match list.
 */

#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "../plink.h"

struct plink_test_sm {
	u8 npass;
	u8 nfail;
	u32 health;
	u32 reason;
};

/* Feed @res to the machine (thresholds 3 healthy, 2 unhealthy). */
static bool plink_test_step(struct plink_test_sm *sm, enum plink_hc_result res)
{
	return plink_hc_step(&sm->npass, &sm->nfail, &sm->health, &sm->reason,
			     res, 3, 2);
}

static void plink_test_hc_initial(struct kunit *test)
{
	struct plink_test_sm sm = {
		.health = PLINK_HEALTH_INITIAL,
		.reason = PLINK_HEALTH_REASON_INITIAL_CHECKING,
	};

	/* Two passes are not three. */
	KUNIT_EXPECT_FALSE(test, plink_test_step(&sm, PLINK_HC_PASS));
	KUNIT_EXPECT_FALSE(test, plink_test_step(&sm, PLINK_HC_PASS));
	KUNIT_EXPECT_EQ(test, sm.health, PLINK_HEALTH_INITIAL);
	KUNIT_EXPECT_EQ(test, sm.reason, PLINK_HEALTH_REASON_INITIAL_CHECKING);
	/* A failure starts the count again. */
	KUNIT_EXPECT_FALSE(test, plink_test_step(&sm, PLINK_HC_TIMEOUT));
	KUNIT_EXPECT_FALSE(test, plink_test_step(&sm, PLINK_HC_PASS));
	KUNIT_EXPECT_FALSE(test, plink_test_step(&sm, PLINK_HC_PASS));
	KUNIT_EXPECT_TRUE(test, plink_test_step(&sm, PLINK_HC_PASS));
	KUNIT_EXPECT_EQ(test, sm.health, PLINK_HEALTH_HEALTHY);
	KUNIT_EXPECT_EQ(test, sm.reason, PLINK_HEALTH_REASON_NONE);
	/* More passes change nothing. */
	KUNIT_EXPECT_FALSE(test, plink_test_step(&sm, PLINK_HC_PASS));
}

static void plink_test_hc_unhealthy(struct kunit *test)
{
	struct plink_test_sm sm = { .health = PLINK_HEALTH_HEALTHY };

	/* One failure between passes is not two in a row. */
	KUNIT_EXPECT_FALSE(test, plink_test_step(&sm, PLINK_HC_REFUSED));
	KUNIT_EXPECT_FALSE(test, plink_test_step(&sm, PLINK_HC_PASS));
	KUNIT_EXPECT_FALSE(test, plink_test_step(&sm, PLINK_HC_TIMEOUT));
	KUNIT_EXPECT_EQ(test, sm.health, PLINK_HEALTH_HEALTHY);
	KUNIT_EXPECT_TRUE(test, plink_test_step(&sm, PLINK_HC_REFUSED));
	KUNIT_EXPECT_EQ(test, sm.health, PLINK_HEALTH_UNHEALTHY);
	KUNIT_EXPECT_EQ(test, sm.reason, PLINK_HEALTH_REASON_CONNECTION_REFUSED);
	/* The reason follows the latest failure; the health stays. */
	KUNIT_EXPECT_FALSE(test, plink_test_step(&sm, PLINK_HC_MISMATCH));
	KUNIT_EXPECT_EQ(test, sm.reason,
			PLINK_HEALTH_REASON_RESPONSE_CODE_MISMATCH);
	KUNIT_EXPECT_FALSE(test, plink_test_step(&sm, PLINK_HC_TIMEOUT));
	KUNIT_EXPECT_EQ(test, sm.reason, PLINK_HEALTH_REASON_TIMEOUT);
	/* Back after three passes in a row. */
	KUNIT_EXPECT_FALSE(test, plink_test_step(&sm, PLINK_HC_PASS));
	KUNIT_EXPECT_FALSE(test, plink_test_step(&sm, PLINK_HC_PASS));
	KUNIT_EXPECT_FALSE(test, plink_test_step(&sm, PLINK_HC_FAILED));
	KUNIT_EXPECT_EQ(test, sm.reason, PLINK_HEALTH_REASON_FAILED_CHECKS);
	KUNIT_EXPECT_FALSE(test, plink_test_step(&sm, PLINK_HC_PASS));
	KUNIT_EXPECT_FALSE(test, plink_test_step(&sm, PLINK_HC_PASS));
	KUNIT_EXPECT_TRUE(test, plink_test_step(&sm, PLINK_HC_PASS));
	KUNIT_EXPECT_EQ(test, sm.health, PLINK_HEALTH_HEALTHY);
}

static void plink_test_hc_initial_fails(struct kunit *test)
{
	struct plink_test_sm sm = { .health = PLINK_HEALTH_INITIAL };
	unsigned int i;

	KUNIT_EXPECT_FALSE(test, plink_test_step(&sm, PLINK_HC_TIMEOUT));
	KUNIT_EXPECT_TRUE(test, plink_test_step(&sm, PLINK_HC_TIMEOUT));
	KUNIT_EXPECT_EQ(test, sm.health, PLINK_HEALTH_UNHEALTHY);
	KUNIT_EXPECT_EQ(test, sm.reason, PLINK_HEALTH_REASON_TIMEOUT);
	/* The counts saturate. */
	for (i = 0; i < 300; i++)
		plink_test_step(&sm, PLINK_HC_TIMEOUT);
	KUNIT_EXPECT_EQ(test, sm.nfail, U8_MAX);
	KUNIT_EXPECT_EQ(test, sm.health, PLINK_HEALTH_UNHEALTHY);
}

static void plink_test_hc_draining(struct kunit *test)
{
	struct plink_test_sm sm = {
		.health = PLINK_HEALTH_DRAINING,
		.reason = PLINK_HEALTH_REASON_DEREGISTRATION,
	};
	unsigned int i;

	for (i = 0; i < 5; i++) {
		KUNIT_EXPECT_FALSE(test, plink_test_step(&sm, PLINK_HC_PASS));
		KUNIT_EXPECT_FALSE(test, plink_test_step(&sm, PLINK_HC_FAILED));
	}
	KUNIT_EXPECT_EQ(test, sm.health, PLINK_HEALTH_DRAINING);
	KUNIT_EXPECT_EQ(test, sm.reason, PLINK_HEALTH_REASON_DEREGISTRATION);
}

static int plink_test_code(const char *s, bool complete)
{
	return plink_hc_status_code(s, strlen(s), complete);
}

static void plink_test_hc_status(struct kunit *test)
{
	char big[512];

	/* Valid. */
	KUNIT_EXPECT_EQ(test, plink_test_code("HTTP/1.1 200 OK\r\n", false), 200);
	KUNIT_EXPECT_EQ(test, plink_test_code("HTTP/1.0 404 Not Found\r\n\r\n",
					      true), 404);
	KUNIT_EXPECT_EQ(test, plink_test_code("HTTP/1.1 500\r\n", false), 500);
	KUNIT_EXPECT_EQ(test, plink_test_code("HTTP/1.1 301\n", false), 301);
	KUNIT_EXPECT_EQ(test, plink_test_code("HTTP/1.1 599 ", false), 599);
	KUNIT_EXPECT_EQ(test, plink_test_code("HTTP/1.1 100 ", false), 100);
	/* Partial: more may come, or not. */
	KUNIT_EXPECT_EQ(test, plink_test_code("", false), -EAGAIN);
	KUNIT_EXPECT_EQ(test, plink_test_code("HTT", false), -EAGAIN);
	KUNIT_EXPECT_EQ(test, plink_test_code("HTTP/1.1 20", false), -EAGAIN);
	KUNIT_EXPECT_EQ(test, plink_test_code("HTTP/1.1 200", false), -EAGAIN);
	KUNIT_EXPECT_EQ(test, plink_test_code("HTTP/1.1 200", true), -EINVAL);
	KUNIT_EXPECT_EQ(test, plink_test_code("", true), -EINVAL);
	/* Garbage. */
	KUNIT_EXPECT_EQ(test, plink_test_code("http/1.1 200 OK\r\n", false),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, plink_test_code("HTTP/1.1 2000 OK", false),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, plink_test_code("HTTP/1.1 20x OK", false),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, plink_test_code("HTTP/1.1 099 OK", false),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, plink_test_code("HTTP/1.1 600 OK", false),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, plink_test_code("HTTP/1.1  200 OK", false),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, plink_test_code("SSH-2.0-OpenSSH_9.2\r\n", false),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, plink_hc_status_code("HTTP/1.1 2\0000 OK", 16,
						   false), -EINVAL);
	/* Oversized: only the status line's start is read. */
	memset(big, 'x', sizeof(big));
	memcpy(big, "HTTP/1.1 204 ", 13);
	KUNIT_EXPECT_EQ(test, plink_hc_status_code(big, sizeof(big), false),
			204);
	memset(big, 'H', sizeof(big));
	KUNIT_EXPECT_EQ(test, plink_hc_status_code(big, sizeof(big), true),
			-EINVAL);
}

static void plink_test_hc_match(struct kunit *test)
{
	struct plink_health_cfg hc;
	u8 n = 0;

	plink_health_cfg_init(&hc);
	KUNIT_EXPECT_TRUE(test, plink_hc_match(&hc, 200));
	KUNIT_EXPECT_TRUE(test, plink_hc_match(&hc, 399));
	KUNIT_EXPECT_FALSE(test, plink_hc_match(&hc, 404));
	KUNIT_EXPECT_FALSE(test, plink_hc_match(&hc, 199));

	KUNIT_ASSERT_EQ(test, plink_hc_match_parse("200,202-204,404", hc.ranges,
						   PLINK_HC_MAX_RANGES,
						   &hc.nranges), 0);
	KUNIT_EXPECT_EQ(test, hc.nranges, 3);
	KUNIT_EXPECT_EQ(test, hc.ranges[1].lo, 202);
	KUNIT_EXPECT_EQ(test, hc.ranges[1].hi, 204);
	KUNIT_EXPECT_TRUE(test, plink_hc_match(&hc, 203));
	KUNIT_EXPECT_TRUE(test, plink_hc_match(&hc, 404));
	KUNIT_EXPECT_FALSE(test, plink_hc_match(&hc, 201));
	KUNIT_EXPECT_FALSE(test, plink_hc_match(&hc, 500));

	KUNIT_EXPECT_EQ(test, plink_hc_match_parse("500", hc.ranges, 16, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 1);
	KUNIT_EXPECT_EQ(test, plink_hc_match_parse("100-599", hc.ranges, 16,
						   &n), 0);
	/* Malformed. */
	KUNIT_EXPECT_EQ(test, plink_hc_match_parse("", hc.ranges, 16, &n),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, plink_hc_match_parse("20", hc.ranges, 16, &n),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, plink_hc_match_parse("2000", hc.ranges, 16, &n),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, plink_hc_match_parse("099", hc.ranges, 16, &n),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, plink_hc_match_parse("600", hc.ranges, 16, &n),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, plink_hc_match_parse("300-200", hc.ranges, 16,
						   &n), -EINVAL);
	KUNIT_EXPECT_EQ(test, plink_hc_match_parse("200,", hc.ranges, 16, &n),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, plink_hc_match_parse(",200", hc.ranges, 16, &n),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, plink_hc_match_parse("200-", hc.ranges, 16, &n),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, plink_hc_match_parse("200 ,201", hc.ranges, 16,
						   &n), -EINVAL);
	KUNIT_EXPECT_EQ(test, plink_hc_match_parse("abc", hc.ranges, 16, &n),
			-EINVAL);
	/* Too many. */
	KUNIT_EXPECT_EQ(test, plink_hc_match_parse("200,201,202", hc.ranges, 2,
						   &n), -E2BIG);
	KUNIT_EXPECT_EQ(test, plink_hc_match_parse("200,201", hc.ranges, 2,
						   &n), 0);
}

static struct kunit_case plink_health_cases[] = {
	KUNIT_CASE(plink_test_hc_initial),
	KUNIT_CASE(plink_test_hc_unhealthy),
	KUNIT_CASE(plink_test_hc_initial_fails),
	KUNIT_CASE(plink_test_hc_draining),
	KUNIT_CASE(plink_test_hc_status),
	KUNIT_CASE(plink_test_hc_match),
	{}
};

static struct kunit_suite plink_health_suite = {
	.name = "plink_health",
	.test_cases = plink_health_cases,
};

kunit_test_suite(plink_health_suite);
