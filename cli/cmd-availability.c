/* cmd-availability.c — `extranoc availability --period P [--by WHAT] [--json]`.
 *
 * Availability of every node, link or access unit, or of groups of them
 * (carriers, regions, site classes), in one calendar period, from the
 * outages either stored by the collector (the default) or replayed from a
 * JSON-lines journal (--journal FILE). The arithmetic is sla/availability
 * (doc/availability.md): an object's downtime is the union of its outage
 * intervals in the period, a unit's the union of every outage that lists
 * it among its affected units, and a group's figures are the sums of its
 * members' seconds. Who belongs to which group is decided here (see
 * doc/derived.md): a carrier's members are its links, a region's the units
 * of its sites and of its sub-regions' sites, a site class's the units of
 * sites of that class. A period that has not ended is measured up to now
 * (or --at), open outages up to the same instant.
 *
 * Planned downtime comes from the notice book (sla/maintenance.h) built
 * from the same journal's maintenance.* facts and the working-day
 * calendar: the part of an outage that a compliant window plans
 * (xn_maintenance_book_plans) is a planned interval of its object and of
 * every unit it lists, exactly as its whole is a down interval, and the
 * arithmetic takes it out of the measured time. Which part is planned is
 * the book's rule, not this file's; here the planned outages used and the
 * flagged windows (late, unapproved…, which exclude nothing) are listed
 * under the figures so that a reader can check every excluded second. */
#include "commands.h"
#include "availability.h"
#include "journal.h"
#include "maintenance.h"
#include "outage-view.h"
#include "period.h"
#include "topology.h"
#include "xn-error.h"

#include <stdio.h>
#include <string.h>

#define CMD "availability"
#define PERCENT_DECIMALS 4

typedef enum {
	BY_NODE, BY_LINK, BY_UNIT, BY_CARRIER, BY_REGION, BY_SITE_CLASS,
} By;

static const char *const by_names[] = { "node", "link", "unit", "carrier", "region", "site-class" };

typedef struct {
	char           *name;     /* NULL: the group of links without a carrier */
	XnAvailability  a;
	GPtrArray      *members;  /* Row*, for a group; NULL for an object */
} Row;

static void
row_free (Row *row)
{
	g_free (row->name);
	if (row->members != NULL)
		g_ptr_array_unref (row->members);
	g_free (row);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Row, row_free)

typedef struct {
	By             by;
	XnPeriod      *period;      /* measured: cut at `at` when it runs past it */
	gboolean       complete;    /* the period was not cut */
	GHashTable    *down;        /* "node/N", "link/L", "unit/U" → GArray of XnInterval */
	GHashTable    *planned;     /* the same keys → GArray of XnInterval: planned parts of outages */
	GArray        *used;        /* XnMaintenancePlanned: the planned parts that reach into the period */
	GPtrArray     *flagged;     /* const XnMaintenanceWindow* (the book's) that touch the period */
	GPtrArray     *rows;        /* Row*: objects, or groups with their members */
	Row           *total;
} Report;

static int
fail (const GError *error)
{
	fprintf (stderr, "extranoc " CMD ": %s\n", error->message);
	return XN_EXIT_FAILED;
}

static int
usage (const char *message)
{
	fprintf (stderr, "extranoc " CMD ": %s\n"
		 "usage: extranoc availability [--config CONF] --period P [--by node|link|unit|carrier|region|"
		 "site-class]\n                             [--db PATH | --journal FILE] [--calendar-dir DIR] "
		 "[--at ISO8601] [--json]\n",
		 message);
	return XN_EXIT_USAGE;
}

static void
add_interval (GHashTable *down, const char *prefix, const char *name, XnInstant start, XnInstant end)
{
	g_autofree char *key = g_strconcat (prefix, name, NULL);
	GArray *intervals = g_hash_table_lookup (down, key);
	XnInterval interval = { start, end };

	if (intervals == NULL) {
		intervals = g_array_new (FALSE, FALSE, sizeof (XnInterval));
		g_hash_table_insert (down, g_steal_pointer (&key), intervals);
	}
	g_array_append_val (intervals, interval);
}

