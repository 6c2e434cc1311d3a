/* outbox-tool — the outbox and its dispatcher for the shell tests, until
 * the collector derives ticket events itself:
 *
 *   outbox-tool put DB [--suppressed] < messages.jsonl
 *     inserts messages as the derivation does: one transaction on a
 *     connection of its own, xn_outbox_migrate() then xn_outbox_insert_in()
 *     for each line ({"event_id", "carrier", "ticket_id", "kind",
 *     "instant" (ISO 8601), "subject", "body_text", "body_json": {…}});
 *     prints "inserted N, already there M".
 *   outbox-tool run -c extranoc.conf
 *     runs the dispatcher on the journal, inventory, secrets and settings
 *     the file names, logging as the daemons do; SIGHUP reloads them (and
 *     xn_dispatch_set_config()), SIGUSR1 kicks, SIGTERM/SIGINT stop.
 *   outbox-tool list DB | attempts DB
 *     prints messages or attempts as JSON lines.
 *   outbox-tool abandon DB EVENT CARRIER REASON
 *
 * It links the real collector/dispatch.c and storage/outbox*.c: nothing
 * here stands in for them. */
#include "config.h"
#include "daemon-conf.h"
#include "daemon-log.h"
#include "dispatch.h"
#include "outbox-sqlite.h"
#include "xn-error.h"
#include "xn-time.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static int
fail (const GError *error)
{
	fprintf (stderr, "outbox-tool: %s\n", error->message);
	return 1;
}

static const char *
member (JsonObject *o, const char *name, guint line, GError **error)
{
	JsonNode *node = json_object_get_member (o, name);

	if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "stdin:%u: \"%s\" is missing or not a string", line, name);
		return NULL;
	}
	return json_node_get_string (node);
}

static XnOutboxMessage *
parse_line (const char *text, guint line, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new ();
	g_autoptr(XnOutboxMessage) m = xn_outbox_message_new ();
	const char *fields[] = { "event_id", "carrier", "ticket_id", "kind", "subject", "body_text", "instant" };
	char **slots[] = { &m->event_id, &m->carrier, &m->ticket_id, &m->kind, &m->subject, &m->body_text };
	JsonObject *o;
	JsonNode *body;

	if (!json_parser_load_from_data (parser, text, -1, error) || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
		g_prefix_error (error, "stdin:%u: ", line);
		if (error != NULL && *error == NULL)
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "stdin:%u: not a JSON object", line);
		return NULL;
	}
	o = json_node_get_object (json_parser_get_root (parser));
	for (guint i = 0; i < G_N_ELEMENTS (fields); i++) {
		const char *value = member (o, fields[i], line, error);

		if (value == NULL)
			return NULL;
		if (i < G_N_ELEMENTS (slots))
			*slots[i] = g_strdup (value);
		else if (!xn_time_parse (value, NULL, &m->instant, error))
			return NULL;
	}
	body = json_object_get_member (o, "body_json");
	if (body == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "stdin:%u: \"body_json\" is missing", line);
		return NULL;
	}
	m->body_json = json_to_string (body, FALSE);
	return g_steal_pointer (&m);
}

static int
cmd_put (const char *db_path, gboolean suppressed)
{
	g_autoptr(XnOutbox) created = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GIOChannel) in = g_io_channel_unix_new (0);
	XnInstant now = xn_time_now ();
	guint inserted = 0, there = 0, line = 0;
	sqlite3 *db = NULL;
	char *text = NULL;
	gsize len;

	/* the journal and its outbox tables, as the derived store's open makes them */
	created = xn_outbox_open (db_path, XN_OUTBOX_OPEN_CREATE, &error);
	if (created == NULL)
		return fail (error);
	if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout (db, 10000) != SQLITE_OK ||
	    !xn_outbox_migrate (db, &error) ||
	    sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		if (error == NULL)
			g_set_error (&error, XN_ERROR, XN_ERROR_STORAGE, "%s: %s", db_path, sqlite3_errmsg (db));
		sqlite3_close (db);
		return fail (error);
	}
	while (g_io_channel_read_line (in, &text, &len, NULL, NULL) == G_IO_STATUS_NORMAL) {
		g_autofree char *owned = text;
		g_autoptr(XnOutboxMessage) m = NULL;
		gboolean added = FALSE;

		line++;
		if (*g_strstrip (owned) == '\0')
			continue;
		m = parse_line (owned, line, &error);
		if (m == NULL || !xn_outbox_insert_in (db, m, now, suppressed, &added, &error)) {
			sqlite3_close (db);
			return fail (error);
		}
		added ? inserted++ : there++;
	}
	if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		g_set_error (&error, XN_ERROR, XN_ERROR_STORAGE, "%s: %s", db_path, sqlite3_errmsg (db));
		sqlite3_close (db);
		return fail (error);
	}
	sqlite3_close (db);
	printf ("inserted %u, already there %u\n", inserted, there);
	return 0;
}

static int
cmd_list (const char *db_path, gboolean attempts)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnOutbox) outbox = xn_outbox_open (db_path, XN_OUTBOX_OPEN_EXISTING, &error);
	g_autoptr(GPtrArray) list = NULL;

	if (outbox == NULL)
		return fail (error);
	list = attempts ? xn_outbox_attempts (outbox, NULL, NULL, &error) : xn_outbox_list (outbox, NULL, &error);
	if (list == NULL)
		return fail (error);
	for (guint i = 0; i < list->len; i++) {
		g_autoptr(JsonNode) node = attempts ? xn_outbox_attempt_to_json (list->pdata[i])
					   : xn_outbox_message_to_json (list->pdata[i], FALSE);
		g_autofree char *text = json_to_string (node, FALSE);

		printf ("%s\n", text);
	}
	return 0;
}

