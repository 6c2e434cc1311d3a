/* fact.c — facts: construction, the rules a fact must follow, and its JSON line.
 *
 * The rules (doc/journal.md) are enforced in one place, xn_fact_validate(),
 * which the journal calls before anything is written and the reader calls on
 * every line, so a fact that is in a journal can always be exported and read
 * back. The JSON line goes through json-strict.c, never through json-glib's
 * parser or generator. The stream reader bounds each line to XN_FACT_MAX_LINE
 * so a hostile file costs at most that much memory per line. A maker on a
 * hot path (trap intake) may hand over its attrs already printed, without a
 * tree: the text is stored as it is, and the tree is built only for code
 * that asks for it, while xn_fact_attr_is() answers from the text. This file
 * does not touch any database. */
#include "fact.h"
#include "json-strict.h"
#include "xn-error.h"

#include <math.h>
#include <string.h>

#define READ_CHUNK 65536

static XnFact *
fact_alloc (XnInstant ts, const char *kind, const char *subject, const char *source, XnInstant recorded)
{
	XnFact *fact = g_new0 (XnFact, 1);

	fact->ts = ts;
	fact->kind = g_strdup (kind);
	fact->subject = g_strdup (subject);
	fact->source = g_strdup (source);
	fact->recorded = recorded;
	return fact;
}

XnFact *
xn_fact_new (XnInstant ts, const char *kind, const char *subject,
	     const char *source, XnInstant recorded, JsonObject *attrs)
{
	XnFact *fact = fact_alloc (ts, kind, subject, source, recorded);

	fact->attrs = attrs != NULL ? json_object_ref (attrs) : json_object_new ();
	json_object_seal (fact->attrs);
	return fact;
}

/* The text is a GRefString so that copies (a journal keeps one of each
 * fact it appends for its reader) share it. */
XnFact *
xn_fact_new_printed (XnInstant ts, const char *kind, const char *subject,
		     const char *source, XnInstant recorded, JsonObject *attrs,
		     const char *attrs_json, gsize length)
{
	XnFact *fact = fact_alloc (ts, kind, subject, source, recorded);

	if (attrs != NULL) {
		fact->attrs = json_object_ref (attrs);
		json_object_seal (fact->attrs);
	}
	fact->attrs_json = g_ref_string_new_len (attrs_json, (gssize) length);
	return fact;
}

/* The tree as it is now: another thread may be building it (xn_fact_get_attrs()). */
static JsonObject *
attrs_now (const XnFact *fact)
{
	return g_atomic_pointer_get (&((XnFact *) fact)->attrs);
}

XnFact *
xn_fact_copy (const XnFact *fact)
{
	XnFact *copy = fact_alloc (fact->ts, fact->kind, fact->subject, fact->source, fact->recorded);
	JsonObject *attrs = attrs_now (fact);

	copy->seq = fact->seq;
	copy->attrs = attrs != NULL ? json_object_ref (attrs) : NULL;
	copy->attrs_json = fact->attrs_json != NULL ? g_ref_string_acquire (fact->attrs_json) : NULL;
	return copy;
}

void
xn_fact_free (XnFact *fact)
{
	if (fact == NULL)
		return;
	g_free (fact->kind);
	g_free (fact->subject);
	g_free (fact->source);
	if (fact->attrs != NULL)
		json_object_unref (fact->attrs);
	if (fact->attrs_json != NULL)
		g_ref_string_release (fact->attrs_json);
	g_free (fact);
}

JsonObject *
xn_fact_get_attrs (const XnFact *fact)
{
	XnFact *lazy = (XnFact *) fact;     /* the tree is a cache: the fact does not change */
	JsonObject *attrs = attrs_now (fact);
	g_autoptr(GError) error = NULL;

	if (attrs != NULL)
		return attrs;
	attrs = xn_fact_attrs_from_json (fact->attrs_json, &error);
	if (attrs == NULL) {
		/* the maker's own text: only a bug in the maker gets here */
		g_critical ("%s %s: its printed attrs do not read back: %s", fact->kind, fact->subject, error->message);
		attrs = json_object_new ();
	}
	json_object_seal (attrs);
	if (!g_atomic_pointer_compare_and_exchange (&lazy->attrs, NULL, attrs))
		json_object_unref (attrs);
	return attrs_now (fact);
}