static GHashTable *
intervals_new (void)
{
	return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
}

/* [start, end) counts for the outage's own object and for every unit it
 * cuts off: down intervals and planned ones are made alike. */
static void
add_outage_interval (GHashTable *intervals, const XnOutage *outage, XnInstant start, XnInstant end)
{
	add_interval (intervals, "", outage->object, start, end);
	for (guint u = 0; outage->units[u] != NULL; u++)
		add_interval (intervals, "unit/", outage->units[u], start, end);
}

/* XN_OUTAGE_OPEN is XN_INTERVAL_OPEN, which lasts to the period's end. */
static GHashTable *
down_intervals (const GPtrArray *outages)
{
	GHashTable *down = intervals_new ();

	for (guint i = 0; i < outages->len; i++) {
		const XnOutage *outage = g_ptr_array_index (outages, i);

		add_outage_interval (down, outage, outage->start, outage->end);
	}
	return down;
}

/* The planned part of each outage, as the book decides it. The root an
 * outage began under is looked up among the same outages: a store read
 * from the period's start may lack a root that ended before it, and then
 * what that root planned of the dependent ended before the period too. */
static void
plan_outages (Report *report, const XnMaintenanceBook *book, const GPtrArray *outages)
{
	g_autoptr(GArray) parts = xn_maintenance_book_planned (book, outages);

	report->planned = intervals_new ();
	report->used = g_array_new (FALSE, FALSE, sizeof (XnMaintenancePlanned));
	for (guint i = 0; i < parts->len; i++) {
		const XnMaintenancePlanned *p = &g_array_index (parts, XnMaintenancePlanned, i);

		add_outage_interval (report->planned, p->outage, p->from, p->until);
		if (p->from < report->period->end && p->until > report->period->start)
			g_array_append_vals (report->used, p, 1);
	}
}

/* The flagged windows a reader of this period should hear about: those
 * that overlap it, and an invalid notice filed in it (its times may be
 * unreadable). */
static void
flag_windows (Report *report, const XnMaintenanceBook *book)
{
	g_autoptr(GPtrArray) flagged = xn_maintenance_book_flagged (book);
	XnInstant from = report->period->start, to = report->period->end;

	report->flagged = g_ptr_array_new ();
	for (guint i = 0; i < flagged->len; i++) {
		const XnMaintenanceWindow *w = g_ptr_array_index (flagged, i);

		if ((w->problem == NULL && w->start < to && w->end > from) ||
		    (w->problem != NULL && w->filed >= from && w->filed < to))
			g_ptr_array_add (report->flagged, (gpointer) w);
	}
}

static Row *
object_row (Report *report, const char *prefix, const char *name)
{
	g_autofree char *key = g_strconcat (prefix, name, NULL);
	GArray *down = g_hash_table_lookup (report->down, key);
	GArray *planned = g_hash_table_lookup (report->planned, key);
	Row *row = g_new0 (Row, 1);

	row->name = g_strdup (name);
	xn_availability_compute (report->period, down != NULL ? (XnInterval *) down->data : NULL,
				 down != NULL ? down->len : 0, planned != NULL ? (XnInterval *) planned->data : NULL,
				 planned != NULL ? planned->len : 0, &row->a);
	return row;
}

static int
compare_rows (gconstpointer a, gconstpointer b)
{
	const Row *x = *(const Row *const *) a;
	const Row *y = *(const Row *const *) b;

	/* the group without a name (links of no carrier) last */
	if (x->name == NULL || y->name == NULL)
		return (x->name == NULL) - (y->name == NULL);
	return strcmp (x->name, y->name);
}

/* The group named `name` in `groups`, made on first use. */
static Row *
group_of (GHashTable *groups, const char *name)
{
	const char *key = name != NULL ? name : "";
	Row *group = g_hash_table_lookup (groups, key);

	if (group == NULL) {
		group = g_new0 (Row, 1);
		group->name = g_strdup (name);
		group->members = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
		g_hash_table_insert (groups, g_strdup (key), group);
	}
	return group;
}

static void
add_member (Row *group, Row *member)
{
	xn_availability_add (&group->a, &member->a);
	g_ptr_array_add (group->members, member);
}

