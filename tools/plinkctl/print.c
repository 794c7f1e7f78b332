// SPDX-License-Identifier: GPL-2.0
/*
 * One print path for text and JSON; see print.h.
 */

#include <stdarg.h>

#include "print.h"

bool pl_json_pretty;

void pl_print_init(struct pl_print *p, FILE *out, bool json)
{
	p->out = out;
	p->json = json;
	json_init(&p->jw, out);
	p->jw.pretty = pl_json_pretty;
}

/* Whether a call of @kind prints in @p's mode. */
static bool pl_text(const struct pl_print *p, enum pl_kind kind)
{
	return !p->json && (kind & PL_TEXT);
}

/* Whether a call of @kind writes JSON; if so, its key is written. */
static bool pl_json(struct pl_print *p, enum pl_kind kind, const char *key)
{
	if (!p->json || !(kind & PL_JSON))
		return false;
	if (key)
		json_key(&p->jw, key);
	return true;
}

void pl_open_object(struct pl_print *p, const char *key)
{
	if (pl_json(p, PL_JSON, key))
		json_object_begin(&p->jw);
}

void pl_close_object(struct pl_print *p)
{
	if (p->json)
		json_object_end(&p->jw);
}

void pl_open_array(struct pl_print *p, const char *key)
{
	if (pl_json(p, PL_JSON, key))
		json_array_begin(&p->jw);
}

void pl_close_array(struct pl_print *p)
{
	if (p->json)
		json_array_end(&p->jw);
}

void pl_print_string(struct pl_print *p, enum pl_kind kind, const char *key,
		     const char *fmt, const char *value)
{
	if (pl_text(p, kind))
		fprintf(p->out, fmt, value);
	else if (pl_json(p, kind, key))
		json_string(&p->jw, value);
}

void pl_print_uint(struct pl_print *p, enum pl_kind kind, const char *key,
		   const char *fmt, unsigned int value)
{
	if (pl_text(p, kind))
		fprintf(p->out, fmt, value);
	else if (pl_json(p, kind, key))
		json_uint(&p->jw, value);
}

void pl_print_u64(struct pl_print *p, enum pl_kind kind, const char *key,
		  const char *fmt, unsigned long long value)
{
	if (pl_text(p, kind))
		fprintf(p->out, fmt, value);
	else if (pl_json(p, kind, key))
		json_uint(&p->jw, value);
}

void pl_print_bool(struct pl_print *p, enum pl_kind kind, const char *key,
		   const char *fmt, bool value)
{
	if (pl_text(p, kind))
		fprintf(p->out, fmt, value ? "true" : "false");
	else if (pl_json(p, kind, key))
		json_bool(&p->jw, value);
}

void pl_print_on_off(struct pl_print *p, enum pl_kind kind, const char *key,
		     const char *fmt, bool value)
{
	if (pl_text(p, kind))
		fprintf(p->out, fmt, value ? "on" : "off");
	else if (pl_json(p, kind, key))
		json_bool(&p->jw, value);
}

void pl_print_null(struct pl_print *p, enum pl_kind kind, const char *key,
		   const char *fmt, const char *text)
{
	if (pl_text(p, kind))
		fprintf(p->out, fmt, text);
	else if (pl_json(p, kind, key))
		json_null(&p->jw);
}

void pl_print_text(struct pl_print *p, const char *fmt, ...)
{
	va_list ap;

	if (p->json)
		return;
	va_start(ap, fmt);
	vfprintf(p->out, fmt, ap);
	va_end(ap);
}

void pl_print_nl(struct pl_print *p, enum pl_kind kind)
{
	if (pl_text(p, kind) || (p->json && (kind & PL_JSON)))
		fputc('\n', p->out);
}
