/* cmd-maintenance.c — `extranoc maintenance file|approve|withdraw|list|show|letters`.
 *
 * Maintenance notices as doc/maintenance.md has them. `file`, `approve`
 * and `withdraw` each append one fact (maintenance.filed, .approved,
 * .withdrawn) with source "cli:USER" and ts the instant it happened (--at,
 * default now, never in the future), as `extranoc fault` does; a window's
 * ID is the seq of its filed fact. Input is checked before anything is
 * written: units, carriers, nodes and links against the inventory, and for
 * `approve`/`withdraw` the window against the notice book made from the
 * journal (an unknown, withdrawn or already approved window is refused).
 * The journal is never created here. `list`, `show` and `letters` only
 * read: the journal (--db, or a JSON-lines file with --journal) is fed to
 * the notice book (sla/maintenance.h), whose rules decide everything
 * printed; this file parses, checks and prints. */
#include "commands.h"
#include "journal.h"
#include "maintenance-view.h"
#include "operator-fact.h"
#include "outage-view.h"
#include "xn-error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef struct {
	char     *conf_path;
	char     *db;
	char     *journal;
	char     *calendar_dir;
	char     *user;
	char     *at;
	gboolean  json;
} Common;

static void
common_clear (Common *c)
{
	g_free (c->conf_path);
	g_free (c->db);
	g_free (c->journal);
	g_free (c->calendar_dir);
	g_free (c->user);
	g_free (c->at);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Common, common_clear)

static int
fail (const char *command, const char *message)
{
	return xn_cli_fail ("maintenance", command, message);
}

static int
usage (const char *command, const char *message)
{
	return xn_cli_usage ("maintenance", command, message);
}

static gboolean
parse (const char *command, const char *params, const char *summary, const GOptionEntry *own, gboolean writes,
       Common *c, int *argc, char ***argv)
{
	const GOptionEntry common[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &c->conf_path,
		  "extranoc.conf: its inventory, policy and journal", "CONF" },
		{ "db", 0, 0, G_OPTION_ARG_FILENAME, &c->db, "the journal database (default: --config's)", "PATH" },
		{ "calendar-dir", 'C', 0, G_OPTION_ARG_FILENAME, &c->calendar_dir,
		  "the working-day calendar files (default: $EXTRANOC_CALENDAR_DIR, else the installed ones)", "DIR" },
		{ "at", 0, 0, G_OPTION_ARG_STRING, &c->at, writes ?
		  "when it happened: ISO 8601, local time of the policy unless it has an offset (default: now)" :
		  "as the journal stood at T: facts dated after it are left out (default: now)", "T" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &c->json,
		  writes ? "print the recorded fact as one JSON line" : "print JSON", NULL },
		G_OPTION_ENTRY_NULL
	};
	const GOptionEntry writer[] = {
		{ "user", 'u', 0, G_OPTION_ARG_STRING, &c->user,
		  "who records it (default: $SUDO_USER, else the login)", "NAME" },
		G_OPTION_ENTRY_NULL
	};
	const GOptionEntry reader[] = {
		{ "journal", 'j', 0, G_OPTION_ARG_FILENAME, &c->journal, "read a JSON-lines journal instead", "FILE" },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GOptionContext) context = g_option_context_new (params);
	g_autoptr(GError) error = NULL;

	g_option_context_set_summary (context, summary);
	g_option_context_add_main_entries (context, own, NULL);
	g_option_context_add_main_entries (context, common, NULL);
	g_option_context_add_main_entries (context, writes ? writer : reader, NULL);
	if (!g_option_context_parse (context, argc, argv, &error)) {
		usage (command, error->message);
		return FALSE;
	}
	if (c->journal != NULL && c->db != NULL) {
		usage (command, "--journal and --db name two journals: give one");
		return FALSE;
	}
	return TRUE;
}

/* What every command needs: the configuration (inventory, policy, zone),
 * its topology, the calendar, now, the instant of --at and the source. */
typedef struct {
	XnCliSetup  *setup;
	XnTopology  *topology;
	XnCalendar  *calendar;
	XnInstant    now;
	XnInstant    at;
	char        *source;
} Prepared;

