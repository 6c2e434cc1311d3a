/* json-strict.c — a strict RFC 8259 reader and a one-line printer for JsonNode.
 *
 * The reader is a recursive descent over one buffer, bounded by max_depth so a
 * hostile line cannot exhaust the stack; it refuses everything json-glib 1.6
 * lets through that would make a fact read back differently from how it was
 * written (see json-strict.h). The printer escapes every character that any
 * common line splitter treats as a line break, so a printed value never spans
 * two lines, and prints a string one way only, so printed text can be searched
 * for a member. Neither side knows about facts; fact.c decides what one is. */
#include "json-strict.h"
#include "xn-error.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

typedef struct {
	const char *start;
	const char *p;
	const char *end;
	guint depth;
	guint max_depth;
	const char *top_key;    /* member of the outermost object being read, for messages */
} Parser;

static JsonNode *parse_value (Parser *ps, GError **error);

G_GNUC_PRINTF (3, 4)
static void
fail (Parser *ps, GError **error, const char *format, ...)
{
	g_autofree char *msg = NULL;
	va_list args;

	va_start (args, format);
	msg = g_strdup_vprintf (format, args);
	va_end (args);
	if (ps->top_key != NULL) {
		g_autofree char *key = xn_json_quote (ps->top_key, 64);

		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "column %" G_GSIZE_FORMAT ", in %s: %s",
			     (gsize) (ps->p - ps->start) + 1, key, msg);
	} else {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "column %" G_GSIZE_FORMAT ": %s",
			     (gsize) (ps->p - ps->start) + 1, msg);
	}
}

/* What stands at the cursor, for "unexpected ..." messages. */
static char *
describe_here (Parser *ps)
{
	if (ps->p >= ps->end)
		return g_strdup ("end of line");
	if (g_ascii_isprint (*ps->p))
		return g_strdup_printf ("'%c'", *ps->p);
	return g_strdup_printf ("byte 0x%02x", (guchar) *ps->p);
}

static void
skip_ws (Parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static gboolean
read_hex4 (Parser *ps, gunichar *out, GError **error)
{
	gunichar v = 0;

	for (int i = 0; i < 4; i++) {
		int d = ps->p + i < ps->end ? g_ascii_xdigit_value (ps->p[i]) : -1;

		if (d < 0) {
			fail (ps, error, "\\u must be followed by four hex digits");
			return FALSE;
		}
		v = v * 16 + (gunichar) d;
	}
	ps->p += 4;
	*out = v;
	return TRUE;
}

static gboolean
read_escape (Parser *ps, GString *s, GError **error)
{
	const char *at = ps->p;
	gunichar cp, low;

	ps->p++;                /* the backslash */
	if (ps->p >= ps->end) {
		fail (ps, error, "unterminated string");
		return FALSE;
	}
	switch (*ps->p++) {
	case '"':  g_string_append_c (s, '"');  return TRUE;
	case '\\': g_string_append_c (s, '\\'); return TRUE;
	case '/':  g_string_append_c (s, '/');  return TRUE;
	case 'b':  g_string_append_c (s, '\b'); return TRUE;
	case 'f':  g_string_append_c (s, '\f'); return TRUE;
	case 'n':  g_string_append_c (s, '\n'); return TRUE;
	case 'r':  g_string_append_c (s, '\r'); return TRUE;
	case 't':  g_string_append_c (s, '\t'); return TRUE;
	case 'u':
		break;
	default:
		ps->p = at;
		fail (ps, error, "invalid escape '\\%c'", g_ascii_isprint (at[1]) ? at[1] : '?');
		return FALSE;
	}
	if (!read_hex4 (ps, &cp, error))
		return FALSE;
	if (cp == 0) {
		/* A C string would end here: the value could not come back intact. */
		ps->p = at;
		fail (ps, error, "\\u0000 (NUL) is not allowed in strings");
		return FALSE;
	}
	if (cp >= 0xdc00 && cp <= 0xdfff) {
		ps->p = at;
		fail (ps, error, "unpaired surrogate \\u%04x", cp);
		return FALSE;
	}
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u') {
			ps->p = at;
			fail (ps, error, "unpaired surrogate \\u%04x", cp);
			return FALSE;
		}
		ps->p += 2;
		if (!read_hex4 (ps, &low, error))
			return FALSE;
		if (low < 0xdc00 || low > 0xdfff) {
			ps->p = at;
			fail (ps, error, "unpaired surrogate \\u%04x", cp);
			return FALSE;
		}
		cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
	}
	g_string_append_unichar (s, cp);
	return TRUE;
}

