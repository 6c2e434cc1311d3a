/* json-out.h — JSON documents for the CLI's --json output, stable byte for
 * byte.
 *
 * Tests compare what `extranoc replay --json`, `outages --json` and
 * `availability --json` print with known-good files, and scripts diff one
 * run against another, so the printed form depends only on the content:
 * object members sorted by key (bytewise), arrays in the order built, two
 * spaces of indentation, one member or element per line (an array of
 * scalars on one line: [101, 102]), a newline at the end. Numbers are
 * printed from exact text (seconds as "3600.5", a percent as "99.4252"),
 * never through a double. A value belongs to the object or array it is
 * added to. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "xn-time.h"

G_BEGIN_DECLS

typedef struct _XnJsonOut XnJsonOut;

XnJsonOut *xn_json_out_object (void);
XnJsonOut *xn_json_out_array (void);
/* NULL: null. */
XnJsonOut *xn_json_out_string (const char *text);
XnJsonOut *xn_json_out_int (gint64 value);
XnJsonOut *xn_json_out_bool (gboolean value);
XnJsonOut *xn_json_out_null (void);
/* `text` must be a JSON number ("2505600", "99.4252"). */
XnJsonOut *xn_json_out_number (const char *text);
/* The journal's UTC form; null for G_MAXINT64 (an open end). */
XnJsonOut *xn_json_out_instant (XnInstant t);
/* A strv as an array of strings. */
XnJsonOut *xn_json_out_strv (const char *const *strv);
/* A json-glib tree (objects, arrays, strings, integers, booleans, null). */
XnJsonOut *xn_json_out_from_node (JsonNode *node);

/* Takes `value`. A key set twice keeps the last value. */
void       xn_json_out_set (XnJsonOut *object, const char *key, XnJsonOut *value);
void       xn_json_out_add (XnJsonOut *array, XnJsonOut *value);

/* The document, ending with a newline. */
char      *xn_json_out_print (const XnJsonOut *value);
void       xn_json_out_free (XnJsonOut *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnJsonOut, xn_json_out_free)

G_END_DECLS