static void
prepared_clear (Prepared *p)
{
	g_clear_pointer (&p->topology, xn_topology_free);
	g_clear_pointer (&p->setup, xn_cli_setup_free);
	g_clear_pointer (&p->calendar, xn_calendar_free);
	g_clear_pointer (&p->source, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Prepared, prepared_clear)

static int
prepare (const char *command, const Common *c, gboolean writes, Prepared *p)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *why = NULL;
	const char *dir = c->calendar_dir != NULL ? c->calendar_dir : xn_calendar_default_dir ();

	p->now = p->at = xn_time_now ();
	if (writes && (p->source = xn_cli_fact_source (c->user, &why)) == NULL)
		return usage (command, why);
	p->setup = xn_cli_setup_load (c->conf_path, &error);
	if (p->setup == NULL)
		return fail (command, error->message);
	p->calendar = xn_calendar_new ();
	if (!xn_calendar_load_dir (p->calendar, dir, &error))
		return fail (command, error->message);
	p->topology = xn_topology_new (xn_config_get_inventory (p->setup->config));
	if (c->at != NULL) {
		g_autofree char *prefixed = g_strconcat ("maintenance ", command, NULL);

		if (!xn_cli_parse_instant (prefixed, "--at", c->at, p->setup->tz, &p->at))
			return XN_EXIT_USAGE;
		if (writes)
			return xn_cli_refuse_future ("maintenance", command, p->at, p->now, p->setup->tz);
	}
	return XN_EXIT_OK;
}

static XnMaintenanceBook *
new_book (const Prepared *p)
{
	return xn_maintenance_book_new (xn_config_get_inventory (p->setup->config), p->topology,
					xn_config_get_policy (p->setup->config), p->calendar, p->setup->tz);
}

typedef struct {
	XnMaintenanceBook *book;
	XnInstant          at;
} Feeding;

static gboolean
feed_one (const XnFact *fact, gpointer data, GError **error)
{
	Feeding *f = data;

	if (fact->ts <= f->at)
		xn_maintenance_book_feed (f->book, fact);
	return TRUE;
}

static gboolean
feed_file_fact (XnFact *fact, gpointer data, GError **error)
{
	return feed_one (fact, data, error);
}

/* The notice book of the journal's facts dated at or before `at`. */
static XnMaintenanceBook *
load_book (const char *command, const Common *c, const Prepared *p, XnInstant at, XnJournal **keep, int *rc)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnMaintenanceBook) book = new_book (p);
	Feeding feeding = { book, at };
	g_autoptr(XnJournal) journal = NULL;

	*rc = XN_EXIT_FAILED;
	if (c->journal != NULL) {
		XnReplayCounts counts = { 0 };

		if (!xn_cli_replay_read (c->journal, G_MAXINT64, feed_file_fact, &feeding, &counts, &error)) {
			fail (command, error->message);
			return NULL;
		}
		return g_steal_pointer (&book);
	}
	journal = xn_journal_open (xn_cli_journal_location (c->db, p->setup), XN_JOURNAL_OPEN_EXISTING, &error);
	if (journal == NULL || !xn_journal_foreach (journal, 0, 0, feed_one, &feeding, &error)) {
		fail (command, error->message);
		return NULL;
	}
	if (keep != NULL)
		*keep = g_steal_pointer (&journal);
	return g_steal_pointer (&book);
}

/* Appends the fact and says what was recorded about window `id` (NULL:
 * the window the fact files); *seq is the fact's seq. */
static int
append (const char *command, const Common *c, const Prepared *p, XnJournal *journal, const char *id,
	const char *kind, const char *subject, JsonObject *attrs, gint64 *seq)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnJournal) opened = NULL;
	g_autoptr(XnFact) fact = xn_fact_new (p->at, kind, subject, p->source, p->now, attrs);

	json_object_unref (attrs);
	if (!xn_fact_validate (fact, &error))
		return fail (command, error->message);
	if (journal == NULL) {
		opened = xn_journal_open (xn_cli_journal_location (c->db, p->setup), XN_JOURNAL_OPEN_EXISTING, &error);
		if (opened == NULL)
			return fail (command, error->message);
		journal = opened;
	}
	if (!xn_journal_append (journal, fact, &error))
		return fail (command, error->message);
	*seq = fact->seq;
	if (c->json) {
		g_autofree char *line = xn_fact_to_json_line (fact);

		printf ("%s\n", line);
	} else {
		g_autofree char *when = xn_time_format (fact->ts, p->setup->tz);
		g_autofree char *filed = xn_maintenance_id (fact->seq);

		printf ("%s: recorded fact %" G_GINT64_FORMAT " in %s: %s %s at %s by %s\n", id != NULL ? id : filed,
			fact->seq,
			xn_journal_get_location (journal), fact->kind, fact->subject, when, fact->source);
	}
	return XN_EXIT_OK;
}

