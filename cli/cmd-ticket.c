/* cmd-ticket.c — `extranoc ticket show ID` and `extranoc ticket list`.
 *
 * Shows carrier fault tickets with the facts and the arithmetic behind
 * every deadline (doc/sla.md): what a carrier disputing a breach, or an
 * auditor, asks for. The tickets come from one of two places. By default
 * the journal (--journal FILE, a JSON-lines file; else the journal
 * database of --config, found as `extranoc outages` finds it) is fed to
 * the ticket engine with the policy's clocks, up to --at (default: now),
 * so the answer is what the rules give for those facts at that instant.
 * With --db the tickets are read as extranoc-collector stored them beside
 * the journal (storage/derived.h), without running the engine: what was
 * derived and sent, as of the collector's last step. Either way a ticket
 * is printed from its JSON (xn_ticket_to_json), so both read alike. This
 * command reads only: it never appends a fact — the operator's side is
 * `extranoc fault`. */
#include "commands.h"
#include "operator-fact.h"
#include "ticket-view.h"
#include "xn-error.h"

#include <stdio.h>
#include <string.h>

typedef struct {
	char     *conf_path;
	char     *calendar_dir;
	char     *journal;
	char     *db;
	char     *at;
	gboolean  json;
} Common;

static void
common_clear (Common *c)
{
	g_free (c->conf_path);
	g_free (c->calendar_dir);
	g_free (c->journal);
	g_free (c->db);
	g_free (c->at);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Common, common_clear)

static int
fail (const char *command, const char *message)
{
	return xn_cli_fail ("ticket", command, message);
}

static int
usage (const char *command, const char *message)
{
	return xn_cli_usage ("ticket", command, message);
}

static gboolean
parse (const char *command, const char *params, const char *summary, const GOptionEntry *own, Common *c,
       int *argc, char ***argv)
{
	const GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &c->conf_path,
		  "extranoc.conf: its inventory, policy and journal", "CONF" },
		{ "journal", 'j', 0, G_OPTION_ARG_FILENAME, &c->journal,
		  "derive from this JSON-lines journal (default: the journal database of --config)", "FILE" },
		{ "db", 0, 0, G_OPTION_ARG_FILENAME, &c->db,
		  "read the tickets extranoc-collector stored in this journal database instead of deriving them",
		  "PATH" },
		{ "at", 0, 0, G_OPTION_ARG_STRING, &c->at,
		  "derive as of this instant: later facts are left out (default: now)", "ISO8601" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &c->json, "print one JSON document", NULL },
		{ "calendar-dir", 'C', 0, G_OPTION_ARG_FILENAME, &c->calendar_dir,
		  "the working-day calendar files maintenance notices are judged on (default: "
		  "$EXTRANOC_CALENDAR_DIR, else the installed ones)", "DIR" },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GOptionContext) context = g_option_context_new (params);
	g_autoptr(GError) error = NULL;

	g_option_context_set_summary (context, summary);
	g_option_context_add_main_entries (context, own, NULL);
	g_option_context_add_main_entries (context, entries, NULL);
	if (!g_option_context_parse (context, argc, argv, &error)) {
		usage (command, error->message);
		return FALSE;
	}
	if (c->db != NULL && (c->journal != NULL || c->at != NULL)) {
		usage (command, "--db reads what the collector stored: it goes with neither --journal nor --at");
		return FALSE;
	}
	if (c->journal != NULL && strcmp (c->journal, "-") == 0) {
		usage (command, "--journal: a file, not standard input (the facts behind a ticket are read again)");
		return FALSE;
	}
	return TRUE;
}

/* Where the tickets come from, and what was read to get them. */
typedef struct {
	XnCliSetup     *setup;
	XnInstant       at;
	char           *where;      /* the file or database, for messages */
	XnJournal      *journal;    /* the database (derived from or stored in); NULL for a file */
	XnTicketEngine *engine;     /* derived: the engine at `at`; NULL with --db */
	XnDerived      *store;      /* --db: what the collector stored */
	XnDerivedInfo   info;       /* --db: as of which step */
	XnReplayCounts  counts;
} Source;

