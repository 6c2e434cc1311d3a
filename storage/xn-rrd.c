/* xn-rrd.c — the librrd adapter: node and interface time series in RRD files.
 *
 * This is the one file that includes rrd.h. It decides the file layout
 * (where files are, their data sources and archives, doc/rrd.md), creates a
 * file the first time this process sees it or checks that an existing one
 * has the data sources it expects, and writes one line "TIME:V:V:..." per
 * sample: directly with the thread-safe librrd calls (rrd_create_r2,
 * rrd_update_r, rrd_info_r, whose error text lives in a per-thread buffer,
 * read and cleared right after each call), or queued for rrdcached and sent
 * in BATCH mode through storage/rrdcached.c. Creating and checking run on
 * the creation thread of storage/rrd-backlog.c (prepare_file and
 * update_waiting_sample below, with a second rrdcached connection of its own),
 * together with the samples that wait for a file; the caller's thread keeps
 * `files` (what it knows of each path) and the BATCH queue to itself, and
 * learns what the creation thread did from its results, taken at each
 * update, flush and drain. A file is written by one thread at a time: the
 * creation thread until it reports the file ready, the caller's after. Every
 * data source is a GAUGE of a rate that poller/counters.c already cleaned
 * of wraps and reboots: RRD must not guess at counters a second time. What
 * it does not do: compute rates, decide what to poll, or draw graphs. The
 * module is xn-rrd, not rrd, so that <rrd.h> stays librrd's header. */
#include "xn-rrd.h"
#include "rrd-backlog.h"
#include "rrdcached.h"
#include "xn-error.h"

#include <rrd.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Consolidated rows are unknown when more than half their steps are. */
#define XFF                 "0.5"
#define MAX_ESCAPED         200
#define HASHED_PREFIX       183     /* MAX_ESCAPED - '~' - 16 hex digits */
#define NODE_FILE           "node.rrd"

typedef struct {
	const char *name;
	const char *min;
	const char *max;
} SourceDef;

static const SourceDef node_sources[] = {
	{ XN_RRD_NODE_REACHABLE, "0", "1" },
	{ XN_RRD_NODE_RESPONSE, "0", "U" },
	{ XN_RRD_NODE_CPU, "0", "100" },
	{ XN_RRD_NODE_MEMORY, "0", "100" },
};

static const SourceDef if_sources[] = {
	{ XN_RRD_IF_IN_OCTETS, "0", "U" },
	{ XN_RRD_IF_OUT_OCTETS, "0", "U" },
	{ XN_RRD_IF_IN_ERRORS, "0", "U" },
	{ XN_RRD_IF_OUT_ERRORS, "0", "U" },
	{ XN_RRD_IF_IN_DISCARDS, "0", "U" },
	{ XN_RRD_IF_OUT_DISCARDS, "0", "U" },
};

/* The retention asked for, as resolution and span. Spans are the longest
 * the calendar allows: two months are at most 62 days (July and August),
 * thirteen months at most 397 (a leap year and a January), five years at
 * most 1827 days (two leap days). */
static const struct {
	guint resolution_s;
	guint span_days;
} tier_goals[XN_RRD_MAX_TIERS] = {
	{ 300, 2 },
	{ 1800, 62 },
	{ 7200, 397 },
	{ 86400, 1827 },
};

/* What the caller's thread knows of a path (XnRrd.files): ready, with the
 * creation thread, or in trouble. */
static const char file_ready, file_pending;
#define FILE_READY      ((gpointer) &file_ready)
#define FILE_PENDING    ((gpointer) &file_pending)

typedef struct {
	GError   *error;
	gboolean  ready;        /* the file is fine: `error` is about samples that
				 * waited for it, to be reported once */
	gboolean  retrying;     /* not ready: checked again by the creation thread */
} FileTrouble;

/* What the creation thread needs to make a file. */
typedef struct {
	const SourceDef *sources;
	guint            n;
	guint            step_s;
	gint64           first_s;
} FileSpec;

struct _XnRrd {
	char         *dir;
	XnRrdcached  *daemon;       /* NULL: files are written directly */
	GHashTable   *files;        /* path → FILE_READY, FILE_PENDING or FileTrouble */
	XnRrdBacklog *backlog;      /* the creation thread */
	GString      *batch;        /* queued "UPDATE ..." lines for the daemon */
	GPtrArray    *batch_paths;  /* the file of each queued line */
	guint         batch_limit;
};