/* The window named by the one positional argument, refused when `approve`
 * or `withdraw` cannot apply to it; NULL after printing why. */
static const XnMaintenanceWindow *
decided_window (const char *command, const Prepared *p, XnMaintenanceBook *book, const char *id, gboolean approve)
{
	const XnMaintenanceWindow *w = xn_maintenance_book_lookup (book, id);
	g_autofree char *message = NULL;

	if (w == NULL)
		message = g_strdup_printf ("%s: the journal has no maintenance window of that ID", id);
	else if (w->status == XN_MAINTENANCE_STATUS_WITHDRAWN)
		message = g_strdup_printf ("%s was withdrawn by %s: nothing more can be decided about it", id,
					   w->withdrawn_by);
	else if (approve && w->problem != NULL)
		message = g_strdup_printf ("%s is not a valid notice (%s): it cannot be approved", id, w->problem);
	else if (approve && w->status == XN_MAINTENANCE_STATUS_APPROVED)
		message = g_strdup_printf ("%s was already approved by %s", id, w->approved_by);
	else if (p->at < w->filed)
		message = g_strdup_printf ("--at lies before %s was filed", id);
	else if (!approve && w->problem == NULL && p->at >= w->end)
		message = g_strdup_printf ("%s is over: a past window stands as filed and cannot be withdrawn", id);
	if (message != NULL) {
		fail (command, message);
		return NULL;
	}
	return w;
}

static gboolean
window_argument (const char *command, int argc, char **argv)
{
	gint64 seq;

	if (argc != 2) {
		usage (command, argc < 2 ? "which window? give its ID (MW-000123)" : "one window ID only");
		return FALSE;
	}
	if (!xn_maintenance_parse_id (argv[1], &seq)) {
		g_autofree char *message = g_strdup_printf ("'%s' is not a maintenance window ID (MW- and six or more digits)",
							    argv[1]);

		usage (command, message);
		return FALSE;
	}
	return TRUE;
}

static int
decide (int argc, char **argv, gboolean approve)
{
	const char *command = approve ? "approve" : "withdraw";
	g_auto(Common) c = { 0 };
	g_autofree char *by = NULL, *text = NULL, *subject = NULL;
	const GOptionEntry entries[] = {
		{ "by", 0, 0, G_OPTION_ARG_STRING, &by, approve ? "who approved it (the person or office)"
		  : "who withdrew it", "NAME" },
		{ approve ? "reference" : "why", 0, 0, G_OPTION_ARG_STRING, &text,
		  approve ? "the approval's document number (批准文号)" : "why it is withdrawn", "TEXT" },
		G_OPTION_ENTRY_NULL
	};
	g_auto(Prepared) p = { 0 };
	g_autoptr(XnMaintenanceBook) book = NULL;
	g_autoptr(XnJournal) journal = NULL;
	const XnMaintenanceWindow *w;
	JsonObject *attrs;
	gint64 seq;
	int rc;

	if (!parse (command, "ID", approve ? "Record the approval of a maintenance window (--at: when it was approved)."
		    : "Withdraw a maintenance window: it covers nothing any more.", entries, TRUE, &c, &argc, &argv) ||
	    !window_argument (command, argc, argv))
		return XN_EXIT_USAGE;
	if (by == NULL || (!approve && text == NULL))
		return usage (command, approve ? "--by is required" : "--by and --why are required");
	if (!xn_cli_check_text ("maintenance", command, "by", by, TRUE) || !xn_cli_check_text ("maintenance", command, approve ? "reference" : "why", text, !approve))
		return XN_EXIT_USAGE;
	if ((rc = prepare (command, &c, TRUE, &p)) != XN_EXIT_OK)
		return rc;
	if ((book = load_book (command, &c, &p, G_MAXINT64, &journal, &rc)) == NULL)
		return rc;
	if ((w = decided_window (command, &p, book, argv[1], approve)) == NULL)
		return XN_EXIT_FAILED;
	attrs = json_object_new ();
	json_object_set_string_member (attrs, "by", by);
	json_object_set_string_member (attrs, approve ? "reference" : "why", text != NULL ? text : "");
	subject = g_strconcat ("maintenance/", w->id, NULL);
	if ((rc = append (command, &c, &p, journal, w->id, approve ? XN_MAINTENANCE_APPROVED : XN_MAINTENANCE_WITHDRAWN,
			  subject, attrs, &seq)) != XN_EXIT_OK)
		return rc;
	if (approve && p.at > w->start && !c.json)
		printf ("%s: approved after its start: the window is not compliant and plans nothing\n", w->id);
	return XN_EXIT_OK;
}

