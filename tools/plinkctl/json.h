/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny JSON writer: compact output, no pretty printing.
 *
 * The writer only tracks whether the next value needs a comma in front of
 * it; the caller is trusted to nest objects and arrays properly and to give
 * every member of an object a key.  Strings are written as UTF-8: quotes,
 * backslashes and control characters (U+0000 to U+001F, and U+007F) are
 * escaped, the last two kinds as \u00XX; a byte that is not part of a valid
 * UTF-8 sequence is written as \u00XX too (read as Latin-1), so the output
 * is always valid JSON whatever bytes a name holds.
 */
#ifndef PLINKCTL_JSON_H
#define PLINKCTL_JSON_H

#include <stdbool.h>
#include <stdio.h>

struct json_writer {
	FILE *out;
	bool sep;	/* a value was written: the next one needs a comma */
	bool pretty;	/* one member or element a line, indented */
	bool after_key;	/* a key was written: its value follows on its line */
	unsigned int depth;
};

void json_init(struct json_writer *jw, FILE *out);

void json_object_begin(struct json_writer *jw);
void json_object_end(struct json_writer *jw);
void json_array_begin(struct json_writer *jw);
void json_array_end(struct json_writer *jw);

/* The key of the next member of the current object. */
void json_key(struct json_writer *jw, const char *key);

void json_string(struct json_writer *jw, const char *s);
void json_uint(struct json_writer *jw, unsigned long long v);
void json_int(struct json_writer *jw, long long v);
void json_bool(struct json_writer *jw, bool v);
void json_null(struct json_writer *jw);

/* A key and its value, in one call. */
void json_kv_string(struct json_writer *jw, const char *key, const char *s);
void json_kv_uint(struct json_writer *jw, const char *key,
		  unsigned long long v);
void json_kv_int(struct json_writer *jw, const char *key, long long v);
void json_kv_bool(struct json_writer *jw, const char *key, bool v);

#endif /* PLINKCTL_JSON_H */
