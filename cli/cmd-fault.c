/* cmd-fault.c — `extranoc fault report|attribute|ack|complex|restore`.
 *
 * The operator's side of a fault ticket: each command appends one fact to
 * the journal (doc/sla.md lists the kinds) and nothing else — tickets,
 * deadlines and breaches are what extranoc-collector derives from those
 * facts, so a command here never changes a ticket directly and a mistake
 * is corrected by a later fact, not by editing. The fact's source is
 * "cli:USER" (--user, else the login that ran sudo, else the login), its
 * ts the instant the action happened (--at, default now: a unit's call is
 * often typed in some minutes after it), its recorded instant now. Input
 * is checked before anything is written: the unit must be in the
 * inventory, a ticket ID must have the form of one, an instant may not lie
 * in the future, a reason may not be empty. Whether the ticket exists is
 * the derivation's business (it may not have seen the outage yet): a fact
 * about an unknown ticket is kept and reported by `extranoc ticket show`. */
#include "commands.h"
#include "journal.h"
#include "operator-fact.h"
#include "outage-view.h"
#include "xn-error.h"

#include <stdio.h>
#include <string.h>

/* Options every fault command takes. */
typedef struct {
	char     *conf_path;
	char     *db;
	char     *user;
	char     *at;
	gboolean  json;
} Common;

static void
common_clear (Common *c)
{
	g_free (c->conf_path);
	g_free (c->db);
	g_free (c->user);
	g_free (c->at);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Common, common_clear)

static int
fail (const char *command, const char *message)
{
	return xn_cli_fail ("fault", command, message);
}

static int
usage (const char *command, const char *message)
{
	return xn_cli_usage ("fault", command, message);
}

static GOptionEntry *
common_entries (Common *c)
{
	const GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &c->conf_path,
		  "extranoc.conf: its inventory, policy time zone and journal", "CONF" },
		{ "db", 0, 0, G_OPTION_ARG_FILENAME, &c->db, "the journal (default: --config's)", "PATH" },
		{ "user", 'u', 0, G_OPTION_ARG_STRING, &c->user,
		  "who records it (default: $SUDO_USER, else the login)", "NAME" },
		{ "at", 0, 0, G_OPTION_ARG_STRING, &c->at,
		  "when it happened: ISO 8601, local time of the policy unless it has an offset (default: now)", "T" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &c->json, "print the recorded fact as one JSON line", NULL },
		G_OPTION_ENTRY_NULL
	};

	return g_memdup2 (entries, sizeof entries);
}

/* A ticket ID as the derivation makes them: XN- and at least six digits. */
static gboolean
ticket_id_is_valid (const char *id)
{
	gsize digits = 0;

	if (id == NULL || strncmp (id, "XN-", 3) != 0)
		return FALSE;
	for (const char *p = id + 3; *p != '\0'; p++, digits++)
		if (!g_ascii_isdigit (*p))
			return FALSE;
	return digits >= 6 && digits <= 19;
}

/* Parses the command line: `entries` are the command's own, `params` its
 * positional part. On a usage error prints it and returns FALSE. */
static gboolean
parse (const char *command, const char *params, const char *summary, const GOptionEntry *entries, Common *c,
       int *argc, char ***argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new (params);
	g_autofree GOptionEntry *common = common_entries (c);
	g_autoptr(GError) error = NULL;

	g_option_context_set_summary (context, summary);
	g_option_context_add_main_entries (context, entries, NULL);
	g_option_context_add_main_entries (context, common, NULL);
	if (!g_option_context_parse (context, argc, argv, &error)) {
		usage (command, error->message);
		return FALSE;
	}
	return TRUE;
}

/* What every command needs before it can build its fact: the
 * configuration (extranoc.conf named or installed; with --db alone only the
 * default time zone), the fact's ts and its source. */
typedef struct {
	XnCliSetup *setup;
	XnInstant   now;
	XnInstant   ts;
	char       *source;
} Prepared;

