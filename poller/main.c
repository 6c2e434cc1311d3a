/* main.c — extranoc-poller: command line, signals and the main loop.
 *
 * It only wires things up: `-n` loads and prints the configuration
 * (poller-setup.c), `--bench` hands over to bench-mode.c, and otherwise it
 * installs the log writer, makes the one XnPoller context, routes SIGHUP to
 * a reload and SIGTERM/SIGINT to a clean stop through g_unix_signal_add()
 * (so handlers run in the main loop, not in signal context), and runs the
 * loop until the poller has stopped. It runs in the foreground; a service
 * manager keeps it running. See extranoc-poller(8). */
#include "bench-mode.h"
#include "poller.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

typedef struct {
	GMainLoop *loop;
	XnPoller  *poller;
} Daemon;

static gboolean
on_hup (gpointer user_data)
{
	Daemon *daemon = user_data;
	g_autoptr(GError) error = NULL;

	g_message ("SIGHUP: reloading the configuration");
	if (!xn_poller_reload (daemon->poller, &error))
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

	g_message ("stop requested (SIGTERM or SIGINT): stopping; a second one stops at once");
	xn_poller_stop (daemon->poller, XN_POLLER_STOP_WAIT_S, on_stopped, daemon);
	return G_SOURCE_CONTINUE;
}

static int
check (const char *conf_path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnPollerSetup) setup = xn_poller_setup_load (conf_path, &error);
	g_autofree char *printed = NULL;
	g_autofree char *summary = NULL;
	g_autofree char *shortfall = NULL;

	if (setup == NULL) {
		fprintf (stderr, "extranoc-poller: %s\n", error->message);
		return 1;
	}
	printed = xn_daemon_conf_print (setup->conf);
	summary = xn_poller_setup_summary (setup);
	printf ("%s\n# %s\n", printed, summary);
	/* The limit is this shell's, not necessarily the service's: a warning. */
	shortfall = xn_poller_setup_check_fds (setup, FALSE, NULL);
	if (shortfall != NULL)
		fprintf (stderr, "extranoc-poller: warning: %s\n", shortfall);
	return 0;
}

/* `log` outlives the poller: the writer keeps pointing at it. */
static int
run (const char *conf_path, XnDaemonLog *log)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnPollerSetup) setup = xn_poller_setup_load (conf_path, &error);
	g_autoptr(GMainLoop) loop = NULL;
	g_autoptr(XnPoller) poller = NULL;
	Daemon daemon = { 0 };
	guint ids[3];

	if (setup == NULL) {
		fprintf (stderr, "extranoc-poller: %s\n", error->message);
		return 1;
	}
	xn_daemon_log_set_level (log, setup->conf->log_level);
	g_log_set_writer_func (xn_daemon_log_writer, log, NULL);
	poller = xn_poller_new (g_steal_pointer (&setup), log, &error);
	if (poller == NULL) {
		fprintf (stderr, "extranoc-poller: %s\n", error->message);
		return 1;
	}
	loop = g_main_loop_new (NULL, FALSE);
	daemon.loop = loop;
	daemon.poller = poller;
	ids[0] = g_unix_signal_add (SIGHUP, on_hup, &daemon);
	ids[1] = g_unix_signal_add (SIGTERM, on_term, &daemon);
	ids[2] = g_unix_signal_add (SIGINT, on_term, &daemon);
	xn_poller_start (poller);
	g_main_loop_run (loop);
	for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
		g_source_remove (ids[i]);
	return 0;
}

static gboolean
in_range (const char *option, gint value, gint min, gint max)
{
	if (value >= min && value <= max)
		return TRUE;
	fprintf (stderr, "extranoc-poller: %s must be from %d to %d\n", option, min, max);
	return FALSE;
}

