/* test-snmp-poll.c — the request plan, the table walk and the decoding of
 * one poll (poller/snmp-poll.c) against a simulated agent in this file, which
 * answers the walk's own requests from a small MIB, correctly or with one
 * chosen misbehaviour: no network, every answer under the test's control.
 * The engine that sends the requests for real is test-snmp-engine.c's. */
#include "snmp-poll.h"

#include <string.h>

/* Warnings and messages the code under test logged, for the tests to check
 * (GTest's expected messages do not work with structured logging). */
static GPtrArray *logged;

static GLogWriterOutput
capture_log (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
	if (level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE)) {
		for (gsize i = 0; i < n_fields; i++)
			if (strcmp (fields[i].key, "MESSAGE") == 0)
				g_ptr_array_add (logged, g_strdup (fields[i].value));
		return G_LOG_WRITER_HANDLED;
	}
	return g_log_writer_default (level, fields, n_fields, user_data);
}

static guint
count_logged (const char *pattern)
{
	guint n = 0;

	for (guint i = 0; i < logged->len; i++)
		if (g_pattern_match_simple (pattern, g_ptr_array_index (logged, i)))
			n++;
	return n;
}

/* ------------------------------------------------------ the simulated agent */

typedef struct {
	XnSubid  arcs[24];
	guint    len;
	guint8   type;
	gint64   integer;
	guint64  u;
	guint8  *octets;
	gsize    octets_len;
	XnSubid  objid[16];
	guint    objid_len;
} MibEntry;

typedef enum {
	BAD_NONE, BAD_TOOBIG, BAD_GENERR, BAD_MISSING, BAD_EXTRA, BAD_NOSUCH, BAD_WRONG_TYPE, BAD_STUCK,
} Misbehaviour;

typedef struct {
	gboolean     v1;           /* GETNEXT past the end: noSuchName, as SNMPv1 agents say it */
	guint        truncate;     /* GETBULK answers hold at most this many varbinds (0: no limit) */
	Misbehaviour bulk;         /* what GETBULK does wrong */
	guint        toobig_over;  /* GETNEXT of more OIDs than this: tooBig */
	guint        bulk_toobig_over; /* GETBULK of more repetitions than this: tooBig */
	gboolean     drop_one;     /* GETNEXT answers lack their last varbind */
	const char  *stuck;        /* GETNEXT inside this column always answers its first row */
	guint        bulk_seen, getnext_seen, hc_asked;
} Sim;

typedef struct {
	XnVarbind vb[1024];
	guint     n;
	guint     status, index;
} Answer;

static void
parse_oid (const char *dotted, XnSubid *arcs, guint *len)
{
	g_auto(GStrv) parts = g_strsplit (dotted, ".", -1);

	*len = 0;
	for (guint i = 0; parts[i] != NULL; i++)
		arcs[(*len)++] = g_ascii_strtoull (parts[i], NULL, 10);
}

static MibEntry *
mib_add (GArray *mib, const char *oid, guint8 type)
{
	MibEntry e = { .type = type };

	parse_oid (oid, e.arcs, &e.len);
	g_array_append_val (mib, e);
	return &g_array_index (mib, MibEntry, mib->len - 1);
}

static void
mib_int (GArray *mib, const char *oid, guint8 type, gint64 value)
{
	MibEntry *e = mib_add (mib, oid, type);

	e->integer = value;
	e->u = (guint64) value;
}

static void
mib_bytes (GArray *mib, const char *oid, const void *bytes, gsize len)
{
	MibEntry *e = mib_add (mib, oid, XN_ASN_OCTET_STRING);

	e->octets = g_memdup2 (bytes, len);
	e->octets_len = len;
}

static void
mib_str (GArray *mib, const char *oid, const char *text)
{
	mib_bytes (mib, oid, text, strlen (text));
}

static void
mib_objid (GArray *mib, const char *oid, const char *value)
{
	MibEntry *e = mib_add (mib, oid, XN_ASN_OBJECT_ID);

	parse_oid (value, e->objid, &e->objid_len);
}