guint
xn_rrd_tiers (guint step_s, XnRrdTier tiers[XN_RRD_MAX_TIERS])
{
	guint n = 0;

	g_return_val_if_fail (step_s > 0, 0);
	for (guint i = 0; i < XN_RRD_MAX_TIERS; i++) {
		guint pdp = MAX (1, tier_goals[i].resolution_s / step_s);
		guint64 row_s = (guint64) pdp * step_s;
		guint64 span_s = (guint64) tier_goals[i].span_days * 86400;
		guint rows = (guint) ((span_s + row_s - 1) / row_s);

		if (n > 0 && tiers[n - 1].pdp_per_row == pdp) {
			tiers[n - 1].rows = MAX (tiers[n - 1].rows, rows);
			continue;
		}
		tiers[n].pdp_per_row = pdp;
		tiers[n].rows = rows;
		n++;
	}
	return n;
}

/* ---- names ---- */

char *
xn_rrd_escape_name (const char *if_name)
{
	GString *out = g_string_new (NULL);
	g_autofree char *digest = NULL;
	gsize cut;

	for (const guchar *p = (const guchar *) if_name; *p != '\0'; p++) {
		if (g_ascii_isalnum (*p) || *p == '.' || *p == '_' || *p == '-')
			g_string_append_c (out, (char) *p);
		else
			g_string_append_printf (out, "%%%02X", *p);
	}
	if (out->len <= MAX_ESCAPED)
		return g_string_free (out, FALSE);
	/* Too long for a file name: keep a readable prefix, cut before any
	 * %XX it would split, and make it unique with a digest; '~' is never
	 * kept by the escaping, so the two forms cannot meet. */
	cut = HASHED_PREFIX;
	if (out->str[cut - 1] == '%')
		cut -= 1;
	else if (out->str[cut - 2] == '%')
		cut -= 2;
	digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, if_name, -1);
	g_string_truncate (out, cut);
	g_string_append_c (out, '~');
	g_string_append_len (out, digest, 16);
	return g_string_free (out, FALSE);
}

/* Inventory names (extranoc-types object-name) are safe as directory names;
 * anything else here is a programming error worth a clear message. */
static gboolean
check_node_name (const char *node, GError **error)
{
	gsize len = node != NULL ? strlen (node) : 0;

	if (len == 0 || len > 63 || !g_ascii_isalnum (node[0]))
		goto bad;
	for (gsize i = 0; i < len; i++)
		if (!g_ascii_isalnum (node[i]) && node[i] != '.' && node[i] != '_' && node[i] != '-')
			goto bad;
	return TRUE;
bad:
	g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "'%s' is not a node name",
		     node != NULL ? node : "(null)");
	return FALSE;
}

char *
xn_rrd_node_path (XnRrd *rrd, const char *node, GError **error)
{
	if (!check_node_name (node, error))
		return NULL;
	return g_build_filename (rrd->dir, node, NODE_FILE, NULL);
}

char *
xn_rrd_interface_path (XnRrd *rrd, const char *node, const char *if_name, GError **error)
{
	g_autofree char *escaped = NULL;
	g_autofree char *file = NULL;

	if (!check_node_name (node, error))
		return NULL;
	if (if_name == NULL || *if_name == '\0') {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "node %s: an interface without a name", node);
		return NULL;
	}
	escaped = xn_rrd_escape_name (if_name);
	file = g_strconcat ("if-", escaped, ".rrd", NULL);
	return g_build_filename (rrd->dir, node, file, NULL);
}

/* ---- what librrd and rrdcached say about a file ---- */

static void
set_librrd_error (GError **error, const char *path, const char *action)
{
	const char *message = rrd_get_error ();

	g_set_error (error, XN_ERROR, XN_ERROR_STORAGE, "%s: %s: %s", path, action,
		     message != NULL && *message != '\0' ? message : "librrd gave no reason");
	rrd_clear_error ();
}

