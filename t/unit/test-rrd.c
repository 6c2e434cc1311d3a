/* test-rrd.c — storage/xn-rrd.c and storage/rrdcached.c on real files.
 *
 * The archive arithmetic is checked against numbers worked out by hand; the
 * files are real RRD files in a temporary directory, updated over simulated
 * time and read back both through the adapter and with the rrdtool command
 * (when installed), which owes nothing to our code. The same series is then
 * written through a real rrdcached started on a unix socket in the
 * directory, restarted once mid-way to prove the client reconnects. Broken
 * files, wrong layouts and refused updates must each give an error that
 * names the file. Files are made on the adapter's creation thread: the
 * creation tests hold that thread to see the queue (thousands of new files
 * queued while it does nothing, without timing anything), let it go while
 * more samples arrive, and prove every sample reached its file in order by
 * spacing samples two steps apart, the heartbeat: a row is known only if
 * the sample before it was written. */
#include "test-util.h"
#include "xn-rrd.h"
#include "xn-error.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#define T0       G_GINT64_CONSTANT (1737907200000000)   /* 2025-01-26T16:00:00Z, a multiple of 2 h */
#define S(secs)  ((XnInstant) (secs) * XN_USEC_PER_SEC)
#define STEP     300
#define N_STEPS  48                                     /* four hours */
#define DAY      86400
#define T_DAY    G_GINT64_CONSTANT (1737936000000000)   /* 2025-01-27T00:00:00Z, a multiple of a day */
#define DRAIN_MS 300000                                 /* only a hung creation thread takes this long */

typedef struct {
	char *dir;
} Fixture;

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	fx->dir = g_dir_make_tmp ("test-rrd-XXXXXX", &error);
	g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
	xn_test_remove_tree (fx->dir);
	g_free (fx->dir);
}

static void
assert_close (const char *what, double expected, double got)
{
	if (isnan (expected) ? !isnan (got) : (isnan (got) || fabs (got - expected) > 1e-9 * MAX (1.0, fabs (expected))))
		g_error ("%s: expected %.17g, got %.17g", what, expected, got);
}

static void
assert_error_names (const GError *error, gint code, const char *path, const char *words)
{
	g_assert_nonnull (error);
	g_test_message ("error: %s", error->message);
	g_assert_error (error, XN_ERROR, code);
	g_assert_nonnull (strstr (error->message, path));
	if (words != NULL)
		g_assert_nonnull (strstr (error->message, words));
}

/* ---- arithmetic and names ---- */

typedef struct {
	guint     step;
	guint     n;
	XnRrdTier tiers[XN_RRD_MAX_TIERS];
} TierCase;

static const TierCase tier_cases[] = {
	/* 2 d / 5 min; 62 d / 30 min; 397 d / 2 h; 1827 d / 1 d. */
	{ 300, 4, { { 1, 576 }, { 6, 2976 }, { 24, 4764 }, { 288, 1827 } } },
	{ 60, 4, { { 5, 576 }, { 30, 2976 }, { 120, 4764 }, { 1440, 1827 } } },
	/* 7 min steps: 5-min goal rounds to one step, 30-min to four (28 min). */
	{ 420, 4, { { 1, 412 }, { 4, 3189 }, { 17, 4805 }, { 205, 1834 } } },
	/* Hourly: the first two tiers coincide and merge. */
	{ 3600, 3, { { 1, 1488 }, { 2, 4764 }, { 24, 1827 } } },
	{ 86400, 1, { { 1, 1827 } } },
};

static void
test_tiers (void)
{
	for (gsize i = 0; i < G_N_ELEMENTS (tier_cases); i++) {
		const TierCase *c = &tier_cases[i];
		XnRrdTier tiers[XN_RRD_MAX_TIERS] = { { 0 } };
		guint n = xn_rrd_tiers (c->step, tiers);

		g_test_message ("step %u", c->step);
		g_assert_cmpuint (n, ==, c->n);
		for (guint t = 0; t < n; t++) {
			g_assert_cmpuint (tiers[t].pdp_per_row, ==, c->tiers[t].pdp_per_row);
			g_assert_cmpuint (tiers[t].rows, ==, c->tiers[t].rows);
		}
	}
}

static const struct {
	const char *if_name;
	const char *escaped;
} escape_cases[] = {
	{ "GigabitEthernet0/0/1", "GigabitEthernet0%2F0%2F1" },
	{ "GigabitEthernet0%2F0%2F1", "GigabitEthernet0%252F0%252F1" },
	{ "ge-0/0/0.100", "ge-0%2F0%2F0.100" },
	{ "Eth-Trunk1:2", "Eth-Trunk1%3A2" },
	{ "Serial 1/0", "Serial%201%2F0" },
	{ "..", ".." },
	{ "以太网1", "%E4%BB%A5%E5%A4%AA%E7%BD%911" },
	{ "a~b\\c", "a%7Eb%5Cc" },
};

static void
test_escape (void)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autofree char *long_a = g_strnfill (300, '/');
	g_autofree char *long_b = g_strnfill (300, '/');
	g_autofree char *long_c = g_strconcat ("x", long_a, NULL);
	const char *longs[] = { long_a, long_b, long_c };

	long_b[299] = 'b';
	for (gsize i = 0; i < G_N_ELEMENTS (escape_cases); i++) {
		g_autofree char *got = xn_rrd_escape_name (escape_cases[i].if_name);

		g_assert_cmpstr (got, ==, escape_cases[i].escaped);
		g_assert_true (g_hash_table_add (seen, g_steal_pointer (&got)));
	}
	/* Long names: bounded, never split an escape, still distinct. */
	for (gsize i = 0; i < G_N_ELEMENTS (longs); i++) {
		g_autofree char *got = xn_rrd_escape_name (longs[i]);
		const char *tilde = strchr (got, '~');

		g_test_message ("long %" G_GSIZE_FORMAT ": %s", i, got);
		g_assert_cmpuint (strlen (got), <=, 200);
		g_assert_nonnull (tilde);
		g_assert_cmpuint (strlen (tilde), ==, 17);
		g_assert_true ((tilde - got) % 3 == (i == 2 ? 1 : 0));
		g_assert_true (g_hash_table_add (seen, g_steal_pointer (&got)));
	}
}