/* The cursor is on the opening quote. The whole buffer is valid UTF-8 already. */
static char *
parse_string (Parser *ps, GError **error)
{
	g_autoptr(GString) s = g_string_new (NULL);

	ps->p++;
	for (;;) {
		const char *run = ps->p;

		while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\\' && (guchar) *ps->p >= 0x20)
			ps->p++;
		g_string_append_len (s, run, ps->p - run);
		if (ps->p >= ps->end) {
			fail (ps, error, "unterminated string");
			return NULL;
		}
		if (*ps->p == '"') {
			ps->p++;
			return g_string_free (g_steal_pointer (&s), FALSE);
		}
		if (*ps->p != '\\') {
			fail (ps, error, "raw control character U+%04X in a string (it must be escaped)",
			      (guint) (guchar) *ps->p);
			return NULL;
		}
		if (!read_escape (ps, s, error))
			return NULL;
	}
}

static gboolean
skip_digits (Parser *ps)
{
	const char *from = ps->p;

	while (ps->p < ps->end && g_ascii_isdigit (*ps->p))
		ps->p++;
	return ps->p > from;
}

static JsonNode *
parse_number (Parser *ps, GError **error)
{
	const char *from = ps->p;
	gboolean integral = TRUE;
	g_autofree char *token = NULL;

	if (*ps->p == '-')
		ps->p++;
	if (ps->p < ps->end && *ps->p == '0')
		ps->p++;
	else if (ps->p >= ps->end || *ps->p < '1' || *ps->p > '9' || !skip_digits (ps)) {
		fail (ps, error, "invalid number: expected a digit");
		return NULL;
	}
	if (ps->p < ps->end && *ps->p == '.') {
		integral = FALSE;
		ps->p++;
		if (!skip_digits (ps)) {
			fail (ps, error, "invalid number: expected a digit after '.'");
			return NULL;
		}
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		integral = FALSE;
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (!skip_digits (ps)) {
			fail (ps, error, "invalid number: expected a digit in the exponent");
			return NULL;
		}
	}
	token = g_strndup (from, ps->p - from);
	if (integral) {
		gint64 v;

		errno = 0;
		v = g_ascii_strtoll (token, NULL, 10);
		if (errno == ERANGE) {
			ps->p = from;
			fail (ps, error, "integer does not fit in 64 bits");
			return NULL;
		}
		return json_node_init_int (json_node_alloc (), v);
	} else {
		double d = g_ascii_strtod (token, NULL);

		if (!isfinite (d)) {
			ps->p = from;
			fail (ps, error, "number is too large for a double");
			return NULL;
		}
		return json_node_init_double (json_node_alloc (), d);
	}
}

static JsonNode *
parse_literal (Parser *ps, GError **error)
{
	static const char *const words[] = { "true", "false", "null" };

	for (gsize i = 0; i < G_N_ELEMENTS (words); i++) {
		gsize n = strlen (words[i]);

		if ((gsize) (ps->end - ps->p) >= n && memcmp (ps->p, words[i], n) == 0) {
			ps->p += n;
			if (i == 2)
				return json_node_init_null (json_node_alloc ());
			return json_node_init_boolean (json_node_alloc (), i == 0);
		}
	}
	{
		g_autofree char *here = describe_here (ps);

		fail (ps, error, "unexpected %s, expected a value", here);
	}
	return NULL;
}