static GHashTable *
info_table_new (void)
{
	return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* rrd_info_r's list as key → text, in the form rrdcached's INFO prints. */
static GHashTable *
info_local (const char *path, GError **error)
{
	g_autoptr(GHashTable) table = info_table_new ();
	rrd_info_t *info;

	rrd_clear_error ();
	info = rrd_info_r (path);
	if (info == NULL || rrd_test_error ()) {
		if (info != NULL)
			rrd_info_free (info);
		set_librrd_error (error, path, "cannot read");
		return NULL;
	}
	for (rrd_info_t *i = info; i != NULL; i = i->next) {
		char *text;

		switch (i->type) {
		case RD_I_VAL: text = g_strdup_printf ("%0.10e", i->value.u_val); break;
		case RD_I_CNT: text = g_strdup_printf ("%lu", i->value.u_cnt); break;
		case RD_I_INT: text = g_strdup_printf ("%d", i->value.u_int); break;
		case RD_I_STR: text = g_strdup (i->value.u_str); break;
		default: continue;
		}
		g_hash_table_insert (table, g_strdup (i->key), text);
	}
	rrd_info_free (info);
	return g_steal_pointer (&table);
}

static char *
daemon_command (const char *verb, const char *path, const char *rest)
{
	GString *line = g_string_new (verb);

	g_string_append_c (line, ' ');
	xn_rrdcached_append_field (line, path);
	if (rest != NULL) {
		g_string_append_c (line, ' ');
		g_string_append (line, rest);
	}
	return g_string_free (line, FALSE);
}

/* INFO's lines are "KEY TYPE VALUE". */
static GHashTable *
info_daemon (XnRrdcached *daemon, const char *path, GError **error)
{
	g_autoptr(GHashTable) table = info_table_new ();
	g_autoptr(GPtrArray) lines = NULL;
	g_autofree char *command = daemon_command ("INFO", path, NULL);

	if (!xn_rrdcached_command (daemon, command, &lines, error))
		return NULL;
	for (guint i = 0; i < lines->len; i++) {
		g_auto(GStrv) fields = g_strsplit (g_ptr_array_index (lines, i), " ", 3);

		if (g_strv_length (fields) == 3)
			g_hash_table_insert (table, g_strdup (fields[0]), g_strdup (fields[2]));
	}
	return g_steal_pointer (&table);
}

static GHashTable *
info (XnRrdcached *daemon, const char *path, GError **error)
{
	GHashTable *table;

	if (daemon == NULL)
		return info_local (path, error);
	table = info_daemon (daemon, path, error);
	if (table == NULL)
		g_prefix_error (error, "%s: cannot read: ", path);
	return table;
}

static guint
count_sources (GHashTable *table)
{
	GHashTableIter iter;
	gpointer key;
	guint n = 0;

	g_hash_table_iter_init (&iter, table);
	while (g_hash_table_iter_next (&iter, &key, NULL))
		if (g_str_has_prefix (key, "ds[") && g_str_has_suffix (key, "].index"))
			n++;
	return n;
}

static gboolean
check_sources (GHashTable *table, const SourceDef *sources, guint n, const char *path,
	       GError **error)
{
	gboolean same = count_sources (table) == n;

	for (guint i = 0; same && i < n; i++) {
		g_autofree char *index_key = g_strdup_printf ("ds[%s].index", sources[i].name);
		g_autofree char *type_key = g_strdup_printf ("ds[%s].type", sources[i].name);
		g_autofree char *index = g_strdup_printf ("%u", i);

		same = g_strcmp0 (g_hash_table_lookup (table, index_key), index) == 0 &&
		       g_strcmp0 (g_hash_table_lookup (table, type_key), "GAUGE") == 0;
	}
	if (!same) {
		g_autoptr(GString) expected = g_string_new (NULL);

		for (guint i = 0; i < n; i++)
			g_string_append_printf (expected, "%s%s", i > 0 ? ", " : "", sources[i].name);
		g_set_error (error, XN_ERROR, XN_ERROR_STORAGE,
			     "%s: its data sources are not GAUGE %s: move it away to have it made anew",
			     path, expected->str);
	}
	return same;
}

/* ---- creating ---- */

static GPtrArray *
create_args (const SourceDef *sources, guint n, guint step_s)
{
	GPtrArray *args = g_ptr_array_new_with_free_func (g_free);
	XnRrdTier tiers[XN_RRD_MAX_TIERS];
	guint n_tiers = xn_rrd_tiers (step_s, tiers);
	static const char *const cfs[] = { "AVERAGE", "MAX" };

	for (guint i = 0; i < n; i++)
		g_ptr_array_add (args, g_strdup_printf ("DS:%s:GAUGE:%u:%s:%s", sources[i].name,
							2 * step_s, sources[i].min, sources[i].max));
	for (guint t = 0; t < n_tiers; t++)
		for (guint c = 0; c < G_N_ELEMENTS (cfs); c++)
			g_ptr_array_add (args, g_strdup_printf ("RRA:%s:" XFF ":%u:%u", cfs[c],
								tiers[t].pdp_per_row, tiers[t].rows));
	return args;
}

/* The file starts one second before its first sample, so that sample
 * counts and nothing before it pretends to be known. */
static gboolean
create_local (const char *path, const SourceDef *sources, guint n, guint step_s,
	      gint64 first_s, GError **error)
{
	g_autoptr(GPtrArray) args = create_args (sources, n, step_s);
	g_autofree char *dir = g_path_get_dirname (path);

	if (g_mkdir_with_parents (dir, 0755) != 0) {
		int saved = errno;

		g_set_error (error, XN_ERROR, XN_ERROR_IO, "%s: cannot create directory: %s",
			     dir, g_strerror (saved));
		return FALSE;
	}
	rrd_clear_error ();
	if (rrd_create_r2 (path, step_s, (time_t) (first_s - 1), 1, NULL, NULL, (int) args->len,
			   (const char **) args->pdata) != 0) {
		set_librrd_error (error, path, "cannot create");
		return FALSE;
	}
	return TRUE;
}

static gboolean
create_daemon (XnRrdcached *daemon, const char *path, const SourceDef *sources, guint n, guint step_s,
	       gint64 first_s, GError **error)
{
	g_autoptr(GPtrArray) args = create_args (sources, n, step_s);
	g_autoptr(GString) rest = g_string_new (NULL);
	g_autofree char *command = NULL;

	g_string_printf (rest, "-s %u -b %" G_GINT64_FORMAT " -O", step_s, first_s - 1);
	for (guint i = 0; i < args->len; i++)
		g_string_append_printf (rest, " %s", (const char *) g_ptr_array_index (args, i));
	command = daemon_command ("CREATE", path, rest->str);
	return xn_rrdcached_command (daemon, command, NULL, error);
}

/* On the creation thread (rrd-backlog.c), with its own daemon connection
 * (NULL without a daemon): creates the file, or checks the one that is
 * there. */
static gboolean
prepare_file (gpointer worker_data, const char *path, gconstpointer data, GError **error)
{
	XnRrdcached *daemon = worker_data;
	const FileSpec *spec = data;
	g_autoptr(GHashTable) table = NULL;
	g_autoptr(GError) info_error = NULL;
	g_autoptr(GError) create_error = NULL;

	if (daemon == NULL) {
		if (!g_file_test (path, G_FILE_TEST_EXISTS))
			return create_local (path, spec->sources, spec->n, spec->step_s, spec->first_s, error);
		return (table = info_local (path, error)) != NULL &&
		       check_sources (table, spec->sources, spec->n, path, error);
	}
	table = info_daemon (daemon, path, &info_error);
	if (table != NULL)
		return check_sources (table, spec->sources, spec->n, path, error);
	if (info_error->code != XN_ERROR_STORAGE) {
		g_propagate_prefixed_error (error, g_steal_pointer (&info_error), "%s: cannot read: ", path);
		return FALSE;
	}
	if (!create_daemon (daemon, path, spec->sources, spec->n, spec->step_s, spec->first_s, &create_error)) {
		/* Missing (create failed) or unreadable (exists, so create
		 * failed): both answers tell which. */
		g_set_error (error, XN_ERROR, create_error->code, "%s: cannot read (%s) nor create (%s)", path,
			     info_error->message, create_error->message);
		return FALSE;
	}
	return TRUE;
}

static gboolean
update_local (const char *path, const char *line, GError **error)
{
	const char *argv[] = { line };

	rrd_clear_error ();
	if (rrd_update_r (path, NULL, 1, argv) != 0) {
		set_librrd_error (error, path, "cannot update");
		return FALSE;
	}
	return TRUE;
}

/* On the creation thread: a sample that waited for its file. Through the
 * daemon it is one UPDATE: a file has a few waiting at most, and its
 * creation costs far more than the round trip. */
static gboolean
update_waiting_sample (gpointer worker_data, const char *path, const char *line, GError **error)
{
	XnRrdcached *daemon = worker_data;
	g_autofree char *command = NULL;

	if (daemon == NULL)
		return update_local (path, line, error);
	command = daemon_command ("UPDATE", path, line);
	if (!xn_rrdcached_command (daemon, command, NULL, error)) {
		g_prefix_error (error, "%s: cannot update: ", path);
		return FALSE;
	}
	return TRUE;
}

static const XnRrdBacklogFuncs creation_funcs = { prepare_file, update_waiting_sample };

/* ---- writing ---- */

static gboolean
send_batch (XnRrd *rrd, GError **error)
{
	g_autoptr(GString) commands = g_steal_pointer (&rrd->batch);
	g_autoptr(GPtrArray) paths = g_steal_pointer (&rrd->batch_paths);
	g_autoptr(GArray) failures = NULL;
	g_autoptr(GString) message = NULL;

	rrd->batch = g_string_new (NULL);
	rrd->batch_paths = g_ptr_array_new_with_free_func (g_free);
	if (paths->len == 0)
		return TRUE;
	if (!xn_rrdcached_batch (rrd->daemon, commands, &failures, error)) {
		g_prefix_error (error, "%u updates lost: ", paths->len);
		return FALSE;
	}
	if (failures->len == 0)
		return TRUE;
	message = g_string_new (NULL);
	g_string_printf (message, "rrdcached %s refused %u of %u updates:",
			 xn_rrdcached_get_address (rrd->daemon), failures->len, paths->len);
	for (guint i = 0; i < failures->len && i < 5; i++) {
		const XnRrdcachedFailure *f = &g_array_index (failures, XnRrdcachedFailure, i);
		const char *path = f->command >= 1 && f->command <= paths->len
			? g_ptr_array_index (paths, f->command - 1) : "(unknown file)";

		g_string_append_printf (message, "%s %s: %s", i > 0 ? ";" : "", path, f->message);
	}
	if (failures->len > 5)
		g_string_append_printf (message, "; and %u more", failures->len - 5);
	g_set_error_literal (error, XN_ERROR, XN_ERROR_STORAGE, message->str);
	return FALSE;
}

static void
file_state_free (gpointer state)
{
	FileTrouble *trouble = state;

	if (state == FILE_READY || state == FILE_PENDING)
		return;
	g_clear_error (&trouble->error);
	g_free (trouble);
}

/* What the creation thread finished since the last call. */
static void
take_results (XnRrd *rrd)
{
	g_autoptr(GPtrArray) results = xn_rrd_backlog_take_results (rrd->backlog);

	for (guint i = 0; results != NULL && i < results->len; i++) {
		XnRrdBacklogResult *result = g_ptr_array_index (results, i);
		FileTrouble *trouble;

		if (result->ready && result->error == NULL) {
			g_hash_table_replace (rrd->files, g_steal_pointer (&result->path), FILE_READY);
			continue;
		}
		trouble = g_new0 (FileTrouble, 1);
		trouble->ready = result->ready;
		trouble->error = g_steal_pointer (&result->error);
		if (result->ready)
			g_prefix_error (&trouble->error, "%u sample%s that waited for the file's creation lost: ",
					result->lost, result->lost == 1 ? "" : "s");
		g_hash_table_replace (rrd->files, g_steal_pointer (&result->path), trouble);
	}
}

static gboolean
write_now (XnRrd *rrd, const char *path, const char *line, GError **error)
{
	if (rrd->daemon == NULL)
		return update_local (path, line, error);
	g_string_append (rrd->batch, "UPDATE ");
	xn_rrdcached_append_field (rrd->batch, path);
	g_string_append_printf (rrd->batch, " %s\n", line);
	g_ptr_array_add (rrd->batch_paths, g_strdup (path));
	return rrd->batch_paths->len < rrd->batch_limit || send_batch (rrd, error);
}

static void
hand_over (XnRrd *rrd, const char *path, const SourceDef *sources, guint n, guint step_s, gint64 first_s,
	   const char *line)
{
	FileSpec *spec = g_new (FileSpec, 1);

	*spec = (FileSpec) { sources, n, step_s, first_s };
	xn_rrd_backlog_submit (rrd->backlog, path, spec, g_free, line);
}

/* A file in trouble: a late report of samples that waited for it (this
 * one is written first), or a file that cannot be used (checked again in
 * the background; this sample is not kept). */
static gboolean
write_troubled (XnRrd *rrd, const char *path, FileTrouble *trouble, const SourceDef *sources, guint n,
		guint step_s, gint64 t_s, const char *line, GError **error)
{
	if (trouble->ready) {
		g_autoptr(GError) late = g_steal_pointer (&trouble->error);

		g_hash_table_replace (rrd->files, g_strdup (path), FILE_READY);
		if (!write_now (rrd, path, line, error))
			return FALSE;
		g_propagate_error (error, g_steal_pointer (&late));
		return FALSE;
	}
	if (!trouble->retrying) {
		hand_over (rrd, path, sources, n, step_s, t_s, NULL);
		trouble->retrying = TRUE;
	}
	g_propagate_error (error, g_error_copy (trouble->error));
	return FALSE;
}

static gboolean
write_values (XnRrd *rrd, const char *path, const SourceDef *sources, guint n, guint step_s,
	      XnInstant t, const double *values, GError **error)
{
	gint64 t_s = t / XN_USEC_PER_SEC;
	g_autoptr(GString) line = g_string_new (NULL);
	gpointer state;

	if (step_s < XN_RRD_MIN_STEP || step_s > XN_RRD_MAX_STEP) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s: step %u s is outside %u..%u s",
			     path, step_s, XN_RRD_MIN_STEP, XN_RRD_MAX_STEP);
		return FALSE;
	}
	g_string_printf (line, "%" G_GINT64_FORMAT, t_s);
	for (guint i = 0; i < n; i++) {
		char buf[G_ASCII_DTOSTR_BUF_SIZE];

		g_string_append_printf (line, ":%s", isfinite (values[i])
					? g_ascii_dtostr (buf, sizeof buf, values[i]) : "U");
	}
	take_results (rrd);
	state = g_hash_table_lookup (rrd->files, path);
	if (state == FILE_PENDING) {
		if (xn_rrd_backlog_append (rrd->backlog, path, line->str))
			return TRUE;
		/* Finished since the results were taken: its result is there. */
		take_results (rrd);
		state = g_hash_table_lookup (rrd->files, path);
		g_assert (state != FILE_PENDING);
	}
	if (state == NULL) {
		hand_over (rrd, path, sources, n, step_s, t_s, line->str);
		g_hash_table_insert (rrd->files, g_strdup (path), FILE_PENDING);
		return TRUE;
	}
	if (state != FILE_READY)
		return write_troubled (rrd, path, state, sources, n, step_s, t_s, line->str, error);
	return write_now (rrd, path, line->str, error);
}