static void
prepared_clear (Prepared *p)
{
	g_clear_pointer (&p->setup, xn_cli_setup_free);
	g_clear_pointer (&p->source, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Prepared, prepared_clear)

/* Exit status, XN_EXIT_OK when `p` is ready. */
static int
prepare (const char *command, const Common *c, gboolean need_inventory, Prepared *p)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *why = NULL;

	p->now = p->ts = xn_time_now ();
	p->source = xn_cli_fact_source (c->user, &why);
	if (p->source == NULL)
		return usage (command, why);
	p->setup = c->conf_path != NULL || c->db == NULL ? xn_cli_setup_load (c->conf_path, &error)
							  : xn_cli_setup_new_default ();
	if (p->setup == NULL)
		return fail (command, error->message);
	if (need_inventory && p->setup->config == NULL)
		return usage (command, "the unit is checked against the inventory: give --config CONF");
	if (c->at != NULL) {
		if (!xn_cli_parse_instant ("fault", "--at", c->at, p->setup->tz, &p->ts))
			return XN_EXIT_USAGE;
		return xn_cli_refuse_future ("fault", command, p->ts, p->now, p->setup->tz);
	}
	return XN_EXIT_OK;
}

/* Appends the fact (kind, subject, attrs taken) and says what was recorded. */
static int
append (const char *command, const Common *c, const Prepared *p, const char *kind, const char *subject,
	JsonObject *attrs)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnJournal) journal = NULL;
	g_autoptr(XnFact) fact = xn_fact_new (p->ts, kind, subject, p->source, p->now, attrs);

	json_object_unref (attrs);
	if (!xn_fact_validate (fact, &error))
		return fail (command, error->message);
	journal = xn_journal_open (xn_cli_journal_location (c->db, p->setup), XN_JOURNAL_OPEN_EXISTING, &error);
	if (journal == NULL || !xn_journal_append (journal, fact, &error))
		return fail (command, error->message);
	if (c->json) {
		g_autofree char *line = xn_fact_to_json_line (fact);

		printf ("%s\n", line);
	} else {
		g_autofree char *at = xn_time_format (fact->ts, p->setup->tz);

		printf ("recorded fact %" G_GINT64_FORMAT " in %s: %s %s at %s by %s\n", fact->seq,
			xn_journal_get_location (journal), fact->kind, fact->subject, at, fact->source);
	}
	return XN_EXIT_OK;
}

static int
cmd_report (int argc, char **argv)
{
	g_auto(Common) c = { 0 };
	g_autofree char *unit = NULL, *reporter = NULL, *description = NULL, *by = NULL, *link = NULL;
	const GOptionEntry entries[] = {
		{ "unit", 0, 0, G_OPTION_ARG_STRING, &unit, "the access unit that called (its inventory name)", "UNIT" },
		{ "reporter", 0, 0, G_OPTION_ARG_STRING, &reporter, "who called, as they gave their name", "NAME" },
		{ "description", 'd', 0, G_OPTION_ARG_STRING, &description, "what they said is wrong", "TEXT" },
		{ "by", 0, 0, G_OPTION_ARG_STRING, &by, "how it reached the NOC (default: phone)", "WAY" },
		{ "link", 0, 0, G_OPTION_ARG_STRING, &link, "the link, when the caller or the NOC knows it", "LINK" },
		G_OPTION_ENTRY_NULL
	};
	g_auto(Prepared) p = { 0 };
	const XnInventory *inventory;
	const XnAccessUnit *u;
	g_autofree char *subject = NULL;
	JsonObject *attrs;
	int rc;

	if (!parse ("report", NULL, "Record a fault a unit reported (故障申告): the call opens a ticket.", entries, &c,
		    &argc, &argv))
		return XN_EXIT_USAGE;
	if (argc > 1)
		return usage ("report", "unexpected argument (every value goes with its option)");
	if (unit == NULL || reporter == NULL || description == NULL)
		return usage ("report", "--unit, --reporter and --description are required");
	if (!xn_cli_check_text ("fault", "report", "reporter", reporter, TRUE) || !xn_cli_check_text ("fault", "report", "description", description, TRUE) ||
	    !xn_cli_check_text ("fault", "report", "by", by, TRUE))
		return XN_EXIT_USAGE;
	if ((rc = prepare ("report", &c, TRUE, &p)) != XN_EXIT_OK)
		return rc;
	inventory = xn_config_get_inventory (p.setup->config);
	u = xn_inventory_unit_by_name (inventory, unit);
	if (u == NULL) {
		g_autofree char *message = g_strdup_printf ("--unit: the inventory has no access unit '%s'", unit);

		return fail ("report", message);
	}
	if (link != NULL && xn_inventory_link_by_id (inventory, link) == NULL) {
		g_autofree char *message = g_strdup_printf ("--link: the inventory has no link '%s'", link);

		return fail ("report", message);
	}
	attrs = json_object_new ();
	json_object_set_string_member (attrs, "reporter", reporter);
	json_object_set_string_member (attrs, "description", description);
	json_object_set_string_member (attrs, "by", by != NULL ? by : "phone");
	if (link != NULL)
		json_object_set_string_member (attrs, "link", link);
	subject = g_strconcat ("unit/", u->name, NULL);
	return append ("report", &c, &p, "fault.reported", subject, attrs);
}