/* A string prints in one way only, and the fact's text was printed the
 * same way: comparing the printed forms compares the strings. */
gboolean
xn_fact_attr_is (const XnFact *fact, const char *name, const char *value)
{
	JsonObject *attrs = attrs_now (fact);
	g_autoptr(GString) want = NULL;
	const char *found;
	gsize length;

	if (attrs != NULL) {
		JsonNode *node = json_object_get_member (attrs, name);

		return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
		       strcmp (json_node_get_string (node), value) == 0;
	}
	found = xn_json_find_member (fact->attrs_json, name, &length);
	if (found == NULL)
		return FALSE;
	want = g_string_new (NULL);
	xn_json_append_string (want, value);
	return length == want->len && memcmp (found, want->str, length) == 0;
}

/* An integer prints as digits after an optional '-', and a number with a
 * fraction always has a '.' or an exponent (json-strict.c). */
gboolean
xn_fact_attr_int (const XnFact *fact, const char *name, gint64 *value)
{
	JsonObject *attrs = attrs_now (fact);
	char digits[24];
	const char *found;
	gsize length, sign;

	if (attrs != NULL) {
		JsonNode *node = json_object_get_member (attrs, name);

		if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
			return FALSE;
		*value = json_node_get_int (node);
		return TRUE;
	}
	found = xn_json_find_member (fact->attrs_json, name, &length);
	sign = found != NULL && found[0] == '-';
	if (found == NULL || length <= sign || length >= sizeof digits ||
	    strspn (found + sign, "0123456789") != length - sign)
		return FALSE;
	memcpy (digits, found, length);
	digits[length] = '\0';
	*value = g_ascii_strtoll (digits, NULL, 10);
	return TRUE;
}

/* The attrs as stored: the maker's text, or the tree printed. */
static char *
print_attrs (const XnFact *fact)
{
	return fact->attrs_json != NULL ? g_strdup (fact->attrs_json) : xn_fact_attrs_to_json (fact->attrs);
}

/* Compares attrs as printed: member order and integer-versus-double count. */
gboolean
xn_fact_equal (const XnFact *a, const XnFact *b)
{
	g_autofree char *attrs_a = NULL;
	g_autofree char *attrs_b = NULL;

	if (a->seq != b->seq || a->ts != b->ts || a->recorded != b->recorded ||
	    g_strcmp0 (a->kind, b->kind) != 0 || g_strcmp0 (a->subject, b->subject) != 0 ||
	    g_strcmp0 (a->source, b->source) != 0)
		return FALSE;
	attrs_a = print_attrs (a);
	attrs_b = print_attrs (b);
	return strcmp (attrs_a, attrs_b) == 0;
}

gboolean
xn_fact_kind_is_valid (const char *kind)
{
	gboolean segment_start = TRUE;
	guint segments = 0;

	if (kind == NULL || strlen (kind) > XN_FACT_MAX_KIND)
		return FALSE;
	for (const char *p = kind; *p != '\0'; p++) {
		if (segment_start) {
			if (*p < 'a' || *p > 'z')
				return FALSE;
			segment_start = FALSE;
			segments++;
		} else if (*p == '.') {
			segment_start = TRUE;
		} else if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_' || *p == '-')) {
			return FALSE;
		}
	}
	return !segment_start && segments >= 2;
}

/* Printable ASCII, with plain spaces only inside when they are allowed:
 * what nearly every subject and source is, passed without decoding it. */
static gboolean
plain_ascii (const char *value, gboolean spaces_ok, gsize *len)
{
	const char *p = value;

	for (; *p != '\0'; p++) {
		if (*p == ' ' ? !spaces_ok || p == value || p[1] == '\0' : (guchar) *p < 0x21 || (guchar) *p > 0x7e)
			return FALSE;
	}
	*len = (gsize) (p - value);
	return TRUE;
}