gboolean
xn_rrd_update_node (XnRrd *rrd, const char *node, guint step_s, XnInstant t,
		    const XnRrdNodeValues *values, GError **error)
{
	g_autofree char *path = xn_rrd_node_path (rrd, node, error);
	double v[] = { values->reachable, values->response_s, values->cpu_percent,
		       values->memory_percent };

	G_STATIC_ASSERT (G_N_ELEMENTS (v) == G_N_ELEMENTS (node_sources));
	return path != NULL &&
	       write_values (rrd, path, node_sources, G_N_ELEMENTS (node_sources), step_s, t, v, error);
}

gboolean
xn_rrd_update_interface (XnRrd *rrd, const char *node, const char *if_name, guint step_s,
			 XnInstant t, const XnRrdIfValues *values, GError **error)
{
	g_autofree char *path = xn_rrd_interface_path (rrd, node, if_name, error);
	double v[] = { values->in_octets, values->out_octets, values->in_errors,
		       values->out_errors, values->in_discards, values->out_discards };

	G_STATIC_ASSERT (G_N_ELEMENTS (v) == G_N_ELEMENTS (if_sources));
	return path != NULL &&
	       write_values (rrd, path, if_sources, G_N_ELEMENTS (if_sources), step_s, t, v, error);
}

gboolean
xn_rrd_flush (XnRrd *rrd, GError **error)
{
	take_results (rrd);
	return rrd->daemon == NULL || send_batch (rrd, error);
}