static int
cmd_approve (int argc, char **argv)
{
	return decide (argc, argv, TRUE);
}

static int
cmd_withdraw (int argc, char **argv)
{
	return decide (argc, argv, FALSE);
}

/* Prints the recorded window's notice as the book judges it. */
static void
print_filed (const Common *c, const Prepared *p, const XnMaintenanceWindow *w)
{
	g_autofree char *verdict = NULL, *units = NULL, *deadline = NULL;

	if (c->json || w == NULL)
		return;
	verdict = xn_cli_maintenance_verdict (w);
	units = g_strjoinv (", ", w->units);
	deadline = w->deadline != XN_MAINTENANCE_NONE ? xn_time_format (w->deadline, p->setup->tz) : g_strdup ("unknown");
	printf ("%s: deadline %s, %s\n%s: affected units: %s\n", w->id, deadline, verdict, w->id,
		*units != '\0' ? units : "-");
}

/* The initiator's name: a unit or a carrier of the inventory, or for the
 * operator the NOC's name from the policy (noc-contact/name; "operator"
 * when the policy names none). NULL after printing why. */
static const char *
initiator_name (const Prepared *p, XnInitiator initiator, const char *name)
{
	const XnInventory *inventory = xn_config_get_inventory (p->setup->config);
	const char *noc = NULL, *phone, *email;
	g_autofree char *message = NULL;

	if (initiator == XN_INITIATOR_OPERATOR) {
		xn_policy_noc_contact (xn_config_get_policy (p->setup->config), &noc, &phone, &email);
		if (name != NULL && g_strcmp0 (name, noc) != 0)
			message = g_strdup_printf ("--name: the operator files under the NOC's name from the policy (%s)",
						   noc != NULL ? noc : "none set: leave --name out");
		else
			return noc != NULL ? noc : "operator";
	} else if (name == NULL) {
		message = g_strdup_printf ("--name is required: which %s", initiator == XN_INITIATOR_UNIT ? "unit" : "carrier");
	} else if (initiator == XN_INITIATOR_UNIT && xn_inventory_unit_by_name (inventory, name) == NULL) {
		message = g_strdup_printf ("--name: the inventory has no access unit '%s'", name);
	} else if (initiator == XN_INITIATOR_CARRIER && xn_inventory_carrier_by_name (inventory, name) == NULL) {
		message = g_strdup_printf ("--name: the inventory has no carrier '%s'", name);
	} else {
		return name;
	}
	fail ("file", message);
	return NULL;
}

/* The --node or --link values as a JSON array; FALSE after printing the
 * first the inventory lacks or that is repeated. */
static gboolean
scope_array (const Prepared *p, char **names, gboolean nodes, JsonArray *out)
{
	const XnInventory *inventory = xn_config_get_inventory (p->setup->config);

	for (guint i = 0; names != NULL && names[i] != NULL; i++) {
		gboolean known = nodes ? xn_inventory_node_by_name (inventory, names[i]) != NULL
			: xn_inventory_link_by_id (inventory, names[i]) != NULL;
		g_autofree char *message = NULL;

		if (!known)
			message = g_strdup_printf ("--%s: the inventory has no %s '%s'", nodes ? "node" : "link",
						   nodes ? "node" : "link", names[i]);
		else if (g_strv_contains ((const char *const *) names + i + 1, names[i]))
			message = g_strdup_printf ("--%s: '%s' is given twice", nodes ? "node" : "link", names[i]);
		if (message != NULL) {
			fail ("file", message);
			return FALSE;
		}
		json_array_add_string_element (out, names[i]);
	}
	return TRUE;
}

