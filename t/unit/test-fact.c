/* test-fact.c — facts, their rules and their JSON-lines form (storage/fact.c,
 * storage/json-strict.c): exact printed lines, round trips of hostile content,
 * one table of malformed lines with the message each must produce, the
 * stream reader's line numbers and limits, the string printer against a
 * byte-at-a-time reference, facts made from printed attrs, and members
 * found in printed text. No database is involved. */
#include "fact.h"
#include "json-strict.h"
#include "xn-error.h"

#include <math.h>
#include <string.h>

#define TS_2025_01_26_16H  G_GINT64_CONSTANT (1737907200000000)

#define TS    "\"ts\":\"2025-01-26T16:00:00.000000Z\""
#define REST  "\"kind\":\"node.unreachable\",\"subject\":\"node/city-core-1\",\"source\":\"poller\"," \
	      "\"recorded\":\"2025-01-26T16:00:01.000000Z\""
#define WITH_ATTRS(a) "{" TS "," REST ",\"attrs\":" a "}"
#define GOOD  WITH_ATTRS ("{}")

static JsonObject *
attrs_from (const char *json)
{
	g_autoptr(GError) error = NULL;
	JsonObject *attrs = xn_fact_attrs_from_json (json, &error);

	g_assert_no_error (error);
	return attrs;
}

static XnFact *
sample_fact (void)
{
	g_autoptr(JsonObject) attrs = attrs_from (
		"{\"unit\":\"某某县政务服务中心\",\"ifindex\":3,\"ratio\":0.25,\"ok\":true,"
		"\"note\":null,\"path\":[\"a\",\"b\"]}");

	return xn_fact_new (TS_2025_01_26_16H, "interface.down", "link/L-0001", "poller",
			    TS_2025_01_26_16H + 1500000, attrs);
}

static XnFact *
parse_ok (const char *line)
{
	g_autoptr(GError) error = NULL;
	XnFact *fact = xn_fact_from_json_line (line, strlen (line), &error);

	g_assert_no_error (error);
	g_assert_nonnull (fact);
	return fact;
}

static void
test_kind_syntax (void)
{
	const char *good[] = { "node.unreachable", "interface.down", "fault.declared-complex",
			       "maintenance.notice.filed", "a.b", "trap.received_v2" };
	const char *bad[] = { "", "node", "Node.down", "node.Down", "node..down", ".node.down",
			      "node.down.", "node.1down", "1node.down", "node down.x", "节点.down",
			      "node.down\n", "node.-down" };
	g_autofree char *longest = g_strnfill (XN_FACT_MAX_KIND, 'a');
	g_autofree char *too_long = g_strnfill (XN_FACT_MAX_KIND + 1, 'a');

	longest[10] = '.';
	too_long[10] = '.';
	for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
		g_assert_true (xn_fact_kind_is_valid (good[i]));
	for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
		g_autofree char *quoted = xn_json_quote (bad[i], 80);

		g_test_message ("kind %s", quoted);
		g_assert_false (xn_fact_kind_is_valid (bad[i]));
	}
	g_assert_true (xn_fact_kind_is_valid (longest));
	g_assert_false (xn_fact_kind_is_valid (too_long));
	g_assert_false (xn_fact_kind_is_valid (NULL));
}

static void
test_print_exact (void)
{
	g_autoptr(XnFact) fact = sample_fact ();
	g_autofree char *line = NULL;
	g_autofree char *with_seq = NULL;

	line = xn_fact_to_json_line (fact);
	g_assert_cmpstr (line, ==,
		"{\"ts\":\"2025-01-26T16:00:00.000000Z\",\"kind\":\"interface.down\","
		"\"subject\":\"link/L-0001\",\"source\":\"poller\",\"recorded\":\"2025-01-26T16:00:01.500000Z\","
		"\"attrs\":{\"unit\":\"某某县政务服务中心\",\"ifindex\":3,\"ratio\":0.25,\"ok\":true,"
		"\"note\":null,\"path\":[\"a\",\"b\"]}}");
	fact->seq = 7;
	with_seq = xn_fact_to_json_line (fact);
	g_assert_true (g_str_has_prefix (with_seq, "{\"seq\":7,\"ts\":"));
	g_assert_cmpstr (with_seq + strlen ("{\"seq\":7,"), ==, line + 1);
}

static void
test_parse_fields (void)
{
	g_autoptr(XnFact) fact = parse_ok (
		"{\"seq\":42,\"ts\":\"2025-01-27T00:00:00+08:00\",\"kind\":\"fault.reported\","
		"\"subject\":\"unit/某某局 办公室\",\"source\":\"cli:张三\",\"recorded\":\"2025-01-26T16:05:00Z\","
		"\"attrs\":{\"by\":\"phone\"}}");

	g_assert_cmpint (fact->seq, ==, 42);
	g_assert_cmpint (fact->ts, ==, TS_2025_01_26_16H);
	g_assert_cmpint (fact->recorded, ==, TS_2025_01_26_16H + 5 * 60 * G_USEC_PER_SEC);
	g_assert_cmpstr (fact->kind, ==, "fault.reported");
	g_assert_cmpstr (fact->subject, ==, "unit/某某局 办公室");
	g_assert_cmpstr (fact->source, ==, "cli:张三");
	g_assert_cmpstr (json_object_get_string_member (fact->attrs, "by"), ==, "phone");
	/* Facts do not change: the attrs object is sealed. */
	g_assert_true (json_object_is_immutable (fact->attrs));
}