static gboolean
enter (Parser *ps, GError **error)
{
	if (++ps->depth > ps->max_depth) {
		fail (ps, error, "nesting deeper than %u levels", ps->max_depth);
		return FALSE;
	}
	ps->p++;
	skip_ws (ps);
	return TRUE;
}

/* One "key": value pair; the cursor is at the key. */
static gboolean
parse_member (Parser *ps, JsonObject *obj, gboolean outermost, GError **error)
{
	g_autofree char *key = NULL;
	const char *key_at;
	JsonNode *value;

	skip_ws (ps);
	if (ps->p >= ps->end || *ps->p != '"') {
		g_autofree char *here = describe_here (ps);

		fail (ps, error, "unexpected %s, expected a key in double quotes", here);
		return FALSE;
	}
	key_at = ps->p;
	key = parse_string (ps, error);
	if (key == NULL)
		return FALSE;
	if (json_object_has_member (obj, key)) {
		g_autofree char *quoted = xn_json_quote (key, 64);

		ps->p = key_at;
		fail (ps, error, "duplicate key %s", quoted);
		return FALSE;
	}
	skip_ws (ps);
	if (ps->p >= ps->end || *ps->p != ':') {
		g_autofree char *here = describe_here (ps);

		fail (ps, error, "unexpected %s, expected ':'", here);
		return FALSE;
	}
	ps->p++;
	if (outermost)
		ps->top_key = key;
	value = parse_value (ps, error);
	if (outermost)
		ps->top_key = NULL;
	if (value == NULL)
		return FALSE;
	json_object_set_member (obj, key, value);
	return TRUE;
}

static JsonNode *
parse_object (Parser *ps, GError **error)
{
	g_autoptr(JsonObject) obj = json_object_new ();
	gboolean outermost = ps->depth == 0;

	if (!enter (ps, error))
		return NULL;
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
		ps->depth--;
		return json_node_init_object (json_node_alloc (), obj);
	}
	for (;;) {
		if (!parse_member (ps, obj, outermost, error))
			return NULL;
		skip_ws (ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}') {
			ps->p++;
			break;
		}
		{
			g_autofree char *here = describe_here (ps);

			fail (ps, error, "unexpected %s, expected ',' or '}'", here);
			return NULL;
		}
	}
	ps->depth--;
	return json_node_init_object (json_node_alloc (), obj);
}

static JsonNode *
parse_array (Parser *ps, GError **error)
{
	g_autoptr(JsonArray) arr = json_array_new ();

	if (!enter (ps, error))
		return NULL;
	if (ps->p < ps->end && *ps->p == ']') {
		ps->p++;
		ps->depth--;
		return json_node_init_array (json_node_alloc (), arr);
	}
	for (;;) {
		JsonNode *element = parse_value (ps, error);

		if (element == NULL)
			return NULL;
		json_array_add_element (arr, element);
		skip_ws (ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == ']') {
			ps->p++;
			break;
		}
		{
			g_autofree char *here = describe_here (ps);

			fail (ps, error, "unexpected %s, expected ',' or ']'", here);
			return NULL;
		}
	}
	ps->depth--;
	return json_node_init_array (json_node_alloc (), arr);
}

static JsonNode *
parse_value (Parser *ps, GError **error)
{
	skip_ws (ps);
	if (ps->p >= ps->end) {
		fail (ps, error, "unexpected end of line, expected a value");
		return NULL;
	}
	switch (*ps->p) {
	case '{':
		return parse_object (ps, error);
	case '[':
		return parse_array (ps, error);
	case '"': {
		g_autofree char *s = parse_string (ps, error);

		return s != NULL ? json_node_init_string (json_node_alloc (), s) : NULL;
	}
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return parse_number (ps, error);
	default:
		return parse_literal (ps, error);
	}
}

