/* test-ticket-util.c — helpers of the ticket tests (test-ticket-util.h). */
#include "test-ticket-util.h"
#include "xn-error.h"

#include <stdio.h>
#include <string.h>

/* 2025-03-10T00:00:00+08:00 */
#define BASE G_GINT64_CONSTANT (1741536000000000)

static void
hand_node (XnInventory *inv, const char *name, const char *site, const char *parent, const char *carrier)
{
	XnNode *node = xn_node_new (name, parent == NULL ? XN_NODE_BACKBONE : XN_NODE_ACCESS, site, "192.0.2.1");

	node->parent_name = g_strdup (parent);
	node->maintained_by = g_strdup (carrier);
	g_assert_true (xn_inventory_add_node (inv, node, NULL));
}

static void
hand_link (XnInventory *inv, const char *id, const char *carrier, const char *a, const char *a_if,
	   const char *z, const char *z_if, const char *site)
{
	XnLink *link = xn_link_new (id, 100000, a, a_if, site);

	link->carrier_name = g_strdup (carrier);
	link->circuit_id = g_strdup_printf ("C-%s", id);
	link->z.node_name = g_strdup (z);
	link->z.interface = g_strdup (z_if);
	g_assert_true (xn_inventory_add_link (inv, link, NULL));
}

/* core ─ L-core (telecom, core-room site) ─ agg (core room) ─ L-town
 * (telecom, township) ─ town (unit town-gov); core ─ L-own (no carrier)
 * ─ unit own-office (county-unit, its own equipment at the Z end). */
static XnInventory *
hand_inventory (void)
{
	XnInventory *inv = xn_inventory_new ();
	XnCarrier *carrier = xn_carrier_new ("telecom", XN_CHANNEL_SPOOL);
	g_autoptr(GError) error = NULL;

	carrier->display_name = g_strdup ("电信");
	carrier->address = g_strdup ("/var/spool/extranoc/telecom");
	g_assert_true (xn_inventory_add_region (inv, xn_region_new ("city", XN_REGION_CITY), NULL));
	g_assert_true (xn_inventory_add_site (inv, xn_site_new ("room", "city", "core-room"), NULL));
	g_assert_true (xn_inventory_add_site (inv, xn_site_new ("town-site", "city", "township"), NULL));
	g_assert_true (xn_inventory_add_site (inv, xn_site_new ("campus", "city", "county-unit"), NULL));
	g_assert_true (xn_inventory_add_carrier (inv, carrier, NULL));
	hand_node (inv, "core", "room", NULL, NULL);
	hand_node (inv, "agg", "room", "core", NULL);
	hand_node (inv, "town", "town-site", "agg", NULL);
	hand_link (inv, "L-core", "telecom", "core", "ge-0/0/1", "agg", "ge-0/0/1", "room");
	hand_link (inv, "L-town", "telecom", "agg", "ge-0/1/0", "town", "ge-0/0/0", "town-site");
	hand_link (inv, "L-own", NULL, "core", "ge-0/0/9", NULL, "cpe", "campus");
	g_assert_true (xn_inventory_add_unit (inv, xn_access_unit_new ("town-gov", "镇政府", "town-site", "L-town"), NULL));
	g_assert_true (xn_inventory_add_unit (inv, xn_access_unit_new ("own-office", "自建办公室", "campus", "L-own"), NULL));
	g_assert_true (xn_inventory_resolve (inv, &error));
	g_assert_no_error (error);
	return inv;
}

void
tfixtures_init (TFixtures *fx)
{
	const char *top = g_getenv ("top_srcdir");
	g_autofree char *srcdir = g_canonicalize_filename (top != NULL ? top : ".", NULL);
	g_autofree char *county = g_build_filename (srcdir, "data", "sample-county.json", NULL);
	g_autofree char *yang = g_build_filename (srcdir, "yang", NULL);
	const char *files[] = { county, NULL };
	g_autoptr(GError) error = NULL;

	fx->config = xn_config_load (yang, files, &error);
	g_assert_no_error (error);
	fx->county = xn_config_get_inventory (fx->config);
	fx->hand = hand_inventory ();
	fx->tz = xn_time_zone_new ("Asia/Shanghai", &error);
	g_assert_no_error (error);
}

void
tfixtures_clear (TFixtures *fx)
{
	g_time_zone_unref (fx->tz);
	xn_inventory_free (fx->hand);
	xn_config_free (fx->config);
}

XnInstant
tat (const char *offset)
{
	guint h = 0, m = 0, s = 0;

	g_assert_cmpint (sscanf (offset, "%u:%u:%u", &h, &m, &s), ==, 3);
	return BASE + ((gint64) h * 3600 + m * 60 + s) * XN_USEC_PER_SEC;
}

char *
thms (XnInstant t)
{
	gint64 s;

	if (t == XN_TICKET_NONE)
		return g_strdup ("-");
	if (t == XN_OUTAGE_OPEN)
		return g_strdup ("open");
	s = (t - BASE) / XN_USEC_PER_SEC;
	return g_strdup_printf ("%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
				s / 3600, s % 3600 / 60, s % 60);
}

