/* main.c — extranoc-collector: command line, signals and the main loop.
 *
 * It only wires things up: `-n` loads, checks and prints the configuration
 * (collector-setup.c) without binding the trap address, so it can check a
 * new configuration while the daemon runs and holds the port; otherwise it
 * installs the log writer, makes the one XnCollector context, routes SIGHUP
 * to a reload and SIGTERM/SIGINT to a clean stop through
 * g_unix_signal_add() (handlers run in the main loop, not in signal
 * context), and runs the loop until the collector has stopped. It runs in
 * the foreground; a service manager keeps it running. See
 * extranoc-collector(8). */
#include "collector.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

typedef struct {
	GMainLoop   *loop;
	XnCollector *collector;
} Daemon;

static gboolean
on_hup (gpointer user_data)
{
	Daemon *daemon = user_data;
	g_autoptr(GError) error = NULL;

	g_message ("SIGHUP: reloading the configuration");
	if (!xn_collector_reload (daemon->collector, &error))
		g_warning ("reload failed, still running on the previous configuration: %s", error->message);
	return G_SOURCE_CONTINUE;
}

static void
on_stopped (gpointer user_data)
{
	g_main_loop_quit (((Daemon *) user_data)->loop);
}

static gboolean
on_term (gpointer user_data)
{
	Daemon *daemon = user_data;

	g_message ("stop requested (SIGTERM or SIGINT): writing what was received, then stopping");
	xn_collector_stop (daemon->collector, on_stopped, daemon);
	return G_SOURCE_CONTINUE;
}

static int
check (const char *conf_path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnCollectorSetup) setup = xn_collector_setup_load (conf_path, &error);
	g_autofree char *printed = NULL;
	g_autofree char *summary = NULL;

	if (setup == NULL) {
		fprintf (stderr, "extranoc-collector: %s\n", error->message);
		return 1;
	}
	printed = xn_daemon_conf_print (setup->conf);
	summary = xn_collector_setup_summary (setup);
	printf ("%s\n# %s\n", printed, summary);
	return 0;
}

/* `log` outlives the collector: the writer keeps pointing at it. */
static int
run (const char *conf_path, XnDaemonLog *log)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnCollectorSetup) setup = xn_collector_setup_load (conf_path, &error);
	g_autoptr(GMainLoop) loop = NULL;
	g_autoptr(XnCollector) collector = NULL;
	Daemon daemon = { 0 };
	guint ids[3];

	if (setup == NULL) {
		fprintf (stderr, "extranoc-collector: %s\n", error->message);
		return 1;
	}
	xn_daemon_log_set_level (log, setup->conf->log_level);
	g_log_set_writer_func (xn_daemon_log_writer, log, NULL);
	collector = xn_collector_new (g_steal_pointer (&setup), log, &error);
	if (collector == NULL) {
		fprintf (stderr, "extranoc-collector: %s\n", error->message);
		return 1;
	}
	loop = g_main_loop_new (NULL, FALSE);
	daemon.loop = loop;
	daemon.collector = collector;
	ids[0] = g_unix_signal_add (SIGHUP, on_hup, &daemon);
	ids[1] = g_unix_signal_add (SIGTERM, on_term, &daemon);
	ids[2] = g_unix_signal_add (SIGINT, on_term, &daemon);
	xn_collector_start (collector);
	g_main_loop_run (loop);
	for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
		g_source_remove (ids[i]);
	return 0;
}

int
main (int argc, char **argv)
{
	g_autofree char *conf_path = NULL;
	gboolean check_only = FALSE, version = FALSE;
	XnDaemonLog log = { .program = "extranoc-collector" };
	GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &conf_path,
		  "extranoc.conf to use (default " XN_SYSCONFDIR "/extranoc/extranoc.conf)", "CONF" },
		{ "check", 'n', 0, G_OPTION_ARG_NONE, &check_only,
		  "Check extranoc.conf and the configuration it names, print them normalised, and exit", NULL },
		{ "version", 'V', 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) options = g_option_context_new (NULL);
	g_autoptr(GError) error = NULL;

	g_option_context_set_summary (options,
		"Receive SNMP traps and informs (v1, v2c, v3) and record them as facts in the journal,\n"
		"with storm protection. Runs in the foreground. SIGHUP reloads the configuration,\n"
		"SIGTERM or SIGINT stops. See extranoc-collector(8).");
	g_option_context_add_main_entries (options, entries, NULL);
	if (!g_option_context_parse (options, &argc, &argv, &error) || argc > 1) {
		fprintf (stderr, "extranoc-collector: %s\n", error != NULL ? error->message : "unexpected argument");
		fprintf (stderr, "usage: extranoc-collector [-c CONF] [-n]; see --help\n");
		return 2;
	}
	if (version) {
		printf ("extranoc-collector %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (conf_path == NULL)
		conf_path = g_strdup (XN_SYSCONFDIR "/extranoc/extranoc.conf");
	return check_only ? check (conf_path) : run (conf_path, &log);
}