JsonNode *
xn_json_parse_strict (const char *text, gsize length, guint max_depth, GError **error)
{
	Parser ps = { text, text, text + length, 0, max_depth, NULL };
	const char *nul = memchr (text, '\0', length);
	const char *bad = NULL;
	g_autoptr(JsonNode) root = NULL;

	if (nul != NULL) {
		ps.p = nul;
		fail (&ps, error, "NUL byte");
		return NULL;
	}
	if (!g_utf8_validate_len (text, length, &bad)) {
		ps.p = bad;
		fail (&ps, error, "invalid UTF-8");
		return NULL;
	}
	root = parse_value (&ps, error);
	if (root == NULL)
		return NULL;
	skip_ws (&ps);
	if (ps.p < ps.end) {
		g_autofree char *here = describe_here (&ps);

		fail (&ps, error, "unexpected %s after the value", here);
		return NULL;
	}
	return g_steal_pointer (&root);
}

/* Bytes printed as they are: all but the quote, the backslash, C0 controls,
 * DEL, and the lead bytes of C1 controls and of U+2028/U+2029. */
static inline gboolean
plain_byte (guchar c)
{
	return c >= 0x20 && c != '"' && c != '\\' && c != 0x7f && c != 0xc2 && c != 0xe2;
}

/* One escape for the bytes at p (p < end); returns how many it consumed. */
static gsize
append_special (GString *out, const guchar *p, const guchar *end)
{
	static const char hex[] = "0123456789abcdef", shorts[] = "\"\\\b\f\n\r\t", letters[] = "\"\\bfnrt";
	const char *in_shorts = *p != '\0' ? strchr (shorts, *p) : NULL;
	char u[6] = { '\\', 'u', '0', '0', 0, 0 };
	guchar c = *p;
	gsize used = 1;

	if (in_shorts != NULL) {
		char escape[2] = { '\\', letters[in_shorts - shorts] };

		xn_string_put (out, escape, 2);
		return 1;
	}
	if (p[0] == 0xe2 && end - p >= 3 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
		xn_string_put (out, p[2] == 0xa8 ? "\\u2028" : "\\u2029", 6);
		return 3;
	}
	if (p[0] == 0xc2 && end - p >= 2 && p[1] >= 0x80 && p[1] <= 0x9f) {
		/* C1 controls: U+0085 (NEL) ends a line for Python and others. */
		c = p[1];
		used = 2;
	} else if (c >= 0x20 && c != 0x7f) {
		g_string_append_c (out, (char) c);
		return 1;
	}
	u[4] = hex[c >> 4];
	u[5] = hex[c & 0xf];
	xn_string_put (out, u, 6);
	return used;
}

/* Runs of plain bytes are copied at once: most text has nothing to escape. */
void
xn_json_append_string_len (GString *out, const char *text, gsize length)
{
	const guchar *p = (const guchar *) text, *end = p + length;

	g_string_append_c (out, '"');
	while (p < end) {
		const guchar *run = p;

		while (p < end && plain_byte (*p))
			p++;
		xn_string_put (out, (const char *) run, (gsize) (p - run));
		if (p < end)
			p += append_special (out, p, end);
	}
	g_string_append_c (out, '"');
}

void
xn_json_append_string (GString *out, const char *text)
{
	xn_json_append_string_len (out, text, strlen (text));
}

/* Without printf: integers are most of what a fact's attrs print. */
void
xn_json_append_int (GString *out, gint64 value)
{
	char digits[24];
	gsize n = sizeof digits;
	/* the magnitude as unsigned: -G_MININT64 does not fit in a gint64 */
	guint64 v = value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;

	do {
		digits[--n] = (char) ('0' + v % 10);
		v /= 10;
	} while (v > 0);
	if (value < 0)
		digits[--n] = '-';
	xn_string_put (out, digits + n, sizeof digits - n);
}