XnFact *
tfact (gint64 seq, const TF *f)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) attrs = xn_fact_attrs_from_json (f->attrs != NULL ? f->attrs : "{}", &error);
	const char *source = g_str_has_prefix (f->kind, "fault.") || g_str_has_prefix (f->kind, "maintenance.") ? "cli:alice"
		: g_str_has_prefix (f->kind, "trap.") ? "collector" : "poller";
	XnFact *fact;

	g_assert_no_error (error);
	fact = xn_fact_new (tat (f->at), f->kind, f->subject, source,
			    tat (f->recorded != NULL ? f->recorded : f->at), attrs);
	fact->seq = seq;
	return fact;
}

XnTicketEngine *
tengine (const XnInventory *inventory, gint window_s, const XnTicketOptions *options)
{
	g_autoptr(GError) error = NULL;
	XnOutageOptions outage;
	XnTicketEngine *engine;

	xn_outage_options_init (&outage);
	if (window_s >= 0)
		outage.correlation_window_us = window_s * XN_USEC_PER_SEC;
	engine = xn_ticket_engine_new (inventory, &outage, options, &error);
	g_assert_no_error (error);
	return engine;
}

void
tfeed (XnTicketEngine *engine, gint64 seq, const TF *f)
{
	g_autoptr(XnFact) fact = tfact (seq, f);
	g_autoptr(GError) error = NULL;

	g_assert_true (xn_ticket_engine_feed (engine, fact, &error));
	g_assert_no_error (error);
}

void
tfeed_all (XnTicketEngine *engine, const TF *facts)
{
	for (guint i = 0; facts[i].at != NULL; i++)
		tfeed (engine, i + 1, &facts[i]);
}

XnTicketEngine *
trestore (const XnInventory *inventory, gint window_s, const char *snapshot)
{
	g_autoptr(GError) error = NULL;
	XnOutageOptions outage;
	XnTicketEngine *engine;

	xn_outage_options_init (&outage);
	if (window_s >= 0)
		outage.correlation_window_us = window_s * XN_USEC_PER_SEC;
	engine = xn_ticket_engine_restore (inventory, &outage, NULL, snapshot, &error);
	g_assert_no_error (error);
	g_assert_nonnull (engine);
	return engine;
}

char *
tdescribe_events (const GPtrArray *events)
{
	GString *s = g_string_new (NULL);

	for (guint i = 0; i < events->len; i++) {
		const XnTicketEvent *e = g_ptr_array_index (events, i);
		g_autofree char *at = thms (e->instant);

		g_string_append_printf (s, "%s %s %s", at, e->id, e->carrier != NULL ? e->carrier : "-");
		if (e->deadline != XN_TICKET_NONE)
			g_string_append_printf (s, " over=%" G_GINT64_FORMAT, e->over_us / XN_USEC_PER_SEC);
		g_string_append_c (s, '\n');
	}
	return g_string_free (s, FALSE);
}

char *
ttake (XnTicketEngine *engine)
{
	g_autoptr(GPtrArray) events = xn_ticket_engine_take_events (engine);

	return tdescribe_events (events);
}

char *
tdescribe_ticket (const XnTicket *t)
{
	g_autofree char *r = thms (t->report), *resp = thms (t->response_deadline), *rest = thms (t->restore_deadline);
	g_autofree char *restored = thms (t->restored), *closed = thms (t->closed);
	g_autofree char *units = g_strjoinv (",", t->units);
	GString *s = g_string_new (NULL);

	g_string_append_printf (s, "%s %s %s %s %s R=%s resp=%s rest=%s restored=%s closed=%s units=%s outages=",
				t->id, xn_ticket_status_to_string (t->status),
				xn_ticket_attribution_to_string (t->attribution), t->carrier != NULL ? t->carrier : "-",
				t->sla_class != NULL ? t->sla_class : "-", r, resp, rest, restored, closed, units);
	for (guint i = 0; i < t->outages->len; i++) {
		const XnTicketOutage *a = g_ptr_array_index (t->outages, i);

		g_string_append_printf (s, "%s%s(%s)", i > 0 ? "," : "", a->id, xn_ticket_link_to_string (a->link));
	}
	if (t->merged_into != NULL)
		g_string_append_printf (s, " into=%s", t->merged_into);
	return g_string_free (s, FALSE);
}

char *
tdescribe_tickets (const XnTicketEngine *engine)
{
	g_autoptr(GPtrArray) tickets = xn_ticket_engine_list (engine, FALSE);
	GString *s = g_string_new (NULL);

	for (guint i = 0; i < tickets->len; i++) {
		g_autofree char *line = tdescribe_ticket (g_ptr_array_index (tickets, i));

		g_string_append_printf (s, "%s\n", line);
	}
	return g_string_free (s, FALSE);
}

XnTicket *
tlookup (const XnTicketEngine *engine, const char *id)
{
	XnTicket *t = xn_ticket_engine_lookup (engine, id);

	g_assert_nonnull (t);
	return t;
}
