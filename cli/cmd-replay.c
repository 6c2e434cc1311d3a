/* cmd-replay.c — `extranoc replay --journal FILE [--at ISO8601] [--json]`.
 *
 * Computes the derived state at a virtual instant from a JSON-lines
 * journal, without any daemon or database: the facts whose ts is at or
 * before --at are fed to the outage engine in seq order (a file without
 * seqs in line order), the engine is advanced to --at, and what it knows
 * is printed: every outage, open and closed, with its root over time and
 * its dependents, the root incidents, and the units without service at
 * that instant; and the carrier fault tickets derived from the same facts
 * (sla/ticket.h: the ticket engine wraps the outage engine, so the outages
 * are those of a replay without tickets) with every event due up to --at
 * and the subject of the message it makes (sla/ticket-message.h). With
 * --json it is one document with sorted keys
 * (json-out.h), the form scenario tests compare with known-good files.
 * The topology and the correlation window are the ones extranoc.conf
 * names (--config), and outages settle, as for the collector, so a replay
 * of the collector's journal gives the collector's outages; the ticket
 * clocks are the policy's. Three options are for tests and hidden from
 * --help: --x-store DB writes the state into DB's derived tables as the
 * collector would (a step
 * every --x-step facts), so `extranoc outages` can be tested on a store
 * without a running collector; --x-ticket-store DB stores the tickets
 * (and outages) there as one ticket step at the end, for `extranoc ticket
 * --db`. */
#include "commands.h"
#include "maintenance-view.h"
#include "outage-view.h"
#include "ticket-message.h"
#include "ticket-view.h"
#include "xn-error.h"

#include <stdio.h>
#include <string.h>

#define CMD "replay"

static int
fail (const GError *error)
{
	fprintf (stderr, "extranoc " CMD ": %s\n", error->message);
	return XN_EXIT_FAILED;
}

static int
usage (const char *message)
{
	fprintf (stderr, "extranoc " CMD ": %s\n"
		 "usage: extranoc replay [--config CONF] --journal FILE [--at ISO8601] [--json]\n", message);
	return XN_EXIT_USAGE;
}

/* unit → ids of the open outages that cut it off, in list order. */
static GHashTable *
units_down (const GPtrArray *outages)
{
	GHashTable *units = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);

	for (guint i = 0; i < outages->len; i++) {
		const XnOutage *outage = g_ptr_array_index (outages, i);

		if (!xn_outage_is_open (outage))
			continue;
		for (guint u = 0; outage->units[u] != NULL; u++) {
			GPtrArray *ids = g_hash_table_lookup (units, outage->units[u]);

			if (ids == NULL) {
				ids = g_ptr_array_new ();
				g_hash_table_insert (units, outage->units[u], ids);
			}
			g_ptr_array_add (ids, outage->id);
		}
	}
	return units;
}

/* What the tickets add to a replay: the engine, its tickets as JSON at
 * `now`, the events taken and their messages' subjects. */
typedef struct {
	XnTicketEngine *engine;
	GPtrArray      *tickets;    /* JsonObject* */
	GPtrArray      *events;     /* XnTicketEvent* */
	GPtrArray      *subjects;   /* char*, one per event */
} Tickets;