/* Every region the unit's site is in: its own and each one above. */
static void
add_unit_to_regions (Report *report, GHashTable *groups, const XnAccessUnit *unit)
{
	for (const XnRegion *region = unit->site->region; region != NULL; region = region->parent)
		add_member (group_of (groups, region->name), object_row (report, "unit/", unit->name));
}

/* Every group the inventory names, empty so far: a group that stays
 * without members is shown as such. */
static void
name_groups (By by, const XnInventory *inventory, GHashTable *groups)
{
	const GPtrArray *objects = by == BY_CARRIER ? xn_inventory_get_carriers (inventory)
				 : by == BY_REGION ? xn_inventory_get_regions (inventory)
				 : xn_inventory_get_sites (inventory);

	for (guint i = 0; i < objects->len; i++) {
		gconstpointer object = g_ptr_array_index (objects, i);

		group_of (groups, by == BY_CARRIER ? ((const XnCarrier *) object)->name
				  : by == BY_REGION ? ((const XnRegion *) object)->name
				  : ((const XnSite *) object)->sla_class);
	}
}

/* Groups, each with its members; the total sums each member once. */
static void
build_groups (Report *report, const XnInventory *inventory)
{
	g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	const GPtrArray *all = report->by == BY_CARRIER ? xn_inventory_get_links (inventory)
						    : xn_inventory_get_units (inventory);
	GHashTableIter iter;
	gpointer group;

	name_groups (report->by, inventory, groups);
	for (guint i = 0; i < all->len; i++) {
		if (report->by == BY_CARRIER) {
			const XnLink *link = g_ptr_array_index (all, i);
			Row *member = object_row (report, "link/", link->id);

			xn_availability_add (&report->total->a, &member->a);
			add_member (group_of (groups, link->carrier_name), member);
		} else {
			const XnAccessUnit *unit = g_ptr_array_index (all, i);
			g_autoptr(Row) once = object_row (report, "unit/", unit->name);

			xn_availability_add (&report->total->a, &once->a);
			if (report->by == BY_REGION)
				add_unit_to_regions (report, groups, unit);
			else
				add_member (group_of (groups, unit->site->sla_class), object_row (report, "unit/", unit->name));
		}
	}
	g_hash_table_iter_init (&iter, groups);
	while (g_hash_table_iter_next (&iter, NULL, &group)) {
		g_ptr_array_sort (((Row *) group)->members, compare_rows);
		g_ptr_array_add (report->rows, group);
	}
}

static void
build_objects (Report *report, const XnInventory *inventory)
{
	const GPtrArray *objects = report->by == BY_NODE ? xn_inventory_get_nodes (inventory)
				 : report->by == BY_LINK ? xn_inventory_get_links (inventory)
				 : xn_inventory_get_units (inventory);

	for (guint i = 0; i < objects->len; i++) {
		gconstpointer object = g_ptr_array_index (objects, i);
		Row *row = report->by == BY_NODE ? object_row (report, "node/", ((const XnNode *) object)->name)
			 : report->by == BY_LINK ? object_row (report, "link/", ((const XnLink *) object)->id)
			 : object_row (report, "unit/", ((const XnAccessUnit *) object)->name);

		xn_availability_add (&report->total->a, &row->a);
		g_ptr_array_add (report->rows, row);
	}
}

static void
report_build (Report *report, const XnInventory *inventory, const GPtrArray *outages, const XnMaintenanceBook *book)
{
	report->down = down_intervals (outages);
	plan_outages (report, book, outages);
	flag_windows (report, book);
	report->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
	report->total = g_new0 (Row, 1);
	report->total->name = g_strdup ("total");
	if (report->by <= BY_UNIT)
		build_objects (report, inventory);
	else
		build_groups (report, inventory);
	g_ptr_array_sort (report->rows, compare_rows);
}