static void
append_double (GString *out, double d)
{
	static const char *const formats[] = { "%.15g", "%.16g", "%.17g" };
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	for (gsize i = 0; i < G_N_ELEMENTS (formats); i++) {
		g_ascii_formatd (buf, sizeof buf, formats[i], d);
		if (g_ascii_strtod (buf, NULL) == d)
			break;
	}
	g_string_append (out, buf);
	/* Without a '.' or an exponent it would read back as an integer. */
	if (strpbrk (buf, ".eE") == NULL)
		g_string_append (out, ".0");
}

static void
append_object (GString *out, JsonObject *obj)
{
	JsonObjectIter iter;
	const char *name;
	JsonNode *member;
	gboolean first = TRUE;

	g_string_append_c (out, '{');
	json_object_iter_init_ordered (&iter, obj);
	while (json_object_iter_next_ordered (&iter, &name, &member)) {
		if (!first)
			g_string_append_c (out, ',');
		first = FALSE;
		xn_json_append_string (out, name);
		g_string_append_c (out, ':');
		xn_json_append (out, member);
	}
	g_string_append_c (out, '}');
}

static void
append_array (GString *out, JsonArray *arr)
{
	g_string_append_c (out, '[');
	for (guint i = 0; i < json_array_get_length (arr); i++) {
		if (i > 0)
			g_string_append_c (out, ',');
		xn_json_append (out, json_array_get_element (arr, i));
	}
	g_string_append_c (out, ']');
}

void
xn_json_append (GString *out, JsonNode *node)
{
	switch (JSON_NODE_TYPE (node)) {
	case JSON_NODE_OBJECT:
		append_object (out, json_node_get_object (node));
		return;
	case JSON_NODE_ARRAY:
		append_array (out, json_node_get_array (node));
		return;
	case JSON_NODE_NULL:
		g_string_append (out, "null");
		return;
	case JSON_NODE_VALUE:
		break;
	}
	switch (json_node_get_value_type (node)) {
	case G_TYPE_INT64:
		xn_json_append_int (out, json_node_get_int (node));
		return;
	case G_TYPE_DOUBLE:
		append_double (out, json_node_get_double (node));
		return;
	case G_TYPE_BOOLEAN:
		g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
		return;
	case G_TYPE_STRING:
		xn_json_append_string (out, json_node_get_string (node));
		return;
	default:
		/* xn_json_check() refuses these before anything is printed. */
		g_critical ("xn_json_append: unprintable value type %s",
			    g_type_name (json_node_get_value_type (node)));
		g_string_append (out, "null");
		return;
	}
}

/* ---- members of printed text ---- */

/* Past one value of compact, valid JSON: only quotes, brackets, and a
 * backslash in a string matter. */
static const char *
skip_value (const char *p)
{
	guint depth = 0;

	do {
		if (*p == '"') {
			for (p++; *p != '"' && *p != '\0'; p++)
				p += *p == '\\' && p[1] != '\0';     /* an escaped character */
			p += *p == '"';
		} else if (*p == '{' || *p == '[') {
			depth++;
			p++;
		} else if (*p == '}' || *p == ']') {
			depth--;
			p++;
		} else if (*p == ':' || *p == ',') {
			p++;            /* inside a container */
		} else {
			while (*p != '\0' && strchr (",:}]", *p) == NULL)
				p++;    /* a number, true, false or null */
		}
	} while (depth > 0 && *p != '\0');
	return p;
}

const char *
xn_json_find_member (const char *object, const char *name, gsize *length)
{
	g_autoptr(GString) key = g_string_new (NULL);
	const char *p = object;

	xn_json_append_string (key, name);
	g_string_append_c (key, ':');
	if (*p != '{')
		return NULL;
	for (p++; *p == '"'; p++) {
		gboolean match = strncmp (p, key->str, key->len) == 0;
		const char *value;

		p = skip_value (p);             /* the key */
		if (*p++ != ':')
			break;
		value = p;
		p = skip_value (p);
		if (match) {
			*length = (gsize) (p - value);
			return value;
		}
		if (*p != ',')
			break;
	}
	return NULL;
}