/* Subjects may hold plain spaces inside (unit names do); sources may not. */
static gboolean
check_text (const char *field, const char *value, gsize max_bytes, gboolean spaces_ok, GError **error)
{
	g_autofree char *quoted = NULL;
	gsize len;

	if (value == NULL || *value == '\0') {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s is empty", field);
		return FALSE;
	}
	if (plain_ascii (value, spaces_ok, &len) && len <= max_bytes)
		return TRUE;
	/* the rules again, one character at a time, to word the error */
	quoted = xn_json_quote (value, 64);
	len = strlen (value);
	if (len > max_bytes) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s %s is longer than %" G_GSIZE_FORMAT " bytes",
			     field, quoted, max_bytes);
		return FALSE;
	}
	if (!g_utf8_validate (value, len, NULL)) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s %s is not valid UTF-8", field, quoted);
		return FALSE;
	}
	for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);
		gboolean bad_space = g_unichar_isspace (c) &&
			(!spaces_ok || c != ' ' || p == value || p[1] == '\0');

		if (!g_unichar_isprint (c) || bad_space) {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
				     "%s %s: U+%04X at byte %" G_GSIZE_FORMAT " is not allowed (%s)",
				     field, quoted, c, (gsize) (p - value),
				     spaces_ok ? "printable characters, plain spaces only inside"
					       : "printable characters, no spaces");
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
check_instant (const char *field, XnInstant t, GError **error)
{
	if (t < XN_FACT_INSTANT_MIN || t > XN_FACT_INSTANT_MAX) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "%s %" G_GINT64_FORMAT " µs is outside the years 1000 to 9999", field, t);
		return FALSE;
	}
	return TRUE;
}

/* xn_json_check()'s rules without the path it builds for its messages,
 * which costs more than the check itself on every fact appended: at least
 * as strict, so that only when this says no is xn_json_check() asked, for
 * the verdict and the message. */
static gboolean
attrs_pass (JsonNode *node, guint depth, guint max_depth)
{
	JsonObjectIter iter;
	const char *name;
	JsonNode *member;

	switch (JSON_NODE_TYPE (node)) {
	case JSON_NODE_NULL:
		return TRUE;
	case JSON_NODE_VALUE:
		switch (json_node_get_value_type (node)) {
		case G_TYPE_INT64:
		case G_TYPE_BOOLEAN:
			return TRUE;
		case G_TYPE_DOUBLE:
			return isfinite (json_node_get_double (node));
		case G_TYPE_STRING:
			return json_node_get_string (node) != NULL &&
			       g_utf8_validate (json_node_get_string (node), -1, NULL);
		default:
			return FALSE;
		}
	case JSON_NODE_OBJECT:
	case JSON_NODE_ARRAY:
		break;
	}
	if (depth + 1 > max_depth)
		return FALSE;
	if (JSON_NODE_HOLDS_ARRAY (node)) {
		JsonArray *array = json_node_get_array (node);

		for (guint i = 0; i < json_array_get_length (array); i++) {
			if (!attrs_pass (json_array_get_element (array, i), depth + 1, max_depth))
				return FALSE;
		}
		return TRUE;
	}
	json_object_iter_init_ordered (&iter, json_node_get_object (node));
	while (json_object_iter_next_ordered (&iter, &name, &member)) {
		if (!g_utf8_validate (name, -1, NULL) || !attrs_pass (member, depth + 1, max_depth))
			return FALSE;
	}
	return TRUE;
}

/* Room the journal's seq takes when it is added to a line. */
#define SEQ_ROOM (sizeof "\"seq\":9223372036854775807,")
/* More than a valid fact's line holds besides its attrs: the keys and
 * punctuation (< 100 bytes), two instants of 27 bytes, a seq of at most 26,
 * and kind, subject and source of at most 64 + 256 + 128 bytes that print
 * in at most 6 bytes each (\u00XX). Below this the exact length is not needed. */
#define LINE_REST_BOUND 4096