static int
cmd_file (int argc, char **argv)
{
	g_auto(Common) c = { 0 };
	g_autofree char *kind = NULL, *name = NULL, *start = NULL, *end = NULL, *reason = NULL, *subject = NULL;
	g_auto(GStrv) nodes = NULL, links = NULL;
	const GOptionEntry entries[] = {
		{ "initiator", 'i', 0, G_OPTION_ARG_STRING, &kind, "whose work: operator, unit or carrier", "KIND" },
		{ "name", 'n', 0, G_OPTION_ARG_STRING, &name, "the unit or carrier (inventory name)", "NAME" },
		{ "node", 0, 0, G_OPTION_ARG_STRING_ARRAY, &nodes, "a node worked on (repeat for more)", "NODE" },
		{ "link", 0, 0, G_OPTION_ARG_STRING_ARRAY, &links, "a link worked on (repeat for more)", "LINK" },
		{ "start", 0, 0, G_OPTION_ARG_STRING, &start, "when the work starts (ISO 8601)", "T" },
		{ "end", 0, 0, G_OPTION_ARG_STRING, &end, "when it ends (ISO 8601)", "T" },
		{ "reason", 'r', 0, G_OPTION_ARG_STRING, &reason, "what is done and why (printed in the letters)", "TEXT" },
		G_OPTION_ENTRY_NULL
	};
	g_auto(Prepared) p = { 0 };
	g_autoptr(XnMaintenanceBook) book = NULL;
	XnInitiator initiator;
	XnInstant t_start, t_end;
	const char *who;
	JsonObject *attrs, *o;
	JsonArray *a_nodes, *a_links;
	g_autofree char *s_start = NULL, *s_end = NULL;
	gint64 seq;
	int rc;

	if (!parse ("file", NULL, "Record a maintenance notice (--at: when it was filed, for a notice filed on paper).",
		    entries, TRUE, &c, &argc, &argv))
		return XN_EXIT_USAGE;
	if (argc > 1)
		return usage ("file", "unexpected argument (every value goes with its option)");
	if (kind == NULL || !xn_initiator_from_string (kind, &initiator))
		return usage ("file", "--initiator must be operator, unit or carrier");
	if (start == NULL || end == NULL || reason == NULL)
		return usage ("file", "--start, --end and --reason are required");
	if (nodes == NULL && links == NULL)
		return usage ("file", "the scope is empty: give --node or --link, once per object");
	if (!xn_cli_check_text ("maintenance", "file", "reason", reason, TRUE) || !xn_cli_check_text ("maintenance", "file", "name", name, TRUE))
		return XN_EXIT_USAGE;
	if ((rc = prepare ("file", &c, TRUE, &p)) != XN_EXIT_OK)
		return rc;
	if (!xn_cli_parse_instant ("maintenance file", "--start", start, p.setup->tz, &t_start) ||
	    !xn_cli_parse_instant ("maintenance file", "--end", end, p.setup->tz, &t_end))
		return XN_EXIT_USAGE;
	if (t_end <= t_start)
		return usage ("file", "--end must lie after --start");
	if ((who = initiator_name (&p, initiator, name)) == NULL)
		return XN_EXIT_FAILED;
	a_nodes = json_array_new ();
	a_links = json_array_new ();
	o = json_object_new ();
	json_object_set_array_member (o, "nodes", a_nodes);
	json_object_set_array_member (o, "links", a_links);
	if (!scope_array (&p, nodes, TRUE, a_nodes) || !scope_array (&p, links, FALSE, a_links)) {
		json_object_unref (o);
		return XN_EXIT_FAILED;
	}
	attrs = json_object_new ();
	json_object_set_object_member (attrs, "initiator", json_object_new ());
	json_object_set_string_member (json_object_get_object_member (attrs, "initiator"), "kind", kind);
	json_object_set_string_member (json_object_get_object_member (attrs, "initiator"), "name", who);
	json_object_set_object_member (attrs, "scope", o);
	s_start = xn_time_format (t_start, p.setup->tz);
	s_end = xn_time_format (t_end, p.setup->tz);
	json_object_set_string_member (attrs, "start", s_start);
	json_object_set_string_member (attrs, "end", s_end);
	json_object_set_string_member (attrs, "reason", reason);
	subject = g_strdup_printf ("%s/%s", kind, who);
	if ((rc = append ("file", &c, &p, NULL, NULL, XN_MAINTENANCE_FILED, subject, attrs, &seq)) != XN_EXIT_OK)
		return rc;
	if ((book = load_book ("file", &c, &p, G_MAXINT64, NULL, &rc)) != NULL) {
		g_autofree char *id = xn_maintenance_id (seq);

		print_filed (&c, &p, xn_maintenance_book_lookup (book, id));
	}
	return XN_EXIT_OK;
}