static void
report_clear (Report *report)
{
	g_clear_pointer (&report->period, xn_period_free);
	g_clear_pointer (&report->down, g_hash_table_unref);
	g_clear_pointer (&report->planned, g_hash_table_unref);
	g_clear_pointer (&report->used, g_array_unref);
	g_clear_pointer (&report->flagged, g_ptr_array_unref);
	g_clear_pointer (&report->rows, g_ptr_array_unref);
	g_clear_pointer (&report->total, row_free);
}

/* ---- output ---- */

static XnJsonOut *
figures_json (const XnAvailability *a)
{
	XnJsonOut *out = xn_json_out_object ();
	const struct { const char *key; gint64 usec; } amounts[] = {
		{ "period_s", a->period_us }, { "planned_s", a->planned_us }, { "measured_s", a->measured_us },
		{ "down_s", a->down_us }, { "up_s", a->up_us },
	};
	g_autofree char *percent = xn_availability_format_percent (a, PERCENT_DECIMALS);

	for (gsize i = 0; i < G_N_ELEMENTS (amounts); i++) {
		g_autofree char *seconds = xn_seconds_format (amounts[i].usec);

		xn_json_out_set (out, amounts[i].key, xn_json_out_number (seconds));
	}
	xn_json_out_set (out, "members", xn_json_out_int (a->members));
	xn_json_out_set (out, "percent", percent != NULL ? xn_json_out_number (percent) : xn_json_out_null ());
	return out;
}

static XnJsonOut *
row_json (const Row *row)
{
	XnJsonOut *out = figures_json (&row->a);

	xn_json_out_set (out, "name", xn_json_out_string (row->name));
	if (row->members != NULL) {
		XnJsonOut *members = xn_json_out_array ();

		for (guint i = 0; i < row->members->len; i++)
			xn_json_out_add (members, row_json (g_ptr_array_index (row->members, i)));
		xn_json_out_set (out, "objects", members);
	}
	return out;
}

static XnJsonOut *
planned_json (const Report *report)
{
	XnJsonOut *list = xn_json_out_array ();

	for (guint i = 0; i < report->used->len; i++) {
		const XnMaintenancePlanned *p = &g_array_index (report->used, XnMaintenancePlanned, i);
		XnJsonOut *o = xn_json_out_object ();

		xn_json_out_set (o, "outage", xn_json_out_string (p->outage->id));
		xn_json_out_set (o, "object", xn_json_out_string (p->outage->object));
		xn_json_out_set (o, "window", xn_json_out_string (p->window->id));
		xn_json_out_set (o, "from", xn_json_out_instant (p->from));
		xn_json_out_set (o, "until", xn_json_out_instant (p->until));
		xn_json_out_add (list, o);
	}
	return list;
}

static XnJsonOut *
flagged_json (const Report *report)
{
	XnJsonOut *list = xn_json_out_array ();

	for (guint i = 0; i < report->flagged->len; i++) {
		const XnMaintenanceWindow *w = g_ptr_array_index (report->flagged, i);
		XnJsonOut *o = xn_json_out_object ();

		xn_json_out_set (o, "window", xn_json_out_string (w->id));
		xn_json_out_set (o, "reasons", xn_json_out_strv ((const char *const *) w->reasons));
		xn_json_out_add (list, o);
	}
	return list;
}

static char *
report_json (const Report *report, XnJsonOut *source)
{
	g_autoptr(XnJsonOut) doc = xn_json_out_object ();
	g_autofree char *period = xn_period_format (report->period);
	XnJsonOut *rows = xn_json_out_array ();

	xn_json_out_set (doc, "period", xn_json_out_string (period));
	xn_json_out_set (doc, "start", xn_json_out_instant (report->period->start));
	xn_json_out_set (doc, "end", xn_json_out_instant (report->period->end));
	xn_json_out_set (doc, "complete", xn_json_out_bool (report->complete));
	xn_json_out_set (doc, "timezone", xn_json_out_string (g_time_zone_get_identifier (report->period->tz)));
	xn_json_out_set (doc, "by", xn_json_out_string (by_names[report->by]));
	xn_json_out_set (doc, "source", source);
	for (guint i = 0; i < report->rows->len; i++)
		xn_json_out_add (rows, row_json (g_ptr_array_index (report->rows, i)));
	xn_json_out_set (doc, report->by <= BY_UNIT ? "objects" : "groups", rows);
	xn_json_out_set (doc, "total", figures_json (&report->total->a));
	xn_json_out_set (doc, "planned", planned_json (report));
	xn_json_out_set (doc, "flagged", flagged_json (report));
	return xn_json_out_print (doc);
}