gboolean
xn_fact_validate_print_attrs (const XnFact *fact, char **attrs_json, GError **error)
{
	g_autoptr(JsonNode) attrs = NULL;
	g_autofree char *printed = NULL;

	if (fact->seq < 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "seq %" G_GINT64_FORMAT " is negative", fact->seq);
		return FALSE;
	}
	if (!check_instant ("ts", fact->ts, error) || !check_instant ("recorded", fact->recorded, error))
		return FALSE;
	if (!xn_fact_kind_is_valid (fact->kind)) {
		g_autofree char *quoted = xn_json_quote (fact->kind != NULL ? fact->kind : "", 80);

		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "kind %s is not a dotted lowercase identifier of at most %d bytes "
			     "such as \"node.unreachable\"", quoted, XN_FACT_MAX_KIND);
		return FALSE;
	}
	if (!check_text ("subject", fact->subject, XN_FACT_MAX_SUBJECT, TRUE, error) ||
	    !check_text ("source", fact->source, XN_FACT_MAX_SOURCE, FALSE, error))
		return FALSE;
	if (fact->attrs == NULL && fact->attrs_json == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "attrs is missing");
		return FALSE;
	}
	/* Attrs their maker printed are its word (xn_fact_new_printed()):
	 * what is checked here is that a tree prints and reads back, and the
	 * maker's text is what it printed. */
	if (fact->attrs_json != NULL) {
		printed = g_strdup (fact->attrs_json);
	} else {
		attrs = json_node_init_object (json_node_alloc (), fact->attrs);
		if (!attrs_pass (attrs, 0, XN_FACT_MAX_DEPTH - 1) &&
		    !xn_json_check (attrs, "attrs", XN_FACT_MAX_DEPTH - 1, error))
			return FALSE;
		printed = xn_fact_attrs_to_json (fact->attrs);
	}
	/* Leave room for a seq the journal will add. The attrs are printed
	 * once, and the whole line only when it might come close. */
	if (strlen (printed) + LINE_REST_BOUND + SEQ_ROOM > XN_FACT_MAX_LINE) {
		g_autofree char *line = xn_fact_to_json_line (fact);

		if (strlen (line) + SEQ_ROOM > XN_FACT_MAX_LINE) {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
				     "attrs too large: the fact's line would exceed %d bytes", XN_FACT_MAX_LINE);
			return FALSE;
		}
	}
	if (attrs_json != NULL)
		*attrs_json = g_steal_pointer (&printed);
	return TRUE;
}

gboolean
xn_fact_validate (const XnFact *fact, GError **error)
{
	return xn_fact_validate_print_attrs (fact, NULL, error);
}

static void
append_member (GString *out, const char *key, const char *value)
{
	g_string_append_printf (out, ",\"%s\":", key);
	xn_json_append_string (out, value);
}

char *
xn_fact_to_json_line (const XnFact *fact)
{
	g_autoptr(GString) out = g_string_new ("{");
	g_autofree char *ts = xn_time_format_utc (fact->ts);
	g_autofree char *recorded = xn_time_format_utc (fact->recorded);

	if (fact->seq > 0)
		g_string_append_printf (out, "\"seq\":%" G_GINT64_FORMAT ",", fact->seq);
	g_string_append (out, "\"ts\":");
	xn_json_append_string (out, ts);
	append_member (out, "kind", fact->kind);
	append_member (out, "subject", fact->subject);
	append_member (out, "source", fact->source);
	append_member (out, "recorded", recorded);
	g_string_append (out, ",\"attrs\":");
	if (fact->attrs_json != NULL) {
		g_string_append (out, fact->attrs_json);
	} else {
		g_autoptr(JsonNode) attrs = json_node_init_object (json_node_alloc (), fact->attrs);

		xn_json_append (out, attrs);
	}
	g_string_append_c (out, '}');
	return g_string_free (g_steal_pointer (&out), FALSE);
}

static const char *
type_name (JsonNode *node)
{
	switch (JSON_NODE_TYPE (node)) {
	case JSON_NODE_OBJECT: return "an object";
	case JSON_NODE_ARRAY:  return "an array";
	case JSON_NODE_NULL:   return "null";
	case JSON_NODE_VALUE:  break;
	}
	switch (json_node_get_value_type (node)) {
	case G_TYPE_STRING:  return "a string";
	case G_TYPE_BOOLEAN: return "a boolean";
	case G_TYPE_DOUBLE:  return "a number with a fraction";
	default:             return "an integer";
	}
}

static const char *
get_string (JsonObject *obj, const char *key, GError **error)
{
	JsonNode *node = json_object_get_member (obj, key);

	if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "key \"%s\": expected a string, got %s", key, type_name (node));
		return NULL;
	}
	return json_node_get_string (node);
}

static gboolean
get_instant (JsonObject *obj, const char *key, XnInstant *out, GError **error)
{
	const char *text = get_string (obj, key, error);
	g_autoptr(GError) local = NULL;

	if (text == NULL)
		return FALSE;
	/* No default zone: an instant without Z or an offset is ambiguous. */
	if (!xn_time_parse (text, NULL, out, &local)) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "key \"%s\": %s", key, local->message);
		return FALSE;
	}
	return TRUE;
}

