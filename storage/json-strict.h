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

G_BEGIN_DECLS

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

/* Checks that a tree built in memory can be printed and read back unchanged:
 * valid UTF-8 everywhere, no non-finite doubles, no value types other than
 * gint64, gdouble, gboolean and strings, at most max_depth levels. Errors
 * name the path from `name` ("attrs.a.b[2]: ..."). */
gboolean  xn_json_check (JsonNode *node, const char *name, guint max_depth, GError **error);

/* A string as a JSON literal for error messages, cut after max_bytes ("…"). */
char     *xn_json_quote (const char *text, gsize max_bytes);

G_END_DECLS