static void
source_clear (Source *s)
{
	g_clear_pointer (&s->engine, xn_ticket_engine_free);
	g_clear_pointer (&s->store, xn_derived_close);
	g_clear_pointer (&s->journal, xn_journal_close);
	g_clear_pointer (&s->setup, xn_cli_setup_free);
	g_clear_pointer (&s->where, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Source, source_clear)

/* Loads the configuration and derives the tickets (or, with --db, opens
 * the store). Exit status, XN_EXIT_OK when `s` is ready. */
static int
open_source (const char *command, const Common *c, Source *s)
{
	g_autoptr(GError) error = NULL;
	g_auto(XnTicketOptions) options = { 0 };
	XnOutageOptions outage_options;

	s->at = xn_time_now ();
	s->setup = c->conf_path != NULL || c->db == NULL ? xn_cli_setup_load (c->conf_path, &error)
							  : xn_cli_setup_new_default ();
	if (s->setup == NULL)
		return fail (command, error->message);
	if (c->at != NULL && !xn_cli_parse_instant ("ticket", "--at", c->at, s->setup->tz, &s->at))
		return XN_EXIT_USAGE;
	if (c->db != NULL) {
		s->store = xn_derived_open (c->db, XN_DERIVED_OPEN_EXISTING, &error);
		if (s->store == NULL || !xn_derived_info (s->store, &s->info, &error))
			return fail (command, error->message);
		s->journal = xn_journal_open (c->db, XN_JOURNAL_OPEN_EXISTING, &error);
		if (s->journal == NULL)
			return fail (command, error->message);
		s->where = g_strdup (xn_derived_get_location (s->store));
		s->at = s->info.now;
		return XN_EXIT_OK;
	}
	xn_cli_outage_options (s->setup, &outage_options);
	if (!xn_cli_ticket_options (s->setup, &options, &error) ||
	    !xn_cli_setup_load_calendar (s->setup, c->calendar_dir, &error))
		return fail (command, error->message);
	if (c->journal != NULL) {
		s->where = g_strdup (c->journal);
		s->engine = xn_cli_replay_tickets (s->setup, &outage_options, &options,
						   c->journal, s->at, &s->counts, &error);
	} else {
		s->journal = xn_journal_open (xn_cli_journal_location (NULL, s->setup), XN_JOURNAL_OPEN_EXISTING, &error);
		if (s->journal == NULL)
			return fail (command, error->message);
		s->where = g_strdup (xn_journal_get_location (s->journal));
		s->engine = xn_cli_replay_journal_tickets (s->setup, &outage_options,
							   &options, s->journal, s->at, &s->counts, &error);
	}
	if (s->engine == NULL)
		return fail (command, error->message);
	return XN_EXIT_OK;
}

/* ---- show ---- */

typedef struct {
	XnCliTicketFacts *wanted;
	XnInstant         at;
	gint64            last_seq;   /* stored tickets: what the collector had read */
} Offer;

static gboolean
offer_fact (XnFact *fact, gpointer user_data, GError **error)
{
	xn_cli_ticket_facts_offer (((Offer *) user_data)->wanted, fact);
	return TRUE;
}

static gboolean
offer_journal_fact (const XnFact *fact, gpointer user_data, GError **error)
{
	Offer *offer = user_data;

	if (fact->seq > offer->last_seq)
		return TRUE;
	if (fact->ts <= offer->at)
		xn_cli_ticket_facts_offer (offer->wanted, fact);
	return TRUE;
}

/* The facts behind `ticket`, read again from where it was derived. */
static XnCliTicketFacts *
facts_behind (const Common *c, Source *s, JsonObject *ticket, const GPtrArray *outages, GError **error)
{
	g_autoptr(XnCliTicketFacts) wanted = xn_cli_ticket_facts_new (ticket, outages);
	Offer offer = { wanted, s->store != NULL ? G_MAXINT64 : s->at,
			s->store != NULL ? s->info.last_seq : G_MAXINT64 };
	XnReplayCounts counts;

	if (s->journal != NULL) {
		if (!xn_journal_foreach (s->journal, xn_cli_ticket_facts_after (wanted), 0, offer_journal_fact, &offer,
					 error))
			return NULL;
	} else if (!xn_cli_replay_read (c->journal, s->at, offer_fact, &offer, &counts, error)) {
		return NULL;
	}
	return g_steal_pointer (&wanted);
}

static JsonObject *
parse_stored (const char *where, const char *text, GError **error)
{
	g_autoptr(JsonNode) node = json_from_string (text, error);

	if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node)) {
		if (node != NULL || error == NULL || *error == NULL)
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s: a stored ticket is not a JSON object", where);
		else
			g_prefix_error (error, "%s: a stored ticket: ", where);
		return NULL;
	}
	return json_object_ref (json_node_get_object (node));
}