static void
assert_round_trip (const XnFact *fact)
{
	g_autofree char *line = xn_fact_to_json_line (fact);
	g_autofree char *again = NULL;
	g_autoptr(XnFact) back = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true (xn_fact_validate (fact, &error));
	g_assert_no_error (error);
	for (const guchar *p = (const guchar *) line; *p != '\0'; p++) {
		/* Nothing any line splitter could break on, and nothing invisible. */
		g_assert_true (*p >= 0x20 && *p != 0x7f);
		g_assert_false (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f);
		g_assert_false (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9));
	}
	back = parse_ok (line);
	g_assert_true (xn_fact_equal (fact, back));
	again = xn_fact_to_json_line (back);
	g_assert_cmpstr (line, ==, again);
}

static void
test_round_trip_hostile (void)
{
	g_autoptr(JsonObject) attrs = json_object_new ();
	g_autoptr(GString) every = g_string_new (NULL);
	g_autofree char *big = g_strnfill (200000, 'x');
	g_autoptr(XnFact) fact = NULL;

	for (int c = 1; c < 0x80; c++)
		g_string_append_c (every, (char) c);
	g_string_append (every, "\xc2\x85\xc2\x9f\xc2\xa0\xe2\x80\xa8\xe2\x80\xa9电子政务外网😀\"\\/");
	json_object_set_string_member (attrs, "every", every->str);
	json_object_set_string_member (attrs, "key\nwith\r\nbreaks\x01", "v");
	json_object_set_string_member (attrs, "big", big);
	json_object_set_string_member (attrs, "", "empty key");
	json_object_set_int_member (attrs, "max", G_MAXINT64);
	json_object_set_int_member (attrs, "min", G_MININT64);
	fact = xn_fact_new (TS_2025_01_26_16H, "trap.received", "node/汇聚-1", "poller",
			    TS_2025_01_26_16H, attrs);
	assert_round_trip (fact);
	fact->seq = G_MAXINT64;
	assert_round_trip (fact);
}

static void
test_numbers_canonical (void)
{
	g_autoptr(XnFact) fact = parse_ok (WITH_ATTRS (
		"{\"a\":0.1,\"b\":1e22,\"c\":-0.0,\"d\":1.5e300,\"e\":5e-324,\"f\":1.0,\"g\":100,"
		"\"h\":-0,\"i\":1E5,\"j\":0.30000000000000004,\"k\":123456789.125}"));
	g_autofree char *line = xn_fact_to_json_line (fact);

	g_assert_nonnull (strstr (line,
		"\"attrs\":{\"a\":0.1,\"b\":1e+22,\"c\":-0.0,\"d\":1.5e+300,\"e\":4.94065645841247e-324,"
		"\"f\":1.0,\"g\":100,\"h\":0,\"i\":100000.0,\"j\":0.30000000000000004,\"k\":123456789.125}"));
	g_assert_cmpint (json_node_get_value_type (json_object_get_member (fact->attrs, "f")), ==, G_TYPE_DOUBLE);
	g_assert_cmpint (json_node_get_value_type (json_object_get_member (fact->attrs, "g")), ==, G_TYPE_INT64);
	assert_round_trip (fact);
}