static int
cmd_list (int argc, char **argv)
{
	g_auto(Common) c = { 0 };
	const GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };
	g_auto(Prepared) p = { 0 };
	g_autoptr(XnMaintenanceBook) book = NULL;
	const GPtrArray *windows;
	int rc;

	if (!parse ("list", NULL, "List the maintenance windows, their notices and status.", entries, FALSE, &c, &argc,
		    &argv))
		return XN_EXIT_USAGE;
	if (argc > 1)
		return usage ("list", "unexpected argument");
	if ((rc = prepare ("list", &c, FALSE, &p)) != XN_EXIT_OK)
		return rc;
	if ((book = load_book ("list", &c, &p, p.at, NULL, &rc)) == NULL)
		return rc;
	windows = xn_maintenance_book_list (book);
	if (c.json) {
		g_autoptr(XnJsonOut) doc = xn_json_out_object ();
		XnJsonOut *list = xn_json_out_array ();
		g_autofree char *text = NULL;

		for (guint i = 0; i < windows->len; i++)
			xn_json_out_add (list, xn_cli_maintenance_json (windows->pdata[i], p.setup->tz, p.at, FALSE));
		xn_json_out_set (doc, "windows", list);
		xn_json_out_set (doc, "as_of", xn_json_out_instant (p.at));
		text = xn_json_out_print (doc);
		fputs (text, stdout);
	} else {
		xn_cli_print_maintenance_list (stdout, windows, p.setup->tz, p.at);
	}
	return XN_EXIT_OK;
}

static int
cmd_show (int argc, char **argv)
{
	g_auto(Common) c = { 0 };
	const GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };
	g_auto(Prepared) p = { 0 };
	g_autoptr(XnMaintenanceBook) book = NULL;
	const XnMaintenanceWindow *w;
	int rc;

	if (!parse ("show", "ID", "Show a maintenance window: the facts behind it and the arithmetic of its deadline.",
		    entries, FALSE, &c, &argc, &argv) || !window_argument ("show", argc, argv))
		return XN_EXIT_USAGE;
	if ((rc = prepare ("show", &c, FALSE, &p)) != XN_EXIT_OK)
		return rc;
	if ((book = load_book ("show", &c, &p, p.at, NULL, &rc)) == NULL)
		return rc;
	if ((w = xn_maintenance_book_lookup (book, argv[1])) == NULL) {
		g_autofree char *message = g_strdup_printf ("%s: the journal has no maintenance window of that ID", argv[1]);

		return fail ("show", message);
	}
	if (c.json) {
		g_autoptr(XnJsonOut) doc = xn_cli_maintenance_json (w, p.setup->tz, p.at, TRUE);
		g_autofree char *text = xn_json_out_print (doc);

		fputs (text, stdout);
	} else {
		xn_cli_print_maintenance (stdout, w, p.setup->tz, p.at);
	}
	return XN_EXIT_OK;
}

/* Writes `content` to DIR/NAME; FALSE after printing why. */
static gboolean
write_letter (const char *dir, const char *name, const char *content)
{
	g_autofree char *path = g_build_filename (dir, name, NULL);
	g_autoptr(GError) error = NULL;

	if (!g_file_set_contents (path, content, -1, &error)) {
		fail ("letters", error->message);
		return FALSE;
	}
	printf ("%s\n", path);
	return TRUE;
}