enum { COL_NAME, COL_MEMBERS, COL_PERIOD, COL_PLANNED, COL_DOWN, COL_UP, COL_PERCENT, N_COLS };

static GStrv
row_cells (const char *name, const XnAvailability *a, gboolean group)
{
	GStrv cells = g_new0 (char *, N_COLS + 1);
	char *percent = xn_availability_format_percent (a, PERCENT_DECIMALS);

	cells[COL_NAME] = g_strdup (name);
	cells[COL_MEMBERS] = group ? g_strdup_printf ("%u", a->members) : g_strdup ("");
	cells[COL_PERIOD] = xn_seconds_format (a->period_us);
	cells[COL_PLANNED] = xn_seconds_format (a->planned_us);
	cells[COL_DOWN] = xn_seconds_format (a->down_us);
	cells[COL_UP] = xn_seconds_format (a->up_us);
	cells[COL_PERCENT] = percent != NULL ? percent : g_strdup (a->members == 0 ? "no members" : "-");
	return cells;
}

static void
print_table (GPtrArray *lines, gboolean groups)
{
	gsize widths[N_COLS] = { 0 };

	for (guint i = 0; i < lines->len; i++) {
		GStrv cells = g_ptr_array_index (lines, i);

		for (int c = 0; c < N_COLS; c++)
			widths[c] = MAX (widths[c], (gsize) g_utf8_strlen (cells[c], -1));
	}
	for (guint i = 0; i < lines->len; i++) {
		GStrv cells = g_ptr_array_index (lines, i);

		/* names left, figures right; the members column only for groups */
		printf ("%s%*s", cells[COL_NAME], (int) (widths[COL_NAME] - g_utf8_strlen (cells[COL_NAME], -1)), "");
		for (int c = groups ? COL_MEMBERS : COL_PERIOD; c < N_COLS; c++)
			printf ("  %*s", (int) widths[c], cells[c]);
		putchar ('\n');
	}
}

/* Under the figures: every planned part that took seconds out of them
 * (an outage that went on past it was down from there), and the windows
 * that might have and did not. */
static void
print_maintenance (const Report *report, GTimeZone *tz)
{
	printf ("\nplanned downtime: %u outage%s in compliant maintenance windows, not counted as down\n",
		report->used->len, report->used->len == 1 ? "" : "s");
	for (guint i = 0; i < report->used->len; i++) {
		const XnMaintenancePlanned *p = &g_array_index (report->used, XnMaintenancePlanned, i);
		g_autofree char *from = xn_time_format (p->from, tz), *until = xn_time_format (p->until, tz);

		printf ("  %s planned by %s from %s to %s%s\n", p->outage->id, p->window->id, from, until,
			p->until < p->outage->end ? ", unplanned after" : "");
	}
	for (guint i = 0; i < report->flagged->len; i++) {
		const XnMaintenanceWindow *w = g_ptr_array_index (report->flagged, i);
		g_autofree char *reasons = g_strjoinv ("; ", w->reasons);

		printf ("%s flagged: %s; excludes nothing\n", w->id, reasons);
	}
}