static void
test_instant_range (void)
{
	g_autoptr(XnFact) fact = sample_fact ();
	g_autoptr(GError) error = NULL;

	fact->ts = XN_FACT_INSTANT_MIN;
	fact->recorded = XN_FACT_INSTANT_MAX;
	assert_round_trip (fact);
	fact->ts = XN_FACT_INSTANT_MIN - 1;
	g_assert_false (xn_fact_validate (fact, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_assert_true (g_str_has_prefix (error->message, "ts "));
	g_clear_error (&error);
	fact->ts = TS_2025_01_26_16H;
	fact->recorded = XN_FACT_INSTANT_MAX + 1;
	g_assert_false (xn_fact_validate (fact, &error));
	g_assert_true (g_str_has_prefix (error->message, "recorded "));
}

typedef struct {
	const char *line;
	const char *message;    /* a substring the error must contain */
} BadLine;

static const BadLine bad_lines[] = {
	{ "", "column 1: unexpected end of line, expected a value" },
	{ "[]", "a fact is a JSON object, not an array" },
	{ "null", "a fact is a JSON object, not null" },
	{ "{\"a\" 1}", "column 6: unexpected '1', expected ':'" },
	{ "{" TS "," REST ",\"attrs\":{},\"foo\":1}", "unknown key \"foo\"" },
	{ "{" REST ",\"attrs\":{}}", "missing key \"ts\"" },
	{ "{" TS "," REST "}", "missing key \"attrs\"" },
	{ "{\"ts\":1," REST ",\"attrs\":{}}", "key \"ts\": expected a string, got an integer" },
	{ "{\"ts\":\"2025-02-30T00:00:00Z\"," REST ",\"attrs\":{}}", "key \"ts\": '2025-02-30T00:00:00Z'" },
	{ "{\"ts\":\"2025-01-26T16:00:00\"," REST ",\"attrs\":{}}", "key \"ts\": " },
	{ "{\"ts\":\"2025-01-26\"," REST ",\"attrs\":{}}", "key \"ts\": " },
	{ "{\"ts\":\"0999-12-31T23:59:59Z\"," REST ",\"attrs\":{}}", "ts -30610224001000000 µs is outside" },
	{ "{\"seq\":0," TS "," REST ",\"attrs\":{}}", "key \"seq\": expected a positive integer, got an integer" },
	{ "{\"seq\":\"1\"," TS "," REST ",\"attrs\":{}}", "key \"seq\": expected a positive integer, got a string" },
	{ "{\"seq\":1.0," TS "," REST ",\"attrs\":{}}", "key \"seq\": expected a positive integer, got a number with a fraction" },
	{ WITH_ATTRS ("[]"), "key \"attrs\": expected an object, got an array" },
	{ WITH_ATTRS ("null"), "key \"attrs\": expected an object, got null" },
	{ "{" TS ",\"kind\":5,\"subject\":\"s\",\"source\":\"p\",\"recorded\":\"2025-01-26T16:00:00Z\",\"attrs\":{}}",
	  "key \"kind\": expected a string, got an integer" },
	{ "{" TS ",\"kind\":\"Node.Down\",\"subject\":\"s\",\"source\":\"p\",\"recorded\":\"2025-01-26T16:00:00Z\",\"attrs\":{}}",
	  "kind \"Node.Down\" is not a dotted lowercase identifier" },
	{ "{" TS ",\"kind\":\"node\",\"subject\":\"s\",\"source\":\"p\",\"recorded\":\"2025-01-26T16:00:00Z\",\"attrs\":{}}",
	  "kind \"node\" is not" },
	{ "{" TS ",\"kind\":\"a.b\",\"subject\":\"\",\"source\":\"p\",\"recorded\":\"2025-01-26T16:00:00Z\",\"attrs\":{}}",
	  "subject is empty" },
	{ "{" TS ",\"kind\":\"a.b\",\"subject\":\"a\\u0001b\",\"source\":\"p\",\"recorded\":\"2025-01-26T16:00:00Z\",\"attrs\":{}}",
	  "subject \"a\\u0001b\": U+0001 at byte 1 is not allowed" },
	{ "{" TS ",\"kind\":\"a.b\",\"subject\":\" node/a\",\"source\":\"p\",\"recorded\":\"2025-01-26T16:00:00Z\",\"attrs\":{}}",
	  "subject \" node/a\": U+0020 at byte 0" },
	{ "{" TS ",\"kind\":\"a.b\",\"subject\":\"a\\tb\",\"source\":\"p\",\"recorded\":\"2025-01-26T16:00:00Z\",\"attrs\":{}}",
	  "subject \"a\\tb\": U+0009 at byte 1" },
	{ "{" TS ",\"kind\":\"a.b\",\"subject\":\"s\",\"source\":\"cli:zhang san\",\"recorded\":\"2025-01-26T16:00:00Z\",\"attrs\":{}}",
	  "source \"cli:zhang san\": U+0020 at byte 9" },
	{ "{" TS ",\"kind\":\"a.b\",\"subject\":\"node/a \",\"source\":\"p\",\"recorded\":\"2025-01-26T16:00:00Z\",\"attrs\":{}}",
	  "subject \"node/a \": U+0020 at byte 6" },
	{ "{" TS ",\"kind\":\"a.b\",\"subject\":\"s\",\"source\":\"p\\u007f\",\"recorded\":\"2025-01-26T16:00:00Z\",\"attrs\":{}}",
	  "source \"p\\u007f\": U+007F at byte 1" },
	{ "{" TS ",\"kind\":\"a.b\"," REST ",\"attrs\":{}}", "column 50: duplicate key \"kind\"" },
	{ WITH_ATTRS ("{\"x\":1,\"x\":2}"), "in \"attrs\": duplicate key \"x\"" },
	{ WITH_ATTRS ("{\"x\":{\"y\":[{\"z\":1,\"z\":1}]}}"), "in \"attrs\": duplicate key \"z\"" },
	{ WITH_ATTRS ("{\"x\":\"a\\u0000b\"}"), "\\u0000 (NUL) is not allowed in strings" },
	{ WITH_ATTRS ("{\"x\":\"\\ud800\"}"), "unpaired surrogate \\ud800" },
	{ WITH_ATTRS ("{\"x\":\"\\ud800\\u0041\"}"), "unpaired surrogate \\ud800" },
	{ WITH_ATTRS ("{\"x\":\"\\udc00\"}"), "unpaired surrogate \\udc00" },
	{ WITH_ATTRS ("{\"x\":\"a\tb\"}"), "raw control character U+0009 in a string" },
	{ WITH_ATTRS ("{\"x\":\"a\x1f\"}"), "raw control character U+001F in a string" },
	{ WITH_ATTRS ("{\"x\":\"\\q\"}"), "invalid escape '\\q'" },
	{ WITH_ATTRS ("{\"x\":\"\\u12\"}"), "\\u must be followed by four hex digits" },
	{ "{\"ts\":\"abc", "unterminated string" },
	{ GOOD "{}", "unexpected '{' after the value" },
	{ GOOD " x", "unexpected 'x' after the value" },
	{ "{'ts':1}", "unexpected ''', expected a key in double quotes" },
	{ "/*c*/" GOOD, "column 1: unexpected '/', expected a value" },
	{ WITH_ATTRS ("{\"x\":01}"), "unexpected '1', expected ',' or '}'" },
	{ WITH_ATTRS ("{\"x\":0x10}"), "unexpected 'x', expected ',' or '}'" },
	{ WITH_ATTRS ("{\"x\":.5}"), "unexpected '.', expected a value" },
	{ WITH_ATTRS ("{\"x\":+5}"), "unexpected '+', expected a value" },
	{ WITH_ATTRS ("{\"x\":-}"), "invalid number: expected a digit" },
	{ WITH_ATTRS ("{\"x\":1.}"), "expected a digit after '.'" },
	{ WITH_ATTRS ("{\"x\":1e}"), "expected a digit in the exponent" },
	{ WITH_ATTRS ("{\"x\":12345678901234567890}"), "integer does not fit in 64 bits" },
	{ WITH_ATTRS ("{\"x\":-9223372036854775809}"), "integer does not fit in 64 bits" },
	{ WITH_ATTRS ("{\"x\":1e400}"), "number is too large for a double" },
	{ WITH_ATTRS ("{\"x\":NaN}"), "unexpected 'N', expected a value" },
	{ WITH_ATTRS ("{\"x\":tru}"), "unexpected 't', expected a value" },
	{ WITH_ATTRS ("{\"x\":[1,]}"), "unexpected ']', expected a value" },
	{ WITH_ATTRS ("{\"x\":1,}"), "unexpected '}', expected a key in double quotes" },
	{ WITH_ATTRS ("{\"x\":[1 2]}"), "unexpected '2', expected ',' or ']'" },
	{ "{\"ts\":\"2025\xff\"}", "column 12: invalid UTF-8" },
	{ "{\"ts\":\"\xc0\xaf\"}", "invalid UTF-8" },
	{ "\xef\xbb\xbf" GOOD, "unexpected byte 0xef, expected a value" },
};

static void
test_parse_errors (void)
{
	for (gsize i = 0; i < G_N_ELEMENTS (bad_lines); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(XnFact) fact = NULL;
		g_autofree char *quoted = xn_json_quote (bad_lines[i].line, 200);

		g_test_message ("line %s", quoted);
		fact = xn_fact_from_json_line (bad_lines[i].line, strlen (bad_lines[i].line), &error);
		g_assert_null (fact);
		g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
		if (strstr (error->message, bad_lines[i].message) == NULL)
			g_error ("for %s\n expected: %s\n got:      %s", quoted,
				 bad_lines[i].message, error->message);
	}
	/* The good base line itself parses, so each failure above is its own. */
	xn_fact_free (parse_ok (GOOD));
}

static void
test_parse_exact_messages (void)
{
	const char *line = WITH_ATTRS ("{\"x\":1,\"x\":2}");
	g_autoptr(GError) error = NULL;
	g_autofree char *expected = NULL;

	g_assert_null (xn_fact_from_json_line (line, strlen (line), &error));
	expected = g_strdup_printf ("column %d, in \"attrs\": duplicate key \"x\"",
				    (int) (strstr (line, "\"x\":2") - line) + 1);
	g_assert_cmpstr (error->message, ==, expected);
	g_clear_error (&error);
	/* A NUL byte inside the given length. */
	g_assert_null (xn_fact_from_json_line ("{\"ts\":\"a\0b\"}", 12, &error));
	g_assert_cmpstr (error->message, ==, "column 9: NUL byte");
}

static char *
nested_attrs (guint levels)
{
	g_autoptr(GString) s = g_string_new ("{\"x\":");

	for (guint i = 0; i < levels; i++)
		g_string_append_c (s, '[');
	for (guint i = 0; i < levels; i++)
		g_string_append_c (s, ']');
	g_string_append_c (s, '}');
	return g_strdup_printf (WITH_ATTRS ("%s"), s->str);
}

static void
test_nesting_limit (void)
{
	/* Line object, attrs object, then arrays: 2 + 30 = XN_FACT_MAX_DEPTH. */
	g_autofree char *deepest = nested_attrs (XN_FACT_MAX_DEPTH - 2);
	g_autofree char *too_deep = nested_attrs (XN_FACT_MAX_DEPTH - 1);
	g_autofree char *hostile = nested_attrs (200000);
	g_autoptr(GError) error = NULL;
	g_autoptr(XnFact) fact = parse_ok (deepest);

	assert_round_trip (fact);
	g_assert_null (xn_fact_from_json_line (too_deep, strlen (too_deep), &error));
	g_assert_nonnull (strstr (error->message, "nesting deeper than 32 levels"));
	g_clear_error (&error);
	g_assert_null (xn_fact_from_json_line (hostile, strlen (hostile), &error));
	g_assert_nonnull (strstr (error->message, "nesting deeper than 32 levels"));
}

static void
test_validate_in_memory (void)
{
	g_autoptr(XnFact) fact = sample_fact ();
	g_autoptr(JsonObject) attrs = json_object_new ();
	g_autoptr(JsonObject) inner = json_object_new ();
	g_autoptr(JsonArray) arr = json_array_new ();
	g_autoptr(GError) error = NULL;
	g_autoptr(XnFact) bad = NULL;
	g_autofree char *controls = g_strnfill (200000, '\x01');
	g_autoptr(XnFact) huge = NULL;
	g_autoptr(JsonObject) huge_attrs = json_object_new ();

	g_assert_true (xn_fact_validate (fact, &error));
	json_array_add_int_element (arr, 1);
	json_array_add_double_element (arr, INFINITY);
	json_object_set_array_member (inner, "list", g_steal_pointer (&arr));
	json_object_set_object_member (attrs, "a", g_steal_pointer (&inner));
	bad = xn_fact_new (TS_2025_01_26_16H, "a.b", "s", "p", TS_2025_01_26_16H, attrs);
	g_assert_false (xn_fact_validate (bad, &error));
	g_assert_cmpstr (error->message, ==, "attrs.a.list[1]: a number that is not finite has no JSON form");
	g_clear_error (&error);

	/* 200,000 control characters print as 1.2 MB: refused, not cut or wrapped. */
	json_object_set_string_member (huge_attrs, "x", controls);
	huge = xn_fact_new (TS_2025_01_26_16H, "a.b", "s", "p", TS_2025_01_26_16H, huge_attrs);
	g_assert_false (xn_fact_validate (huge, &error));
	g_assert_nonnull (strstr (error->message, "attrs too large"));
	g_clear_error (&error);

	g_free (fact->subject);
	fact->subject = g_strdup ("bad\xff");
	g_assert_false (xn_fact_validate (fact, &error));
	g_assert_nonnull (strstr (error->message, "is not valid UTF-8"));
	g_clear_error (&error);
	g_free (fact->subject);
	fact->subject = g_strnfill (XN_FACT_MAX_SUBJECT + 1, 's');
	g_assert_false (xn_fact_validate (fact, &error));
	g_assert_nonnull (strstr (error->message, "is longer than 256 bytes"));
}

/* A fact of `fill` bytes of "x" in attrs.x, with this seq. */
static XnFact *
filled_fact (gsize fill, gint64 seq)
{
	g_autofree char *text = g_strnfill (fill, 'x');
	g_autoptr(JsonObject) attrs = json_object_new ();
	XnFact *fact;

	json_object_set_string_member (attrs, "x", text);
	fact = xn_fact_new (TS_2025_01_26_16H, "a.b", "subject \"q\"", "p", TS_2025_01_26_16H, attrs);
	fact->seq = seq;
	return fact;
}

/* The line limit is exact to the byte, with room for a seq, whether or not
 * the fact has one; the attrs handed back are those the journal stores. */
static void
test_validate_line_limit (void)
{
	const gsize room = sizeof "\"seq\":9223372036854775807,";
	const gint64 seqs[] = { 0, 7, G_MAXINT64 };

	for (gsize i = 0; i < G_N_ELEMENTS (seqs); i++) {
		g_autoptr(XnFact) empty = filled_fact (0, seqs[i]);
		g_autofree char *empty_line = xn_fact_to_json_line (empty);
		gsize fill = XN_FACT_MAX_LINE - room - strlen (empty_line);
		g_autoptr(XnFact) fits = filled_fact (fill, seqs[i]);
		g_autoptr(XnFact) over = filled_fact (fill + 1, seqs[i]);
		g_autofree char *line = xn_fact_to_json_line (fits);
		g_autofree char *printed = NULL;
		g_autofree char *expected = xn_fact_attrs_to_json (fits->attrs);
		g_autoptr(GError) error = NULL;

		g_assert_cmpuint (strlen (line) + room, ==, XN_FACT_MAX_LINE);
		g_assert_true (xn_fact_validate_print_attrs (fits, &printed, &error));
		g_assert_no_error (error);
		g_assert_cmpstr (printed, ==, expected);
		g_assert_false (xn_fact_validate_print_attrs (over, NULL, &error));
		g_assert_cmpstr (error->message, ==, "attrs too large: the fact's line would exceed 1048576 bytes");
	}
}

static void
test_copy_equal (void)
{
	g_autoptr(XnFact) a = sample_fact ();
	g_autoptr(XnFact) b = xn_fact_copy (a);
	g_autoptr(XnFact) c = NULL;
	g_autoptr(JsonObject) other = attrs_from ("{\"ifindex\":3.0}");

	g_assert_true (xn_fact_equal (a, b));
	b->seq = 1;
	g_assert_false (xn_fact_equal (a, b));
	/* 3 and 3.0 are different values in the journal's form. */
	c = xn_fact_new (a->ts, a->kind, a->subject, a->source, a->recorded, other);
	g_assert_false (xn_fact_equal (a, c));
}

static GPtrArray *
read_text (const char *text, gssize length, GError **error)
{
	g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (
		g_memdup2 (text, length < 0 ? strlen (text) : (gsize) length),
		length < 0 ? (gssize) strlen (text) : length, g_free);

	return xn_fact_read_all (in, "facts.jsonl", error);
}

static void
test_reader_lines (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) facts = NULL;
	g_autofree char *big_line = NULL;
	g_autofree char *big = g_strnfill (300000, 'y');
	g_autofree char *text = NULL;

	/* CRLF and a missing final newline are read; lines can span read chunks. */
	big_line = g_strdup_printf (WITH_ATTRS ("{\"big\":\"%s\"}"), big);
	text = g_strconcat (GOOD "\r\n", big_line, "\n", GOOD, NULL);
	facts = read_text (text, -1, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (facts->len, ==, 3);
	g_assert_cmpuint (strlen (json_object_get_string_member (
		((XnFact *) g_ptr_array_index (facts, 1))->attrs, "big")), ==, 300000);
	g_clear_pointer (&facts, g_ptr_array_unref);

	facts = read_text ("", -1, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (facts->len, ==, 0);
	g_clear_pointer (&facts, g_ptr_array_unref);

	facts = read_text (GOOD "\n" GOOD "\n{\"ts\":1," REST ",\"attrs\":{}}\n" GOOD "\n", -1, &error);
	g_assert_null (facts);
	g_assert_cmpstr (error->message, ==, "facts.jsonl:3: key \"ts\": expected a string, got an integer");
	g_clear_error (&error);

	facts = read_text (GOOD "\n\n" GOOD "\n", -1, &error);
	g_assert_cmpstr (error->message, ==, "facts.jsonl:2: empty line");
	g_clear_error (&error);

	facts = read_text (GOOD "\n" GOOD "\n\n", -1, &error);
	g_assert_cmpstr (error->message, ==, "facts.jsonl:3: empty line");
	g_clear_error (&error);

	facts = read_text (GOOD "\n{\"ts\":\"a\0b\"}\n", (gssize) sizeof (GOOD "\n{\"ts\":\"a\0b\"}\n") - 1, &error);
	g_assert_cmpstr (error->message, ==, "facts.jsonl:2: column 9: NUL byte");
	g_clear_error (&error);
}

static void
test_reader_line_limit (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) facts = NULL;
	g_autofree char *spaces = g_strnfill (XN_FACT_MAX_LINE + 10, ' ');
	g_autofree char *text = g_strconcat (GOOD "\n", spaces, GOOD "\n", NULL);
	g_autofree char *unterminated = g_strconcat (GOOD "\n", spaces, NULL);

	facts = read_text (text, -1, &error);
	g_assert_null (facts);
	g_assert_cmpstr (error->message, ==, "facts.jsonl:2: line is longer than 1048576 bytes");
	g_clear_error (&error);
	facts = read_text (unterminated, -1, &error);
	g_assert_cmpstr (error->message, ==, "facts.jsonl:2: line is longer than 1048576 bytes");
}

static void
test_reader_one_by_one (void)
{
	g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (
		GOOD "\n" GOOD "\nbroken\n" GOOD "\n", -1, NULL);
	g_autoptr(XnFactReader) reader = xn_fact_reader_new (in, "r");
	g_autoptr(GError) error = NULL;
	g_autoptr(XnFact) one = xn_fact_reader_next (reader, &error);
	g_autoptr(XnFact) two = xn_fact_reader_next (reader, &error);

	g_assert_no_error (error);
	g_assert_nonnull (one);
	g_assert_nonnull (two);
	g_assert_cmpuint (xn_fact_reader_get_line (reader), ==, 2);
	g_assert_null (xn_fact_reader_next (reader, &error));
	g_assert_cmpstr (error->message, ==, "r:3: column 1: unexpected 'b', expected a value");
	g_clear_error (&error);
	/* After an error the reader is finished. */
	g_assert_null (xn_fact_reader_next (reader, &error));
	g_assert_no_error (error);
}

static void
test_write (void)
{
	g_autoptr(XnFact) fact = sample_fact ();
	g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
	g_autoptr(GError) error = NULL;
	g_autofree char *line = xn_fact_to_json_line (fact);
	g_autofree char *expected = g_strconcat (line, "\n", line, "\n", NULL);

	g_assert_true (xn_fact_write (fact, out, &error));
	g_assert_true (xn_fact_write (fact, out, &error));
	g_assert_true (g_output_stream_close (out, NULL, &error));
	g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
			 g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)),
			 expected, strlen (expected));
}