/* ---- the creation thread's backlog ---- */

void
xn_rrd_get_pending (XnRrd *rrd, XnRrdPending *pending)
{
	xn_rrd_backlog_get_pending (rrd->backlog, pending);
}

gboolean
xn_rrd_drain (XnRrd *rrd, guint timeout_ms)
{
	gboolean done = xn_rrd_backlog_wait (rrd->backlog, (gint64) timeout_ms * 1000);

	take_results (rrd);
	return done;
}

void
xn_rrd_set_pending_limits (XnRrd *rrd, guint per_file, guint total)
{
	xn_rrd_backlog_set_limits (rrd->backlog, per_file, total);
}

void
xn_rrd_hold_creation (XnRrd *rrd, gboolean hold)
{
	xn_rrd_backlog_hold (rrd->backlog, hold);
}

/* ---- the handle ---- */

XnRrd *
xn_rrd_open (const char *dir, const char *rrdcached_address, GError **error)
{
	g_autoptr(XnRrd) rrd = NULL;
	g_autoptr(XnRrdcached) worker_daemon = NULL;

	if (dir == NULL || *dir == '\0') {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "no RRD directory given");
		return NULL;
	}
	/* rrdcached's protocol is lines: a path must not break one. */
	if (strpbrk (dir, "\r\n") != NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "RRD directory with a line break");
		return NULL;
	}
	rrd = g_new0 (XnRrd, 1);
	rrd->dir = g_strdup (dir);
	rrd->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, file_state_free);
	rrd->batch = g_string_new (NULL);
	rrd->batch_paths = g_ptr_array_new_with_free_func (g_free);
	rrd->batch_limit = XN_RRD_BATCH_LIMIT;
	if (rrdcached_address != NULL) {
		rrd->daemon = xn_rrdcached_new (rrdcached_address, error);
		/* The creation thread's own: a connection is a conversation,
		 * which two threads cannot share. */
		if (rrd->daemon == NULL || (worker_daemon = xn_rrdcached_new (rrdcached_address, error)) == NULL)
			return NULL;
	} else if (g_mkdir_with_parents (dir, 0755) != 0) {
		int saved = errno;

		g_set_error (error, XN_ERROR, XN_ERROR_IO, "%s: cannot create directory: %s",
			     dir, g_strerror (saved));
		return NULL;
	}
	rrd->backlog = xn_rrd_backlog_new (&creation_funcs, g_steal_pointer (&worker_daemon),
					   (GDestroyNotify) xn_rrdcached_free, error);
	if (rrd->backlog == NULL)
		return NULL;
	return g_steal_pointer (&rrd);
}