static void
report_print (const Report *report, const char *period_text, const char *source, GTimeZone *tz)
{
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
	g_autofree char *from = xn_time_format (report->period->start, tz);
	g_autofree char *to = xn_time_format (report->period->end, tz);
	g_autofree char *heading = g_ascii_strup (by_names[report->by], -1);
	gboolean groups = report->by > BY_UNIT;
	GStrv titles = g_new0 (char *, N_COLS + 1);

	printf ("availability %s%s: %s to %s (%s), by %s\n", period_text, report->complete ? "" : " so far",
		from, to, g_time_zone_get_identifier (tz), by_names[report->by]);
	printf ("outages: %s\n\n", source);
	titles[COL_NAME] = g_strdup (heading);
	titles[COL_MEMBERS] = g_strdup ("MEMBERS");
	titles[COL_PERIOD] = g_strdup ("PERIOD_S");
	titles[COL_PLANNED] = g_strdup ("PLANNED_S");
	titles[COL_DOWN] = g_strdup ("DOWN_S");
	titles[COL_UP] = g_strdup ("UP_S");
	titles[COL_PERCENT] = g_strdup ("PERCENT");
	g_ptr_array_add (lines, titles);
	for (guint i = 0; i < report->rows->len; i++) {
		const Row *row = g_ptr_array_index (report->rows, i);

		g_ptr_array_add (lines, row_cells (row->name != NULL ? row->name : "(no carrier)", &row->a, groups));
		for (guint m = 0; row->members != NULL && m < row->members->len; m++) {
			const Row *member = g_ptr_array_index (row->members, m);
			g_autofree char *name = g_strconcat ("  ", member->name, NULL);

			g_ptr_array_add (lines, row_cells (name, &member->a, FALSE));
		}
	}
	if (groups) {
		g_ptr_array_add (lines, row_cells ("total", &report->total->a, TRUE));
	} else {
		g_autofree char *total = g_strdup_printf ("total (%u)", report->total->a.members);

		g_ptr_array_add (lines, row_cells (total, &report->total->a, FALSE));
	}
	print_table (lines, groups);
	print_maintenance (report, tz);
}

/* ---- sources ---- */

typedef struct {
	XnOutageEngine    *engine;
	XnMaintenanceBook *book;
} Feeding;

/* The book takes the maintenance.* facts and skips the rest. */
static gboolean
feed_both (XnFact *fact, gpointer data, GError **error)
{
	Feeding *f = data;

	xn_maintenance_book_feed (f->book, fact);
	return xn_outage_engine_feed (f->engine, fact, error);
}

/* One pass over the file, feeding outages and notices alike: standard
 * input cannot be read twice. As xn_cli_replay() does, without a store. */
static GPtrArray *
outages_from_journal (const XnCliSetup *setup, const char *journal, XnInstant at, XnMaintenanceBook *book,
		      XnJsonOut *source, char **description, GError **error)
{
	g_autoptr(XnOutageEngine) engine = NULL;
	g_autofree char *at_text = xn_time_format (at, setup->tz);
	XnOutageOptions options;
	XnReplayCounts counts;
	Feeding feeding;

	xn_cli_outage_options (setup, &options);
	engine = xn_outage_engine_new (xn_config_get_inventory (setup->config), &options, error);
	feeding = (Feeding) { engine, book };
	if (engine == NULL || !xn_cli_replay_read (journal, at, feed_both, &feeding, &counts, error))
		return NULL;
	xn_outage_engine_advance (engine, at);
	xn_json_out_set (source, "journal", xn_json_out_string (journal));
	xn_json_out_set (source, "at", xn_json_out_instant (at));
	xn_json_out_set (source, "last_seq", xn_json_out_int (counts.last_seq));
	*description = g_strdup_printf ("replayed from %s up to %s (%" G_GUINT64_FORMAT " facts)", journal, at_text,
					counts.fed);
	return xn_outage_engine_list (engine, FALSE);
}

static GPtrArray *
outages_from_store (const XnCliSetup *setup, const char *location, XnInstant since, XnJsonOut *source,
		    char **description, GError **error)
{
	g_autoptr(XnDerived) store = xn_derived_open (location, XN_DERIVED_OPEN_EXISTING, error);
	g_autofree char *window = NULL;
	XnDerivedFilter filter = { FALSE, since };
	XnOutageOptions options;
	XnDerivedInfo info;
	GPtrArray *outages;

	if (store == NULL || (outages = xn_derived_list (store, &filter, &info, error)) == NULL)
		return NULL;
	xn_cli_outage_options (setup, &options);
	/* attributions follow the window, and so does what a window plans
	 * of a dependent outage: who reads the figures may compare them with
	 * a replay */
	if (info.window_us >= 0 && info.window_us != options.correlation_window_us)
		window = g_strdup_printf ("; derived with a correlation window of %" G_GINT64_FORMAT " s, the policy now "
					  "says %" G_GINT64_FORMAT " s", info.window_us / XN_USEC_PER_SEC,
					  options.correlation_window_us / XN_USEC_PER_SEC);
	xn_json_out_set (source, "db", xn_json_out_string (location));
	xn_json_out_set (source, "last_seq", xn_json_out_int (info.last_seq));
	*description = g_strdup_printf ("derived state in %s, up to seq %" G_GINT64_FORMAT "%s", location, info.last_seq,
					window != NULL ? window : "");
	return outages;
}