static int
cmp_arcs (const XnSubid *a, guint alen, const XnSubid *b, guint blen)
{
	for (guint i = 0; i < alen && i < blen; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return alen < blen ? -1 : alen > blen ? 1 : 0;
}

static int
entry_cmp (gconstpointer a, gconstpointer b)
{
	const MibEntry *x = a, *y = b;

	return cmp_arcs (x->arcs, x->len, y->arcs, y->len);
}

static void
mib_entry_clear (gpointer data)
{
	g_free (((MibEntry *) data)->octets);
}

#define IFX(col, idx) "1.3.6.1.2.1.31.1.1.1." #col "." #idx

static const guint8 hostile[] = "\0\x1b[31mred\xff\xc0;`rm -rf /`$(x)|&>'\"\\";
static const char *const if_index[] = { "1", "5", "1000001" };

/* Three interfaces (ifIndex 1, 5, 1000001) with HC and 32-bit counters,
 * a 10 Gbit/s port whose ifSpeed is saturated, a hostile and a 255-byte
 * ifAlias, two processors (10 % and 30 %) and a RAM storage row. */
static GArray *
standard_mib (gboolean hc, gboolean host_resources)
{
	GArray *mib = g_array_new (FALSE, TRUE, sizeof (MibEntry));
	static const guint64 speed[] = { 10000000, 4294967295u, 100000000 };
	static const guint64 high[] = { 10, 10000, 100 };
	static const char *const names[] = { "lo", "ge-0/0/1", "ge-0/0/2" };
	char long_alias[255];

	g_array_set_clear_func (mib, mib_entry_clear);
	memset (long_alias, 'A', sizeof long_alias);
	mib_str (mib, "1.3.6.1.2.1.1.1.0", "simulated agent");
	mib_int (mib, "1.3.6.1.2.1.1.3.0", XN_ASN_TIMETICKS, 12345);
	mib_str (mib, "1.3.6.1.2.1.1.5.0", "sim");
	mib_str (mib, "1.3.6.1.2.1.1.6.0", "after the system group");
	for (guint i = 0; i < 3; i++) {
		const char *x = if_index[i];
		guint64 k = i + 1;
		g_autofree char *o = NULL;
#define AT(base, col) (g_free (o), o = g_strdup_printf ("%s.%d.%s", base, col, x))
		const char *ift = "1.3.6.1.2.1.2.2.1", *ifx = "1.3.6.1.2.1.31.1.1.1";

		mib_int (mib, AT (ift, 5), XN_ASN_GAUGE32, (gint64) speed[i]);
		mib_int (mib, AT (ift, 7), XN_ASN_INTEGER, 1);
		mib_int (mib, AT (ift, 8), XN_ASN_INTEGER, i == 2 ? 2 : 1);
		mib_int (mib, AT (ift, 10), XN_ASN_COUNTER32, 1000 * k);
		mib_int (mib, AT (ift, 11), XN_ASN_COUNTER32, 10 * k);
		mib_int (mib, AT (ift, 13), XN_ASN_COUNTER32, k);
		mib_int (mib, AT (ift, 14), XN_ASN_COUNTER32, 2 * k);
		mib_int (mib, AT (ift, 16), XN_ASN_COUNTER32, 2000 * k);
		mib_int (mib, AT (ift, 17), XN_ASN_COUNTER32, 20 * k);
		mib_int (mib, AT (ift, 19), XN_ASN_COUNTER32, 3 * k);
		mib_int (mib, AT (ift, 20), XN_ASN_COUNTER32, 4 * k);
		mib_str (mib, AT (ifx, 1), names[i]);
		if (hc) {
			mib_int (mib, AT (ifx, 6), XN_ASN_COUNTER64, (gint64) (5000000000000 + k));
			mib_int (mib, AT (ifx, 7), XN_ASN_COUNTER64, (gint64) (7000000000 + k));
			mib_int (mib, AT (ifx, 10), XN_ASN_COUNTER64, (gint64) (6000000000000 + k));
			mib_int (mib, AT (ifx, 11), XN_ASN_COUNTER64, (gint64) (8000000000 + k));
		}
		/* none for lo: then ifHighSpeed.5 comes a row before ifSpeed.5,
		 * and the speed must not depend on that order */
		if (i > 0)
			mib_int (mib, AT (ifx, 15), XN_ASN_GAUGE32, (gint64) high[i]);
		if (i == 1)
			mib_bytes (mib, AT (ifx, 18), hostile, sizeof hostile - 1);
		else if (i == 2)
			mib_bytes (mib, AT (ifx, 18), long_alias, sizeof long_alias);
		else
			mib_str (mib, AT (ifx, 18), "");
#undef AT
	}
	if (host_resources) {
		mib_objid (mib, "1.3.6.1.2.1.25.2.3.1.2.1", "1.3.6.1.2.1.25.2.1.2");
		mib_objid (mib, "1.3.6.1.2.1.25.2.3.1.2.3", "1.3.6.1.2.1.25.2.1.4");
		mib_int (mib, "1.3.6.1.2.1.25.2.3.1.4.1", XN_ASN_INTEGER, 1024);
		mib_int (mib, "1.3.6.1.2.1.25.2.3.1.4.3", XN_ASN_INTEGER, 4096);
		mib_int (mib, "1.3.6.1.2.1.25.2.3.1.5.1", XN_ASN_INTEGER, 2048000);
		mib_int (mib, "1.3.6.1.2.1.25.2.3.1.5.3", XN_ASN_INTEGER, 100000);
		mib_int (mib, "1.3.6.1.2.1.25.2.3.1.6.1", XN_ASN_INTEGER, 512000);
		mib_int (mib, "1.3.6.1.2.1.25.2.3.1.6.3", XN_ASN_INTEGER, 50000);
		mib_int (mib, "1.3.6.1.2.1.25.3.3.1.2.196608", XN_ASN_INTEGER, 10);
		mib_int (mib, "1.3.6.1.2.1.25.3.3.1.2.196609", XN_ASN_INTEGER, 30);
	}
	g_array_sort (mib, entry_cmp);
	return mib;
}

static const MibEntry *
mib_next (GArray *mib, const XnOid *oid)
{
	for (guint i = 0; i < mib->len; i++) {
		const MibEntry *e = &g_array_index (mib, MibEntry, i);

		if (cmp_arcs (e->arcs, e->len, oid->arcs, oid->len) > 0)
			return e;
	}
	return NULL;
}

static void
put (Answer *a, const MibEntry *e, const XnOid *asked)
{
	XnVarbind *vb = &a->vb[a->n++];

	memset (vb, 0, sizeof *vb);
	if (e == NULL) {
		vb->name = *asked;
		vb->type = XN_ASN_END_OF_MIB_VIEW;
		return;
	}
	vb->name.arcs = e->arcs;
	vb->name.len = e->len;
	vb->type = e->type;
	vb->integer = e->integer;
	vb->unsigned64 = e->u;
	vb->octets = e->octets;
	vb->octets_len = e->octets_len;
	if (e->type == XN_ASN_OBJECT_ID) {
		vb->objid.arcs = e->objid;
		vb->objid.len = e->objid_len;
	}
}

static gboolean
in_prefix (const XnOid *oid, const char *dotted)
{
	XnSubid p[24];
	guint n;

	parse_oid (dotted, p, &n);
	return oid->len >= n && cmp_arcs (oid->arcs, n, p, n) == 0;
}

static void
answer_getnext (Sim *sim, GArray *mib, const XnSnmpRequest *r, Answer *a)
{
	sim->getnext_seen++;
	if (sim->toobig_over > 0 && r->n_oids > sim->toobig_over) {
		a->status = 1;
		return;
	}
	for (guint i = 0; i < r->n_oids; i++) {
		const MibEntry *e = mib_next (mib, &r->oids[i]);

		if (sim->stuck != NULL && in_prefix (&r->oids[i], sim->stuck)) {
			XnSubid p[24];
			guint n;
			XnOid first;

			parse_oid (sim->stuck, p, &n);
			first = (XnOid) { p, n };
			e = mib_next (mib, &first);
		}
		if (e == NULL && sim->v1) {
			a->n = 0;
			a->status = 2;
			a->index = i + 1;
			return;
		}
		put (a, e, &r->oids[i]);
	}
	if (sim->drop_one && a->n > 0)
		a->n--;
}

static void
answer_getbulk (Sim *sim, GArray *mib, const XnSnmpRequest *r, Answer *a)
{
	guint nr = r->non_repeat, m = r->n_oids - nr;
	XnOid pos[64];

	sim->bulk_seen++;
	if (sim->bulk_toobig_over > 0 && r->max_repeat > sim->bulk_toobig_over) {
		a->status = 1;
		return;
	}
	for (guint i = 0; i < nr; i++)
		put (a, mib_next (mib, &r->oids[i]), &r->oids[i]);
	memcpy (pos, r->oids + nr, m * sizeof (XnOid));
	for (guint rep = 0; rep < r->max_repeat; rep++) {
		for (guint i = 0; i < m; i++) {
			const MibEntry *e = mib_next (mib, &pos[i]);

			put (a, e, &pos[i]);
			if (e != NULL)
				pos[i] = (XnOid) { e->arcs, e->len };
		}
	}
	if (sim->truncate > 0 && a->n > sim->truncate)
		a->n = MAX (sim->truncate, nr + m);
	switch (sim->bulk) {
	case BAD_TOOBIG:     a->status = 1; break;
	case BAD_GENERR:     a->status = 5; a->index = 1; break;
	case BAD_MISSING:    a->n = nr + m - 1; break;
	case BAD_EXTRA:      a->vb[a->n] = a->vb[a->n - 1]; a->n = nr + m * r->max_repeat + 1; break;
	case BAD_NOSUCH:     a->vb[nr].type = XN_ASN_NO_SUCH_OBJECT; break;
	case BAD_STUCK:      a->vb[nr].name = r->oids[nr]; break;
	case BAD_WRONG_TYPE:
		for (guint i = 0; i < a->n; i++) {
			if (a->vb[i].type == XN_ASN_COUNTER64) {
				a->vb[i].type = XN_ASN_GAUGE32;
				break;
			}
		}
		break;
	case BAD_NONE:
		break;
	}
}

static XnWalkStep
feed_one (XnSnmpWalk *walk, Sim *sim, GArray *mib)
{
	const XnSnmpRequest *r = xn_snmp_walk_request (walk);
	static Answer a;
	XnSnmpReply reply = { .kind = XN_SNMP_REPLY_RESPONSE };

	memset (&a, 0, sizeof a);
	for (guint i = 0; i < r->n_oids; i++)
		if (in_prefix (&r->oids[i], "1.3.6.1.2.1.31.1.1.1.6"))
			sim->hc_asked++;
	if (r->command == XN_SNMP_GETBULK)
		answer_getbulk (sim, mib, r, &a);
	else
		answer_getnext (sim, mib, r, &a);
	reply.error_status = a.status;
	reply.error_index = a.index;
	reply.varbinds = a.vb;
	reply.n_varbinds = a.n;
	return xn_snmp_walk_feed (walk, &reply);
}

static XnWalkStep
run_walk (XnSnmpWalk *walk, Sim *sim, GArray *mib)
{
	for (guint i = 0; i < 500; i++) {
		XnWalkStep step = feed_one (walk, sim, mib);

		if (step != XN_WALK_CONTINUE)
			return step;
	}
	g_assert_not_reached ();
}

/* One whole poll with its own sample; memory carries over between calls. */
static XnNodeSample *
poll_sim (XnSnmpMemory *memory, XnSnmpVersion version, Sim *sim, GArray *mib, XnWalkStep expect)
{
	g_autoptr(XnSnmpWalk) walk = xn_snmp_walk_new ();
	XnNodeSample *sample = xn_node_sample_new ("sim");

	xn_snmp_walk_start (walk, memory, version, sample, "sim (192.0.2.1:161)");
	g_assert_cmpint (run_walk (walk, sim, mib), ==, expect);
	xn_snmp_walk_finish (walk);
	return sample;
}

/* What standard_mib() must give, with 64-bit or 32-bit counters. */
static void
check_standard (const XnNodeSample *s, gboolean hc, gboolean host_resources)
{
	const XnIfSample *lo, *ge1, *ge2;

	g_assert_cmpuint (s->have & (XN_NODE_HAVE_UPTIME | XN_NODE_HAVE_NAME | XN_NODE_HAVE_DESCR), ==,
			  XN_NODE_HAVE_UPTIME | XN_NODE_HAVE_NAME | XN_NODE_HAVE_DESCR);
	g_assert_cmpuint (s->sys_uptime, ==, 12345);
	g_assert_cmpstr (s->sys_name, ==, "sim");
	g_assert_cmpstr (s->sys_descr, ==, "simulated agent");
	g_assert_cmpuint (s->interfaces->len, ==, 3);
	lo = &g_array_index (s->interfaces, XnIfSample, 0);
	ge1 = &g_array_index (s->interfaces, XnIfSample, 1);
	ge2 = &g_array_index (s->interfaces, XnIfSample, 2);
	g_assert_cmpuint (lo->if_index, ==, 1);
	g_assert_cmpuint (ge1->if_index, ==, 5);
	g_assert_cmpuint (ge2->if_index, ==, 1000001);
	g_assert_cmpstr (ge1->name, ==, "ge-0/0/1");
	g_assert_cmpuint (ge1->oper_status, ==, XN_IF_STATUS_UP);
	g_assert_cmpuint (ge2->oper_status, ==, XN_IF_STATUS_DOWN);
	g_assert_cmpuint (ge2->admin_status, ==, XN_IF_STATUS_UP);
	g_assert_cmpuint (lo->speed_bps, ==, 10000000);
	g_assert_cmpuint (ge1->speed_bps, ==, G_GUINT64_CONSTANT (10000000000));
	g_assert_cmpuint (ge2->speed_bps, ==, 100000000);
	g_assert_cmpmem (ge1->alias, ge1->alias_len, hostile, sizeof hostile - 1);
	g_assert_cmpuint (ge2->alias_len, ==, 255);
	g_assert_cmpuint (strlen (ge2->alias), ==, 255);
	for (guint i = 0; i < 3; i++) {
		const XnIfSample *f = &g_array_index (s->interfaces, XnIfSample, i);
		guint64 k = i + 1;
		guint32 all = XN_IF_HAVE_NAME | XN_IF_HAVE_ALIAS | XN_IF_HAVE_OPER | XN_IF_HAVE_ADMIN |
			      XN_IF_HAVE_SPEED | XN_IF_HAVE_UCAST | XN_IF_HAVE_ERRORS | XN_IF_HAVE_DISCARDS;

		g_assert_cmphex (f->have, ==, all | (hc ? XN_IF_HAVE_HC_OCTETS : XN_IF_HAVE_OCTETS32));
		g_assert_cmpuint (f->in_octets, ==, hc ? 5000000000000 + k : 1000 * k);
		g_assert_cmpuint (f->out_octets, ==, hc ? 6000000000000 + k : 2000 * k);
		g_assert_cmpuint (f->in_ucast, ==, hc ? 7000000000 + k : 10 * k);
		g_assert_cmpuint (f->out_ucast, ==, hc ? 8000000000 + k : 20 * k);
		g_assert_cmpuint (f->in_discards, ==, k);
		g_assert_cmpuint (f->out_discards, ==, 3 * k);
		g_assert_cmpuint (f->in_errors, ==, 2 * k);
		g_assert_cmpuint (f->out_errors, ==, 4 * k);
	}
	if (host_resources) {
		g_assert_true (s->have & XN_NODE_HAVE_CPU);
		g_assert_cmpfloat_with_epsilon (s->cpu_percent, 20.0, 1e-9);
		g_assert_true (s->have & XN_NODE_HAVE_MEMORY);
		g_assert_cmpuint (s->mem_used_bytes, ==, G_GUINT64_CONSTANT (512000) * 1024);
		g_assert_cmpuint (s->mem_total_bytes, ==, G_GUINT64_CONSTANT (2048000) * 1024);
	} else {
		g_assert_false (s->have & (XN_NODE_HAVE_CPU | XN_NODE_HAVE_MEMORY));
	}
}

/* ---------------------------------------------------------- walk tests */

static void
test_max_repetitions (void)
{
	static const struct { guint nr, cols, bytes, rows; gboolean fill; guint want; } cases[] = {
		{ 0, 23, 24, 0, FALSE, 1400 / (23 * 24) },         /* 2 whole rows fit */
		{ 0, 23, 24, 0, TRUE, 1400 / (23 * 24) + 1 },      /* 3: the third fills, the agent trims it */
		{ 3, 18, 24, 0, FALSE, (1400 - 72) / (18 * 24) },  /* 3 */
		{ 3, 18, 24, 0, TRUE, (1400 - 72) / (18 * 24) + 1 },
		{ 0, 14, 25, 0, TRUE, 4 },                         /* 350 bytes a row: 4 reach 1,400 */
		{ 0, 14, 25, 0, FALSE, 4 },                        /* exactly 1,400: no partial row */
		{ 0, 13, 26, 0, TRUE, 5 },                         /* 338 a row: 4.14 rows, rounded up */
		{ 0, 13, 26, 0, FALSE, 4 },
		{ 0, 1, 8, 0, TRUE, XN_SNMP_MAX_REPETITIONS },     /* capped */
		{ 0, 1, 2, 0, FALSE, XN_SNMP_MAX_REPETITIONS },    /* a silly estimate counts as 8 bytes */
		{ 0, 40, 300, 0, FALSE, 1 },                       /* one row at least */
		{ 0, 40, 300, 0, TRUE, 1 },
		{ 0, 2, 20, 5, TRUE, 5 },                          /* 4 rows left and the end: 5 */
		{ 0, 2, 20, 100, FALSE, 35 },                      /* more rows than fit */
		{ 0, 0, 20, 0, TRUE, 1 },
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
		g_assert_cmpuint (xn_snmp_max_repetitions (cases[i].nr, cases[i].cols, cases[i].bytes, cases[i].rows,
							   cases[i].fill), ==, cases[i].want);
}

static gboolean
request_has (const XnSnmpRequest *r, const char *dotted)
{
	XnSubid p[24];
	guint n;

	parse_oid (dotted, p, &n);
	for (guint i = 0; i < r->n_oids; i++)
		if (cmp_arcs (r->oids[i].arcs, r->oids[i].len, p, n) == 0)
			return TRUE;
	return FALSE;
}

static void
test_plan (void)
{
	g_autoptr(XnSnmpWalk) walk = xn_snmp_walk_new ();
	g_autoptr(XnNodeSample) sample = xn_node_sample_new ("n");
	XnSnmpMemory memory;
	const XnSnmpRequest *r;

	/* v2c, nothing learnt: GETBULK of the three scalars and all 23 columns */
	xn_snmp_memory_init (&memory);
	xn_snmp_walk_start (walk, &memory, XN_SNMP_V2C, sample, "n");
	r = xn_snmp_walk_request (walk);
	g_assert_cmpint (r->command, ==, XN_SNMP_GETBULK);
	g_assert_cmpuint (r->non_repeat, ==, 3);
	g_assert_cmpuint (r->n_oids, ==, 3 + XN_COL_COUNT);
	g_assert_cmpuint (r->max_repeat, ==, xn_snmp_max_repetitions (3, XN_COL_COUNT, 24, 0, TRUE));
	g_assert_true (request_has (r, "1.3.6.1.2.1.1.1"));
	g_assert_true (request_has (r, "1.3.6.1.2.1.31.1.1.1.6"));
	g_assert_true (request_has (r, "1.3.6.1.2.1.2.2.1.10"));
	g_assert_true (request_has (r, "1.3.6.1.2.1.25.3.3.1.2"));

	/* v1: GETNEXT, and no Counter64 column */
	xn_snmp_walk_start (walk, &memory, XN_SNMP_V1, sample, "n");
	r = xn_snmp_walk_request (walk);
	g_assert_cmpint (r->command, ==, XN_SNMP_GETNEXT);
	g_assert_cmpuint (r->n_oids, ==, 3 + XN_COL_COUNT - 4);
	g_assert_false (request_has (r, "1.3.6.1.2.1.31.1.1.1.6"));

	/* HC everywhere last time: no 32-bit octets or unicast columns */
	memory.skip_counters32 = TRUE;
	xn_snmp_walk_start (walk, &memory, XN_SNMP_V3, sample, "n");
	r = xn_snmp_walk_request (walk);
	g_assert_cmpuint (r->n_oids, ==, 3 + XN_COL_COUNT - 4);
	g_assert_false (request_has (r, "1.3.6.1.2.1.2.2.1.10"));
	g_assert_true (request_has (r, "1.3.6.1.2.1.2.2.1.14"));

	/* no HOST-RESOURCES last time: not asked, except every 16th poll */
	memory.hr_absent = 1;
	xn_snmp_walk_start (walk, &memory, XN_SNMP_V3, sample, "n");
	g_assert_false (request_has (xn_snmp_walk_request (walk), "1.3.6.1.2.1.25.3.3.1.2"));
	memory.hr_absent = 16;
	xn_snmp_walk_start (walk, &memory, XN_SNMP_V3, sample, "n");
	g_assert_true (request_has (xn_snmp_walk_request (walk), "1.3.6.1.2.1.25.3.3.1.2"));

	/* the fallback learnt: GETNEXT for v2c too */
	memory.use_getnext = TRUE;
	xn_snmp_walk_start (walk, &memory, XN_SNMP_V2C, sample, "n");
	g_assert_cmpint (xn_snmp_walk_request (walk)->command, ==, XN_SNMP_GETNEXT);
}

static void
test_bulk_walk (void)
{
	g_autoptr(GArray) mib = standard_mib (TRUE, TRUE);
	g_autoptr(XnNodeSample) first = NULL;
	g_autoptr(XnNodeSample) second = NULL;
	g_autoptr(XnSnmpWalk) walk = xn_snmp_walk_new ();
	g_autoptr(XnNodeSample) third = xn_node_sample_new ("sim");
	XnSnmpMemory memory;
	Sim sim = { 0 };
	const XnSnmpRequest *r;

	xn_snmp_memory_init (&memory);
	memory.varbind_bytes = 100;   /* far off: the answers correct it */
	first = poll_sim (&memory, XN_SNMP_V2C, &sim, mib, XN_WALK_DONE);
	check_standard (first, TRUE, TRUE);
	g_assert_false (first->used_getnext);
	g_assert_cmpuint (sim.getnext_seen, ==, 0);
	g_assert_cmpuint (sim.bulk_seen, >, 1);
	/* what the poll taught */
	g_assert_true (memory.skip_counters32);
	g_assert_cmpuint (memory.rows, ==, 3);
	g_assert_cmpuint (memory.hr_absent, ==, 0);
	g_assert_cmpuint (memory.varbind_bytes, <, 100);

	/* the next poll asks no 32-bit counters and no more rows than known */
	sim = (Sim) { 0 };
	second = poll_sim (&memory, XN_SNMP_V2C, &sim, mib, XN_WALK_DONE);
	check_standard (second, TRUE, TRUE);
	xn_snmp_walk_start (walk, &memory, XN_SNMP_V2C, third, "sim");
	r = xn_snmp_walk_request (walk);
	g_assert_false (request_has (r, "1.3.6.1.2.1.2.2.1.10"));
	g_assert_cmpuint (r->max_repeat, <=, 4);
}

static void
test_bulk_truncated (void)
{
	g_autoptr(GArray) mib = standard_mib (TRUE, TRUE);
	XnSnmpMemory memory;

	/* agents cut GETBULK answers to fit their message size: every column
	 * must go on from its own last OID, whatever row it stopped in */
	for (guint cut = 27; cut < 60; cut += 5) {
		g_autoptr(XnNodeSample) s = NULL;
		Sim sim = { .truncate = cut };

		xn_snmp_memory_init (&memory);
		s = poll_sim (&memory, XN_SNMP_V2C, &sim, mib, XN_WALK_DONE);
		check_standard (s, TRUE, TRUE);
		g_assert_false (memory.use_getnext);
	}
}

static void
test_getnext_v1 (void)
{
	g_autoptr(GArray) mib = standard_mib (TRUE, TRUE);
	g_autoptr(XnNodeSample) s = NULL;
	XnSnmpMemory memory;
	Sim sim = { .v1 = TRUE };

	/* v1 agents end the MIB with noSuchName; Counter64 is never asked */
	xn_snmp_memory_init (&memory);
	s = poll_sim (&memory, XN_SNMP_V1, &sim, mib, XN_WALK_DONE);
	check_standard (s, FALSE, TRUE);
	g_assert_cmpuint (sim.bulk_seen, ==, 0);
	g_assert_cmpuint (sim.hc_asked, ==, 0);
	g_assert_false (s->used_getnext);
	g_assert_false (memory.skip_counters32);
}

static void
test_counters32_only (void)
{
	g_autoptr(GArray) mib = standard_mib (FALSE, TRUE);
	g_autoptr(XnNodeSample) s = NULL;
	XnSnmpMemory memory;
	Sim sim = { 0 };

	xn_snmp_memory_init (&memory);
	s = poll_sim (&memory, XN_SNMP_V2C, &sim, mib, XN_WALK_DONE);
	check_standard (s, FALSE, TRUE);
	g_assert_false (memory.skip_counters32);
}

static void
test_no_host_resources (void)
{
	g_autoptr(GArray) mib = standard_mib (TRUE, FALSE);
	g_autoptr(XnNodeSample) s = NULL;
	XnSnmpMemory memory;
	Sim sim = { 0 };

	xn_snmp_memory_init (&memory);
	s = poll_sim (&memory, XN_SNMP_V2C, &sim, mib, XN_WALK_DONE);
	check_standard (s, TRUE, FALSE);
	g_assert_cmpuint (memory.hr_absent, ==, 1);
}

static const struct {
	const char  *name;
	Misbehaviour bad;
} misbehaviours[] = {
	{ "toobig", BAD_TOOBIG }, { "generr", BAD_GENERR }, { "missing", BAD_MISSING },
	{ "extra", BAD_EXTRA }, { "nosuch", BAD_NOSUCH }, { "wrong-type", BAD_WRONG_TYPE },
	{ "stuck", BAD_STUCK },
};

static void
test_fallback (gconstpointer data)
{
	Misbehaviour bad = misbehaviours[GPOINTER_TO_UINT (data)].bad;
	g_autoptr(GArray) mib = standard_mib (TRUE, TRUE);
	g_autoptr(XnSnmpWalk) walk = xn_snmp_walk_new ();
	g_autoptr(XnNodeSample) s = xn_node_sample_new ("sim");
	g_autoptr(XnNodeSample) again = NULL;
	XnSnmpMemory memory;
	Sim sim = { .bulk = bad };
	const XnSnmpRequest *r;
	XnSubid first_oid[32];
	guint first_len;

	xn_snmp_memory_init (&memory);
	xn_snmp_walk_start (walk, &memory, XN_SNMP_V2C, s, "sim (192.0.2.1:161)");
	r = xn_snmp_walk_request (walk);
	first_len = r->oids[3].len;
	memcpy (first_oid, r->oids[3].arcs, first_len * sizeof (XnSubid));

	/* the bad answer is dropped whole, the same place is asked again with GETNEXT;
	 * a tooBig first halves the repetitions, down to one */
	g_ptr_array_set_size (logged, 0);
	if (bad == BAD_TOOBIG) {
		guint reps = r->max_repeat;

		g_assert_cmpuint (reps, >, 1);
		while (reps > 1) {
			g_assert_cmpint (feed_one (walk, &sim, mib), ==, XN_WALK_CONTINUE);
			g_assert_false (xn_snmp_walk_fell_back (walk));
			r = xn_snmp_walk_request (walk);
			g_assert_cmpint (r->command, ==, XN_SNMP_GETBULK);
			g_assert_cmpuint (r->max_repeat, ==, reps / 2);
			reps = r->max_repeat;
		}
		g_assert_cmpuint (count_logged ("sim (192.0.2.1:161): the agent answers a GETBULK of * "
						"repetitions with tooBig; at most * from now on*"), ==, 1);
		g_ptr_array_set_size (logged, 0);
		sim.bulk_seen = 0;
	}
	g_assert_cmpint (feed_one (walk, &sim, mib), ==, XN_WALK_CONTINUE);
	g_assert_cmpuint (count_logged ("sim (192.0.2.1:161): the agent misbehaves with GETBULK (*); "
					"it is walked with GETNEXT from now on"), ==, 1);
	g_assert_true (xn_snmp_walk_fell_back (walk));
	g_assert_true (memory.use_getnext);
	g_assert_cmpuint (s->interfaces->len, ==, 0);
	g_assert_cmpuint (s->have, ==, 0);
	r = xn_snmp_walk_request (walk);
	g_assert_cmpint (r->command, ==, XN_SNMP_GETNEXT);
	g_assert_cmpuint (r->n_oids, ==, 3 + XN_COL_COUNT);
	g_assert_cmpmem (r->oids[3].arcs, r->oids[3].len * sizeof (XnSubid), first_oid, first_len * sizeof (XnSubid));

	g_assert_cmpint (run_walk (walk, &sim, mib), ==, XN_WALK_DONE);
	xn_snmp_walk_finish (walk);
	check_standard (s, TRUE, TRUE);
	g_assert_true (s->used_getnext);
	g_assert_cmpuint (sim.bulk_seen, ==, 1);

	/* remembered: the next poll sends no GETBULK at all */
	sim.bulk_seen = 0;
	again = poll_sim (&memory, XN_SNMP_V2C, &sim, mib, XN_WALK_DONE);
	check_standard (again, TRUE, TRUE);
	g_assert_cmpuint (sim.bulk_seen, ==, 0);
}

/* An agent that says tooBig to long GETBULKs instead of trimming them keeps
 * its GETBULK, with fewer repetitions. */
static void
test_bulk_toobig_cap (void)
{
	g_autoptr(GArray) mib = standard_mib (TRUE, TRUE);
	g_autoptr(XnNodeSample) s = NULL;
	g_autoptr(XnNodeSample) again = NULL;
	XnSnmpMemory memory;
	Sim sim = { .bulk_toobig_over = 1 };

	xn_snmp_memory_init (&memory);
	g_ptr_array_set_size (logged, 0);
	s = poll_sim (&memory, XN_SNMP_V2C, &sim, mib, XN_WALK_DONE);
	check_standard (s, TRUE, TRUE);
	g_assert_false (s->used_getnext);
	g_assert_false (memory.use_getnext);
	g_assert_cmpuint (memory.bulk_cap, ==, 1);
	g_assert_true (memory.no_fill);
	g_assert_cmpuint (sim.getnext_seen, ==, 0);
	g_assert_cmpuint (count_logged ("*with tooBig; at most 1 from now on (logged once per node)"), ==, 1);
	/* learnt: no tooBig, no message the next time */
	g_ptr_array_set_size (logged, 0);
	sim.bulk_toobig_over = 1;
	again = poll_sim (&memory, XN_SNMP_V2C, &sim, mib, XN_WALK_DONE);
	check_standard (again, TRUE, TRUE);
	g_assert_cmpuint (logged->len, ==, 0);
}

/* A MIB of `n` interfaces with every IF column and long aliases. */
static GArray *
wide_mib (guint n, guint alias_len)
{
	GArray *mib = g_array_new (FALSE, TRUE, sizeof (MibEntry));
	g_autofree char *alias = g_strnfill (alias_len, 'x');

	g_array_set_clear_func (mib, mib_entry_clear);
	mib_str (mib, "1.3.6.1.2.1.1.1.0", "wide agent");
	mib_int (mib, "1.3.6.1.2.1.1.3.0", XN_ASN_TIMETICKS, 1);
	mib_str (mib, "1.3.6.1.2.1.1.5.0", "wide");
	for (guint i = 1; i <= n; i++) {
		static const guint ift32[] = { 7, 8, 13, 14, 19, 20 };
		static const guint ifx64[] = { 6, 7, 10, 11 };
		g_autofree char *name = g_strdup_printf ("ge-0/0/%u", i);
		char o[64];

		for (guint k = 0; k < G_N_ELEMENTS (ift32); k++) {
			g_snprintf (o, sizeof o, "1.3.6.1.2.1.2.2.1.%u.%u", ift32[k], i);
			mib_int (mib, o, ift32[k] <= 8 ? XN_ASN_INTEGER : XN_ASN_COUNTER32, 1);
		}
		g_snprintf (o, sizeof o, "1.3.6.1.2.1.2.2.1.5.%u", i);
		mib_int (mib, o, XN_ASN_GAUGE32, 1000000000);
		for (guint k = 0; k < G_N_ELEMENTS (ifx64); k++) {
			g_snprintf (o, sizeof o, "1.3.6.1.2.1.31.1.1.1.%u.%u", ifx64[k], i);
			mib_int (mib, o, XN_ASN_COUNTER64, 1);
		}
		g_snprintf (o, sizeof o, "1.3.6.1.2.1.31.1.1.1.1.%u", i);
		mib_str (mib, o, name);
		g_snprintf (o, sizeof o, "1.3.6.1.2.1.31.1.1.1.15.%u", i);
		mib_int (mib, o, XN_ASN_GAUGE32, 1000);
		g_snprintf (o, sizeof o, "1.3.6.1.2.1.31.1.1.1.18.%u", i);
		mib_str (mib, o, alias);
	}
	g_array_sort (mib, entry_cmp);
	return mib;
}

/* GETBULK asks for rows that fill the answer, rounded up; an agent seen
 * sending a whole answer past one Ethernet frame is asked only what fits. */
static void
test_bulk_fill (void)
{
	g_autoptr(GArray) mib = wide_mib (48, 40);
	g_autoptr(XnNodeSample) trimmed = NULL;
	g_autoptr(XnNodeSample) whole = NULL;
	g_autoptr(XnNodeSample) after = NULL;
	XnSnmpMemory memory;
	Sim sim = { .truncate = 45 };   /* about 1,300 bytes of these varbinds */

	/* a trimming agent: nothing learnt, all 48 rows */
	xn_snmp_memory_init (&memory);
	g_ptr_array_set_size (logged, 0);
	trimmed = poll_sim (&memory, XN_SNMP_V2C, &sim, mib, XN_WALK_DONE);
	g_assert_cmpuint (trimmed->interfaces->len, ==, 48);
	g_assert_false (memory.no_fill);
	g_assert_cmpuint (logged->len, ==, 0);

	/* an agent that sends everything asked: learnt once, logged once */
	xn_snmp_memory_init (&memory);
	memory.varbind_bytes = 20;   /* underestimated: the rounded-up answer passes a frame */
	sim = (Sim) { 0 };
	whole = poll_sim (&memory, XN_SNMP_V2C, &sim, mib, XN_WALK_DONE);
	g_assert_cmpuint (whole->interfaces->len, ==, 48);
	g_assert_true (memory.no_fill);
	g_assert_cmpuint (count_logged ("sim (192.0.2.1:161): the agent answers GETBULK past one Ethernet frame (about * bytes) "
					"instead of trimming; requests are sized to fit from now on*"), ==, 1);
	after = poll_sim (&memory, XN_SNMP_V2C, &sim, mib, XN_WALK_DONE);
	g_assert_cmpuint (after->interfaces->len, ==, 48);
	g_assert_cmpuint (count_logged ("*past one Ethernet frame*"), ==, 1);
}

/* ifSpeed is left out while ifHighSpeed says the same, checked every 16th
 * poll; a speed that is not a whole number of Mbit/s keeps it asked. */
static void
test_speed32 (void)
{
	g_autoptr(GArray) mib = wide_mib (4, 8);
	XnSnmpMemory memory;
	Sim sim = { 0 };
	guint asked = 0;

	xn_snmp_memory_init (&memory);
	for (guint poll = 0; poll < 33; poll++) {
		g_autoptr(XnSnmpWalk) walk = xn_snmp_walk_new ();
		g_autoptr(XnNodeSample) s = xn_node_sample_new ("wide");

		xn_snmp_walk_start (walk, &memory, XN_SNMP_V2C, s, "wide");
		if (request_has (xn_snmp_walk_request (walk), "1.3.6.1.2.1.2.2.1.5"))
			asked++;
		g_assert_cmpint (run_walk (walk, &sim, mib), ==, XN_WALK_DONE);
		xn_snmp_walk_finish (walk);
		for (guint i = 0; i < s->interfaces->len; i++) {
			const XnIfSample *f = &g_array_index (s->interfaces, XnIfSample, i);

			g_assert_true (f->have & XN_IF_HAVE_SPEED);
			g_assert_cmpuint (f->speed_bps, ==, 1000000000);
		}
	}
	/* polls 1, 17 and 33 */
	g_assert_cmpuint (asked, ==, 3);

	/* an E1: ifSpeed 2,048,000, ifHighSpeed 2 */
	for (guint i = 0; i < mib->len; i++) {
		MibEntry *e = &g_array_index (mib, MibEntry, i);
		XnOid o = { e->arcs, e->len };

		if (in_prefix (&o, "1.3.6.1.2.1.2.2.1.5.3"))
			e->u = 2048000;
		if (in_prefix (&o, "1.3.6.1.2.1.31.1.1.1.15.3"))
			e->u = 2;
	}
	xn_snmp_memory_init (&memory);
	for (guint poll = 0; poll < 3; poll++) {
		g_autoptr(XnNodeSample) s = poll_sim (&memory, XN_SNMP_V2C, &sim, mib, XN_WALK_DONE);

		g_assert_cmpuint (g_array_index (s->interfaces, XnIfSample, 2).speed_bps, ==, 2048000);
		g_assert_cmpuint (g_array_index (s->interfaces, XnIfSample, 1).speed_bps, ==, 1000000000);
		g_assert_false (memory.skip_speed32);
	}
}

static void
test_getnext_wrong_type (void)
{
	g_autoptr(GArray) mib = standard_mib (TRUE, TRUE);
	g_autoptr(XnNodeSample) s = NULL;
	g_autoptr(XnNodeSample) again = NULL;
	XnSnmpMemory memory;
	Sim sim = { 0 };
	const XnIfSample *ge1;

	for (guint i = 0; i < mib->len; i++) {
		MibEntry *e = &g_array_index (mib, MibEntry, i);
		XnOid o = { e->arcs, e->len };

		if (in_prefix (&o, IFX (6, 5))) {
			e->type = XN_ASN_OCTET_STRING;
			e->octets = (guint8 *) g_strdup ("garbage");
			e->octets_len = 7;
		}
	}
	xn_snmp_memory_init (&memory);
	memory.use_getnext = TRUE;
	g_ptr_array_set_size (logged, 0);
	s = poll_sim (&memory, XN_SNMP_V2C, &sim, mib, XN_WALK_DONE);
	g_assert_cmpuint (count_logged ("sim (192.0.2.1:161): ifHCInOctets (1.3.6.1.2.1.31.1.1.1.6.5): "
					"OCTET STRING; ignored*"), ==, 1);
	/* that interface falls back to its 32-bit counters, both directions */
	ge1 = &g_array_index (s->interfaces, XnIfSample, 1);
	g_assert_true (ge1->have & XN_IF_HAVE_OCTETS32);
	g_assert_false (ge1->have & XN_IF_HAVE_HC_OCTETS);
	g_assert_cmpuint (ge1->in_octets, ==, 2000);
	g_assert_cmpuint (ge1->out_octets, ==, 4000);
	g_assert_cmpuint (ge1->in_ucast, ==, 20);
	g_assert_true (g_array_index (s->interfaces, XnIfSample, 0).have & XN_IF_HAVE_HC_OCTETS);
	g_assert_false (memory.skip_counters32);
	/* logged once per node, not once per poll */
	again = poll_sim (&memory, XN_SNMP_V2C, &sim, mib, XN_WALK_DONE);
	g_assert_true (g_array_index (again->interfaces, XnIfSample, 1).have & XN_IF_HAVE_OCTETS32);
	g_assert_cmpuint (logged->len, ==, 1);
}

static void
test_getnext_stuck (void)
{
	g_autoptr(GArray) mib = standard_mib (TRUE, TRUE);
	g_autoptr(XnNodeSample) s = NULL;
	XnSnmpMemory memory;
	Sim sim = { .stuck = "1.3.6.1.2.1.31.1.1.1.18" };

	/* an agent answering ifAlias.1 for ever cannot make the walk loop */
	xn_snmp_memory_init (&memory);
	memory.use_getnext = TRUE;
	g_ptr_array_set_size (logged, 0);
	s = poll_sim (&memory, XN_SNMP_V2C, &sim, mib, XN_WALK_DONE);
	g_assert_cmpuint (count_logged ("*ifAlias (1.3.6.1.2.1.31.1.1.1.18.1): an OID that does not advance; "
					"column ended*"), ==, 1);
	g_assert_true (g_array_index (s->interfaces, XnIfSample, 0).have & XN_IF_HAVE_ALIAS);
	g_assert_false (g_array_index (s->interfaces, XnIfSample, 1).have & XN_IF_HAVE_ALIAS);
	g_assert_cmpuint (sim.getnext_seen, <, 20);
}

static void
test_getnext_toobig (void)
{
	g_autoptr(GArray) mib = standard_mib (TRUE, TRUE);
	g_autoptr(XnNodeSample) s = NULL;
	XnSnmpMemory memory;
	Sim sim = { .v1 = TRUE, .toobig_over = 5 };

	/* a small v1 agent: fewer OIDs per GETNEXT until they fit */
	xn_snmp_memory_init (&memory);
	s = poll_sim (&memory, XN_SNMP_V1, &sim, mib, XN_WALK_DONE);
	check_standard (s, FALSE, TRUE);
}

static void
test_getnext_count_mismatch (void)
{
	g_autoptr(GArray) mib = standard_mib (TRUE, TRUE);
	g_autoptr(XnSnmpWalk) walk = xn_snmp_walk_new ();
	g_autoptr(XnNodeSample) s = xn_node_sample_new ("sim");
	XnSnmpMemory memory;
	Sim sim = { .drop_one = TRUE };

	xn_snmp_memory_init (&memory);
	memory.use_getnext = TRUE;
	xn_snmp_walk_start (walk, &memory, XN_SNMP_V2C, s, "sim");
	g_assert_cmpint (run_walk (walk, &sim, mib), ==, XN_WALK_FAILED);
	g_assert_nonnull (strstr (xn_snmp_walk_problem (walk), "with 25 varbinds"));
}

int
main (int argc, char **argv)
{
	int status;

	logged = g_ptr_array_new_with_free_func (g_free);
	g_log_set_writer_func (capture_log, NULL, NULL);
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/snmp-poll/max-repetitions", test_max_repetitions);
	g_test_add_func ("/snmp-poll/plan", test_plan);
	g_test_add_func ("/snmp-poll/bulk-walk", test_bulk_walk);
	g_test_add_func ("/snmp-poll/bulk-truncated", test_bulk_truncated);
	g_test_add_func ("/snmp-poll/getnext-v1", test_getnext_v1);
	g_test_add_func ("/snmp-poll/counters32-only", test_counters32_only);
	g_test_add_func ("/snmp-poll/no-host-resources", test_no_host_resources);
	for (guint i = 0; i < G_N_ELEMENTS (misbehaviours); i++) {
		g_autofree char *path = g_strdup_printf ("/snmp-poll/fallback/%s", misbehaviours[i].name);

		g_test_add_data_func (path, GUINT_TO_POINTER (i), test_fallback);
	}
	g_test_add_func ("/snmp-poll/bulk-toobig-cap", test_bulk_toobig_cap);
	g_test_add_func ("/snmp-poll/bulk-fill", test_bulk_fill);
	g_test_add_func ("/snmp-poll/speed32", test_speed32);
	g_test_add_func ("/snmp-poll/getnext-wrong-type", test_getnext_wrong_type);
	g_test_add_func ("/snmp-poll/getnext-stuck", test_getnext_stuck);
	g_test_add_func ("/snmp-poll/getnext-toobig", test_getnext_toobig);
	g_test_add_func ("/snmp-poll/getnext-count-mismatch", test_getnext_count_mismatch);
	status = g_test_run ();
	g_ptr_array_unref (logged);
	return status;
}
