/* json-strict.h — RFC 8259 JSON, read strictly and printed on one line.
 *
 * The fact journal's JSON-lines form must be exact in both directions, and
 * json-glib 1.6 is lenient where the journal cannot be (duplicate keys, "\u0000"
 * cut strings short, integers wrap, comments and single quotes pass, deep
 * nesting overflows the stack) and its generator can print invalid JSON for
 * large doubles. This module keeps json-glib's tree types (JsonNode, JsonObject)
 * and replaces the text side. */
#pragma once

#include <json-glib/json-glib.h>
#include <string.h>

G_BEGIN_DECLS

/* g_string_append_len() without the call when the text fits, as GLib's own
 * g_string_append_c() does: printers put many short pieces. */
static inline void
xn_string_put (GString *out, const char *text, gsize length)
{
	if (out->len + length < out->allocated_len) {
		memcpy (out->str + out->len, text, length);
		out->len += length;
		out->str[out->len] = '\0';
	} else {
		g_string_append_len (out, text, (gssize) length);
	}
}

/* Parses exactly one JSON value filling all of text[0..length) (white space
 * around it allowed). Refused, with "column N: ..." (N counts bytes from 1):
 * invalid UTF-8, NUL bytes, raw control characters in strings, "\u0000",
 * unpaired surrogates, duplicate keys in an object, integers beyond 64 bits,
 * numbers that overflow a double, nesting deeper than max_depth, anything
 * after the value. Integers without fraction or exponent become gint64,
 * other numbers gdouble. Returns a new node. */
JsonNode *xn_json_parse_strict (const char *text, gsize length, guint max_depth, GError **error);

/* Appends node as compact JSON on one line: members in their order, strings
 * as UTF-8 with every C0 and C1 control character, DEL, U+2028 and U+2029
 * escaped, doubles in their shortest form that reads back to the same value
 * and always marked as doubles ("1.0"). Strings must be valid UTF-8 and
 * doubles finite: see xn_json_check(). */
void      xn_json_append (GString *out, JsonNode *node);
void      xn_json_append_string (GString *out, const char *text);
/* The same for `length` bytes that need no NUL after them (and hold none). */
void      xn_json_append_string_len (GString *out, const char *text, gsize length);
/* An integer as xn_json_append() prints a gint64 node. */
void      xn_json_append_int (GString *out, gint64 value);

/* Checks that a tree built in memory can be printed and read back unchanged:
 * valid UTF-8 everywhere, no non-finite doubles, no value types other than
 * gint64, gdouble, gboolean and strings, at most max_depth levels. Errors
 * name the path from `name` ("attrs.a.b[2]: ..."). */
gboolean  xn_json_check (JsonNode *node, const char *name, guint max_depth, GError **error);

/* The value of the member `name` of `object`, text as xn_json_append()
 * prints a JSON object: where it starts in the text and its length in
 * bytes (as printed: a string with its quotes and escapes), or NULL when
 * there is no such member. Nested objects are not searched. For text this
 * module printed, which is not checked again: anything else gives an
 * undefined answer. */
const char *xn_json_find_member (const char *object, const char *name, gsize *length);

/* A string as a JSON literal for error messages, cut after max_bytes ("…"). */
char     *xn_json_quote (const char *text, gsize max_bytes);

G_END_DECLS
