/* test-daemon-conf.c — extranoc.conf: defaults, path resolution, every
 * problem reported with its line, the collector's trap address in every
 * accepted form and the refused ones, and print → load → print stability. */
#include "daemon-conf.h"
#include "xn-error.h"

#include <string.h>

static void
test_minimal_defaults (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnDaemonConf) conf = xn_daemon_conf_load_data (
		"[extranoc]\nconfig = inventory.json; policy.json ;/etc/extranoc/secrets.json\n",
		"/etc/extranoc/extranoc.conf", &error);

	g_assert_no_error (error);
	g_assert_cmpstr (conf->config_files[0], ==, "/etc/extranoc/inventory.json");
	g_assert_cmpstr (conf->config_files[1], ==, "/etc/extranoc/policy.json");
	g_assert_cmpstr (conf->config_files[2], ==, "/etc/extranoc/secrets.json");
	g_assert_null (conf->config_files[3]);
	g_assert_null (conf->yang_dir);
	g_assert_null (conf->rrd_dir);
	g_assert_null (conf->rrdcached);
	g_assert_cmpstr (conf->poller_group, ==, "default");
	g_assert_cmpstr (conf->log_level, ==, "info");
	g_assert_cmpuint (conf->window, ==, 256);
	g_assert_cmpuint (conf->unreachable_after, ==, 2);
	g_assert_cmpuint (conf->failing_repoll, ==, 30);
	g_assert_cmpuint (conf->jitter_percent, ==, 90);
	g_assert_true (g_str_has_suffix (conf->journal, "/lib/extranoc/journal.db"));
	g_assert_cmpstr (conf->listen, ==, "udp:0.0.0.0:162");
	g_assert_cmpuint (conf->rcvbuf, ==, 33554432);
	g_assert_cmpuint (conf->storm_rate, ==, 200);
	g_assert_cmpuint (conf->storm_window_s, ==, 10);
	g_assert_cmpuint (conf->storm_summary_s, ==, 60);
	g_assert_null (conf->mibs_dir);
}

static void
test_listen (void)
{
	static const char *const cases[][2] = {
		{ "udp:162", "udp:0.0.0.0:162" },
		{ "162", "udp:0.0.0.0:162" },
		{ "udp:127.0.0.1:16200", "udp:127.0.0.1:16200" },
		{ "10.0.0.1:162", "udp:10.0.0.1:162" },
		{ "udp6:162", "udp6:[::]:162" },
		{ "udp6:[0:0::1]:162", "udp6:[::1]:162" },
		{ "[2001:db8::1]:1162", "udp6:[2001:db8::1]:1162" },
		{ "udp6:[::ffff:10.0.0.1]:162", "udp6:[::ffff:10.0.0.1]:162" },
	};
	static const char *const bad[][2] = {
		{ "udp:0", "'udp:0': the port must be a number from 1 to 65535" },
		{ "udp:65536", "'udp:65536': the port must be a number from 1 to 65535" },
		{ "udp:trap-host:162", "'udp:trap-host:162': 'trap-host' is not an IPv4 address (names are not looked up)" },
		{ "udp:[::1]:162", "'udp:[::1]:162': udp: is IPv4; an IPv6 address takes udp6:[ADDRESS]:PORT" },
		{ "udp6:::1:162", "'udp6:::1:162': write an IPv6 address in brackets: udp6:[ADDRESS]:PORT" },
		{ "udp6:[::1]", "'udp6:[::1]': an IPv6 address in brackets must be followed by :PORT" },
		{ "udp6:[1.2.3.4]:162", "'udp6:[1.2.3.4]:162': '1.2.3.4' is not an IPv6 address (names are not looked up)" },
		{ "tcp:162", "'tcp:162': 'tcp' is not an IPv4 address (names are not looked up)" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *why = NULL;
		g_autofree char *got = xn_daemon_conf_normalise_listen (cases[i][0], &why);

		g_assert_cmpstr (got, ==, cases[i][1]);
		g_assert_null (why);
	}
	for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
		g_autofree char *why = NULL;
		g_autofree char *got = xn_daemon_conf_normalise_listen (bad[i][0], &why);

		g_assert_null (got);
		g_assert_cmpstr (why, ==, bad[i][1]);
	}
}

static void
test_relative_paths (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnDaemonConf) conf = xn_daemon_conf_load_data (
		"[extranoc]\nconfig = inv.json\njournal = state/j.db\n[poller]\nrrd-dir = rrd\n"
		"rrdcached = unix:/run/rrdcached.sock\n",
		"/srv/noc/extranoc.conf", &error);

	g_assert_no_error (error);
	g_assert_cmpstr (conf->journal, ==, "/srv/noc/state/j.db");
	g_assert_cmpstr (conf->rrd_dir, ==, "/srv/noc/rrd");
	/* an address, not a path: kept as written */
	g_assert_cmpstr (conf->rrdcached, ==, "unix:/run/rrdcached.sock");
}

typedef struct {
	const char *text;
	const char *expected;   /* the whole error message */
} BadCase;