static void
test_paths (Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnRrd) rrd = xn_rrd_open (fx->dir, NULL, &error);
	g_autofree char *node = NULL;
	g_autofree char *iface = NULL;
	g_autofree char *expected = NULL;
	const char *bad_nodes[] = { "", "../etc", "a/b", ".hidden", "has space", "节点" };

	g_assert_no_error (error);
	node = xn_rrd_node_path (rrd, "city-core-1", &error);
	g_assert_no_error (error);
	expected = g_build_filename (fx->dir, "city-core-1", "node.rrd", NULL);
	g_assert_cmpstr (node, ==, expected);
	g_free (expected);
	iface = xn_rrd_interface_path (rrd, "city-core-1", "GigabitEthernet0/0/1", &error);
	g_assert_no_error (error);
	expected = g_build_filename (fx->dir, "city-core-1", "if-GigabitEthernet0%2F0%2F1.rrd", NULL);
	g_assert_cmpstr (iface, ==, expected);
	for (gsize i = 0; i < G_N_ELEMENTS (bad_nodes); i++) {
		g_autoptr(GError) bad = NULL;

		g_assert_null (xn_rrd_node_path (rrd, bad_nodes[i], &bad));
		g_assert_error (bad, XN_ERROR, XN_ERROR_INVALID);
	}
	g_assert_null (xn_rrd_interface_path (rrd, "city-core-1", "", &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_clear_error (&error);
	g_assert_null (xn_rrd_open ("rrd\nUPDATE x", NULL, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_clear_error (&error);
	g_assert_null (xn_rrd_open ("", NULL, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
}

/* ---- a series over simulated time ---- */

/* Interface rates at T0 + k·STEP: in alternates 100/300, out climbs, errors
 * are unknown at k = 7; node reachable except at k = 9 and 10. */
static void
values_at (guint k, XnRrdIfValues *ifv, XnRrdNodeValues *nodev)
{
	ifv->in_octets = k % 2 ? 300 : 100;
	ifv->out_octets = 1000.0 * k;
	ifv->in_errors = k == 7 ? NAN : 0.5;
	ifv->out_errors = 0;
	ifv->in_discards = 2;
	ifv->out_discards = INFINITY;           /* not finite: stored unknown */
	nodev->reachable = (k == 9 || k == 10) ? 0 : 1;
	nodev->response_s = nodev->reachable ? 0.002 * (k + 1) : NAN;
	nodev->cpu_percent = 10 + k;
	nodev->memory_percent = 55.5;
}

static void
write_series (XnRrd *rrd, guint from, guint to)
{
	for (guint k = from; k <= to; k++) {
		g_autoptr(GError) error = NULL;
		XnRrdIfValues ifv;
		XnRrdNodeValues nodev;

		values_at (k, &ifv, &nodev);
		g_assert_true (xn_rrd_update_interface (rrd, "city-core-1", "GigabitEthernet0/0/1",
							STEP, T0 + S (k * STEP) + 250000, &ifv, &error));
		g_assert_no_error (error);
		g_assert_true (xn_rrd_update_node (rrd, "city-core-1", STEP, T0 + S (k * STEP), &nodev, &error));
		g_assert_no_error (error);
		/* A new handle's first samples wait for the files to be made or
		 * checked; the next ones come a step later, as a poller's do. */
		if (k == from)
			g_assert_true (xn_rrd_drain (rrd, DRAIN_MS));
	}
}

static void
check_layout (XnRrd *rrd, const char *path, guint n_sources, const char *first, double first_max)
{
	static const struct { const char *cf; guint pdp, rows; } archives[] = {
		{ "AVERAGE", 1, 576 }, { "MAX", 1, 576 }, { "AVERAGE", 6, 2976 }, { "MAX", 6, 2976 },
		{ "AVERAGE", 24, 4764 }, { "MAX", 24, 4764 }, { "AVERAGE", 288, 1827 }, { "MAX", 288, 1827 },
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(XnRrdLayout) layout = xn_rrd_describe (rrd, path, &error);

	g_assert_no_error (error);
	g_assert_cmpuint (layout->step_s, ==, STEP);
	g_assert_cmpint (layout->last_update, ==, T0 + S (N_STEPS * STEP));
	g_assert_cmpuint (layout->sources->len, ==, n_sources);
	g_assert_cmpstr (g_array_index (layout->sources, XnRrdSource, 0).name, ==, first);
	assert_close ("max", first_max, g_array_index (layout->sources, XnRrdSource, 0).max);
	for (guint i = 0; i < n_sources; i++) {
		const XnRrdSource *s = &g_array_index (layout->sources, XnRrdSource, i);

		g_assert_cmpstr (s->type, ==, "GAUGE");
		g_assert_cmpuint (s->heartbeat_s, ==, 2 * STEP);
		g_assert_cmpfloat (s->min, ==, 0.0);
	}
	g_assert_cmpuint (layout->archives->len, ==, G_N_ELEMENTS (archives));
	for (guint i = 0; i < layout->archives->len; i++) {
		const XnRrdArchive *a = &g_array_index (layout->archives, XnRrdArchive, i);

		g_assert_cmpstr (a->cf, ==, archives[i].cf);
		g_assert_cmpuint (a->pdp_per_row, ==, archives[i].pdp);
		g_assert_cmpuint (a->rows, ==, archives[i].rows);
	}
}

static void
check_series (XnRrd *rrd, const char *dir)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *if_path = g_build_filename (dir, "city-core-1", "if-GigabitEthernet0%2F0%2F1.rrd", NULL);
	g_autofree char *node_path = g_build_filename (dir, "city-core-1", "node.rrd", NULL);
	g_autoptr(XnRrdSeries) fine = xn_rrd_fetch (rrd, if_path, "AVERAGE", T0, T0 + S (N_STEPS * STEP), STEP, &error);
	g_autoptr(XnRrdSeries) avg30 = NULL;
	g_autoptr(XnRrdSeries) max30 = NULL;
	g_autoptr(XnRrdSeries) node30 = NULL;

	g_assert_no_error (error);
	g_assert_cmpuint (fine->step_s, ==, STEP);
	g_assert_cmpuint (fine->n_sources, ==, 6);
	/* Each 5-minute row is the rate given at its end. */
	for (guint k = 1; k <= N_STEPS; k++) {
		XnRrdIfValues ifv;
		XnRrdNodeValues nodev;
		XnInstant at = T0 + S (k * STEP);

		values_at (k, &ifv, &nodev);
		assert_close ("in_octets", ifv.in_octets, xn_rrd_series_value_at (fine, XN_RRD_IF_IN_OCTETS, at));
		assert_close ("out_octets", ifv.out_octets, xn_rrd_series_value_at (fine, XN_RRD_IF_OUT_OCTETS, at));
		assert_close ("in_errors", ifv.in_errors, xn_rrd_series_value_at (fine, XN_RRD_IF_IN_ERRORS, at));
		assert_close ("out_discards", NAN, xn_rrd_series_value_at (fine, XN_RRD_IF_OUT_DISCARDS, at));
	}
	/* 30-minute rows: 6 steps each, alternating 100/300 averages 200,
	 * peaks at 300; the row with one unknown step averages the other five. */
	avg30 = xn_rrd_fetch (rrd, if_path, "AVERAGE", T0, T0 + S (N_STEPS * STEP), 1800, &error);
	g_assert_no_error (error);
	max30 = xn_rrd_fetch (rrd, if_path, "MAX", T0, T0 + S (N_STEPS * STEP), 1800, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (avg30->step_s, ==, 1800);
	for (guint j = 1; j <= N_STEPS / 6; j++) {
		XnInstant at = T0 + S (j * 1800);

		assert_close ("30-min in", 200, xn_rrd_series_value_at (avg30, XN_RRD_IF_IN_OCTETS, at));
		assert_close ("30-min in max", 300, xn_rrd_series_value_at (max30, XN_RRD_IF_IN_OCTETS, at));
		/* out = 1000·k for k = 6j-5 .. 6j */
		assert_close ("30-min out", 1000.0 * (6 * j - 2.5), xn_rrd_series_value_at (avg30, XN_RRD_IF_OUT_OCTETS, at));
		assert_close ("30-min out max", 6000.0 * j, xn_rrd_series_value_at (max30, XN_RRD_IF_OUT_OCTETS, at));
		assert_close ("30-min errors", 0.5, xn_rrd_series_value_at (avg30, XN_RRD_IF_IN_ERRORS, at));
	}
	/* Availability: the node missed two polls (k = 9, 10) in (30, 60] min. */
	node30 = xn_rrd_fetch (rrd, node_path, "AVERAGE", T0, T0 + S (N_STEPS * STEP), 1800, &error);
	g_assert_no_error (error);
	assert_close ("reachable 0-30", 1, xn_rrd_series_value_at (node30, XN_RRD_NODE_REACHABLE, T0 + S (1800)));
	assert_close ("reachable 30-60", 4.0 / 6, xn_rrd_series_value_at (node30, XN_RRD_NODE_REACHABLE, T0 + S (3600)));
	assert_close ("memory", 55.5, xn_rrd_series_value_at (node30, XN_RRD_NODE_MEMORY, T0 + S (3600)));
	check_layout (rrd, if_path, 6, XN_RRD_IF_IN_OCTETS, NAN);
	check_layout (rrd, node_path, 4, XN_RRD_NODE_REACHABLE, 1);
}

/* rrdtool's own view of the files: no code of ours between the file and the text. */
static void
check_with_rrdtool (const char *dir)
{
	g_autofree char *rrdtool = g_find_program_in_path ("rrdtool");
	g_autofree char *path = g_build_filename (dir, "city-core-1", "if-GigabitEthernet0%2F0%2F1.rrd", NULL);
	g_autofree char *info = NULL;
	g_autofree char *fetch = NULL;
	g_autofree char *start = g_strdup_printf ("%" G_GINT64_FORMAT, T0 / XN_USEC_PER_SEC);
	g_autofree char *end = g_strdup_printf ("%" G_GINT64_FORMAT, T0 / XN_USEC_PER_SEC + 3600);
	g_autofree char *row = NULL;
	g_autoptr(GError) error = NULL;
	int status = 0;

	if (rrdtool == NULL) {
		g_test_message ("rrdtool not installed: the cross-check is left out");
		return;
	}
	{
		const char *argv[] = { rrdtool, "info", path, NULL };

		g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
					     &info, NULL, &status, &error));
		g_assert_no_error (error);
	}
	g_assert_nonnull (strstr (info, "\nstep = 300\n"));
	g_assert_nonnull (strstr (info, "ds[in_octets].type = \"GAUGE\"\n"));
	g_assert_nonnull (strstr (info, "ds[out_discards].minimal_heartbeat = 600\n"));
	g_assert_nonnull (strstr (info, "rra[2].cf = \"AVERAGE\"\nrra[2].rows = 2976\n"));
	g_assert_nonnull (strstr (info, "rra[5].cf = \"MAX\"\nrra[5].rows = 4764\n"));
	g_assert_nonnull (strstr (info, "rra[7].cf = \"MAX\"\nrra[7].rows = 1827\n"));
	{
		const char *argv[] = { rrdtool, "fetch", path, "AVERAGE", "-r", "300", "-s", start, "-e", end, NULL };

		g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
					     &fetch, NULL, &status, &error));
		g_assert_no_error (error);
	}
	/* k = 3 ends at T0 + 900: in 300, out 3000, errors 0.5, discards 2. */
	row = g_strdup_printf ("\n%" G_GINT64_FORMAT ": 3.0000000000e+02 3.0000000000e+03 "
			       "5.0000000000e-01 0.0000000000e+00 2.0000000000e+00 -nan\n",
			       T0 / XN_USEC_PER_SEC + 900);
	if (strstr (fetch, row) == NULL)
		g_error ("rrdtool fetch has no row%s in:\n%s", row, fetch);
}

static void
test_local_series (Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnRrd) rrd = xn_rrd_open (fx->dir, NULL, &error);

	g_assert_no_error (error);
	write_series (rrd, 0, N_STEPS / 2);
	/* A new handle (a restart) checks the existing files and goes on. */
	g_clear_pointer (&rrd, xn_rrd_free);
	rrd = xn_rrd_open (fx->dir, NULL, &error);
	g_assert_no_error (error);
	write_series (rrd, N_STEPS / 2 + 1, N_STEPS);
	g_assert_true (xn_rrd_flush (rrd, &error));
	check_series (rrd, fx->dir);
	check_with_rrdtool (fx->dir);
}

/* ---- errors that must name the file ---- */

static void
test_update_errors (Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnRrd) rrd = xn_rrd_open (fx->dir, NULL, &error);
	g_autofree char *node_path = NULL;
	XnRrdNodeValues nodev = { 1, 0.01, 5, 50 };

	g_assert_no_error (error);
	g_assert_true (xn_rrd_update_node (rrd, "city-core-1", STEP, T0, &nodev, &error));
	g_assert_no_error (error);
	g_assert_true (xn_rrd_drain (rrd, DRAIN_MS));
	node_path = xn_rrd_node_path (rrd, "city-core-1", &error);
	/* Time going back is refused by librrd, with the file named. */
	g_assert_false (xn_rrd_update_node (rrd, "city-core-1", STEP, T0 - S (STEP), &nodev, &error));
	assert_error_names (error, XN_ERROR_STORAGE, node_path, "cannot update");
	g_clear_error (&error);
	/* Steps RRD cannot sensibly use are refused before any file is made. */
	g_assert_false (xn_rrd_update_node (rrd, "county-a", 0, T0, &nodev, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_clear_error (&error);
	g_assert_false (xn_rrd_update_node (rrd, "county-a", 5, T0, &nodev, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_clear_error (&error);
	{
		g_autofree char *county = g_build_filename (fx->dir, "county-a", NULL);

		g_assert_false (g_file_test (county, G_FILE_TEST_EXISTS));
	}
	g_assert_false (xn_rrd_update_node (rrd, "../escape", STEP, T0, &nodev, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
}

/* A sample that waited for its file and could not be written (time going
 * back) is reported by the file's next update, which is itself written;
 * the one after is fine again: the poller logs one failure, one recovery. */
static void
test_late_errors (Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnRrd) rrd = xn_rrd_open (fx->dir, NULL, &error);
	g_autofree char *path = xn_rrd_node_path (rrd, "county-b", &error);
	g_autoptr(XnRrdLayout) layout = NULL;
	XnRrdNodeValues nodev = { 1, 0.01, 5, 50 };

	g_assert_no_error (error);
	xn_rrd_hold_creation (rrd, TRUE);
	g_assert_true (xn_rrd_update_node (rrd, "county-b", STEP, T0, &nodev, &error));
	g_assert_true (xn_rrd_update_node (rrd, "county-b", STEP, T0 - S (STEP), &nodev, &error));
	g_assert_no_error (error);
	xn_rrd_hold_creation (rrd, FALSE);
	g_assert_true (xn_rrd_drain (rrd, DRAIN_MS));
	g_assert_false (xn_rrd_update_node (rrd, "county-b", STEP, T0 + S (STEP), &nodev, &error));
	assert_error_names (error, XN_ERROR_STORAGE, path, "1 sample that waited for the file's creation lost");
	g_assert_nonnull (strstr (error->message, "cannot update"));
	g_clear_error (&error);
	layout = xn_rrd_describe (rrd, path, &error);
	g_assert_no_error (error);
	g_assert_cmpint (layout->last_update, ==, T0 + S (STEP));
	g_assert_true (xn_rrd_update_node (rrd, "county-b", STEP, T0 + S (2 * STEP), &nodev, &error));
	g_assert_no_error (error);
}

/* A file another program broke, or that has other data sources, is found on
 * first sight in a new process and named; nothing overwrites it. */
static void
check_broken_files (XnRrd *(*open_handle) (const char *dir, gpointer user_data), gpointer user_data,
		    const char *dir)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnRrd) rrd = open_handle (dir, user_data);
	g_autofree char *node_path = xn_rrd_node_path (rrd, "city-core-1", &error);
	g_autofree char *if_path = xn_rrd_interface_path (rrd, "city-core-1", "Gi0/1", &error);
	g_autofree char *text_path = xn_rrd_interface_path (rrd, "city-core-1", "Gi0/2", &error);
	g_autofree char *contents = NULL;
	gsize length = 0;
	XnRrdNodeValues nodev = { 1, 0.01, 5, 50 };
	XnRrdIfValues ifv = { 1, 2, 0, 0, 0, 0 };

	g_assert_true (xn_rrd_update_node (rrd, "city-core-1", STEP, T0, &nodev, &error));
	g_assert_no_error (error);
	g_assert_true (xn_rrd_drain (rrd, DRAIN_MS));
	g_assert_true (xn_rrd_flush (rrd, &error));
	g_clear_pointer (&rrd, xn_rrd_free);

	/* The node file copied where an interface file belongs: wrong sources. */
	g_assert_true (g_file_get_contents (node_path, &contents, &length, &error));
	g_assert_true (g_file_set_contents (if_path, contents, (gssize) length, &error));
	/* Not an RRD at all. */
	g_assert_true (g_file_set_contents (text_path, "not an rrd\n", -1, &error));
	/* Truncated to its first 100 bytes. */
	g_assert_true (g_file_set_contents (node_path, contents, 100, &error));
	g_assert_no_error (error);

	/* The first samples wait for the checks; the next update of each
	 * file says what the check found. */
	rrd = open_handle (dir, user_data);
	g_assert_true (xn_rrd_update_node (rrd, "city-core-1", STEP, T0 + S (STEP), &nodev, &error));
	g_assert_true (xn_rrd_update_interface (rrd, "city-core-1", "Gi0/1", STEP, T0 + S (STEP), &ifv, &error));
	g_assert_true (xn_rrd_update_interface (rrd, "city-core-1", "Gi0/2", STEP, T0 + S (STEP), &ifv, &error));
	g_assert_no_error (error);
	g_assert_true (xn_rrd_drain (rrd, DRAIN_MS));
	g_assert_false (xn_rrd_update_node (rrd, "city-core-1", STEP, T0 + S (2 * STEP), &nodev, &error));
	assert_error_names (error, XN_ERROR_STORAGE, node_path, NULL);
	g_clear_error (&error);
	g_assert_false (xn_rrd_update_interface (rrd, "city-core-1", "Gi0/1", STEP, T0 + S (2 * STEP), &ifv, &error));
	assert_error_names (error, XN_ERROR_STORAGE, if_path, "data sources");
	g_clear_error (&error);
	g_assert_false (xn_rrd_update_interface (rrd, "city-core-1", "Gi0/2", STEP, T0 + S (2 * STEP), &ifv, &error));
	assert_error_names (error, XN_ERROR_STORAGE, text_path, NULL);
	g_clear_error (&error);
	/* Checked again in the background: still broken on the next try,
	 * still not overwritten. */
	g_assert_true (xn_rrd_drain (rrd, DRAIN_MS));
	g_assert_false (xn_rrd_update_node (rrd, "city-core-1", STEP, T0 + S (3 * STEP), &nodev, &error));
	assert_error_names (error, XN_ERROR_STORAGE, node_path, NULL);
	g_clear_error (&error);
	g_assert_false (xn_rrd_update_interface (rrd, "city-core-1", "Gi0/2", STEP, T0 + S (3 * STEP), &ifv, &error));
	assert_error_names (error, XN_ERROR_STORAGE, text_path, NULL);
	g_clear_error (&error);
	g_assert_true (xn_rrd_drain (rrd, DRAIN_MS));
	g_clear_pointer (&contents, g_free);
	g_assert_true (g_file_get_contents (text_path, &contents, &length, &error));
	g_assert_cmpstr (contents, ==, "not an rrd\n");
	/* Moved away: the update that still reports it has the file made
	 * anew, and the next one is written (one failure, one recovery). */
	g_assert_cmpint (g_unlink (text_path), ==, 0);
	g_assert_false (xn_rrd_update_interface (rrd, "city-core-1", "Gi0/2", STEP, T0 + S (4 * STEP), &ifv, &error));
	assert_error_names (error, XN_ERROR_STORAGE, text_path, NULL);
	g_clear_error (&error);
	g_assert_true (xn_rrd_drain (rrd, DRAIN_MS));
	g_assert_true (xn_rrd_update_interface (rrd, "city-core-1", "Gi0/2", STEP, T0 + S (5 * STEP), &ifv, &error));
	g_assert_no_error (error);
	g_assert_true (xn_rrd_flush (rrd, &error));
	g_assert_no_error (error);
	{
		g_autoptr(XnRrdSeries) series = xn_rrd_fetch (rrd, text_path, "AVERAGE", T0, T0 + S (5 * STEP),
							      STEP, &error);

		g_assert_no_error (error);
		assert_close ("remade file", 2, xn_rrd_series_value_at (series, XN_RRD_IF_OUT_OCTETS,
									 T0 + S (5 * STEP)));
	}
}

static XnRrd *
open_local (const char *dir, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	XnRrd *rrd = xn_rrd_open (dir, NULL, &error);

	g_assert_no_error (error);
	return rrd;
}

static void
test_local_broken (Fixture *fx, gconstpointer data)
{
	check_broken_files (open_local, NULL, fx->dir);
}

/* ---- through rrdcached ---- */

typedef struct {
	char        *socket_path;
	char        *address;
	char        *log_path;
	char       **argv;
	GSubprocess *process;
} Daemon;

static gboolean
daemon_answers (const char *socket_path)
{
	g_autoptr(GSocketClient) client = g_socket_client_new ();
	g_autoptr(GSocketAddress) address = g_unix_socket_address_new (socket_path);
	g_autoptr(GSocketConnection) connection =
		g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, NULL);

	return connection != NULL;
}

/* A failed assertion aborts the test without running any cleanup: the
 * daemon must not outlive it. */
static void
die_with_parent (gpointer user_data)
{
	prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
daemon_start (Daemon *d)
{
	g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
	g_autoptr(GError) error = NULL;

	g_unlink (d->socket_path);
	g_subprocess_launcher_set_stderr_file_path (launcher, d->log_path);
	g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
	d->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) d->argv, &error);
	g_assert_no_error (error);
	/* Readiness is polled, never slept for. */
	for (guint i = 0; i < 100 && !daemon_answers (d->socket_path); i++)
		g_usleep (100000);
	if (!daemon_answers (d->socket_path)) {
		g_autofree char *log = NULL;

		g_file_get_contents (d->log_path, &log, NULL, NULL);
		g_error ("rrdcached did not answer on %s; its log:\n%s", d->socket_path, log ? log : "");
	}
}

static void
daemon_stop (Daemon *d)
{
	if (d->process == NULL)
		return;
	g_subprocess_send_signal (d->process, SIGTERM);
	g_subprocess_wait (d->process, NULL, NULL);
	g_clear_object (&d->process);
}

/* NULL when rrdcached is not installed. */
static Daemon *
daemon_new (const char *dir)
{
	g_autofree char *program = g_find_program_in_path ("rrdcached");
	Daemon *d;

	if (program == NULL && g_file_test ("/usr/sbin/rrdcached", G_FILE_TEST_IS_EXECUTABLE))
		program = g_strdup ("/usr/sbin/rrdcached");
	if (program == NULL)
		return NULL;
	d = g_new0 (Daemon, 1);
	d->socket_path = g_build_filename (dir, "rrdcached.sock", NULL);
	d->address = g_strconcat ("unix:", d->socket_path, NULL);
	d->log_path = g_build_filename (dir, "rrdcached.log", NULL);
	/* Foreground, files only under dir (-B) with directories made on demand
	 * (-R), writes only when told to (-w 3600 -f 7200) or at exit (-F). */
	d->argv = g_new0 (char *, 20);
	{
		const char *args[] = { program, "-g", "-B", "-R", "-F", "-w", "3600", "-f", "7200", "-b", dir,
				       "-l", d->address, "-p", NULL, NULL };
		g_autofree char *pid = g_build_filename (dir, "rrdcached.pid", NULL);

		for (guint i = 0; i < G_N_ELEMENTS (args) - 2; i++)
			d->argv[i] = g_strdup (args[i]);
		d->argv[G_N_ELEMENTS (args) - 2] = g_strdup (pid);
	}
	daemon_start (d);
	return d;
}

static void
daemon_free (Daemon *d)
{
	if (d == NULL)
		return;
	daemon_stop (d);
	{
		g_autofree char *log = NULL;

		if (g_file_get_contents (d->log_path, &log, NULL, NULL) && *log != '\0')
			g_test_message ("rrdcached log:\n%s", log);
	}
	g_strfreev (d->argv);
	g_free (d->socket_path);
	g_free (d->address);
	g_free (d->log_path);
	g_free (d);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Daemon, daemon_free)

static XnRrd *
open_daemon (const char *dir, gpointer user_data)
{
	Daemon *d = user_data;
	g_autoptr(GError) error = NULL;
	XnRrd *rrd = xn_rrd_open (dir, d->address, &error);

	g_assert_no_error (error);
	return rrd;
}

static void
test_daemon_series (Fixture *fx, gconstpointer data)
{
	g_autoptr(Daemon) d = daemon_new (fx->dir);
	/* A space separates protocol fields: it must travel escaped. */
	g_autofree char *rrd_dir = g_build_filename (fx->dir, "rrd files", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(XnRrd) rrd = NULL;
	g_autoptr(XnRrd) direct = NULL;
	g_autoptr(XnRrdLayout) layout = NULL;
	g_autofree char *if_path = NULL;

	if (d == NULL) {
		g_test_skip ("rrdcached is not installed (Debian package rrdcached; scripts/install-deps installs it)");
		return;
	}
	rrd = xn_rrd_open (rrd_dir, d->address, &error);
	g_assert_no_error (error);
	/* Small batches: several sends happen inside the updates. */
	xn_rrd_set_batch_limit (rrd, 7);
	write_series (rrd, 0, N_STEPS / 2);
	g_assert_true (xn_rrd_flush (rrd, &error));
	g_assert_no_error (error);
	/* The daemon holds the updates: the file itself has none yet. */
	direct = open_local (rrd_dir, NULL);
	if_path = xn_rrd_interface_path (direct, "city-core-1", "GigabitEthernet0/0/1", &error);
	layout = xn_rrd_describe (direct, if_path, &error);
	g_assert_no_error (error);
	g_assert_cmpint (layout->last_update, ==, T0 - S (1));
	g_clear_pointer (&layout, xn_rrd_layout_free);
	/* The daemon restarts (writing what it holds); the client reconnects. */
	daemon_stop (d);
	daemon_start (d);
	layout = xn_rrd_describe (direct, if_path, &error);
	g_assert_no_error (error);
	g_assert_cmpint (layout->last_update, ==, T0 + S (N_STEPS / 2 * STEP));
	write_series (rrd, N_STEPS / 2 + 1, N_STEPS);
	g_assert_true (xn_rrd_flush (rrd, &error));
	g_assert_no_error (error);
	check_series (rrd, rrd_dir);
	check_with_rrdtool (rrd_dir);
}

static void
test_daemon_refusals (Fixture *fx, gconstpointer data)
{
	g_autoptr(Daemon) d = daemon_new (fx->dir);
	g_autofree char *rrd_dir = g_build_filename (fx->dir, "rrd", NULL);
	g_autofree char *missing = g_build_filename (fx->dir, "nobody-listens.sock", NULL);
	g_autofree char *missing_address = g_strconcat ("unix:", missing, NULL);
	g_autofree char *node_path = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(XnRrd) rrd = NULL;
	XnRrdNodeValues nodev = { 1, 0.01, 5, 50 };

	if (d == NULL) {
		g_test_skip ("rrdcached is not installed (Debian package rrdcached; scripts/install-deps installs it)");
		return;
	}
	g_assert_null (xn_rrd_open (rrd_dir, missing_address, &error));
	assert_error_names (error, XN_ERROR_IO, missing_address, NULL);
	g_clear_error (&error);
	g_assert_null (xn_rrd_open (rrd_dir, "unix:", &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_clear_error (&error);

	rrd = xn_rrd_open (rrd_dir, d->address, &error);
	g_assert_no_error (error);
	node_path = xn_rrd_node_path (rrd, "city-core-1", &error);
	g_assert_true (xn_rrd_update_node (rrd, "city-core-1", STEP, T0, &nodev, &error));
	g_assert_true (xn_rrd_update_node (rrd, "county-a", STEP, T0, &nodev, &error));
	g_assert_true (xn_rrd_drain (rrd, DRAIN_MS));
	g_assert_true (xn_rrd_update_node (rrd, "county-a", STEP, T0 + S (STEP), &nodev, &error));
	g_assert_true (xn_rrd_update_node (rrd, "county-a", STEP, T0 + S (2 * STEP), &nodev, &error));
	/* Queued: the refusal comes back from the flush, naming the file. */
	g_assert_true (xn_rrd_update_node (rrd, "city-core-1", STEP, T0 - S (STEP), &nodev, &error));
	g_assert_no_error (error);
	g_assert_false (xn_rrd_flush (rrd, &error));
	assert_error_names (error, XN_ERROR_STORAGE, node_path, "refused 1 of 3 updates");
	g_clear_error (&error);
	g_assert_true (xn_rrd_flush (rrd, &error));
	g_clear_pointer (&rrd, xn_rrd_free);
	/* Broken files, seen through the daemon. */
	g_clear_pointer (&d, daemon_free);
	xn_test_remove_tree (rrd_dir);
	d = daemon_new (fx->dir);
	check_broken_files (open_daemon, d, rrd_dir);
}

/* ---- creation on the creation thread ---- */

#define N_FILES  2000

static char *
many_node (guint i)
{
	return g_strdup_printf ("n%04u", i);
}

/* Sample c of a file: its response_s is unique to the file and the sample. */
static void
many_values (guint i, guint c, XnRrdNodeValues *v)
{
	v->reachable = 1;
	v->response_s = 10.0 * i + c;
	v->cpu_percent = 10 * c + 1;
	v->memory_percent = 50;
}

/* Sample c is at T_DAY + 2c days, two steps apart: the heartbeat. */
static XnInstant
sample_time (guint c)
{
	return T_DAY + S (2 * c * DAY);
}

static void
update_node_sample (XnRrd *rrd, const char *node, guint i, guint c)
{
	g_autoptr(GError) error = NULL;
	XnRrdNodeValues v;

	many_values (i, c, &v);
	if (!xn_rrd_update_node (rrd, node, DAY, sample_time (c), &v, &error))
		g_error ("%s, sample %u: %s", node, c, error->message);
}

static void
update_all (XnRrd *rrd, guint c)
{
	for (guint i = 0; i < N_FILES; i++) {
		g_autofree char *node = many_node (i);

		update_node_sample (rrd, node, i, c);
	}
}

static XnRrdSeries *
node_series (XnRrd *rrd, const char *node, guint last)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *path = xn_rrd_node_path (rrd, node, &error);
	XnRrdSeries *series = xn_rrd_fetch (rrd, path, "AVERAGE", T_DAY, sample_time (last), DAY, &error);

	g_assert_no_error (error);
	return series;
}

/* Both rows between sample c - 1 and sample c hold sample c's value if
 * both were written (NAN for `expect_written` FALSE). */
static void
check_sample_rows (const XnRrdSeries *series, const char *node, guint i, guint c, gboolean expect_written)
{
	g_autofree char *what = g_strdup_printf ("%s sample %u", node, c);
	XnRrdNodeValues v;

	many_values (i, c, &v);
	for (guint half = 1; half <= 2; half++)
		assert_close (what, expect_written ? v.response_s : NAN,
			      xn_rrd_series_value_at (series, XN_RRD_NODE_RESPONSE,
						      sample_time (c) - S ((2 - half) * DAY)));
}

static void
assert_pending (XnRrd *rrd, guint files, guint samples, guint64 dropped)
{
	XnRrdPending pending;

	xn_rrd_get_pending (rrd, &pending);
	g_test_message ("pending: %u files, %u samples, %" G_GUINT64_FORMAT " dropped", pending.files,
			pending.samples, pending.dropped);
	g_assert_cmpuint (pending.files, ==, files);
	g_assert_cmpuint (pending.samples, ==, samples);
	g_assert_cmpuint (pending.dropped, ==, dropped);
}

/* Thousands of new files: with the creation thread held, every first
 * sample is taken and queued, and none of the files exists, so the calls
 * cannot have waited for a creation. Let go, it races three more samples
 * per file; all of them reach their files, in order. */
static void
test_many_new_files (Fixture *fx, gconstpointer data)
{
	g_autoptr(Daemon) d = GPOINTER_TO_INT (data) ? daemon_new (fx->dir) : NULL;
	g_autofree char *rrd_dir = g_build_filename (fx->dir, "rrd", NULL);
	g_autofree char *first_dir = g_build_filename (rrd_dir, "n0000", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(XnRrd) rrd = NULL;
	gint64 t0, t1, t2, t3;

	if (GPOINTER_TO_INT (data) && d == NULL) {
		g_test_skip ("rrdcached is not installed (Debian package rrdcached; scripts/install-deps installs it)");
		return;
	}
	rrd = xn_rrd_open (rrd_dir, d != NULL ? d->address : NULL, &error);
	g_assert_no_error (error);
	xn_rrd_hold_creation (rrd, TRUE);
	t0 = g_get_monotonic_time ();
	update_all (rrd, 0);
	t1 = g_get_monotonic_time ();
	assert_pending (rrd, N_FILES, N_FILES, 0);
	g_assert_false (xn_rrd_drain (rrd, 10));
	g_assert_false (g_file_test (first_dir, G_FILE_TEST_EXISTS));
	xn_rrd_hold_creation (rrd, FALSE);
	for (guint c = 1; c <= 3; c++)
		update_all (rrd, c);
	t2 = g_get_monotonic_time ();
	g_assert_true (xn_rrd_drain (rrd, DRAIN_MS));
	t3 = g_get_monotonic_time ();
	g_test_message ("%u first samples queued in %.3f s; the files were ready %.3f s after the thread was let go",
			N_FILES, (t1 - t0) / 1e6, (t3 - t1) / 1e6);
	g_test_message ("three more samples per file, racing the creation, took %.3f s", (t2 - t1) / 1e6);
	assert_pending (rrd, 0, 0, 0);
	/* Ready files take the fast way. */
	update_all (rrd, 4);
	g_assert_true (xn_rrd_flush (rrd, &error));
	g_assert_no_error (error);
	for (guint i = 0; i < N_FILES; i++) {
		g_autofree char *node = many_node (i);
		g_autoptr(XnRrdSeries) series = node_series (rrd, node, 4);

		for (guint c = 1; c <= 4; c++)
			check_sample_rows (series, node, i, c, TRUE);
	}
}

/* Past the bounds the oldest go: a file's own oldest past four, then the
 * oldest of all past the total. */
static void
test_pending_bounds (Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnRrd) rrd = xn_rrd_open (fx->dir, NULL, &error);
	const struct { const char *node; guint samples; } files[] = { { "a", 6 }, { "b", 3 }, { "c", 4 } };

	g_assert_no_error (error);
	xn_rrd_hold_creation (rrd, TRUE);
	xn_rrd_set_pending_limits (rrd, 4, 10);
	for (guint c = 0; c < 6; c++)
		update_node_sample (rrd, "a", 0, c);
	assert_pending (rrd, 1, 4, 2);
	for (guint c = 0; c < 3; c++)
		update_node_sample (rrd, "b", 1, c);
	for (guint c = 0; c < 3; c++)
		update_node_sample (rrd, "c", 2, c);
	assert_pending (rrd, 3, 10, 2);
	/* The eleventh pushes out a's oldest left, its sample 2. */
	update_node_sample (rrd, "c", 2, 3);
	assert_pending (rrd, 3, 10, 3);
	xn_rrd_hold_creation (rrd, FALSE);
	g_assert_true (xn_rrd_drain (rrd, DRAIN_MS));
	assert_pending (rrd, 0, 0, 3);
	for (guint f = 0; f < G_N_ELEMENTS (files); f++) {
		g_autoptr(XnRrdSeries) series = node_series (rrd, files[f].node, files[f].samples - 1);

		for (guint c = 1; c < files[f].samples; c++)
			check_sample_rows (series, files[f].node, f, c, f > 0 || c >= 4);
	}
}

/* A file that cannot be made is reported by its next update, with the
 * place named; its waiting samples are gone, nothing is left pending. */
static void
test_creation_error (Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnRrd) rrd = xn_rrd_open (fx->dir, NULL, &error);
	g_autofree char *blocker = g_build_filename (fx->dir, "blocked", NULL);

	g_assert_true (g_file_set_contents (blocker, "a file where the node's directory goes\n", -1, &error));
	g_assert_no_error (error);
	xn_rrd_hold_creation (rrd, TRUE);
	update_node_sample (rrd, "blocked", 0, 0);
	update_node_sample (rrd, "blocked", 0, 1);
	xn_rrd_hold_creation (rrd, FALSE);
	g_assert_true (xn_rrd_drain (rrd, DRAIN_MS));
	assert_pending (rrd, 0, 0, 0);
	g_assert_false (xn_rrd_update_node (rrd, "blocked", DAY, sample_time (2), &(XnRrdNodeValues) { 1, 0, 0, 0 },
					    &error));
	assert_error_names (error, XN_ERROR_IO, blocker, "cannot create directory");
}

/* Drained, every file handed over is there with its sample; freed without
 * draining, the thread stops and what waited is dropped, nothing half made. */
static void
test_drain_and_free (Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnRrd) rrd = xn_rrd_open (fx->dir, NULL, &error);

	g_assert_no_error (error);
	xn_rrd_hold_creation (rrd, TRUE);
	for (guint i = 0; i < 50; i++) {
		g_autofree char *node = many_node (i);

		update_node_sample (rrd, node, i, 0);
	}
	g_assert_false (xn_rrd_drain (rrd, 1));
	assert_pending (rrd, 50, 50, 0);
	xn_rrd_hold_creation (rrd, FALSE);
	g_assert_true (xn_rrd_drain (rrd, DRAIN_MS));
	g_clear_pointer (&rrd, xn_rrd_free);
	rrd = open_local (fx->dir, NULL);
	for (guint i = 0; i < 50; i++) {
		g_autofree char *node = many_node (i);
		g_autofree char *path = xn_rrd_node_path (rrd, node, &error);
		g_autoptr(XnRrdLayout) layout = xn_rrd_describe (rrd, path, &error);

		g_assert_no_error (error);
		g_assert_cmpint (layout->last_update, ==, sample_time (0));
	}
	xn_rrd_hold_creation (rrd, TRUE);
	update_node_sample (rrd, "late-1", 0, 0);
	update_node_sample (rrd, "late-2", 0, 0);
	assert_pending (rrd, 2, 2, 0);
	g_clear_pointer (&rrd, xn_rrd_free);
	{
		g_autofree char *late = g_build_filename (fx->dir, "late-1", NULL);

		g_assert_false (g_file_test (late, G_FILE_TEST_EXISTS));
	}
}

/* The creation thread's own connection: the daemon gone, a new file is
 * reported by its next update; back, the file is made and written. */
static void
test_daemon_creation_errors (Fixture *fx, gconstpointer data)
{
	g_autoptr(Daemon) d = daemon_new (fx->dir);
	g_autofree char *rrd_dir = g_build_filename (fx->dir, "rrd", NULL);
	g_autofree char *path = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(XnRrd) rrd = NULL;
	XnRrdNodeValues v;

	if (d == NULL) {
		g_test_skip ("rrdcached is not installed (Debian package rrdcached; scripts/install-deps installs it)");
		return;
	}
	rrd = xn_rrd_open (rrd_dir, d->address, &error);
	g_assert_no_error (error);
	path = xn_rrd_node_path (rrd, "gone", &error);
	daemon_stop (d);
	update_node_sample (rrd, "gone", 0, 0);
	g_assert_true (xn_rrd_drain (rrd, DRAIN_MS));
	many_values (0, 1, &v);
	g_assert_false (xn_rrd_update_node (rrd, "gone", DAY, sample_time (1), &v, &error));
	assert_error_names (error, XN_ERROR_IO, path, d->address);
	g_clear_error (&error);
	g_assert_true (xn_rrd_drain (rrd, DRAIN_MS));
	daemon_start (d);
	/* Still the old answer (the check runs again), then the file is made. */
	many_values (0, 2, &v);
	g_assert_false (xn_rrd_update_node (rrd, "gone", DAY, sample_time (2), &v, &error));
	g_clear_error (&error);
	g_assert_true (xn_rrd_drain (rrd, DRAIN_MS));
	update_node_sample (rrd, "gone", 0, 3);
	update_node_sample (rrd, "gone", 0, 4);
	g_assert_true (xn_rrd_flush (rrd, &error));
	g_assert_no_error (error);
	{
		g_autoptr(XnRrdSeries) series = node_series (rrd, "gone", 4);

		check_sample_rows (series, "gone", 0, 4, TRUE);
	}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/rrd/tiers", test_tiers);
	g_test_add_func ("/rrd/escape", test_escape);
#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
	ADD ("/rrd/paths", test_paths);
	ADD ("/rrd/local-series", test_local_series);
	ADD ("/rrd/update-errors", test_update_errors);
	ADD ("/rrd/local-broken-files", test_local_broken);
	ADD ("/rrd/daemon-series", test_daemon_series);
	ADD ("/rrd/daemon-refusals", test_daemon_refusals);
	ADD ("/rrd/late-errors", test_late_errors);
	g_test_add ("/rrd/many-new-files/direct", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
		    test_many_new_files, fixture_tear_down);
	g_test_add ("/rrd/many-new-files/rrdcached", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
		    test_many_new_files, fixture_tear_down);
	ADD ("/rrd/pending-bounds", test_pending_bounds);
	ADD ("/rrd/creation-error", test_creation_error);
	ADD ("/rrd/drain-and-free", test_drain_and_free);
	ADD ("/rrd/daemon-creation-errors", test_daemon_creation_errors);
#undef ADD
	return g_test_run ();
}