static gboolean
get_seq (JsonObject *obj, gint64 *out, GError **error)
{
	JsonNode *node = json_object_get_member (obj, "seq");

	*out = 0;
	if (node == NULL)
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
	    json_node_get_int (node) < 1) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "key \"seq\": expected a positive integer, got %s", type_name (node));
		return FALSE;
	}
	*out = json_node_get_int (node);
	return TRUE;
}

static const char *const fact_keys[] = { "seq", "ts", "kind", "subject", "source", "recorded", "attrs" };

static gboolean
check_keys (JsonObject *obj, GError **error)
{
	JsonObjectIter iter;
	const char *name;
	JsonNode *member;

	json_object_iter_init_ordered (&iter, obj);
	while (json_object_iter_next_ordered (&iter, &name, &member)) {
		if (!g_strv_contains ((const char *const *) fact_keys, name)) {
			g_autofree char *quoted = xn_json_quote (name, 64);

			g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
				     "unknown key %s (a fact has seq, ts, kind, subject, source, recorded, attrs)",
				     quoted);
			return FALSE;
		}
	}
	/* seq is the one optional key. */
	for (gsize i = 1; i < G_N_ELEMENTS (fact_keys); i++) {
		if (!json_object_has_member (obj, fact_keys[i])) {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "missing key \"%s\"", fact_keys[i]);
			return FALSE;
		}
	}
	return TRUE;
}

XnFact *
xn_fact_from_json_line (const char *line, gsize length, GError **error)
{
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(XnFact) fact = NULL;
	JsonObject *obj;
	JsonNode *attrs;
	const char *kind, *subject, *source;
	XnInstant ts, recorded;
	gint64 seq;

	root = xn_json_parse_strict (line, length, XN_FACT_MAX_DEPTH, error);
	if (root == NULL)
		return NULL;
	if (!JSON_NODE_HOLDS_OBJECT (root)) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "a fact is a JSON object, not %s", type_name (root));
		return NULL;
	}
	obj = json_node_get_object (root);
	if (!check_keys (obj, error) || !get_seq (obj, &seq, error) ||
	    !get_instant (obj, "ts", &ts, error) ||
	    (kind = get_string (obj, "kind", error)) == NULL ||
	    (subject = get_string (obj, "subject", error)) == NULL ||
	    (source = get_string (obj, "source", error)) == NULL ||
	    !get_instant (obj, "recorded", &recorded, error))
		return NULL;
	attrs = json_object_get_member (obj, "attrs");
	if (!JSON_NODE_HOLDS_OBJECT (attrs)) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "key \"attrs\": expected an object, got %s", type_name (attrs));
		return NULL;
	}
	fact = xn_fact_new (ts, kind, subject, source, recorded, json_node_get_object (attrs));
	fact->seq = seq;
	if (!xn_fact_validate (fact, error))
		return NULL;
	return g_steal_pointer (&fact);
}

char *
xn_fact_attrs_to_json (JsonObject *attrs)
{
	g_autoptr(GString) out = g_string_new (NULL);
	g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), attrs);

	xn_json_append (out, node);
	return g_string_free (g_steal_pointer (&out), FALSE);
}

JsonObject *
xn_fact_attrs_from_json (const char *text, GError **error)
{
	g_autoptr(JsonNode) node = xn_json_parse_strict (text, strlen (text), XN_FACT_MAX_DEPTH - 1, error);

	if (node == NULL) {
		g_prefix_error (error, "attrs: ");
		return NULL;
	}
	if (!JSON_NODE_HOLDS_OBJECT (node)) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "attrs: expected an object, got %s",
			     type_name (node));
		return NULL;
	}
	return json_node_dup_object (node);
}

struct _XnFactReader {
	GInputStream *input;
	char *name;
	GByteArray *buf;        /* unread bytes start at data + pos */
	gsize pos;
	guint line;             /* of the line last returned */
	gboolean eof;
	gboolean failed;
};

XnFactReader *
xn_fact_reader_new (GInputStream *input, const char *name)
{
	XnFactReader *reader = g_new0 (XnFactReader, 1);

	reader->input = g_object_ref (input);
	reader->name = g_strdup (name);
	reader->buf = g_byte_array_new ();
	return reader;
}