static const BadCase bad_cases[] = {
	{ "[poller]\nwindow = 0\n",
	  "x.conf: [extranoc] config: is required\n"
	  "x.conf:2: [poller] window: '0' is not a whole number from 1 to 65536" },
	{ "[extranoc]\nconfig = a.json\n# a comment\nconfg = b.json\n[poler]\ngroup = x\n",
	  "x.conf:4: [extranoc] confg: unknown key\n"
	  "x.conf:5: [poler]: unknown group (known: [extranoc], [poller], [collector])" },
	{ "[extranoc]\nconfig = ;\nlog-level = verbose\n[poller]\nunreachable-after = -1\nfailing-repoll = 2\n",
	  "x.conf:2: [extranoc] config: names no file\n"
	  "x.conf:3: [extranoc] log-level: 'verbose' is not one of error, warning, info, debug\n"
	  "x.conf:5: [poller] unreachable-after: '-1' is not a whole number from 1 to 100\n"
	  "x.conf:6: [poller] failing-repoll: '2' is not a whole number from 5 to 3600" },
	{ "[extranoc]\nconfig = a.json\n[poller]\ngroup =\n",
	  "x.conf:4: [poller] group: must not be empty" },
	{ "[extranoc]\nconfig = a.json\n[collector]\nlisten = udp:host:162\nstorm-window = 0\nstorm-rate = x\n"
	  "loud = yes\n",
	  "x.conf:7: [collector] loud: unknown key\n"
	  "x.conf:4: [collector] listen: 'udp:host:162': 'host' is not an IPv4 address (names are not looked up)\n"
	  "x.conf:6: [collector] storm-rate: 'x' is not a whole number from 1 to 1000000\n"
	  "x.conf:5: [collector] storm-window: '0' is not a whole number from 1 to 300" },
};

static void
test_bad (gconstpointer data)
{
	const BadCase *c = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(XnDaemonConf) conf = xn_daemon_conf_load_data (c->text, "x.conf", &error);

	g_assert_null (conf);
	g_assert_error (error, XN_ERROR, XN_ERROR_CONFIG);
	g_assert_cmpstr (error->message, ==, c->expected);
}

static void
test_syntax_error (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnDaemonConf) conf = xn_daemon_conf_load_data ("[extranoc\nconfig = a\n", "x.conf", &error);

	g_assert_null (conf);
	g_assert_error (error, XN_ERROR, XN_ERROR_CONFIG);
	g_assert_true (g_str_has_prefix (error->message, "x.conf: "));
}

static void
test_missing_file (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnDaemonConf) conf = xn_daemon_conf_load ("/nonexistent/extranoc.conf", &error);

	g_assert_null (conf);
	g_assert_error (error, XN_ERROR, XN_ERROR_IO);
	g_assert_nonnull (strstr (error->message, "/nonexistent/extranoc.conf"));
}

static void
test_print_round_trip (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnDaemonConf) conf = xn_daemon_conf_load_data (
		"[poller]\nwindow = 64\nrrd-dir = /var/lib/extranoc/rrd\n[extranoc]\nconfig = /a.json;/b.json\n"
		"[collector]\nlisten = [::1]:1162\n",
		"/etc/x.conf", &error);
	g_autofree char *printed = NULL;
	g_autofree char *again = NULL;
	g_autoptr(XnDaemonConf) reloaded = NULL;

	g_assert_no_error (error);
	printed = xn_daemon_conf_print (conf);
	g_assert_nonnull (strstr (printed, "[extranoc]\nconfig = /a.json;/b.json\n"));
	g_assert_nonnull (strstr (printed, "\n[poller]\ngroup = default\nrrd-dir = /var/lib/extranoc/rrd\n"
				  "# rrdcached is not set\nwindow = 64\n"));
	g_assert_nonnull (strstr (printed, "\n[collector]\nlisten = udp6:[::1]:1162\nrcvbuf = 33554432\n"
				  "storm-rate = 200\nstorm-window = 10\nstorm-summary = 60\n# mibs-dir is not set\n"));
	reloaded = xn_daemon_conf_load_data (printed, "/etc/x.conf", &error);
	g_assert_no_error (error);
	again = xn_daemon_conf_print (reloaded);
	g_assert_cmpstr (printed, ==, again);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/daemon-conf/minimal-defaults", test_minimal_defaults);
	g_test_add_func ("/daemon-conf/relative-paths", test_relative_paths);
	g_test_add_func ("/daemon-conf/listen", test_listen);
	for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++) {
		g_autofree char *name = g_strdup_printf ("/daemon-conf/bad/%" G_GSIZE_FORMAT, i);

		g_test_add_data_func (name, &bad_cases[i], test_bad);
	}
	g_test_add_func ("/daemon-conf/syntax-error", test_syntax_error);
	g_test_add_func ("/daemon-conf/missing-file", test_missing_file);
	g_test_add_func ("/daemon-conf/print-round-trip", test_print_round_trip);
	return g_test_run ();
}