/* The one positional argument of a ticket command: its ID. */
static gboolean
ticket_argument (const char *command, int argc, char **argv, char **subject)
{
	if (argc != 2) {
		usage (command, argc < 2 ? "which ticket? give its ID (XN-000057)" : "one ticket ID only");
		return FALSE;
	}
	if (!ticket_id_is_valid (argv[1])) {
		g_autofree char *message = g_strdup_printf ("'%s' is not a ticket ID (XN- and six or more digits; "
							    "a breach ticket's -R/-S suffix is not part of it)", argv[1]);

		usage (command, message);
		return FALSE;
	}
	*subject = g_strconcat ("ticket/", argv[1], NULL);
	return TRUE;
}

static int
cmd_attribute (int argc, char **argv)
{
	g_auto(Common) c = { 0 };
	g_autofree char *to = NULL, *reason = NULL, *carrier = NULL, *subject = NULL;
	const GOptionEntry entries[] = {
		{ "to", 0, 0, G_OPTION_ARG_STRING, &to, "whose fault it is: carrier, operator or unit-lan", "WHO" },
		{ "reason", 'r', 0, G_OPTION_ARG_STRING, &reason, "why (kept with the ticket)", "TEXT" },
		{ "carrier", 0, 0, G_OPTION_ARG_STRING, &carrier, "with --to carrier: which carrier", "CARRIER" },
		G_OPTION_ENTRY_NULL
	};
	g_auto(Prepared) p = { 0 };
	JsonObject *attrs;
	int rc;

	if (!parse ("attribute", "TICKET", "Say whose fault a ticket is; only carrier faults carry the carrier SLA.",
		    entries, &c, &argc, &argv) || !ticket_argument ("attribute", argc, argv, &subject))
		return XN_EXIT_USAGE;
	if (to == NULL || (strcmp (to, "carrier") != 0 && strcmp (to, "operator") != 0 && strcmp (to, "unit-lan") != 0))
		return usage ("attribute", "--to must be carrier, operator or unit-lan");
	if (reason == NULL)
		return usage ("attribute", "--reason is required: an attribution is kept with who decided it and why");
	if (!xn_cli_check_text ("fault", "attribute", "reason", reason, TRUE))
		return XN_EXIT_USAGE;
	if (carrier != NULL && strcmp (to, "carrier") != 0)
		return usage ("attribute", "--carrier goes only with --to carrier");
	if ((rc = prepare ("attribute", &c, carrier != NULL, &p)) != XN_EXIT_OK)
		return rc;
	if (carrier != NULL && xn_inventory_carrier_by_name (xn_config_get_inventory (p.setup->config), carrier) == NULL) {
		g_autofree char *message = g_strdup_printf ("--carrier: the inventory has no carrier '%s'", carrier);

		return fail ("attribute", message);
	}
	attrs = json_object_new ();
	json_object_set_string_member (attrs, "to", to);
	json_object_set_string_member (attrs, "reason", reason);
	if (carrier != NULL)
		json_object_set_string_member (attrs, "carrier", carrier);
	return append ("attribute", &c, &p, "fault.attributed", subject, attrs);
}

