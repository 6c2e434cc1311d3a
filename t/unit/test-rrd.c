/* test-rrd.c — storage/xn-rrd.c and storage/rrdcached.c on real files.
 *
 * The archive arithmetic is checked against numbers worked out by hand; the
 * files are real RRD files in a temporary directory, updated over simulated
 * time and read back both through the adapter and with the rrdtool command
 * (when installed), which owes nothing to our code. The same series is then
 * written through a real rrdcached started on a unix socket in the
 * directory, restarted once mid-way to prove the client reconnects. Broken
 * files, wrong layouts and refused updates must each give an error that
 * names the file. */
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

	rrd = open_handle (dir, user_data);
	g_assert_false (xn_rrd_update_node (rrd, "city-core-1", STEP, T0 + S (STEP), &nodev, &error));
	assert_error_names (error, XN_ERROR_STORAGE, node_path, NULL);
	g_clear_error (&error);
	g_assert_false (xn_rrd_update_interface (rrd, "city-core-1", "Gi0/1", STEP, T0 + S (STEP), &ifv, &error));
	assert_error_names (error, XN_ERROR_STORAGE, if_path, "data sources");
	g_clear_error (&error);
	g_assert_false (xn_rrd_update_interface (rrd, "city-core-1", "Gi0/2", STEP, T0 + S (STEP), &ifv, &error));
	assert_error_names (error, XN_ERROR_STORAGE, text_path, NULL);
	g_clear_error (&error);
	/* Still broken on the next try, still not overwritten. */
	g_assert_false (xn_rrd_update_node (rrd, "city-core-1", STEP, T0 + S (2 * STEP), &nodev, &error));
	assert_error_names (error, XN_ERROR_STORAGE, node_path, NULL);
	g_clear_error (&error);
	g_clear_pointer (&contents, g_free);
	g_assert_true (g_file_get_contents (text_path, &contents, &length, &error));
	g_assert_cmpstr (contents, ==, "not an rrd\n");
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
	g_assert_true (xn_rrd_update_node (rrd, "county-a", STEP, T0 + S (STEP), &nodev, &error));
	/* Queued: the refusal comes back from the flush, naming the file. */
	g_assert_true (xn_rrd_update_node (rrd, "city-core-1", STEP, T0 - S (STEP), &nodev, &error));
	g_assert_no_error (error);
	g_assert_false (xn_rrd_flush (rrd, &error));
	assert_error_names (error, XN_ERROR_STORAGE, node_path, "refused 1 of 4 updates");
	g_clear_error (&error);
	g_assert_true (xn_rrd_flush (rrd, &error));
	g_clear_pointer (&rrd, xn_rrd_free);
	/* Broken files, seen through the daemon. */
	g_clear_pointer (&d, daemon_free);
	xn_test_remove_tree (rrd_dir);
	d = daemon_new (fx->dir);
	check_broken_files (open_daemon, d, rrd_dir);
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
#undef ADD
	return g_test_run ();
}