int
main (int argc, char **argv)
{
	g_autofree char *conf_path = NULL;
	g_autofree char *base = NULL;
	g_autofree char *community = NULL;
	g_autofree char *rrd_dir = NULL;
	g_autofree char *rrdcached = NULL;
	gboolean check_only = FALSE, bench = FALSE, version = FALSE, pause = FALSE;
	gint devices = 10000, port = 16161, cycles = 5, interfaces = 0, window = 256, interval = 300;
	XnDaemonLog log = { .program = "extranoc-poller" };
	GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &conf_path,
		  "extranoc.conf to use (default " XN_SYSCONFDIR "/extranoc/extranoc.conf)", "CONF" },
		{ "check", 'n', 0, G_OPTION_ARG_NONE, &check_only,
		  "Check extranoc.conf and the configuration it names, print them normalised, and exit", NULL },
		{ "version", 'V', 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
		{ "bench", 0, 0, G_OPTION_ARG_NONE, &bench,
		  "Benchmark mode for bench/poll: poll simulated devices in full cycles, print RESULT lines", NULL },
		{ "devices", 0, 0, G_OPTION_ARG_INT, &devices, "--bench: devices (10000)", "N" },
		{ "base", 0, 0, G_OPTION_ARG_STRING, &base, "--bench: address of device 0, in 127/8 (127.1.0.0)", "ADDR" },
		{ "port", 0, 0, G_OPTION_ARG_INT, &port, "--bench: the simulator's UDP port (16161)", "PORT" },
		{ "community", 0, 0, G_OPTION_ARG_STRING, &community, "--bench: SNMPv2c community (public)", "C" },
		{ "cycles", 0, 0, G_OPTION_ARG_INT, &cycles, "--bench: full poll cycles (5)", "C" },
		{ "interfaces", 0, 0, G_OPTION_ARG_INT, &interfaces,
		  "--bench: interfaces each device must show to count as answered (0: any)", "K" },
		{ "window", 0, 0, G_OPTION_ARG_INT, &window, "--bench: polls in flight at once (256)", "W" },
		{ "rrd-dir", 0, 0, G_OPTION_ARG_FILENAME, &rrd_dir,
		  "--bench: also write RRD files there, as the daemon does (see bench/rrd)", "DIR" },
		{ "rrdcached", 0, 0, G_OPTION_ARG_STRING, &rrdcached, "--bench: through this rrdcached", "ADDR" },
		{ "interval", 0, 0, G_OPTION_ARG_INT, &interval, "--bench: the nodes' poll interval, the RRD step (300)", "S" },
		{ "pause", 0, 0, G_OPTION_ARG_NONE, &pause, "--bench: after each cycle, wait for a line on stdin", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) options = g_option_context_new (NULL);
	g_autoptr(GError) error = NULL;

	g_option_context_set_summary (options,
		"Poll the nodes of one poller group over SNMP; record state changes as facts in the\n"
		"journal and traffic in RRD files. Runs in the foreground. SIGHUP reloads the\n"
		"configuration, SIGTERM or SIGINT stops. See extranoc-poller(8).");
	g_option_context_add_main_entries (options, entries, NULL);
	if (!g_option_context_parse (options, &argc, &argv, &error) || argc > 1) {
		fprintf (stderr, "extranoc-poller: %s\n", error != NULL ? error->message : "unexpected argument");
		fprintf (stderr, "usage: extranoc-poller [-c CONF] [-n] | --bench [OPTION...]; see --help\n");
		return 2;
	}
	if (version) {
		printf ("extranoc-poller %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (bench) {
		XnBenchOptions b = { 0 };

		if (!in_range ("--devices", devices, 1, 1 << 24) || !in_range ("--port", port, 1, 65535) ||
		    !in_range ("--cycles", cycles, 1, 100000) || !in_range ("--interfaces", interfaces, 0, 1 << 20) ||
		    !in_range ("--window", window, 1, 65536) || !in_range ("--interval", interval, 10, 86400))
			return 2;
		b.devices = devices;
		b.base = base != NULL ? base : "127.1.0.0";
		b.port = port;
		b.community = community != NULL ? community : "public";
		b.cycles = cycles;
		b.interfaces = interfaces;
		b.window = window;
		b.rrd_dir = rrd_dir;
		b.rrdcached = rrdcached;
		b.interval_s = interval;
		b.pause = pause;
		return xn_bench_run (&b);
	}
	if (conf_path == NULL)
		conf_path = g_strdup (XN_SYSCONFDIR "/extranoc/extranoc.conf");
	return check_only ? check (conf_path) : run (conf_path, &log);
}
