// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the JSON writer (json.c): string escaping, numbers and
 * structure; and of the print layer above it (print.c): one sequence of
 * calls, printed as text and as JSON.  Each result is compared with the
 * exact expected text.  Prints TAP.
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "print.h"

#define NTESTS	29

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

/* -p: a member or element a line, two spaces a level; empty stays [] {}. */
static void test_pretty(void)
{
	struct json_writer *jw;
	struct capture c;

	jw = cap_begin(&c);
	jw->pretty = true;
	json_array_begin(jw);
	json_object_begin(jw);
	json_key(jw, "list");
	json_array_begin(jw);
	json_uint(jw, 1);
	json_array_begin(jw);
	json_array_end(jw);
	json_object_begin(jw);
	json_object_end(jw);
	json_array_end(jw);
	json_kv_string(jw, "k", "v");
	json_object_end(jw);
	json_array_end(jw);
	cap_check(&c, "pretty: nesting, empty containers",
		  "[\n  {\n    \"list\": [\n      1,\n      [],\n      {}\n    ],\n    \"k\": \"v\"\n  }\n]");
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

/*
 * What @fn prints through a struct pl_print, as JSON if @json: the
 * strings after @json up to a NULL, joined.
 */
static void check_print(const char *name, void (*fn)(struct pl_print *p),
			bool json, ...)
{
	char want[512] = "";
	const char *piece;
	struct pl_print p;
	struct capture c;
	size_t len = 0;
	va_list ap;

	va_start(ap, json);
	while ((piece = va_arg(ap, const char *)) && len < sizeof(want))
		len += (size_t)snprintf(want + len, sizeof(want) - len, "%s",
					piece);
	va_end(ap);

	cap_begin(&c);
	pl_print_init(&p, c.out, json);
	fn(&p);
	cap_check(&c, name, want);
}

/* An object with a field of each kind, for each output. */
static void print_fields(struct pl_print *p)
{
	pl_open_object(p, NULL);
	pl_print_string(p, PL_ANY, "name", "%-6s", "web");
	pl_print_string(p, PL_TEXT, NULL, " id %s", "x1");
	pl_print_uint(p, PL_JSON, "ifindex", NULL, 3);
	pl_print_uint(p, PL_ANY, "port", " port %u", 80);
	pl_print_u64(p, PL_ANY, "bytes", " bytes %llu", 5000000000ULL);
	pl_print_on_off(p, PL_ANY, "fail_open", " fail-open %s", true);
	pl_print_bool(p, PL_ANY, "own", " own %s", false);
	pl_print_null(p, PL_ANY, "limit", " limit %s", "unlimited");
	pl_print_text(p, " %d%%", 42);
	pl_close_object(p);
	pl_print_nl(p, PL_TEXT);
}

/* Arrays and nested objects: brackets in JSON only. */
static void print_nested(struct pl_print *p)
{
	pl_open_array(p, NULL);
	pl_open_object(p, NULL);
	pl_open_array(p, "addrs");
	pl_print_string(p, PL_ANY, NULL, " %s", "192.0.2.1");
	pl_print_string(p, PL_ANY, NULL, " %s", "2001:db8::1");
	pl_close_array(p);
	pl_open_object(p, "stats");
	pl_print_uint(p, PL_ANY, "new", " new %u", 0);
	pl_close_object(p);
	pl_close_object(p);
	pl_open_object(p, NULL);
	pl_close_object(p);
	pl_close_array(p);
	pl_print_nl(p, PL_ANY);
}

/* Calls for the other output print nothing at all. */
static void print_other(struct pl_print *p)
{
	pl_print_string(p, p->json ? PL_TEXT : PL_JSON, "a", "%s", "x");
	pl_print_uint(p, p->json ? PL_TEXT : PL_JSON, "b", "%u", 1);
	pl_print_nl(p, p->json ? PL_TEXT : PL_JSON);
}

static void test_print(void)
{
	check_print("print: fields, text", print_fields, false,
		    "web    id x1 port 80 bytes 5000000000 fail-open on",
		    " own false limit unlimited 42%\n", NULL);
	check_print("print: fields, JSON", print_fields, true,
		    "{\"name\":\"web\",\"ifindex\":3,\"port\":80,",
		    "\"bytes\":5000000000,\"fail_open\":true,\"own\":false,",
		    "\"limit\":null}", NULL);
	check_print("print: nesting, text", print_nested, false,
		    " 192.0.2.1 2001:db8::1 new 0\n", NULL);
	check_print("print: nesting, JSON", print_nested, true,
		    "[{\"addrs\":[\"192.0.2.1\",\"2001:db8::1\"],",
		    "\"stats\":{\"new\":0}},{}]\n", NULL);
	check_print("print: the other output's calls, text", print_other,
		    false, "", NULL);
	check_print("print: the other output's calls, JSON", print_other,
		    true, "", NULL);
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
	test_pretty();
	test_print();

	if (tests != NTESTS)
		printf("# planned %d tests, ran %d\n", NTESTS, tests);
	return failures || tests != NTESTS;
}
