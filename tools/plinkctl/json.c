// SPDX-License-Identifier: GPL-2.0
/*
 * A tiny JSON writer; see json.h.
 */

#include "json.h"

void json_init(struct json_writer *jw, FILE *out)
{
	jw->out = out;
	jw->sep = false;
	jw->pretty = false;
	jw->after_key = false;
	jw->depth = 0;
}

/* Pretty: a new line, indented two spaces a level. */
static void json_newline(struct json_writer *jw)
{
	fprintf(jw->out, "\n%*s", (int)(2 * jw->depth), "");
}

static void json_sep(struct json_writer *jw)
{
	if (jw->sep)
		fputc(',', jw->out);
	if (jw->pretty && jw->depth && !jw->after_key)
		json_newline(jw);
	jw->after_key = false;
}

/* The end of an object or array: on a line of its own, unless empty. */
static void json_end(struct json_writer *jw, char c)
{
	jw->depth--;
	if (jw->pretty && jw->sep)
		json_newline(jw);
	fputc(c, jw->out);
	jw->sep = true;
}

/*
 * The length of the valid UTF-8 sequence that starts at @s, or 0 when @s
 * does not start one (overlong forms, surrogates and code points above
 * U+10FFFF are not valid).  Reads no further than a NUL byte.
 */
static unsigned int utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	unsigned int len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}

	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

static void json_quote(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned int len;

	fputc('"', out);
	while (*s) {
		if (*s == '"' || *s == '\\') {
			fputc('\\', out);
			fputc(*s++, out);
		} else if (*s < 0x20 || *s == 0x7f) {
			fprintf(out, "\\u%04x", *s++);
		} else if (*s < 0x80) {
			fputc(*s++, out);
		} else {
			len = utf8_len(s);
			if (len) {
				fwrite(s, 1, len, out);
				s += len;
			} else {
				fprintf(out, "\\u%04x", *s++);
			}
		}
	}
	fputc('"', out);
}

void json_object_begin(struct json_writer *jw)
{
	json_sep(jw);
	fputc('{', jw->out);
	jw->depth++;
	jw->sep = false;
}

void json_object_end(struct json_writer *jw)
{
	json_end(jw, '}');
}

void json_array_begin(struct json_writer *jw)
{
	json_sep(jw);
	fputc('[', jw->out);
	jw->depth++;
	jw->sep = false;
}

void json_array_end(struct json_writer *jw)
{
	json_end(jw, ']');
}

void json_key(struct json_writer *jw, const char *key)
{
	json_sep(jw);
	json_quote(jw->out, key);
	fputs(jw->pretty ? ": " : ":", jw->out);
	jw->sep = false;
	jw->after_key = true;
}

void json_string(struct json_writer *jw, const char *s)
{
	json_sep(jw);
	json_quote(jw->out, s);
	jw->sep = true;
}

void json_uint(struct json_writer *jw, unsigned long long v)
{
	json_sep(jw);
	fprintf(jw->out, "%llu", v);
	jw->sep = true;
}

void json_int(struct json_writer *jw, long long v)
{
	json_sep(jw);
	fprintf(jw->out, "%lld", v);
	jw->sep = true;
}

void json_bool(struct json_writer *jw, bool v)
{
	json_sep(jw);
	fputs(v ? "true" : "false", jw->out);
	jw->sep = true;
}

void json_null(struct json_writer *jw)
{
	json_sep(jw);
	fputs("null", jw->out);
	jw->sep = true;
}

void json_kv_string(struct json_writer *jw, const char *key, const char *s)
{
	json_key(jw, key);
	json_string(jw, s);
}

void json_kv_uint(struct json_writer *jw, const char *key,
		  unsigned long long v)
{
	json_key(jw, key);
	json_uint(jw, v);
}

void json_kv_int(struct json_writer *jw, const char *key, long long v)
{
	json_key(jw, key);
	json_int(jw, v);
}

void json_kv_bool(struct json_writer *jw, const char *key, bool v)
{
	json_key(jw, key);
	json_bool(jw, v);
}
