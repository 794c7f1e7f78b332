/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One print path for text and JSON, after iproute2's lib/json_print.c.
 *
 * Each object has one print function, which makes one call per field.  A
 * call says which output it is for: PL_TEXT, PL_JSON or both (PL_ANY).
 * In text mode a call for the text prints its value with its printf format
 * @fmt; in JSON mode a call for JSON writes the member @key, or inside an
 * array (@key NULL) an element.  A call for the other mode prints nothing,
 * so a function can order a field differently in its two forms, or give
 * a field to one form only.  Objects and arrays are JSON's: the text has
 * no brackets.  json.c is the writer underneath.
 *
 * The formats are not checked by the compiler: pl_print_uint() takes a
 * "%u" format, pl_print_u64() a "%llu" one, pl_print_text() printf()'s
 * arguments, the others a "%s" format.
 */
#ifndef PLINKCTL_PRINT_H
#define PLINKCTL_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "json.h"

enum pl_kind {
	PL_TEXT	= 1,
	PL_JSON	= 2,
	PL_ANY	= PL_TEXT | PL_JSON,
};

struct pl_print {
	FILE *out;
	bool json;
	struct json_writer jw;
};

/* -p: JSON pretty-printed, one member or element a line. */
extern bool pl_json_pretty;

/* Print to @out, as JSON if @json. */
void pl_print_init(struct pl_print *p, FILE *out, bool json);

/* JSON only: an object or array, the member @key or (NULL) an element. */
void pl_open_object(struct pl_print *p, const char *key);
void pl_close_object(struct pl_print *p);
void pl_open_array(struct pl_print *p, const char *key);
void pl_close_array(struct pl_print *p);

void pl_print_string(struct pl_print *p, enum pl_kind kind, const char *key,
		     const char *fmt, const char *value);
void pl_print_uint(struct pl_print *p, enum pl_kind kind, const char *key,
		   const char *fmt, unsigned int value);
void pl_print_u64(struct pl_print *p, enum pl_kind kind, const char *key,
		  const char *fmt, unsigned long long value);
/* true or false in JSON, "true" or "false" in the text. */
void pl_print_bool(struct pl_print *p, enum pl_kind kind, const char *key,
		   const char *fmt, bool value);
/* true or false in JSON, "on" or "off" in the text. */
void pl_print_on_off(struct pl_print *p, enum pl_kind kind, const char *key,
		     const char *fmt, bool value);
/* null in JSON, @text in the text. */
void pl_print_null(struct pl_print *p, enum pl_kind kind, const char *key,
		   const char *fmt, const char *text);

/* Text only: printf(). */
void pl_print_text(struct pl_print *p, const char *fmt, ...);

/* A newline, in the modes of @kind (in JSON: after a whole document). */
void pl_print_nl(struct pl_print *p, enum pl_kind kind);

#endif /* PLINKCTL_PRINT_H */