static int
cmd_letters (int argc, char **argv)
{
	g_auto(Common) c = { 0 };
	g_autofree char *dir = NULL, *only = NULL;
	const GOptionEntry entries[] = {
		{ "dir", 'd', 0, G_OPTION_ARG_FILENAME, &dir, "write ID-UNIT.txt and ID-UNIT.html here (it must exist)",
		  "DIR" },
		{ "unit", 0, 0, G_OPTION_ARG_STRING, &only, "only the letter to this unit", "UNIT" },
		G_OPTION_ENTRY_NULL
	};
	g_auto(Prepared) p = { 0 };
	g_autoptr(XnMaintenanceBook) book = NULL;
	const XnMaintenanceWindow *w;
	const XnInventory *inventory;
	int rc;

	if (!parse ("letters", "ID", "The notice letters of a window, one per affected unit (without --dir: the text "
		    "letters on standard output).", entries, FALSE, &c, &argc, &argv) ||
	    !window_argument ("letters", argc, argv))
		return XN_EXIT_USAGE;
	if (dir != NULL && !g_file_test (dir, G_FILE_TEST_IS_DIR)) {
		g_autofree char *message = g_strdup_printf ("--dir %s: %s", dir, g_strerror (ENOTDIR));

		return fail ("letters", message);
	}
	if ((rc = prepare ("letters", &c, FALSE, &p)) != XN_EXIT_OK)
		return rc;
	if ((book = load_book ("letters", &c, &p, p.at, NULL, &rc)) == NULL)
		return rc;
	if ((w = xn_maintenance_book_lookup (book, argv[1])) == NULL) {
		g_autofree char *message = g_strdup_printf ("%s: the journal has no maintenance window of that ID", argv[1]);

		return fail ("letters", message);
	}
	if (only != NULL && !g_strv_contains ((const char *const *) w->units, only)) {
		g_autofree char *message = g_strdup_printf ("--unit: %s does not cut off access unit '%s'", w->id, only);

		return fail ("letters", message);
	}
	inventory = xn_config_get_inventory (p.setup->config);
	for (guint i = 0; w->units[i] != NULL; i++) {
		const XnAccessUnit *unit = xn_inventory_unit_by_name (inventory, w->units[i]);
		g_autoptr(GError) error = NULL;
		g_autoptr(XnMaintenanceLetter) letter = NULL;
		g_autofree char *txt = NULL, *html = NULL;

		if (only != NULL && strcmp (only, w->units[i]) != 0)
			continue;
		letter = xn_maintenance_letter_render (w, unit, inventory, p.topology, xn_config_get_policy (p.setup->config),
						       p.setup->tz, &error);
		if (letter == NULL)
			return fail ("letters", error->message);
		if (dir == NULL) {
			printf ("%sSubject: %s\n\n%s", i > 0 && only == NULL ? "\n" : "", letter->subject, letter->text);
			continue;
		}
		txt = g_strdup_printf ("%s-%s.txt", w->id, unit->name);
		html = g_strdup_printf ("%s-%s.html", w->id, unit->name);
		if (!write_letter (dir, txt, letter->text) || !write_letter (dir, html, letter->html))
			return XN_EXIT_FAILED;
	}
	return XN_EXIT_OK;
}

int
xn_cmd_maintenance (int argc, char **argv)
{
	static const XnCommand cmds[] = {
		{ "file", cmd_file, "record a maintenance notice: initiator, scope, start, end, reason" },
		{ "approve", cmd_approve, "record the approval of a window" },
		{ "withdraw", cmd_withdraw, "withdraw a window: it covers nothing any more" },
		{ "list", cmd_list, "the windows, their notices and status" },
		{ "show", cmd_show, "one window: its facts and the arithmetic of its deadline" },
		{ "letters", cmd_letters, "the notice letter to every affected unit (text and HTML)" },
	};

	return xn_cli_dispatch ("extranoc maintenance", cmds, G_N_ELEMENTS (cmds),
				"file, approve and withdraw append one fact each; the others only read.\n"
				"See doc/maintenance.md.", argc, argv);
}
