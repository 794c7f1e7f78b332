// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the JSON writer (json.c): string escaping, numbers and
 * structure, compared with the exact expected text.  Prints TAP.
 */

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define NTESTS	22

/* A writer into memory, and what it wrote. */
struct capture {
	struct json_writer jw;
	FILE *out;
	char *text;
	size_t len;
};

static int tests, failures;

static struct json_writer *cap_begin(struct capture *c)
{
	c->text = NULL;
	c->len = 0;
	c->out = open_memstream(&c->text, &c->len);
	if (!c->out) {
		perror("open_memstream");
		exit(1);
	}
	json_init(&c->jw, c->out);
	return &c->jw;
}

/* Test @name passes if what @c wrote is @want. */
static void cap_check(struct capture *c, const char *name, const char *want)
{
	fclose(c->out);
	tests++;
	if (!strcmp(c->text, want)) {
		printf("ok %d - %s\n", tests, name);
	} else {
		failures++;
		printf("not ok %d - %s\n", tests, name);
		printf("# got:  %s\n# want: %s\n", c->text, want);
	}
	free(c->text);
}

/* What json_string() writes for @s. */
static void check_string(const char *name, const char *s, const char *want)
{
	struct capture c;

	json_string(cap_begin(&c), s);
	cap_check(&c, name, want);
}

static void test_device(void)
{
	struct json_writer *jw;
	struct capture c;

	jw = cap_begin(&c);
	json_array_begin(jw);
	json_object_begin(jw);
	json_kv_string(jw, "ifname", "pl0");
	json_kv_uint(jw, "ifindex", 3);
	json_kv_string(jw, "binding", "none");
	json_object_end(jw);
	json_array_end(jw);
	cap_check(&c, "a device, as dev show prints it",
		  "[{\"ifname\":\"pl0\",\"ifindex\":3,\"binding\":\"none\"}]");
}

static void test_numbers(void)
{
	struct json_writer *jw;
	struct capture c;

	jw = cap_begin(&c);
	json_array_begin(jw);
	json_uint(jw, 0);
	json_uint(jw, 18446744073709551615ULL);
	json_int(jw, -9223372036854775807LL - 1);
	json_int(jw, 42);
	json_array_end(jw);
	cap_check(&c, "numbers",
		  "[0,18446744073709551615,-9223372036854775808,42]");
}

static void test_literals(void)
{
	struct json_writer *jw;
	struct capture c;

	jw = cap_begin(&c);
	json_object_begin(jw);
	json_kv_bool(jw, "yes", true);
	json_kv_bool(jw, "no", false);
	json_key(jw, "nothing");
	json_null(jw);
	json_kv_int(jw, "neg", -1);
	json_object_end(jw);
	cap_check(&c, "bools and null",
		  "{\"yes\":true,\"no\":false,\"nothing\":null,\"neg\":-1}");
}

static void test_nesting(void)
{
	struct json_writer *jw;
	struct capture c;

	jw = cap_begin(&c);
	json_object_begin(jw);
	json_key(jw, "list");
	json_array_begin(jw);
	json_uint(jw, 1);
	json_array_begin(jw);
	json_array_end(jw);
	json_object_begin(jw);
	json_object_end(jw);
	json_string(jw, "x");
	json_array_end(jw);
	json_kv_string(jw, "k\"ey", "v");
	json_object_end(jw);
	cap_check(&c, "nesting, empty containers, key escaping",
		  "{\"list\":[1,[],{},\"x\"],\"k\\\"ey\":\"v\"}");
}

static void test_empty_array(void)
{
	struct json_writer *jw;
	struct capture c;

	jw = cap_begin(&c);
	json_array_begin(jw);
	json_array_end(jw);
	cap_check(&c, "empty array", "[]");
}

int main(void)
{
	printf("TAP version 13\n1..%d\n", NTESTS);

	check_string("empty string", "", "\"\"");
	check_string("plain ASCII", "pl0 nlb-1_x", "\"pl0 nlb-1_x\"");
	check_string("double quote", "a\"b", "\"a\\\"b\"");
	check_string("backslash", "a\\b", "\"a\\\\b\"");
	check_string("slash is not escaped", "a/b", "\"a/b\"");
	check_string("newline, tab, CR as \\u",
		     "a\nb\tc\r", "\"a\\u000ab\\u0009c\\u000d\"");
	check_string("other control characters", "\x01\x08\x0c\x1b\x1f",
		     "\"\\u0001\\u0008\\u000c\\u001b\\u001f\"");
	check_string("DEL", "a\x7f", "\"a\\u007f\"");
	check_string("valid UTF-8 passes through",
		     "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		     "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	check_string("stray continuation and 0xff bytes",
		     "a\x80\xff", "\"a\\u0080\\u00ff\"");
	check_string("truncated sequence at the end",
		     "a\xc3", "\"a\\u00c3\"");
	check_string("truncated sequence before ASCII",
		     "\xe2\x82z", "\"\\u00e2\\u0082z\"");
	check_string("overlong encoding", "\xc0\xaf", "\"\\u00c0\\u00af\"");
	check_string("UTF-16 surrogate", "\xed\xa0\x80",
		     "\"\\u00ed\\u00a0\\u0080\"");
	check_string("above U+10FFFF", "\xf4\x90\x80\x80",
		     "\"\\u00f4\\u0090\\u0080\\u0080\"");
	check_string("U+10FFFF itself", "\xf4\x8f\xbf\xbf",
		     "\"\xf4\x8f\xbf\xbf\"");
	check_string("quotes and escapes mixed",
		     "\"\\\n\"", "\"\\\"\\\\\\u000a\\\"\"");
	test_device();
	test_numbers();
	test_literals();
	test_nesting();
	test_empty_array();

	if (tests != NTESTS)
		printf("# planned %d tests, ran %d\n", NTESTS, tests);
	return failures || tests != NTESTS;
}