void
xn_rrd_set_batch_limit (XnRrd *rrd, guint limit)
{
	rrd->batch_limit = MAX (limit, 1);
}

void
xn_rrd_free (XnRrd *rrd)
{
	g_autoptr(GError) error = NULL;

	if (rrd == NULL)
		return;
	g_clear_pointer (&rrd->backlog, xn_rrd_backlog_free);
	if (rrd->daemon != NULL && !send_batch (rrd, &error))
		g_warning ("RRD updates at close: %s", error->message);
	xn_rrdcached_free (rrd->daemon);
	g_hash_table_unref (rrd->files);
	g_string_free (rrd->batch, TRUE);
	g_ptr_array_unref (rrd->batch_paths);
	g_free (rrd->dir);
	g_free (rrd);
}

/* ---- reading ---- */

static double
table_double (GHashTable *table, const char *key)
{
	const char *text = g_hash_table_lookup (table, key);

	return text != NULL ? g_ascii_strtod (text, NULL) : NAN;
}

static guint
table_uint (GHashTable *table, const char *key)
{
	const char *text = g_hash_table_lookup (table, key);

	return text != NULL ? (guint) g_ascii_strtoull (text, NULL, 10) : 0;
}

static void
source_clear (gpointer data)
{
	XnRrdSource *source = data;

	g_free (source->name);
	g_free (source->type);
}