typedef struct {
	XnMaintenanceBook *book;
	XnInstant          at;
} BookFeeding;

static gboolean
feed_book (const XnFact *fact, gpointer data, GError **error)
{
	BookFeeding *f = data;

	if (fact->ts <= f->at)
		xn_maintenance_book_feed (f->book, fact);
	return TRUE;
}

/* The notices of the journal whose derived outages are used, dated up to
 * `at` as a replay would take them. The journal API filters by seq only,
 * so every fact is read (doc/availability.md, known limits). */
static gboolean
book_from_journal (const char *location, XnMaintenanceBook *book, XnInstant at, GError **error)
{
	g_autoptr(XnJournal) journal = xn_journal_open (location, XN_JOURNAL_OPEN_EXISTING, error);
	BookFeeding feeding = { book, at };

	return journal != NULL && xn_journal_foreach (journal, 0, 0, feed_book, &feeding, error);
}

/* The notice book and what it borrows, which must outlive it. */
typedef struct {
	XnCalendar        *calendar;
	XnTopology        *topology;
	XnMaintenanceBook *book;
} Notices;

static void
notices_clear (Notices *n)
{
	g_clear_pointer (&n->book, xn_maintenance_book_free);
	g_clear_pointer (&n->topology, xn_topology_free);
	g_clear_pointer (&n->calendar, xn_calendar_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Notices, notices_clear)

/* An empty book on the calendar in `dir` (NULL: $EXTRANOC_CALENDAR_DIR,
 * else the installed one). The calendar is loaded even when the journal
 * turns out to hold no notice: a report must not depend on luck to find a
 * broken installation. */
static gboolean
notices_init (Notices *n, const XnCliSetup *setup, const char *dir, GError **error)
{
	const XnInventory *inventory = xn_config_get_inventory (setup->config);

	n->calendar = xn_calendar_new ();
	if (!xn_calendar_load_dir (n->calendar, dir != NULL ? dir : xn_calendar_default_dir (), error)) {
		g_prefix_error (error, "the working-day calendar, needed to judge maintenance notices: ");
		return FALSE;
	}
	n->topology = xn_topology_new (inventory);
	n->book = xn_maintenance_book_new (inventory, n->topology, xn_config_get_policy (setup->config), n->calendar,
					   setup->tz);
	return TRUE;
}

/* The outages of the source, and the book fed with its notices up to the
 * measured period's end. */
static GPtrArray *
read_source (const XnCliSetup *setup, const char *db, const char *journal, const Report *report, Notices *notices,
	     XnJsonOut *source, char **description, GError **error)
{
	const char *location = xn_cli_journal_location (db, setup);
	g_autoptr(GPtrArray) outages = NULL;

	if (journal != NULL)
		return outages_from_journal (setup, journal, report->period->end, notices->book, source, description,
					     error);
	outages = outages_from_store (setup, location, report->period->start, source, description, error);
	if (outages == NULL || !book_from_journal (location, notices->book, report->period->end, error))
		return NULL;
	return g_steal_pointer (&outages);
}

static gboolean
parse_by (const char *text, By *by)
{
	for (gsize i = 0; i < G_N_ELEMENTS (by_names); i++) {
		if (strcmp (text, by_names[i]) == 0) {
			*by = (By) i;
			return TRUE;
		}
	}
	return FALSE;
}

/* The period as measured: cut at `at` when it runs past it. */
static gboolean
measure_period (Report *report, XnPeriod *period, const char *text, XnInstant at, GError **error)
{
	g_autofree char *at_text = NULL;

	report->complete = at >= period->end;
	if (report->complete) {
		report->period = xn_period_copy (period);
		return TRUE;
	}
	at_text = xn_time_format (at, period->tz);
	if (at <= period->start) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s has not begun at %s", text, at_text);
		return FALSE;
	}
	report->period = xn_period_new (period->start, at, period->tz, error);
	return report->period != NULL;
}