void
xn_fact_reader_free (XnFactReader *reader)
{
	if (reader == NULL)
		return;
	g_object_unref (reader->input);
	g_free (reader->name);
	g_byte_array_unref (reader->buf);
	g_free (reader);
}

guint
xn_fact_reader_get_line (XnFactReader *reader)
{
	return reader->line;
}

static gboolean
too_long (XnFactReader *reader, GError **error)
{
	g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s:%u: line is longer than %d bytes",
		     reader->name, reader->line, XN_FACT_MAX_LINE);
	return FALSE;
}

/* Returns FALSE without an error at the end. The line points into the buffer
 * and is valid until the next call. */
static gboolean
next_line (XnFactReader *reader, const char **line, gsize *length, GError **error)
{
	g_autoptr(GError) local = NULL;
	gsize scanned = 0;

	for (;;) {
		const guint8 *start = reader->buf->data + reader->pos;
		gsize avail = reader->buf->len - reader->pos;
		const guint8 *nl = avail > scanned ? memchr (start + scanned, '\n', avail - scanned) : NULL;
		gsize old;
		gssize n;

		if (nl != NULL || (reader->eof && avail > 0)) {
			*line = (const char *) start;
			*length = nl != NULL ? (gsize) (nl - start) : avail;
			reader->pos += *length + (nl != NULL ? 1 : 0);
			reader->line++;
			return *length <= XN_FACT_MAX_LINE || too_long (reader, error);
		}
		if (reader->eof)
			return FALSE;
		if (avail > XN_FACT_MAX_LINE) {
			reader->line++;
			return too_long (reader, error);
		}
		scanned = avail;
		g_byte_array_remove_range (reader->buf, 0, reader->pos);
		reader->pos = 0;
		old = reader->buf->len;
		g_byte_array_set_size (reader->buf, old + READ_CHUNK);
		n = g_input_stream_read (reader->input, reader->buf->data + old, READ_CHUNK, NULL, &local);
		g_byte_array_set_size (reader->buf, old + MAX (n, 0));
		if (n < 0) {
			g_set_error (error, XN_ERROR, XN_ERROR_IO, "%s: reading: %s", reader->name, local->message);
			return FALSE;
		}
		reader->eof = n == 0;
	}
}

XnFact *
xn_fact_reader_next (XnFactReader *reader, GError **error)
{
	g_autoptr(GError) local = NULL;
	const char *line;
	gsize length;
	XnFact *fact;

	if (reader->failed)
		return NULL;
	if (!next_line (reader, &line, &length, &local)) {
		reader->failed = local != NULL;
		if (local != NULL)
			g_propagate_error (error, g_steal_pointer (&local));
		return NULL;
	}
	if (length == 0 || (length == 1 && line[0] == '\r')) {
		reader->failed = TRUE;
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s:%u: empty line", reader->name, reader->line);
		return NULL;
	}
	fact = xn_fact_from_json_line (line, length, &local);
	if (fact == NULL) {
		reader->failed = TRUE;
		g_propagate_prefixed_error (error, g_steal_pointer (&local), "%s:%u: ", reader->name, reader->line);
	}
	return fact;
}

GPtrArray *
xn_fact_read_all (GInputStream *input, const char *name, GError **error)
{
	g_autoptr(XnFactReader) reader = xn_fact_reader_new (input, name);
	g_autoptr(GPtrArray) facts = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_fact_free);
	g_autoptr(GError) local = NULL;
	XnFact *fact;

	while ((fact = xn_fact_reader_next (reader, &local)) != NULL)
		g_ptr_array_add (facts, fact);
	if (local != NULL) {
		g_propagate_error (error, g_steal_pointer (&local));
		return NULL;
	}
	return g_steal_pointer (&facts);
}

gboolean
xn_fact_write (const XnFact *fact, GOutputStream *output, GError **error)
{
	g_autofree char *line = xn_fact_to_json_line (fact);
	g_autoptr(GError) local = NULL;

	/* One write for line and newline would need a copy; two are fine for a stream. */
	if (!g_output_stream_write_all (output, line, strlen (line), NULL, NULL, &local) ||
	    !g_output_stream_write_all (output, "\n", 1, NULL, NULL, &local)) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "writing: %s", local->message);
		return FALSE;
	}
	return TRUE;
}