static void
tickets_clear (Tickets *t)
{
	g_clear_pointer (&t->tickets, g_ptr_array_unref);
	g_clear_pointer (&t->events, g_ptr_array_unref);
	g_clear_pointer (&t->subjects, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Tickets, tickets_clear)

static gboolean
tickets_collect (Tickets *t, const XnInventory *inventory, const XnTicketOptions *options, GTimeZone *tz,
		 GError **error)
{
	g_autoptr(GPtrArray) list = xn_ticket_engine_list (t->engine, FALSE);
	XnInstant now = xn_ticket_engine_now (t->engine);

	t->tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
	for (guint i = 0; i < list->len; i++)
		g_ptr_array_add (t->tickets, xn_ticket_to_json (g_ptr_array_index (list, i), now, NULL));
	t->events = xn_ticket_engine_take_events (t->engine);
	t->subjects = g_ptr_array_new_with_free_func (g_free);
	for (guint i = 0; i < t->events->len; i++) {
		const XnTicketEvent *event = g_ptr_array_index (t->events, i);
		g_autoptr(XnTicketMessage) message = xn_ticket_message_render (event, inventory, options, tz, error);

		if (message == NULL) {
			g_prefix_error (error, "event %s: ", event->id);
			return FALSE;
		}
		g_ptr_array_add (t->subjects, g_steal_pointer (&message->subject));
	}
	return TRUE;
}

static void
tickets_json (XnJsonOut *doc, const Tickets *t)
{
	XnJsonOut *tickets = xn_json_out_array ();
	XnJsonOut *events = xn_json_out_array ();
	XnJsonOut *stats_out = xn_json_out_object ();
	XnTicketStats stats;

	xn_ticket_engine_stats (t->engine, &stats);
	xn_json_out_set (stats_out, "applied", xn_json_out_int ((gint64) stats.applied));
	xn_json_out_set (stats_out, "unknown", xn_json_out_int ((gint64) stats.unknown));
	xn_json_out_set (stats_out, "invalid", xn_json_out_int ((gint64) stats.invalid));
	xn_json_out_set (stats_out, "late", xn_json_out_int ((gint64) stats.late));
	xn_json_out_set (doc, "ticket_facts", stats_out);
	for (guint i = 0; i < t->tickets->len; i++)
		xn_json_out_add (tickets, xn_cli_json_from_object (g_ptr_array_index (t->tickets, i)));
	xn_json_out_set (doc, "tickets", tickets);
	for (guint i = 0; i < t->events->len; i++) {
		/* its ticket is under "tickets", as it stands at --at */
		g_autoptr(JsonObject) event = xn_ticket_event_to_json (g_ptr_array_index (t->events, i), NULL);
		XnJsonOut *out;

		json_object_remove_member (event, "ticket_state");
		out = xn_cli_json_from_object (event);
		xn_json_out_set (out, "subject", xn_json_out_string (g_ptr_array_index (t->subjects, i)));
		xn_json_out_add (events, out);
	}
	xn_json_out_set (doc, "events", events);
}

/* The windows, the flagged ones, and the planned part of each outage
 * (doc/maintenance.md): what the tickets above were derived with. */
static void
maintenance_json (XnJsonOut *doc, XnTicketEngine *engine, const GPtrArray *outages, GTimeZone *tz)
{
	const XnMaintenanceBook *book = xn_ticket_engine_maintenance (engine);
	XnInstant now = xn_ticket_engine_now (engine);
	XnJsonOut *maintenance, *windows, *flagged_ids, *planned;
	g_autoptr(GPtrArray) flagged = NULL;
	g_autoptr(GArray) parts = NULL;
	const GPtrArray *list;

	if (book == NULL) {
		xn_json_out_set (doc, "maintenance", xn_json_out_null ());
		xn_json_out_set (doc, "planned", xn_json_out_array ());
		return;
	}
	maintenance = xn_json_out_object ();
	windows = xn_json_out_array ();
	flagged_ids = xn_json_out_array ();
	planned = xn_json_out_array ();
	flagged = xn_maintenance_book_flagged (book);
	parts = xn_maintenance_book_planned (book, outages);
	list = xn_maintenance_book_list (book);
	for (guint i = 0; i < list->len; i++)
		xn_json_out_add (windows, xn_cli_maintenance_json (g_ptr_array_index (list, i), tz, now, FALSE));
	for (guint i = 0; i < flagged->len; i++)
		xn_json_out_add (flagged_ids,
				 xn_json_out_string (((XnMaintenanceWindow *) g_ptr_array_index (flagged, i))->id));
	xn_json_out_set (maintenance, "windows", windows);
	xn_json_out_set (maintenance, "flagged", flagged_ids);
	xn_json_out_set (doc, "maintenance", maintenance);
	for (guint i = 0; i < parts->len; i++) {
		const XnMaintenancePlanned *p = &g_array_index (parts, XnMaintenancePlanned, i);
		XnJsonOut *one = xn_json_out_object ();

		xn_json_out_set (one, "outage", xn_json_out_string (p->outage->id));
		xn_json_out_set (one, "object", xn_json_out_string (p->outage->object));
		xn_json_out_set (one, "window", xn_json_out_string (p->window->id));
		xn_json_out_set (one, "from", xn_json_out_instant (p->from));
		xn_json_out_set (one, "until", xn_json_out_instant (p->until));
		xn_json_out_set (one, "end", xn_outage_is_open (p->outage) ? xn_json_out_null ()
				 : xn_json_out_instant (p->outage->end));
		xn_json_out_add (planned, one);
	}
	xn_json_out_set (doc, "planned", planned);
}

static char *
print_json (const XnOutageEngine *engine, const GPtrArray *outages, const XnReplayCounts *counts,
	    const XnOutageOptions *options, const Tickets *tickets, GTimeZone *tz)
{
	g_autoptr(XnJsonOut) doc = xn_json_out_object ();
	g_autoptr(GHashTable) down = units_down (outages);
	XnJsonOut *facts = xn_json_out_object ();
	XnJsonOut *stats_out = xn_json_out_object ();
	XnJsonOut *list = xn_json_out_array ();
	XnJsonOut *open = xn_json_out_array ();
	XnJsonOut *incidents = xn_json_out_array ();
	XnJsonOut *units = xn_json_out_object ();
	XnInstant now = xn_outage_engine_now (engine);
	XnOutageStats stats;
	GHashTableIter iter;
	gpointer unit, ids;

	xn_outage_engine_stats (engine, &stats);
	xn_json_out_set (doc, "at", now == G_MININT64 ? xn_json_out_null () : xn_json_out_instant (now));
	xn_json_out_set (doc, "correlation_window_s", xn_json_out_int (options->correlation_window_us / XN_USEC_PER_SEC));
	xn_json_out_set (facts, "read", xn_json_out_int ((gint64) counts->read));
	xn_json_out_set (facts, "fed", xn_json_out_int ((gint64) counts->fed));
	xn_json_out_set (facts, "after_at", xn_json_out_int ((gint64) counts->after));
	xn_json_out_set (facts, "first_seq", xn_json_out_int (counts->first_seq));
	xn_json_out_set (facts, "last_seq", xn_json_out_int (counts->last_seq));
	xn_json_out_set (facts, "seqs", xn_json_out_string (counts->line_seqs ? "line-numbers" : "journal"));
	xn_json_out_set (doc, "facts", facts);
	xn_json_out_set (stats_out, "reports", xn_json_out_int ((gint64) stats.reports));
	xn_json_out_set (stats_out, "neutral", xn_json_out_int ((gint64) stats.neutral));
	xn_json_out_set (stats_out, "unknown", xn_json_out_int ((gint64) stats.unknown));
	xn_json_out_set (stats_out, "ignored", xn_json_out_int ((gint64) stats.ignored));
	xn_json_out_set (stats_out, "late", xn_json_out_int ((gint64) stats.late));
	xn_json_out_set (doc, "engine", stats_out);
	for (guint i = 0; i < outages->len; i++) {
		const XnOutage *outage = g_ptr_array_index (outages, i);

		xn_json_out_add (list, xn_cli_outage_json (outage));
		if (xn_outage_is_open (outage))
			xn_json_out_add (open, xn_json_out_string (outage->id));
		if (outage->dependents[0] != NULL) {
			XnJsonOut *incident = xn_json_out_object ();

			xn_json_out_set (incident, "root", xn_json_out_string (outage->id));
			xn_json_out_set (incident, "dependents",
					 xn_json_out_strv ((const char *const *) outage->dependents));
			xn_json_out_add (incidents, incident);
		}
	}
	xn_json_out_set (doc, "outages", list);
	xn_json_out_set (doc, "open", open);
	xn_json_out_set (doc, "incidents", incidents);
	g_hash_table_iter_init (&iter, down);
	while (g_hash_table_iter_next (&iter, &unit, &ids)) {
		GPtrArray *array = ids;
		XnJsonOut *out = xn_json_out_array ();

		for (guint i = 0; i < array->len; i++)
			xn_json_out_add (out, xn_json_out_string (g_ptr_array_index (array, i)));
		xn_json_out_set (units, unit, out);
	}
	xn_json_out_set (doc, "units_down", units);
	tickets_json (doc, tickets);
	maintenance_json (doc, tickets->engine, outages, tz);
	return xn_json_out_print (doc);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
print_tickets_text (const Tickets *t, GTimeZone *tz)
{
	XnTicketStats stats;
	guint n_open = 0;

	xn_ticket_engine_stats (t->engine, &stats);
	for (guint i = 0; i < t->tickets->len; i++) {
		const char *status = json_object_get_string_member (g_ptr_array_index (t->tickets, i), "status");

		n_open += strcmp (status, "open") == 0 || strcmp (status, "restored") == 0;
	}
	printf ("\ntickets: %u, %u open; fault facts: %" G_GUINT64_FORMAT " applied, %" G_GUINT64_FORMAT
		" unknown, %" G_GUINT64_FORMAT " invalid, %" G_GUINT64_FORMAT " late\n", t->tickets->len, n_open,
		stats.applied, stats.unknown, stats.invalid, stats.late);
	if (t->tickets->len > 0) {
		putchar ('\n');
		xn_cli_print_tickets (stdout, t->tickets, tz);
	}
	printf ("\nevents: %u\n", t->events->len);
	for (guint i = 0; i < t->events->len; i++) {
		const XnTicketEvent *event = g_ptr_array_index (t->events, i);
		g_autofree char *at = xn_time_format (event->instant, tz);

		printf ("  %s  %s  %s\n", at, event->id, (const char *) g_ptr_array_index (t->subjects, i));
	}
}

static void
print_maintenance_text (XnTicketEngine *engine, const GPtrArray *outages, GTimeZone *tz)
{
	const XnMaintenanceBook *book = xn_ticket_engine_maintenance (engine);
	g_autoptr(GPtrArray) flagged = NULL;
	g_autoptr(GArray) parts = NULL;

	if (book == NULL || xn_maintenance_book_list (book)->len == 0)
		return;
	flagged = xn_maintenance_book_flagged (book);
	parts = xn_maintenance_book_planned (book, outages);
	printf ("\nmaintenance windows: %u, %u flagged\n", xn_maintenance_book_list (book)->len, flagged->len);
	for (guint i = 0; i < flagged->len; i++) {
		const XnMaintenanceWindow *w = g_ptr_array_index (flagged, i);
		g_autofree char *verdict = xn_cli_maintenance_verdict (w);

		printf ("  %s flagged, excludes nothing: %s\n", w->id, verdict);
	}
	printf ("planned downtime: %u outage%s\n", parts->len, parts->len == 1 ? "" : "s");
	for (guint i = 0; i < parts->len; i++) {
		const XnMaintenancePlanned *p = &g_array_index (parts, XnMaintenancePlanned, i);
		g_autofree char *from = xn_time_format (p->from, tz), *until = xn_time_format (p->until, tz);
		gboolean overran = p->until < p->outage->end;

		printf ("  %s planned by %s from %s to %s%s\n", p->outage->id, p->window->id, from, until,
			overran ? ", unplanned after" : "");
	}
}

static void
print_text (const char *journal, const XnOutageEngine *engine, const GPtrArray *outages,
	    const XnReplayCounts *counts, GTimeZone *tz, const Tickets *tickets)
{
	g_autoptr(GHashTable) down = units_down (outages);
	g_autofree char *now_text = NULL;
	g_autofree gpointer *names = NULL;
	XnInstant now = xn_outage_engine_now (engine);
	XnOutageStats stats;
	guint n_open = 0, n_names;

	xn_outage_engine_stats (engine, &stats);
	now_text = now == G_MININT64 ? g_strdup ("the start") : xn_time_format (now, tz);
	for (guint i = 0; i < outages->len; i++)
		n_open += xn_outage_is_open (g_ptr_array_index (outages, i));
	printf ("replay of %s at %s\n", journal, now_text);
	printf ("facts: %" G_GUINT64_FORMAT " read, %" G_GUINT64_FORMAT " fed", counts->read, counts->fed);
	if (counts->fed > 0)
		printf (" (seq %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT "%s)", counts->first_seq, counts->last_seq,
			counts->line_seqs ? ", line numbers" : "");
	printf (", %" G_GUINT64_FORMAT " after --at\n", counts->after);
	printf ("engine: %" G_GUINT64_FORMAT " reports, %" G_GUINT64_FORMAT " neutral, %" G_GUINT64_FORMAT
		" unknown, %" G_GUINT64_FORMAT " ignored", stats.reports, stats.neutral, stats.unknown, stats.ignored);
	if (stats.late > 0)
		printf (", %" G_GUINT64_FORMAT " too late", stats.late);
	putchar ('\n');
	printf ("outages: %u, %u open\n", outages->len, n_open);
	if (outages->len == 0) {
		print_maintenance_text (tickets->engine, outages, tz);
		print_tickets_text (tickets, tz);
		return;
	}
	putchar ('\n');
	xn_cli_print_outages (stdout, outages, tz, now);
	for (guint i = 0, first = TRUE; i < outages->len; i++) {
		const XnOutage *outage = g_ptr_array_index (outages, i);

		if (outage->dependents[0] == NULL)
			continue;
		if (first)
			printf ("\nincidents (root: dependents):\n");
		first = FALSE;
		printf ("  %s: %u dependent%s\n", outage->id, g_strv_length (outage->dependents),
			g_strv_length (outage->dependents) == 1 ? "" : "s");
		for (guint d = 0; outage->dependents[d] != NULL; d++)
			printf ("    %s\n", outage->dependents[d]);
	}
	names = g_hash_table_get_keys_as_array (down, &n_names);
	qsort (names, n_names, sizeof (gpointer), compare_strings);
	printf ("\nunits without service at %s: %u\n", now_text, n_names);
	for (guint i = 0; i < n_names; i++) {
		GPtrArray *ids = g_hash_table_lookup (down, names[i]);

		printf ("  %s:", (const char *) names[i]);
		for (guint k = 0; k < ids->len; k++)
			printf (" %s", (const char *) g_ptr_array_index (ids, k));
		putchar ('\n');
	}
	print_maintenance_text (tickets->engine, outages, tz);
	print_tickets_text (tickets, tz);
}

/* One ticket step into the derived tables of `path`, as the collector
 * would commit after reading these facts (without outbox messages). */
static gboolean
store_tickets (const char *path, XnTicketEngine *engine, GTimeZone *tz, GError **error)
{
	g_autoptr(XnDerived) store = xn_derived_open (path, XN_DERIVED_OPEN_CREATE, error);

	if (store == NULL)
		return FALSE;
	xn_derived_take_ticket_changes (store, engine, tz);
	return xn_derived_commit_tickets (store, engine, tz, xn_ticket_engine_now (engine), 72 * 3600, NULL,
					  error) == XN_DERIVED_STORED;
}

int
xn_cmd_replay (int argc, char **argv)
{
	g_autofree char *conf_path = NULL, *journal = NULL, *at_text = NULL, *store_path = NULL;
	g_autofree char *ticket_store_path = NULL, *calendar_dir = NULL;
	gboolean json = FALSE;
	/* G_MININT: not given, the policy's */
	gint window_s = G_MININT, step = 0;
	const GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &conf_path,
		  "extranoc.conf naming the inventory and policy (default " XN_SYSCONFDIR "/extranoc/extranoc.conf)",
		  "CONF" },
		{ "journal", 'j', 0, G_OPTION_ARG_FILENAME, &journal, "the JSON-lines journal (- for standard input)",
		  "FILE" },
		{ "at", 0, 0, G_OPTION_ARG_STRING, &at_text,
		  "the virtual instant: facts with a later ts are left out (default: every fact)", "ISO8601" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print one JSON document", NULL },
		{ "correlation-window", 0, 0, G_OPTION_ARG_INT, &window_s,
		  "seconds a child may be seen down before its ancestor and still belong to it (default: the "
		  "policy's, 600 unless it says otherwise)", "S" },
		{ "calendar-dir", 'C', 0, G_OPTION_ARG_FILENAME, &calendar_dir,
		  "the working-day calendar files maintenance notices are judged on (default: "
		  "$EXTRANOC_CALENDAR_DIR, else the installed ones)", "DIR" },
		{ "x-store", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &store_path, NULL, NULL },
		{ "x-step", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &step, NULL, NULL },
		{ "x-ticket-store", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &ticket_store_path, NULL, NULL },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GOptionContext) context = g_option_context_new (NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(XnCliSetup) setup = NULL;
	g_autoptr(XnDerived) store = NULL;
	g_autoptr(XnOutageEngine) stored = NULL;
	g_autoptr(XnTicketEngine) engine = NULL;
	g_autoptr(GPtrArray) outages = NULL;
	g_auto(XnTicketOptions) ticket_options = { 0 };
	g_auto(Tickets) tickets = { 0 };
	const XnInventory *inventory;
	XnOutageOptions options;
	XnReplayCounts counts;
	XnInstant at = G_MAXINT64;

	g_option_context_set_summary (context, "Compute the outages and carrier fault tickets at a virtual "
				      "instant from a JSON-lines journal, without any daemon.");
	g_option_context_add_main_entries (context, entries, NULL);
	if (!g_option_context_parse (context, &argc, &argv, &error))
		return usage (error->message);
	if (argc > 1)
		return usage ("unexpected argument (every value goes with its option)");
	if (journal == NULL)
		return usage ("which journal? (--journal FILE)");
	if (window_s != G_MININT && (window_s < 0 || (gint64) window_s * XN_USEC_PER_SEC > XN_OUTAGE_MAX_WINDOW))
		return usage ("--correlation-window must be 0 to 86400 seconds");
	if (step < 0)
		return usage ("--x-step must not be negative");
	setup = xn_cli_setup_load (conf_path, &error);
	if (setup == NULL)
		return fail (error);
	if (at_text != NULL && !xn_cli_parse_instant (CMD, "--at", at_text, setup->tz, &at))
		return XN_EXIT_USAGE;
	xn_cli_outage_options (setup, &options);
	if (window_s != G_MININT)
		options.correlation_window_us = window_s * XN_USEC_PER_SEC;
	if (store_path != NULL &&
	    (store = xn_derived_open (store_path, XN_DERIVED_OPEN_CREATE, &error)) == NULL)
		return fail (error);
	if (!xn_cli_ticket_options (setup, &ticket_options, &error) ||
	    !xn_cli_setup_load_calendar (setup, calendar_dir, &error))
		return fail (error);
	inventory = xn_config_get_inventory (setup->config);
	/* the store takes the outage engine's steps as the collector commits them */
	if (store != NULL && (stored = xn_cli_replay (inventory, &options, journal, at, store, (guint) step, &counts,
						      &error)) == NULL)
		return fail (error);
	engine = xn_cli_replay_tickets (setup, &options, &ticket_options, journal, at, &counts, &error);
	if (engine == NULL)
		return fail (error);
	if (ticket_store_path != NULL && !store_tickets (ticket_store_path, engine, setup->tz, &error))
		return fail (error);
	tickets.engine = engine;
	if (!tickets_collect (&tickets, inventory, &ticket_options, setup->tz, &error))
		return fail (error);
	outages = xn_outage_engine_list (xn_ticket_engine_outages (engine), FALSE);
	if (json) {
		g_autofree char *text = print_json (xn_ticket_engine_outages (engine), outages, &counts, &options,
						    &tickets, setup->tz);

		fputs (text, stdout);
	} else {
		print_text (strcmp (journal, "-") == 0 ? "stdin" : journal, xn_ticket_engine_outages (engine), outages,
			    &counts, setup->tz, &tickets);
	}
	return XN_EXIT_OK;
}