int
xn_cmd_availability (int argc, char **argv)
{
	g_autofree char *conf_path = NULL, *db = NULL, *journal = NULL, *period_text = NULL;
	g_autofree char *by_text = NULL, *at_text = NULL, *description = NULL, *calendar_dir = NULL;
	gboolean json = FALSE;
	const GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &conf_path,
		  "extranoc.conf naming the inventory, policy and journal (default "
		  XN_SYSCONFDIR "/extranoc/extranoc.conf)", "CONF" },
		{ "period", 'p', 0, G_OPTION_ARG_STRING, &period_text,
		  "2026, 2026-Q4, 2026-10, 2026-10-05 or FROM..TO, in the policy's time zone", "P" },
		{ "by", 0, 0, G_OPTION_ARG_STRING, &by_text,
		  "node, link, unit (default), carrier, region or site-class", "WHAT" },
		{ "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "the journal whose derived outages to use", "PATH" },
		{ "journal", 'j', 0, G_OPTION_ARG_FILENAME, &journal,
		  "replay this JSON-lines journal instead (- for standard input)", "FILE" },
		{ "calendar-dir", 'C', 0, G_OPTION_ARG_FILENAME, &calendar_dir,
		  "the working-day calendar files, to judge maintenance notices (default: $EXTRANOC_CALENDAR_DIR, else "
		  "the installed ones)", "DIR" },
		{ "at", 0, 0, G_OPTION_ARG_STRING, &at_text,
		  "measure as of this instant (default: now): a period still running ends here", "ISO8601" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print one JSON document", NULL },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GOptionContext) context = g_option_context_new (NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(XnCliSetup) setup = NULL;
	g_autoptr(GPtrArray) outages = NULL;
	g_autoptr(XnJsonOut) source = xn_json_out_object ();
	g_autoptr(XnPeriod) period = NULL;
	g_auto(Notices) notices = { NULL, NULL, NULL };
	Report report = { .by = BY_UNIT };
	XnInstant at = xn_time_now ();
	int status = XN_EXIT_OK;

	g_option_context_set_summary (context, "Availability in seconds and percent of nodes, links, access units "
				      "or groups of them in a calendar period.");
	g_option_context_add_main_entries (context, entries, NULL);
	if (!g_option_context_parse (context, &argc, &argv, &error))
		return usage (error->message);
	if (argc > 1)
		return usage ("unexpected argument (every value goes with its option)");
	if (period_text == NULL)
		return usage ("which period? (--period P)");
	if (by_text != NULL && !parse_by (by_text, &report.by))
		return usage ("--by takes node, link, unit, carrier, region or site-class");
	if (db != NULL && journal != NULL)
		return usage ("--db and --journal are two sources of outages: give one");
	setup = xn_cli_setup_load (conf_path, &error);
	if (setup == NULL)
		return fail (error);
	if (at_text != NULL && !xn_cli_parse_instant (CMD, "--at", at_text, setup->tz, &at))
		return XN_EXIT_USAGE;
	period = xn_period_parse (period_text, setup->tz, &error);
	if (period == NULL)
		return usage (error->message);
	if (!measure_period (&report, period, period_text, at, &error) ||
	    !notices_init (&notices, setup, calendar_dir, &error)) {
		report_clear (&report);
		return fail (error);
	}
	outages = read_source (setup, db, journal, &report, &notices, source, &description, &error);
	if (outages == NULL) {
		status = fail (error);
	} else {
		report_build (&report, xn_config_get_inventory (setup->config), outages, notices.book);
		if (json) {
			g_autofree char *text = report_json (&report, g_steal_pointer (&source));

			fputs (text, stdout);
		} else {
			report_print (&report, period_text, description, setup->tz);
		}
	}
	report_clear (&report);
	return status;
}