static int
cmd_ack (int argc, char **argv)
{
	g_auto(Common) c = { 0 };
	g_autofree char *ref = NULL, *contact = NULL, *subject = NULL;
	const GOptionEntry entries[] = {
		{ "carrier-ref", 0, 0, G_OPTION_ARG_STRING, &ref, "the carrier's own ticket number", "REF" },
		{ "contact", 0, 0, G_OPTION_ARG_STRING, &contact, "who at the carrier answered", "NAME" },
		G_OPTION_ENTRY_NULL
	};
	g_auto(Prepared) p = { 0 };
	JsonObject *attrs;
	int rc;

	if (!parse ("ack", "TICKET", "Record the carrier's response to a ticket (--at: when they answered).", entries,
		    &c, &argc, &argv) || !ticket_argument ("ack", argc, argv, &subject))
		return XN_EXIT_USAGE;
	if (!xn_cli_check_text ("fault", "ack", "carrier-ref", ref, FALSE) || !xn_cli_check_text ("fault", "ack", "contact", contact, FALSE))
		return XN_EXIT_USAGE;
	if ((rc = prepare ("ack", &c, FALSE, &p)) != XN_EXIT_OK)
		return rc;
	attrs = json_object_new ();
	json_object_set_string_member (attrs, "carrier_ref", ref != NULL ? ref : "");
	json_object_set_string_member (attrs, "contact", contact != NULL ? contact : "");
	return append ("ack", &c, &p, "fault.acknowledged", subject, attrs);
}

static int
cmd_complex (int argc, char **argv)
{
	g_auto(Common) c = { 0 };
	g_autofree char *reason = NULL, *subject = NULL;
	const GOptionEntry entries[] = {
		{ "reason", 'r', 0, G_OPTION_ARG_STRING, &reason, "why the fault is complex", "TEXT" },
		G_OPTION_ENTRY_NULL
	};
	g_auto(Prepared) p = { 0 };
	JsonObject *attrs;
	int rc;

	if (!parse ("complex", "TICKET", "Declare a fault complex (故障情况复杂): the complex restore target applies.",
		    entries, &c, &argc, &argv) || !ticket_argument ("complex", argc, argv, &subject))
		return XN_EXIT_USAGE;
	if (reason == NULL)
		return usage ("complex", "--reason is required");
	if (!xn_cli_check_text ("fault", "complex", "reason", reason, TRUE))
		return XN_EXIT_USAGE;
	if ((rc = prepare ("complex", &c, FALSE, &p)) != XN_EXIT_OK)
		return rc;
	attrs = json_object_new ();
	json_object_set_string_member (attrs, "reason", reason);
	return append ("complex", &c, &p, "fault.complex", subject, attrs);
}

static int
cmd_restore (int argc, char **argv)
{
	g_auto(Common) c = { 0 };
	g_autofree char *note = NULL, *subject = NULL;
	const GOptionEntry entries[] = {
		{ "note", 0, 0, G_OPTION_ARG_STRING, &note, "what was done, who confirmed", "TEXT" },
		G_OPTION_ENTRY_NULL
	};
	g_auto(Prepared) p = { 0 };
	JsonObject *attrs;
	int rc;

	if (!parse ("restore", "TICKET", "Confirm a ticket's service restored (--at: the restore instant).", entries,
		    &c, &argc, &argv) || !ticket_argument ("restore", argc, argv, &subject))
		return XN_EXIT_USAGE;
	if (!xn_cli_check_text ("fault", "restore", "note", note, FALSE))
		return XN_EXIT_USAGE;
	if ((rc = prepare ("restore", &c, FALSE, &p)) != XN_EXIT_OK)
		return rc;
	attrs = json_object_new ();
	json_object_set_string_member (attrs, "note", note != NULL ? note : "");
	return append ("restore", &c, &p, "fault.restore-confirmed", subject, attrs);
}

int
xn_cmd_fault (int argc, char **argv)
{
	static const XnCommand cmds[] = {
		{ "report", cmd_report, "record a fault a unit phoned in: opens a ticket" },
		{ "attribute", cmd_attribute, "say whose fault a ticket is: carrier, operator or unit-lan" },
		{ "ack", cmd_ack, "record the carrier's response (meets the response deadline)" },
		{ "complex", cmd_complex, "declare the fault complex: the complex restore target applies" },
		{ "restore", cmd_restore, "confirm the service restored" },
	};

	return xn_cli_dispatch ("extranoc fault", cmds, G_N_ELEMENTS (cmds),
				"Each command appends one fact to the journal; extranoc-collector derives the "
				"tickets.\nSee doc/sla.md.", argc, argv);
}