/* NULL with no error: not stored. */
static JsonObject *
stored_ticket (Source *s, const char *id, GError **error)
{
	g_autofree char *text = xn_derived_lookup_ticket (s->store, id, NULL, error);

	return text != NULL ? parse_stored (s->where, text, error) : NULL;
}

static gboolean
stored_tickets (Source *s, gboolean open_only, GPtrArray *out, GError **error)
{
	g_autoptr(GPtrArray) texts = xn_derived_list_tickets (s->store, open_only, NULL, error);

	if (texts == NULL)
		return FALSE;
	g_ptr_array_set_free_func (texts, g_free);
	for (guint i = 0; i < texts->len; i++) {
		JsonObject *ticket = parse_stored (s->where, g_ptr_array_index (texts, i), error);

		if (ticket == NULL)
			return FALSE;
		g_ptr_array_add (out, ticket);
	}
	return TRUE;
}

static int
cmd_show (int argc, char **argv)
{
	g_auto(Common) c = { 0 };
	const GOptionEntry none[] = { G_OPTION_ENTRY_NULL };
	g_auto(Source) s = { 0 };
	g_autoptr(GError) error = NULL;
	g_autoptr(XnTicket) ticket = NULL;
	g_autoptr(JsonObject) json = NULL;
	g_autoptr(GPtrArray) outages = NULL;
	g_autoptr(XnCliTicketFacts) facts = NULL;
	int rc;

	if (!parse ("show", "ID", "Explain a ticket: the facts behind it and the arithmetic of every deadline.", none,
		    &c, &argc, &argv))
		return XN_EXIT_USAGE;
	if (argc != 2)
		return usage ("show", argc < 2 ? "which ticket? give its ID (XN-000057)" : "one ticket ID only");
	if (!xn_cli_ticket_id_is_valid (argv[1])) {
		g_autofree char *message = g_strdup_printf ("'%s' is not a ticket ID (XN- and six or more digits, "
							    "with -R or -S for a breach ticket)", argv[1]);

		return usage ("show", message);
	}
	if ((rc = open_source ("show", &c, &s)) != XN_EXIT_OK)
		return rc;
	if (s.store != NULL) {
		json = stored_ticket (&s, argv[1], &error);
		if (json == NULL && error != NULL)
			return fail ("show", error->message);
		if (json != NULL && (outages = xn_derived_list (s.store, NULL, NULL, &error)) == NULL)
			return fail ("show", error->message);
	} else if ((ticket = xn_ticket_engine_lookup (s.engine, argv[1])) != NULL) {
		json = xn_ticket_to_json (ticket, s.at, c.json ? s.setup->tz : NULL);
		outages = xn_outage_engine_list (xn_ticket_engine_outages (s.engine), FALSE);
	}
	if (json == NULL) {
		g_autofree char *at = s.at == G_MININT64 ? g_strdup ("the start") : xn_time_format (s.at, s.setup->tz);
		g_autofree char *message = s.store != NULL
			? g_strdup_printf ("no ticket %s stored in %s (derived up to seq %" G_GINT64_FORMAT ", as of %s)",
					   argv[1], s.where, s.info.last_seq, at)
			: g_strdup_printf ("no ticket %s in %s as of %s (%" G_GUINT64_FORMAT " facts read)", argv[1],
					   s.where, at, s.counts.fed);

		return fail ("show", message);
	}
	facts = facts_behind (&c, &s, json, outages, &error);
	if (facts == NULL)
		return fail ("show", error->message);
	if (c.json) {
		g_autoptr(XnJsonOut) doc = xn_cli_json_from_object (json);
		XnJsonOut *list = xn_json_out_array ();
		const GPtrArray *kept = xn_cli_ticket_facts_get (facts);
		g_autofree char *text = NULL;

		for (guint i = 0; i < kept->len; i++) {
			g_autofree char *line = xn_fact_to_json_line (g_ptr_array_index (kept, i));
			g_autoptr(JsonNode) node = json_from_string (line, NULL);

			xn_json_out_add (list, xn_cli_json_from_object (json_node_get_object (node)));
		}
		xn_json_out_set (doc, "facts", list);
		xn_json_out_set (doc, "as_of", s.at == G_MININT64 ? xn_json_out_null () : xn_json_out_instant (s.at));
		text = xn_json_out_print (doc);
		fputs (text, stdout);
	} else {
		g_autofree char *at = s.at == G_MININT64 ? g_strdup ("-") : xn_time_format (s.at, s.setup->tz);

		if (s.store != NULL)
			printf ("stored in %s up to seq %" G_GINT64_FORMAT " (as of %s)\n", s.where, s.info.last_seq, at);
		else
			printf ("derived from %s as of %s\n", s.where, at);
		xn_cli_print_ticket (stdout, json, xn_cli_ticket_facts_get (facts), s.setup->tz);
	}
	return XN_EXIT_OK;
}