/* The printer as it was written first, a byte at a time: the run-copying
 * one must print every string the same. */
static void
reference_append_string (GString *out, const char *text)
{
	g_string_append_c (out, '"');
	for (const guchar *p = (const guchar *) text; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_printf (out, "\\%c", *p);
		else if (*p == '\b' || *p == '\f' || *p == '\n' || *p == '\r' || *p == '\t')
			g_string_append_printf (out, "\\%c", "bfnrt"[strchr ("\b\f\n\r\t", *p) - "\b\f\n\r\t"]);
		else if (*p < 0x20 || *p == 0x7f)
			g_string_append_printf (out, "\\u%04x", (guint) *p);
		else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			g_string_append_printf (out, "\\u%04x", (guint) *++p);
		else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
			g_string_append (out, p[2] == 0xa8 ? "\\u2028" : "\\u2029"), p += 2;
		else
			g_string_append_c (out, (char) *p);
	}
	g_string_append_c (out, '"');
}

static void
test_escape_reference (void)
{
	static const char *const pieces[] = {
		"abc", "电子政务", "\"", "\\", "/", "\b\f\n\r\t", "\x01", "\x1f", "\x7f", "\xc2\x80", "\xc2\x85", "\xc2\x9f",
		"\xc2\xa0", "\xe2\x80\xa8", "\xe2\x80\xa9", "\xe2\x80\xa7", "\xe2\x81\xa8", "\xf0\x9f\x98\x80", "\xc2", "\xe2",
		"\xe2\x80", "\xff",
	};
	static const gint64 ints[] = { 0, 1, -1, 9, 10, -10, 99, 100, 4294967295, G_MAXINT64, G_MININT64, G_MININT64 + 1 };
	g_autoptr(GRand) r = g_rand_new_with_seed (7);

	for (guint i = 0; i < 20000; i++) {
		g_autoptr(GString) text = g_string_new (NULL);
		g_autoptr(GString) got = g_string_new (NULL);
		g_autoptr(GString) want = g_string_new (NULL);

		for (guint n = g_rand_int_range (r, 0, 8); n > 0; n--)
			g_string_append (text, pieces[g_rand_int_range (r, 0, G_N_ELEMENTS (pieces))]);
		xn_json_append_string (got, text->str);
		reference_append_string (want, text->str);
		g_assert_cmpstr (got->str, ==, want->str);
		/* a prefix cut anywhere, even inside a character */
		g_string_truncate (got, 0);
		g_string_truncate (want, 0);
		g_string_truncate (text, g_rand_int_range (r, 0, text->len + 1));
		xn_json_append_string_len (got, text->str, text->len);
		reference_append_string (want, text->str);
		g_assert_cmpstr (got->str, ==, want->str);
	}
	for (gsize i = 0; i < G_N_ELEMENTS (ints); i++) {
		g_autoptr(GString) got = g_string_new ("x");
		g_autofree char *want = g_strdup_printf ("x%" G_GINT64_FORMAT, ints[i]);

		xn_json_append_int (got, ints[i]);
		g_assert_cmpstr (got->str, ==, want);
	}
}