static void
archive_clear (gpointer data)
{
	g_free (((XnRrdArchive *) data)->cf);
}

void
xn_rrd_layout_free (XnRrdLayout *layout)
{
	if (layout == NULL)
		return;
	g_array_unref (layout->sources);
	g_array_unref (layout->archives);
	g_free (layout);
}

static void
layout_sources (GHashTable *table, GArray *sources)
{
	GHashTableIter iter;
	gpointer key, value;

	g_array_set_size (sources, count_sources (table));
	g_hash_table_iter_init (&iter, table);
	while (g_hash_table_iter_next (&iter, &key, &value)) {
		const char *k = key;
		gsize name_len;
		guint index = (guint) g_ascii_strtoull (value, NULL, 10);
		XnRrdSource *s;

		if (!g_str_has_prefix (k, "ds[") || !g_str_has_suffix (k, "].index") || index >= sources->len)
			continue;
		name_len = strlen (k) - strlen ("ds[") - strlen ("].index");
		s = &g_array_index (sources, XnRrdSource, index);
		g_free (s->name);
		s->name = g_strndup (k + strlen ("ds["), name_len);
	}
	for (guint i = 0; i < sources->len; i++) {
		XnRrdSource *s = &g_array_index (sources, XnRrdSource, i);
		g_autofree char *type = g_strdup_printf ("ds[%s].type", s->name);
		g_autofree char *heartbeat = g_strdup_printf ("ds[%s].minimal_heartbeat", s->name);
		g_autofree char *min = g_strdup_printf ("ds[%s].min", s->name);
		g_autofree char *max = g_strdup_printf ("ds[%s].max", s->name);

		s->type = g_strdup (g_hash_table_lookup (table, type));
		s->heartbeat_s = table_uint (table, heartbeat);
		s->min = table_double (table, min);
		s->max = table_double (table, max);
	}
}

