/* ticket-view.c — the parts the ticket commands share (ticket-view.h).
 *
 * A replay feeds the ticket engine (sla/ticket.h), which wraps the outage
 * engine, so `extranoc replay` derives outages and tickets from one pass
 * and the outages are those of a replay without tickets. What is printed
 * is read back from a ticket's JSON (xn_ticket_to_json) and never from
 * the engine's structures: a ticket the collector stored is a JSON text
 * too, and both must print alike. The explanation of a ticket prints the
 * engine's own arithmetic strings and results and adds local times; it
 * computes no deadline itself, so it cannot disagree with the engine. The
 * facts behind a ticket are picked by seq and subject while a journal is
 * read, never by loading the journal whole. This file reads no clock. */
#include "ticket-view.h"
#include "xn-error.h"

#include <string.h>

gboolean
xn_cli_ticket_options (const XnCliSetup *setup, XnTicketOptions *options, GError **error)
{
	xn_ticket_options_init (options);
	if (setup->config == NULL)
		return TRUE;
	return xn_ticket_options_from_policy (options, xn_config_get_policy (setup->config), error);
}

/* ---- replay ---- */

static gboolean
feed_ticket (XnFact *fact, gpointer user_data, GError **error)
{
	return xn_ticket_engine_feed (user_data, fact, error);
}

XnTicketEngine *
xn_cli_ticket_engine_new (const XnCliSetup *setup, const XnOutageOptions *outage_options,
			  const XnTicketOptions *options, GError **error)
{
	XnTicketEngine *engine = xn_ticket_engine_new (xn_config_get_inventory (setup->config), outage_options,
						       options, error);

	if (engine != NULL && setup->calendar != NULL)
		xn_ticket_engine_set_maintenance (engine, xn_config_get_policy (setup->config), setup->calendar,
						  setup->tz);
	return engine;
}

XnTicketEngine *
xn_cli_replay_tickets (const XnCliSetup *setup, const XnOutageOptions *outage_options,
		       const XnTicketOptions *options, const char *path, XnInstant at, XnReplayCounts *counts,
		       GError **error)
{
	g_autoptr(XnTicketEngine) engine = xn_cli_ticket_engine_new (setup, outage_options, options, error);

	memset (counts, 0, sizeof *counts);
	if (engine == NULL || !xn_cli_replay_read (path, at, feed_ticket, engine, counts, error))
		return NULL;
	if (at != G_MAXINT64)
		xn_ticket_engine_advance (engine, at);
	return g_steal_pointer (&engine);
}

typedef struct {
	XnTicketEngine *engine;
	XnInstant       at;
	XnReplayCounts *counts;
} JournalFeed;

static gboolean
feed_journal_fact (const XnFact *fact, gpointer user_data, GError **error)
{
	JournalFeed *feed = user_data;

	feed->counts->read++;
	if (fact->ts > feed->at) {
		feed->counts->after++;
		return TRUE;
	}
	if (!xn_ticket_engine_feed (feed->engine, fact, error)) {
		g_prefix_error (error, "fact %" G_GINT64_FORMAT ": ", fact->seq);
		return FALSE;
	}
	if (feed->counts->fed++ == 0)
		feed->counts->first_seq = fact->seq;
	feed->counts->last_seq = fact->seq;
	return TRUE;
}

XnTicketEngine *
xn_cli_replay_journal_tickets (const XnCliSetup *setup, const XnOutageOptions *outage_options,
			       const XnTicketOptions *options, XnJournal *journal, XnInstant at,
			       XnReplayCounts *counts, GError **error)
{
	g_autoptr(XnTicketEngine) engine = xn_cli_ticket_engine_new (setup, outage_options, options, error);
	JournalFeed feed = { engine, at, counts };

	memset (counts, 0, sizeof *counts);
	if (engine == NULL)
		return NULL;
	if (!xn_journal_foreach (journal, 0, 0, feed_journal_fact, &feed, error)) {
		g_prefix_error (error, "%s: ", xn_journal_get_location (journal));
		return NULL;
	}
	if (at != G_MAXINT64)
		xn_ticket_engine_advance (engine, at);
	return g_steal_pointer (&engine);
}

/* ---- JSON access ---- */