/* A fact made from printed attrs stores and prints that text, equals the
 * fact made from the tree, and builds the tree only when asked, once. */
static void
test_printed_attrs (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnFact) tree = sample_fact ();
	g_autofree char *text = xn_fact_attrs_to_json (tree->attrs);
	g_autoptr(XnFact) printed = xn_fact_new_printed (tree->ts, tree->kind, tree->subject, tree->source,
							 tree->recorded, NULL, text, strlen (text));
	g_autoptr(XnFact) copy = xn_fact_copy (printed);
	g_autoptr(XnFact) both = xn_fact_new_printed (tree->ts, tree->kind, tree->subject, tree->source,
						      tree->recorded, tree->attrs, text, strlen (text));
	g_autofree char *line_tree = xn_fact_to_json_line (tree);
	g_autofree char *line_printed = xn_fact_to_json_line (printed);
	g_autofree char *stored = NULL;
	g_autoptr(XnFact) broken = NULL;
	static const char extremes_text[] = "{\"min\":-9223372036854775808,\"max\":9223372036854775807,\"neg\":-0.5}";
	g_autoptr(XnFact) extremes = xn_fact_new_printed (tree->ts, tree->kind, tree->subject, tree->source,
							  tree->recorded, NULL, extremes_text, strlen (extremes_text));
	gint64 number = 0;
	JsonObject *attrs;

	g_assert_null (printed->attrs);
	g_assert_true (printed->attrs_json != text);
	g_assert_true (copy->attrs_json == printed->attrs_json);
	g_assert_cmpstr (line_printed, ==, line_tree);
	g_assert_true (xn_fact_equal (printed, tree));
	g_assert_true (xn_fact_equal (copy, tree));
	g_assert_true (xn_fact_validate_print_attrs (printed, &stored, &error));
	g_assert_no_error (error);
	g_assert_cmpstr (stored, ==, text);
	g_assert_true (both->attrs == tree->attrs);
	g_assert_true (xn_fact_get_attrs (both) == tree->attrs);
	g_assert_true (xn_fact_get_attrs (tree) == tree->attrs);
	/* built on the first ask, sealed, then the same tree every time */
	attrs = xn_fact_get_attrs (printed);
	g_assert_nonnull (attrs);
	g_assert_true (printed->attrs == attrs);
	g_assert_true (xn_fact_get_attrs (printed) == attrs);
	g_assert_true (json_object_is_immutable (attrs));
	g_assert_cmpstr (json_object_get_string_member (attrs, "unit"), ==, "某某县政务服务中心");
	g_assert_null (copy->attrs);
	/* one member, from the text or the tree alike */
	for (guint i = 0; i < 2; i++) {
		g_assert_true (xn_fact_attr_is (copy, "unit", "某某县政务服务中心"));
		g_assert_false (xn_fact_attr_is (copy, "unit", "某某县政务服务"));
		g_assert_false (xn_fact_attr_is (copy, "ifindex", "3"));
		g_assert_false (xn_fact_attr_is (copy, "note", "null"));
		g_assert_false (xn_fact_attr_is (copy, "a", "b"));
		g_assert_false (xn_fact_attr_is (copy, "missing", ""));
		g_assert_true (xn_fact_attr_int (copy, "ifindex", &number));
		g_assert_cmpint (number, ==, 3);
		g_assert_false (xn_fact_attr_int (copy, "ratio", &number));
		g_assert_false (xn_fact_attr_int (copy, "unit", &number));
		g_assert_false (xn_fact_attr_int (copy, "note", &number));
		g_assert_false (xn_fact_attr_int (copy, "ok", &number));
		g_assert_false (xn_fact_attr_int (copy, "missing", &number));
		g_assert_cmpint (number, ==, 3);
		g_assert_true (xn_fact_attr_int (extremes, "min", &number));
		g_assert_cmpint (number, ==, G_MININT64);
		g_assert_true (xn_fact_attr_int (extremes, "max", &number));
		g_assert_cmpint (number, ==, G_MAXINT64);
		g_assert_false (xn_fact_attr_int (extremes, "neg", &number));
		if (i == 0) {
			g_assert_null (copy->attrs);
			g_assert_null (extremes->attrs);
		}
		g_assert_true (xn_fact_get_attrs (copy) != attrs);
		xn_fact_get_attrs (extremes);
	}
	/* the size rule still holds for printed attrs */
	{
		g_autofree char *big = g_strdup_printf ("{\"x\":\"%0*d\"}", XN_FACT_MAX_LINE, 0);
		g_autoptr(XnFact) huge = xn_fact_new_printed (tree->ts, tree->kind, tree->subject, tree->source,
							      tree->recorded, NULL, big, strlen (big));

		g_assert_false (xn_fact_validate (huge, &error));
		g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
		g_clear_error (&error);
	}
	/* text that does not read back is the maker's bug, and said so (a
	 * critical: fatal under test, so in a subprocess) */
	if (g_test_subprocess ()) {
		broken = xn_fact_new_printed (tree->ts, tree->kind, tree->subject, tree->source, tree->recorded, NULL,
					      "{\"x\":", 5);
		attrs = xn_fact_get_attrs (broken);
		return;
	}
	g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_failed ();
	g_test_trap_assert_stderr ("*interface.down link/L-0001: its printed attrs do not read back*");
}