static gboolean check_node (JsonNode *node, GString *path, guint depth, guint max_depth, GError **error);

static gboolean
check_scalar (JsonNode *node, GString *path, GError **error)
{
	switch (json_node_get_value_type (node)) {
	case G_TYPE_INT64:
	case G_TYPE_BOOLEAN:
		return TRUE;
	case G_TYPE_DOUBLE:
		if (isfinite (json_node_get_double (node)))
			return TRUE;
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "%s: a number that is not finite has no JSON form", path->str);
		return FALSE;
	case G_TYPE_STRING:
		if (g_utf8_validate (json_node_get_string (node), -1, NULL))
			return TRUE;
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s: string is not valid UTF-8", path->str);
		return FALSE;
	default:
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s: a %s has no JSON form",
			     path->str, g_type_name (json_node_get_value_type (node)));
		return FALSE;
	}
}

static gboolean
check_members (JsonObject *obj, GString *path, guint depth, guint max_depth, GError **error)
{
	JsonObjectIter iter;
	const char *name;
	JsonNode *member;

	json_object_iter_init_ordered (&iter, obj);
	while (json_object_iter_next_ordered (&iter, &name, &member)) {
		gsize len = path->len;

		if (!g_utf8_validate (name, -1, NULL)) {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s: a key is not valid UTF-8", path->str);
			return FALSE;
		}
		g_string_append_printf (path, ".%s", name);
		if (!check_node (member, path, depth, max_depth, error))
			return FALSE;
		g_string_truncate (path, len);
	}
	return TRUE;
}

static gboolean
check_elements (JsonArray *arr, GString *path, guint depth, guint max_depth, GError **error)
{
	for (guint i = 0; i < json_array_get_length (arr); i++) {
		gsize len = path->len;

		g_string_append_printf (path, "[%u]", i);
		if (!check_node (json_array_get_element (arr, i), path, depth, max_depth, error))
			return FALSE;
		g_string_truncate (path, len);
	}
	return TRUE;
}

static gboolean
check_node (JsonNode *node, GString *path, guint depth, guint max_depth, GError **error)
{
	switch (JSON_NODE_TYPE (node)) {
	case JSON_NODE_NULL:
		return TRUE;
	case JSON_NODE_VALUE:
		return check_scalar (node, path, error);
	case JSON_NODE_OBJECT:
	case JSON_NODE_ARRAY:
		break;
	}
	if (depth + 1 > max_depth) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "%s: nesting deeper than %u levels", path->str, max_depth);
		return FALSE;
	}
	if (JSON_NODE_HOLDS_OBJECT (node))
		return check_members (json_node_get_object (node), path, depth + 1, max_depth, error);
	return check_elements (json_node_get_array (node), path, depth + 1, max_depth, error);
}

gboolean
xn_json_check (JsonNode *node, const char *name, guint max_depth, GError **error)
{
	g_autoptr(GString) path = g_string_new (name);

	return check_node (node, path, 0, max_depth, error);
}

char *
xn_json_quote (const char *text, gsize max_bytes)
{
	g_autofree char *valid = g_utf8_make_valid (text, -1);
	g_autoptr(GString) out = g_string_new (NULL);
	gsize len = strlen (valid);
	gboolean cut = len > max_bytes;

	if (cut) {
		len = max_bytes;
		while (len > 0 && ((guchar) valid[len] & 0xc0) == 0x80)
			len--;
		valid[len] = '\0';
	}
	xn_json_append_string (out, valid);
	if (cut)
		g_string_append (out, "…");
	return g_string_free (g_steal_pointer (&out), FALSE);
}