/* ---- list ---- */

static int
cmd_list (int argc, char **argv)
{
	g_auto(Common) c = { 0 };
	gboolean open_only = FALSE;
	const GOptionEntry own[] = {
		{ "open", 0, 0, G_OPTION_ARG_NONE, &open_only, "only tickets not closed (open or within the flap grace)",
		  NULL },
		G_OPTION_ENTRY_NULL
	};
	g_auto(Source) s = { 0 };
	g_autoptr(GPtrArray) tickets = NULL;
	g_autoptr(GPtrArray) json = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
	int rc;

	if (!parse ("list", NULL, "List the carrier fault tickets.", own, &c, &argc, &argv))
		return XN_EXIT_USAGE;
	if (argc > 1)
		return usage ("list", "unexpected argument (every value goes with its option)");
	if ((rc = open_source ("list", &c, &s)) != XN_EXIT_OK)
		return rc;
	if (s.store != NULL) {
		g_autoptr(GError) error = NULL;

		if (!stored_tickets (&s, open_only, json, &error))
			return fail ("list", error->message);
	} else {
		tickets = xn_ticket_engine_list (s.engine, open_only);
		for (guint i = 0; i < tickets->len; i++)
			g_ptr_array_add (json, xn_ticket_to_json (g_ptr_array_index (tickets, i), s.at,
								  c.json ? s.setup->tz : NULL));
	}
	if (c.json) {
		g_autoptr(XnJsonOut) doc = xn_json_out_object ();
		XnJsonOut *list = xn_json_out_array ();
		g_autofree char *text = NULL;

		for (guint i = 0; i < json->len; i++)
			xn_json_out_add (list, xn_cli_json_from_object (g_ptr_array_index (json, i)));
		xn_json_out_set (doc, "tickets", list);
		xn_json_out_set (doc, "as_of", s.at == G_MININT64 ? xn_json_out_null () : xn_json_out_instant (s.at));
		xn_json_out_set (doc, "source", xn_json_out_string (s.where));
		xn_json_out_set (doc, "stored", xn_json_out_bool (s.store != NULL));
		text = xn_json_out_print (doc);
		fputs (text, stdout);
		return XN_EXIT_OK;
	}
	{
		g_autofree char *at = s.at == G_MININT64 ? g_strdup ("-") : xn_time_format (s.at, s.setup->tz);

		if (s.store != NULL)
			printf ("stored in %s up to seq %" G_GINT64_FORMAT " (as of %s): ", s.where, s.info.last_seq, at);
		else
			printf ("derived from %s as of %s: ", s.where, at);
		printf ("%u ticket%s%s\n", json->len, json->len == 1 ? "" : "s", open_only ? " not closed" : "");
	}
	if (json->len > 0) {
		putchar ('\n');
		xn_cli_print_tickets (stdout, json, s.setup->tz);
	}
	return XN_EXIT_OK;
}

int
xn_cmd_ticket (int argc, char **argv)
{
	static const XnCommand cmds[] = {
		{ "show", cmd_show, "explain a ticket: its facts and the arithmetic of every deadline" },
		{ "list", cmd_list, "list the tickets (--open: those not closed)" },
	};

	return xn_cli_dispatch ("extranoc ticket", cmds, G_N_ELEMENTS (cmds),
				"Tickets are derived from the journal with the policy's clocks (or read as "
				"extranoc-collector stored them, --db).\nSee doc/sla.md.", argc, argv);
}