/* Members found in printed text at the top only, past strings that hold
 * brackets, quotes, commas and colons, and past nested values. */
static void
test_find_member (void)
{
	static const struct { const char *name; const char *value; } cases[] = {
		{ "a", "\"x,y:}]\\\"{[\"" }, { "b", "{\"z\":1,\"c\":[{\"a\":\"]}\"},2]}" }, { "c", "[]" },
		{ "d", "-1.5e3" }, { "e", "null" }, { "f", "true" }, { "键\n", "\"值\\u2028\"" }, { "g", "{}" },
		{ "h", "[[[\"\\\\\"]],{}]" },
	};
	g_autoptr(GString) object = g_string_new ("{");
	gsize length;

	for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autoptr(JsonNode) value = NULL;
		g_autoptr(GError) error = NULL;

		if (i > 0)
			g_string_append_c (object, ',');
		xn_json_append_string (object, cases[i].name);
		g_string_append_c (object, ':');
		/* as the printer prints it */
		value = xn_json_parse_strict (cases[i].value, strlen (cases[i].value), 8, &error);
		g_assert_no_error (error);
		xn_json_append (object, value);
	}
	g_string_append_c (object, '}');
	for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autoptr(GString) printed = g_string_new (NULL);
		g_autoptr(JsonNode) value = xn_json_parse_strict (cases[i].value, strlen (cases[i].value), 8, NULL);
		const char *found = xn_json_find_member (object->str, cases[i].name, &length);

		xn_json_append (printed, value);
		g_assert_nonnull (found);
		g_assert_cmpmem (found, length, printed->str, printed->len);
	}
	g_assert_null (xn_json_find_member (object->str, "x", &length));
	g_assert_null (xn_json_find_member (object->str, "z", &length));     /* nested only */
	g_assert_null (xn_json_find_member (object->str, "键", &length));
	g_assert_null (xn_json_find_member ("{}", "a", &length));
	g_assert_null (xn_json_find_member ("[]", "a", &length));
}