XnRrdLayout *
xn_rrd_describe (XnRrd *rrd, const char *path, GError **error)
{
	g_autoptr(GHashTable) table = info (rrd->daemon, path, error);
	XnRrdLayout *layout;

	if (table == NULL)
		return NULL;
	layout = g_new0 (XnRrdLayout, 1);
	layout->step_s = table_uint (table, "step");
	layout->last_update = (XnInstant) table_uint (table, "last_update") * XN_USEC_PER_SEC;
	layout->sources = g_array_new (FALSE, TRUE, sizeof (XnRrdSource));
	g_array_set_clear_func (layout->sources, source_clear);
	layout->archives = g_array_new (FALSE, TRUE, sizeof (XnRrdArchive));
	g_array_set_clear_func (layout->archives, archive_clear);
	layout_sources (table, layout->sources);
	for (guint i = 0; ; i++) {
		g_autofree char *cf = g_strdup_printf ("rra[%u].cf", i);
		g_autofree char *rows = g_strdup_printf ("rra[%u].rows", i);
		g_autofree char *pdp = g_strdup_printf ("rra[%u].pdp_per_row", i);
		XnRrdArchive archive;

		if (!g_hash_table_contains (table, cf))
			break;
		archive.cf = g_strdup (g_hash_table_lookup (table, cf));
		archive.rows = table_uint (table, rows);
		archive.pdp_per_row = table_uint (table, pdp);
		g_array_append_val (layout->archives, archive);
	}
	return layout;
}

void
xn_rrd_series_free (XnRrdSeries *series)
{
	if (series == NULL)
		return;
	g_strfreev (series->sources);
	g_free (series->values);
	g_free (series);
}

XnRrdSeries *
xn_rrd_fetch (XnRrd *rrd, const char *path, const char *cf, XnInstant start, XnInstant end,
	      guint resolution_s, GError **error)
{
	time_t s = (time_t) (start / XN_USEC_PER_SEC), e = (time_t) (end / XN_USEC_PER_SEC);
	unsigned long step = resolution_s, n_sources = 0;
	char **names = NULL;
	rrd_value_t *data = NULL;
	XnRrdSeries *series;

	if (rrd->daemon != NULL) {
		g_autofree char *command = daemon_command ("FLUSH", path, NULL);

		if (!xn_rrdcached_command (rrd->daemon, command, NULL, error)) {
			g_prefix_error (error, "%s: cannot flush: ", path);
			return NULL;
		}
	}
	rrd_clear_error ();
	if (rrd_fetch_r (path, cf, &s, &e, &step, &n_sources, &names, &data) != 0) {
		set_librrd_error (error, path, "cannot fetch");
		return NULL;
	}
	series = g_new0 (XnRrdSeries, 1);
	series->start = (XnInstant) s * XN_USEC_PER_SEC;
	series->step_s = (guint) step;
	series->n_rows = step > 0 ? (guint) ((e - s) / (time_t) step) : 0;
	series->n_sources = (guint) n_sources;
	series->sources = g_new0 (char *, n_sources + 1);
	for (unsigned long i = 0; i < n_sources; i++) {
		series->sources[i] = g_strdup (names[i]);
		rrd_freemem (names[i]);
	}
	rrd_freemem (names);
	series->values = g_memdup2 (data, sizeof (double) * series->n_rows * n_sources);
	rrd_freemem (data);
	return series;
}

double
xn_rrd_series_value_at (const XnRrdSeries *series, const char *source, XnInstant t)
{
	gint64 offset = t - series->start;
	gint64 step_us = (gint64) series->step_s * XN_USEC_PER_SEC;
	gint64 row;

	if (step_us == 0 || offset <= 0 || offset % step_us != 0)
		return NAN;
	row = offset / step_us - 1;
	if (row >= series->n_rows)
		return NAN;
	for (guint j = 0; j < series->n_sources; j++)
		if (strcmp (series->sources[j], source) == 0)
			return series->values[row * series->n_sources + j];
	return NAN;
}