static int
cmd_abandon (const char *db_path, const char *event_id, const char *carrier, const char *reason)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnOutbox) outbox = xn_outbox_open (db_path, XN_OUTBOX_OPEN_EXISTING, &error);

	if (outbox == NULL || !xn_outbox_abandon (outbox, event_id, carrier, xn_time_now (), reason, &error))
		return fail (error);
	return 0;
}

/* ---- run ---- */

typedef struct {
	XnDaemonConf *conf;
	XnConfig     *config;
} Setup;

static void
setup_free (Setup *s)
{
	if (s == NULL)
		return;
	xn_config_free (s->config);
	xn_daemon_conf_free (s->conf);
	g_free (s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Setup, setup_free)

static Setup *
setup_load (const char *conf_path, GError **error)
{
	g_autoptr(Setup) s = g_new0 (Setup, 1);
	g_autofree char *yang_dir = NULL;

	s->conf = xn_daemon_conf_load (conf_path, error);
	if (s->conf == NULL)
		return NULL;
	yang_dir = s->conf->yang_dir != NULL ? g_strdup (s->conf->yang_dir) : xn_config_default_yang_dir ();
	s->config = xn_config_load (yang_dir, (const char *const *) s->conf->config_files, error);
	if (s->config == NULL ||
	    !xn_dispatch_check_config (xn_config_get_inventory (s->config), xn_config_get_secrets (s->config),
				       s->conf, error))
		return NULL;
	return g_steal_pointer (&s);
}

typedef struct {
	GMainLoop  *loop;
	XnDispatch *dispatch;
	const char *conf_path;
	Setup      *setup;
} Run;

static gboolean
on_hup (gpointer data)
{
	Run *r = data;
	g_autoptr(GError) error = NULL;
	Setup *next = setup_load (r->conf_path, &error);

	if (next == NULL) {
		g_warning ("reload failed, still running on the previous configuration: %s", error->message);
		return G_SOURCE_CONTINUE;
	}
	xn_dispatch_set_config (r->dispatch, xn_config_get_inventory (next->config),
				xn_config_get_secrets (next->config), next->conf);
	setup_free (r->setup);
	r->setup = next;
	g_message ("configuration reloaded");
	return G_SOURCE_CONTINUE;
}

static gboolean
on_usr1 (gpointer data)
{
	xn_dispatch_kick (((Run *) data)->dispatch);
	return G_SOURCE_CONTINUE;
}

static gboolean
on_term (gpointer data)
{
	g_main_loop_quit (((Run *) data)->loop);
	return G_SOURCE_CONTINUE;
}

static int
cmd_run (const char *conf_path)
{
	XnDaemonLog log = { .program = "outbox-tool" };
	g_autoptr(GError) error = NULL;
	g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
	Run r = { .loop = loop, .conf_path = conf_path };
	guint ids[4];

	r.setup = setup_load (conf_path, &error);
	if (r.setup == NULL)
		return fail (error);
	xn_daemon_log_set_level (&log, r.setup->conf->log_level);
	g_log_set_writer_func (xn_daemon_log_writer, &log, NULL);
	r.dispatch = xn_dispatch_new (r.setup->conf->journal, xn_config_get_inventory (r.setup->config),
				      xn_config_get_secrets (r.setup->config), r.setup->conf, &error);
	if (r.dispatch == NULL) {
		setup_free (r.setup);
		return fail (error);
	}
	ids[0] = g_unix_signal_add (SIGHUP, on_hup, &r);
	ids[1] = g_unix_signal_add (SIGUSR1, on_usr1, &r);
	ids[2] = g_unix_signal_add (SIGTERM, on_term, &r);
	ids[3] = g_unix_signal_add (SIGINT, on_term, &r);
	g_message ("dispatching the outbox of %s", r.setup->conf->journal);
	g_main_loop_run (loop);
	for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
		g_source_remove (ids[i]);
	xn_dispatch_free (r.dispatch);
	setup_free (r.setup);
	g_message ("stopped");
	return 0;
}

static int
usage (void)
{
	fprintf (stderr, "usage: outbox-tool put DB [--suppressed] < messages.jsonl\n"
		 "       outbox-tool run -c extranoc.conf\n"
		 "       outbox-tool list DB | attempts DB\n"
		 "       outbox-tool abandon DB EVENT CARRIER REASON\n");
	return 2;
}

int
main (int argc, char **argv)
{
	if (argc >= 3 && strcmp (argv[1], "put") == 0)
		return cmd_put (argv[2], argc >= 4 && strcmp (argv[3], "--suppressed") == 0);
	if (argc == 4 && strcmp (argv[1], "run") == 0 && strcmp (argv[2], "-c") == 0)
		return cmd_run (argv[3]);
	if (argc == 3 && strcmp (argv[1], "list") == 0)
		return cmd_list (argv[2], FALSE);
	if (argc == 3 && strcmp (argv[1], "attempts") == 0)
		return cmd_list (argv[2], TRUE);
	if (argc == 6 && strcmp (argv[1], "abandon") == 0)
		return cmd_abandon (argv[2], argv[3], argv[4], argv[5]);
	return usage ();
}