static void
test_quote (void)
{
	g_autofree char *plain = xn_json_quote ("a\"b\n", 64);
	g_autofree char *cut = xn_json_quote ("政务外网", 7);
	g_autofree char *invalid = xn_json_quote ("a\xff", 64);

	g_assert_cmpstr (plain, ==, "\"a\\\"b\\n\"");
	g_assert_cmpstr (cut, ==, "\"政务\"…");
	g_assert_cmpstr (invalid, ==, "\"a\xef\xbf\xbd\"");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/fact/kind-syntax", test_kind_syntax);
	g_test_add_func ("/fact/print-exact", test_print_exact);
	g_test_add_func ("/fact/parse-fields", test_parse_fields);
	g_test_add_func ("/fact/round-trip-hostile", test_round_trip_hostile);
	g_test_add_func ("/fact/numbers-canonical", test_numbers_canonical);
	g_test_add_func ("/fact/instant-range", test_instant_range);
	g_test_add_func ("/fact/parse-errors", test_parse_errors);
	g_test_add_func ("/fact/parse-exact-messages", test_parse_exact_messages);
	g_test_add_func ("/fact/nesting-limit", test_nesting_limit);
	g_test_add_func ("/fact/validate-in-memory", test_validate_in_memory);
	g_test_add_func ("/fact/validate-line-limit", test_validate_line_limit);
	g_test_add_func ("/fact/copy-equal", test_copy_equal);
	g_test_add_func ("/fact/reader-lines", test_reader_lines);
	g_test_add_func ("/fact/reader-line-limit", test_reader_line_limit);
	g_test_add_func ("/fact/reader-one-by-one", test_reader_one_by_one);
	g_test_add_func ("/fact/write", test_write);
	g_test_add_func ("/fact/quote", test_quote);
	g_test_add_func ("/fact/escape-reference", test_escape_reference);
	g_test_add_func ("/fact/printed-attrs", test_printed_attrs);
	g_test_add_func ("/fact/find-member", test_find_member);
	return g_test_run ();
}