/* NULL for a missing or null member, or one that is not a string. */
static const char *
get_string (JsonObject *o, const char *key)
{
	JsonNode *node = o != NULL ? json_object_get_member (o, key) : NULL;

	if (node == NULL || JSON_NODE_HOLDS_NULL (node) || json_node_get_value_type (node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string (node);
}

static JsonObject *
get_object (JsonObject *o, const char *key)
{
	JsonNode *node = o != NULL ? json_object_get_member (o, key) : NULL;

	return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *o, const char *key)
{
	JsonNode *node = o != NULL ? json_object_get_member (o, key) : NULL;

	return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gint64
get_int (JsonObject *o, const char *key, gint64 otherwise)
{
	JsonNode *node = o != NULL ? json_object_get_member (o, key) : NULL;

	if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
		return otherwise;
	if (json_node_get_value_type (node) == G_TYPE_INT64)
		return json_node_get_int (node);
	if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
		return (gint64) json_node_get_double (node);
	return otherwise;
}

/* A number of seconds as the engine printed it: "1800", "0.5". */
static char *
get_seconds (JsonObject *o, const char *key)
{
	JsonNode *node = o != NULL ? json_object_get_member (o, key) : NULL;
	char buffer[G_ASCII_DTOSTR_BUF_SIZE];

	if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
		return NULL;
	if (json_node_get_value_type (node) == G_TYPE_INT64)
		return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
	if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
		return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.6f", json_node_get_double (node)));
	return NULL;
}

/* An instant member (the journal's UTC form) in `tz`; "-" when null. */
static char *
local_instant (JsonObject *o, const char *key, GTimeZone *tz)
{
	const char *text = get_string (o, key);
	XnInstant t;

	if (text == NULL)
		return g_strdup ("-");
	if (!xn_time_parse (text, NULL, &t, NULL))
		return g_strdup (text);
	return xn_time_format (t, tz);
}

/* The seq in "XN-000057", "XN-000057-R", "57:link/L"; 0 when none. */
static gint64
leading_seq (const char *text)
{
	if (text == NULL)
		return 0;
	if (g_str_has_prefix (text, "XN-"))
		text += 3;
	return g_ascii_strtoll (text, NULL, 10);
}

/* ---- the facts behind a ticket ---- */

struct _XnCliTicketFacts {
	GHashTable *seqs;       /* gint64* set */
	GHashTable *subjects;   /* "ticket/ID" set */
	gint64      min_seq;
	GPtrArray  *facts;      /* XnFact*, by seq */
};

static void
want_seq (XnCliTicketFacts *w, gint64 seq)
{
	if (seq <= 0)
		return;
	g_hash_table_add (w->seqs, g_memdup2 (&seq, sizeof seq));
	w->min_seq = w->min_seq == 0 ? seq : MIN (w->min_seq, seq);
}

/* Facts about a ticket name it, or one of its breach tickets. */
static void
want_ticket (XnCliTicketFacts *w, const char *id)
{
	static const char *const suffixes[] = { "", "-R", "-S" };

	if (id == NULL)
		return;
	want_seq (w, leading_seq (id));
	for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
		g_hash_table_add (w->subjects, g_strconcat ("ticket/", id, suffixes[i], NULL));
}

XnCliTicketFacts *
xn_cli_ticket_facts_new (JsonObject *ticket, const GPtrArray *outages)
{
	XnCliTicketFacts *w = g_new0 (XnCliTicketFacts, 1);
	JsonArray *merged = get_array (ticket, "merged");
	JsonArray *mine = get_array (ticket, "outages");
	g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

	w->seqs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
	w->subjects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	w->facts = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_fact_free);
	want_ticket (w, get_string (ticket, "id"));
	want_seq (w, get_int (get_object (ticket, "report"), "fact_seq", 0));
	for (guint i = 0; merged != NULL && i < json_array_get_length (merged); i++)
		want_ticket (w, json_array_get_string_element (merged, i));
	for (guint i = 0; mine != NULL && i < json_array_get_length (mine); i++) {
		const char *id = get_string (json_array_get_object_element (mine, i), "id");

		if (id != NULL)
			g_hash_table_add (ids, (gpointer) id);
	}
	for (guint i = 0; outages != NULL && i < outages->len; i++) {
		const XnOutage *outage = g_ptr_array_index (outages, i);

		if (!g_hash_table_contains (ids, outage->id))
			continue;
		for (guint e = 0; e < outage->evidence->len; e++)
			want_seq (w, g_array_index (outage->evidence, gint64, e));
	}
	return w;
}

void
xn_cli_ticket_facts_free (XnCliTicketFacts *w)
{
	if (w == NULL)
		return;
	g_hash_table_unref (w->seqs);
	g_hash_table_unref (w->subjects);
	g_ptr_array_unref (w->facts);
	g_free (w);
}

gint64
xn_cli_ticket_facts_after (const XnCliTicketFacts *w)
{
	return MAX (w->min_seq - 1, 0);
}

void
xn_cli_ticket_facts_offer (XnCliTicketFacts *w, const XnFact *fact)
{
	if (g_hash_table_contains (w->seqs, &fact->seq) ||
	    (g_str_has_prefix (fact->kind, "fault.") && g_hash_table_contains (w->subjects, fact->subject)))
		g_ptr_array_add (w->facts, xn_fact_copy (fact));
}

const GPtrArray *
xn_cli_ticket_facts_get (const XnCliTicketFacts *w)
{
	return w->facts;
}

/* ---- JSON out ---- */

static XnJsonOut *
json_from_node (JsonNode *node)
{
	char buffer[G_ASCII_DTOSTR_BUF_SIZE];
	XnJsonOut *out;

	switch (JSON_NODE_TYPE (node)) {
	case JSON_NODE_OBJECT: {
		JsonObject *object = json_node_get_object (node);
		JsonObjectIter iter;
		const char *key;
		JsonNode *member;

		out = xn_json_out_object ();
		json_object_iter_init (&iter, object);
		while (json_object_iter_next (&iter, &key, &member))
			xn_json_out_set (out, key, json_from_node (member));
		return out;
	}
	case JSON_NODE_ARRAY: {
		JsonArray *array = json_node_get_array (node);

		out = xn_json_out_array ();
		for (guint i = 0; i < json_array_get_length (array); i++)
			xn_json_out_add (out, json_from_node (json_array_get_element (array, i)));
		return out;
	}
	case JSON_NODE_VALUE:
		if (json_node_get_value_type (node) == G_TYPE_DOUBLE) {
			/* fractions of a second: µs are the journal's resolution */
			char *text = g_ascii_formatd (buffer, sizeof buffer, "%.6f", json_node_get_double (node));
			gsize n = strlen (text);

			while (n > 0 && text[n - 1] == '0')
				text[--n] = '\0';
			if (n > 0 && text[n - 1] == '.')
				text[--n] = '\0';
			return xn_json_out_number (text);
		}
		return xn_json_out_from_node (node);
	case JSON_NODE_NULL:
	default:
		return xn_json_out_null ();
	}
}

XnJsonOut *
xn_cli_json_from_object (JsonObject *object)
{
	g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

	json_node_set_object (node, object);
	return json_from_node (node);
}

/* ---- shown to people ---- */

gboolean
xn_cli_ticket_id_is_valid (const char *id)
{
	gsize digits = 0;
	const char *p;

	if (id == NULL || strncmp (id, "XN-", 3) != 0)
		return FALSE;
	for (p = id + 3; g_ascii_isdigit (*p); p++)
		digits++;
	if (digits < 6 || digits > 19)
		return FALSE;
	return *p == '\0' || strcmp (p, "-R") == 0 || strcmp (p, "-S") == 0;
}

/* "telecom", "unit-lan (was telecom)", "operator". */
static char *
attribution_text (JsonObject *ticket)
{
	JsonObject *a = get_object (ticket, "attribution");
	const char *to = get_string (a, "to");
	const char *carrier = get_string (a, "carrier");

	if (to != NULL && strcmp (to, "carrier") == 0)
		return g_strdup (carrier != NULL ? carrier : "carrier");
	if (carrier != NULL)
		return g_strdup_printf ("%s (was %s)", to != NULL ? to : "?", carrier);
	return g_strdup (to != NULL ? to : "?");
}

static char *
what_text (JsonObject *ticket)
{
	const char *object = get_string (ticket, "object");
	const char *unit = get_string (ticket, "unit");

	if (unit != NULL && json_object_get_boolean_member_with_default (ticket, "manual", FALSE))
		return g_strdup_printf ("call from %s", unit);
	return g_strdup (object != NULL ? object : "-");
}

/* "11:00:00+08:00 met" — a deadline's local time and its result word. */
static char *
deadline_cell (JsonObject *clock, GTimeZone *tz)
{
	g_autofree char *deadline = local_instant (clock, "deadline", tz);
	JsonNode *met = clock != NULL ? json_object_get_member (clock, "met") : NULL;
	const char *result = get_string (clock, "result");
	const char *word;

	if (met != NULL && JSON_NODE_HOLDS_VALUE (met))
		word = json_node_get_boolean (met) ? "met" : "missed";
	else if (result != NULL && g_str_has_prefix (result, "missed"))
		word = "missed";
	else if (result != NULL && strcmp (result, "no target") == 0)
		word = "no target";
	else
		word = "open";
	return g_strdup_printf ("%s %s", deadline, word);
}

static char *
breaches_cell (JsonObject *ticket)
{
	JsonObject *b = get_object (ticket, "breaches");
	JsonObject *r = get_object (b, "response"), *s = get_object (b, "restore");
	GString *text = g_string_new (NULL);

	if (r != NULL)
		g_string_append_printf (text, "R%" G_GINT64_FORMAT, get_int (r, "level", 0));
	if (s != NULL)
		g_string_append_printf (text, "%sS%" G_GINT64_FORMAT, text->len > 0 ? "," : "", get_int (s, "level", 0));
	if (text->len == 0)
		g_string_append (text, "-");
	return g_string_free (text, FALSE);
}

enum { COL_ID, COL_STATUS, COL_CARRIER, COL_WHAT, COL_CLASS, COL_REPORT, COL_RESPONSE, COL_RESTORE,
       COL_BREACHES, N_COLS };

static const char *const headings[N_COLS] = {
	"ID", "STATUS", "CARRIER", "WHAT", "CLASS", "REPORT", "RESPONSE", "RESTORE", "BREACHES",
};

static GStrv
ticket_cells (JsonObject *ticket, GTimeZone *tz)
{
	GStrv cells = g_new0 (char *, N_COLS + 1);
	const char *class = get_string (get_object (ticket, "sla_class"), "class");

	cells[COL_ID] = g_strdup (get_string (ticket, "id"));
	cells[COL_STATUS] = g_strdup (get_string (ticket, "status"));
	cells[COL_CARRIER] = attribution_text (ticket);
	cells[COL_WHAT] = what_text (ticket);
	cells[COL_CLASS] = g_strdup (class != NULL ? class : "-");
	cells[COL_REPORT] = local_instant (get_object (ticket, "report"), "at", tz);
	cells[COL_RESPONSE] = deadline_cell (get_object (ticket, "response"), tz);
	cells[COL_RESTORE] = deadline_cell (get_object (ticket, "restore"), tz);
	cells[COL_BREACHES] = breaches_cell (ticket);
	for (int c = 0; c < N_COLS; c++)
		if (cells[c] == NULL)
			cells[c] = g_strdup ("-");
	return cells;
}

void
xn_cli_print_tickets (FILE *out, const GPtrArray *tickets, GTimeZone *tz)
{
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

	for (guint i = 0; i < tickets->len; i++)
		g_ptr_array_add (rows, ticket_cells (g_ptr_array_index (tickets, i), tz));
	xn_cli_print_table (out, headings, N_COLS, rows);
}

static void
print_strings (FILE *out, const char *label, JsonArray *array)
{
	fprintf (out, "%s:", label);
	for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
		fprintf (out, " %s", json_array_get_string_element (array, i));
	if (array == NULL || json_array_get_length (array) == 0)
		fputs (" -", out);
	putc ('\n', out);
}

static void
print_points (FILE *out, JsonArray *points, GTimeZone *tz)
{
	for (guint i = 0; points != NULL && i < json_array_get_length (points); i++) {
		JsonObject *p = json_array_get_object_element (points, i);
		g_autofree char *due = local_instant (p, "due", tz);
		g_autofree char *raised = local_instant (p, "raised", tz);

		fprintf (out, "    level %" G_GINT64_FORMAT ": %s = %s, %s%s", get_int (p, "level", 0),
			 get_string (p, "arithmetic"), due, get_string (p, "raised") != NULL ? "raised " : "not raised",
			 get_string (p, "raised") != NULL ? raised : "");
		if (get_string (p, "held") != NULL)
			fprintf (out, ", inside maintenance window %s: not sent", get_string (p, "held"));
		putc ('\n', out);
	}
}

/* The shared part of the response and restore clocks. */
static void
print_clock (FILE *out, const char *name, JsonObject *ticket, JsonObject *clock, JsonArray *points,
	     GTimeZone *tz)
{
	g_autofree char *target = get_seconds (clock, "target_s");
	g_autofree char *deadline = local_instant (clock, "deadline", tz);
	g_autofree char *stopped = local_instant (ticket, "clocks_stopped", tz);
	const char *arithmetic = get_string (clock, "arithmetic");

	fprintf (out, "%s: target %s s (%s)\n", name, target != NULL ? target : "-",
		 get_string (clock, "policy") != NULL ? get_string (clock, "policy") : "no target in the policy");
	if (arithmetic != NULL)
		fprintf (out, "  deadline = R + target: %s = %s\n", arithmetic, deadline);
	else
		fprintf (out, "  deadline: %s\n", deadline);
	fprintf (out, "  result: %s\n", get_string (clock, "result") != NULL ? get_string (clock, "result") : "-");
	if (get_string (ticket, "clocks_stopped") != NULL)
		fprintf (out, "  clocks stopped at %s: no breach is raised after it\n", stopped);
	fputs ("  escalation:\n", out);
	print_points (out, points, tz);
}

static void
print_outages (FILE *out, JsonArray *outages, GTimeZone *tz)
{
	fprintf (out, "outages: %u\n", outages != NULL ? json_array_get_length (outages) : 0);
	for (guint i = 0; outages != NULL && i < json_array_get_length (outages); i++) {
		JsonObject *o = json_array_get_object_element (outages, i);
		g_autofree char *start = local_instant (o, "start", tz);
		g_autofree char *end = get_string (o, "end") != NULL ? local_instant (o, "end", tz) : g_strdup ("open");
		const char *holds = get_string (o, "holds_until");
		g_autofree char *held = local_instant (o, "holds_until", tz);

		fprintf (out, "  %s (%s): %s to %s, %s%s\n", get_string (o, "id"), get_string (o, "link"), start, end,
			 holds == NULL ? "never held the ticket" : strcmp (holds, "open") == 0 ? "holds the ticket open"
			 : "held the ticket until ", holds == NULL || strcmp (holds, "open") == 0 ? "" : held);
	}
}

static void
print_events (FILE *out, JsonArray *events, GTimeZone *tz)
{
	fprintf (out, "events: %u\n", events != NULL ? json_array_get_length (events) : 0);
	for (guint i = 0; events != NULL && i < json_array_get_length (events); i++) {
		JsonObject *e = json_array_get_object_element (events, i);
		g_autofree char *at = local_instant (e, "instant", tz);
		const char *carrier = get_string (e, "carrier");

		fprintf (out, "  %s  %s  %s%s%s\n", get_string (e, "id"), at, get_string (e, "kind"),
			 carrier != NULL ? " to " : "", carrier != NULL ? carrier : "");
	}
}

static void
print_facts (FILE *out, const GPtrArray *facts, GTimeZone *tz)
{
	if (facts == NULL)
		return;
	fprintf (out, "facts: %u\n", facts->len);
	for (guint i = 0; i < facts->len; i++) {
		const XnFact *f = g_ptr_array_index (facts, i);
		g_autofree char *ts = xn_time_format (f->ts, tz);

		fprintf (out, "  %" G_GINT64_FORMAT "  %s  %s  %s  %s\n", f->seq, f->kind, ts, f->source, f->subject);
	}
}

/* The windows that hold its escalations, or that should have planned it
 * and did not comply (doc/maintenance.md). */
static void
print_maintenance (FILE *out, JsonObject *t, GTimeZone *tz)
{
	JsonObject *m = get_object (t, "maintenance");
	JsonArray *flagged = get_array (t, "maintenance_flagged");

	if (get_string (m, "held_by") != NULL) {
		g_autofree char *until = local_instant (m, "held_until", tz);

		fprintf (out, "maintenance window %s holds its escalations until %s: one message then if still down\n",
			 get_string (m, "held_by"), until);
	}
	for (guint i = 0; flagged != NULL && i < json_array_get_length (flagged); i++)
		fprintf (out, "maintenance window %s covers it but does not comply: it excludes nothing "
			 "(extranoc maintenance show %s)\n", json_array_get_string_element (flagged, i),
			 json_array_get_string_element (flagged, i));
}

static void
print_head (FILE *out, JsonObject *t, GTimeZone *tz)
{
	JsonObject *a = get_object (t, "attribution"), *report = get_object (t, "report");
	JsonObject *class = get_object (t, "sla_class");
	g_autofree char *carrier = attribution_text (t);
	g_autofree char *what = what_text (t);
	g_autofree char *start = local_instant (t, "fault_start", tz);
	g_autofree char *opened = local_instant (t, "opened", tz);
	g_autofree char *r = local_instant (report, "at", tz);
	g_autofree char *class_target = get_seconds (class, "target_s");

	fprintf (out, "ticket %s: %s, %s\n", get_string (t, "id"), get_string (t, "status"), carrier);
	fprintf (out, "what failed: %s", what);
	if (get_string (t, "root_outage") != NULL)
		fprintf (out, " (outage %s)", get_string (t, "root_outage"));
	fprintf (out, "\nfault start: %s\nopened: %s\n", start, opened);
	if (get_string (t, "reporter") != NULL)
		fprintf (out, "call: %s by %s: %s\n", get_string (t, "reporter"),
			 get_string (t, "report_by") != NULL ? get_string (t, "report_by") : "-",
			 get_string (t, "description") != NULL ? get_string (t, "description") : "-");
	if (get_string (a, "reason") != NULL) {
		g_autofree char *at = local_instant (a, "at", tz);

		fprintf (out, "attributed to %s at %s by %s: %s\n", get_string (a, "to"), at,
			 get_string (a, "by") != NULL ? get_string (a, "by") : "-", get_string (a, "reason"));
	}
	fprintf (out, "report time R: %s (rule %s: %s)\n", r, get_string (report, "rule"),
		 get_string (report, "explanation"));
	print_maintenance (out, t, tz);
	fprintf (out, "SLA class: %s, restore target %s s (%s)\n  why: %s\n",
		 get_string (class, "class") != NULL ? get_string (class, "class") : "-",
		 class_target != NULL ? class_target : "-", get_string (class, "policy"), get_string (class, "why"));
}

void
xn_cli_print_ticket (FILE *out, JsonObject *t, const GPtrArray *facts, GTimeZone *tz)
{
	JsonObject *response = get_object (t, "response"), *restore = get_object (t, "restore");
	JsonObject *escalation = get_object (t, "escalation"), *complex = get_object (restore, "complex");
	JsonObject *breaches = get_object (t, "breaches");
	g_autofree char *acknowledged = local_instant (response, "acknowledged", tz);
	g_autofree char *restored = local_instant (restore, "restored", tz);
	g_autofree char *closes = local_instant (t, "closes", tz);
	g_autofree char *closed = local_instant (t, "closed", tz);
	g_autofree char *grace = get_seconds (t, "grace_s");

	print_head (out, t, tz);
	print_clock (out, "response", t, response, get_array (escalation, "response"), tz);
	if (get_string (response, "acknowledged") != NULL)
		fprintf (out, "  acknowledged %s by %s, carrier reference '%s', contact '%s'\n", acknowledged,
			 get_string (response, "by") != NULL ? get_string (response, "by") : "-",
			 get_string (response, "carrier_ref") != NULL ? get_string (response, "carrier_ref") : "",
			 get_string (response, "contact") != NULL ? get_string (response, "contact") : "");
	print_clock (out, "restore", t, restore, get_array (escalation, "restore"), tz);
	if (complex != NULL) {
		g_autofree char *at = local_instant (complex, "at", tz);

		fprintf (out, "  complex since %s (%s): %s\n", at, get_string (complex, "reason"),
			 get_string (complex, "rule"));
	}
	if (get_string (restore, "restored") != NULL)
		fprintf (out, "  restored %s%s%s\n", restored,
			 json_object_get_boolean_member_with_default (restore, "confirmed", FALSE) ? ", confirmed: " : "",
			 json_object_get_boolean_member_with_default (restore, "confirmed", FALSE) &&
			 get_string (restore, "note") != NULL ? get_string (restore, "note") : "");
	for (guint i = 0; i < 2; i++) {
		JsonObject *b = get_object (breaches, i == 0 ? "response" : "restore");

		if (b != NULL)
			fprintf (out, "breach ticket %s: level %" G_GINT64_FORMAT "\n", get_string (b, "id"),
				 get_int (b, "level", 0));
	}
	fprintf (out, "flap grace: %s s; closes: %s; closed: %s; reopened %" G_GINT64_FORMAT " times\n",
		 grace != NULL ? grace : "-", closes, closed, get_int (t, "reopens", 0));
	if (get_string (t, "merged_into") != NULL)
		fprintf (out, "merged into %s\n", get_string (t, "merged_into"));
	print_strings (out, "merged", get_array (t, "merged"));
	print_strings (out, "units", get_array (t, "units"));
	print_outages (out, get_array (t, "outages"), tz);
	print_events (out, get_array (t, "events"), tz);
	print_facts (out, facts, tz);
}
