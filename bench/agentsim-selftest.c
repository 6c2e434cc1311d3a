/* agentsim-selftest.c — `agentsim --self-test`: drives the PDU layer with
 * requests built here, in-process and without sockets, and checks what a
 * manager relies on: a GETNEXT walk of the whole MIB is strictly increasing,
 * has every column of every row and ends in endOfMibView (v2c) or noSuchName
 * (v1, which sees no Counter64); GETBULK returns exactly what the same
 * GETNEXT steps would and never exceeds the response size; GET answers
 * values and the right exception. It then times the answering of a poller's
 * column-parallel GETBULK, the simulator's cost without the kernel's, and
 * prints varbinds per second. It is not a unit test of the encoders in
 * isolation: the socket path is exercised by snmpget/snmpbulkwalk and
 * refloop in bench/poll. */
#include "agentsim.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct {
	XnSimOid oid;
	guint8   tag;
	guint64  uint;               /* integer-like values */
	char     str[128];
} XnTestVb;

typedef struct {
	gint64   status, index;
	guint    n;
	XnTestVb vb[256];
} XnTestResp;

static gsize
build_request (guint version, guint8 type, gint64 a, gint64 b, const XnSimOid *oids,
	       guint n, const char *community, guint8 *out)
{
	guint8 vbl[8192], *p = vbl;
	guint8 pdu[9000], *q = pdu;
	gsize clen = strlen (community), len;

	for (guint i = 0; i < n; i++) {
		gsize k = xn_sim_ber_oid_vb (&oids[i], 0x05, p, sizeof vbl - (p - vbl));
		p += k;                   /* { oid, 05 00 } is the request's NULL value */
	}
	len = p - vbl;
	*q++ = 0x02; *q++ = 4; *q++ = 0x12; *q++ = 0x34; *q++ = 0x56; *q++ = 0x78;
	*q++ = 0x02; *q++ = 1; *q++ = (guint8) a;
	*q++ = 0x02; *q++ = 2; *q++ = (guint8) (b >> 8); *q++ = (guint8) b;
	*q++ = 0x30; *q++ = 0x82; *q++ = len >> 8; *q++ = len & 0xff;
	memcpy (q, vbl, len);
	q += len;
	len = q - pdu;
	p = out;
	*p++ = 0x30; *p++ = 0x82;
	p += 2;                           /* filled below */
	*p++ = 0x02; *p++ = 1; *p++ = (guint8) version;
	*p++ = 0x04; *p++ = (guint8) clen;
	memcpy (p, community, clen);
	p += clen;
	*p++ = type; *p++ = 0x82; *p++ = len >> 8; *p++ = len & 0xff;
	memcpy (p, pdu, len);
	p += len;
	out[2] = (p - out - 4) >> 8;
	out[3] = (p - out - 4) & 0xff;
	return p - out;
}

/* A minimal reader for our own responses; FALSE on anything unexpected. */
static gboolean
tl (const guint8 **p, const guint8 *end, guint8 *tag, gsize *len)
{
	gsize n;

	if (end - *p < 2)
		return FALSE;
	*tag = (*p)[0];
	n = (*p)[1];
	*p += 2;
	if (n & 0x80) {
		guint k = n & 0x7f;

		for (n = 0; k > 0; k--)
			n = (n << 8) | *(*p)++;
	}
	*len = n;
	return n <= (gsize) (end - *p);
}

static guint64
uint_of (const guint8 *p, gsize len)
{
	guint64 v = 0;

	while (len-- > 0)
		v = (v << 8) | *p++;
	return v;
}

static gboolean
parse_response (const guint8 *p, gsize n, XnTestResp *r)
{
	const guint8 *end = p + n;
	guint8 tag;
	gsize len;
	guint64 skip[3];

	if (!tl (&p, end, &tag, &len) || tag != 0x30)
		return FALSE;
	for (int i = 0; i < 2; i++) {      /* version, community */
		if (!tl (&p, end, &tag, &len))
			return FALSE;
		p += len;
	}
	if (!tl (&p, end, &tag, &len) || tag != 0xa2)
		return FALSE;
	for (int i = 0; i < 3; i++) {      /* request-id, error status, error index */
		if (!tl (&p, end, &tag, &len) || tag != 0x02)
			return FALSE;
		skip[i] = uint_of (p, len);
		p += len;
	}
	r->status = (gint64) skip[1];
	r->index = (gint64) skip[2];
	if (!tl (&p, end, &tag, &len) || tag != 0x30)
		return FALSE;
	for (r->n = 0; p < end && r->n < G_N_ELEMENTS (r->vb); r->n++) {
		XnTestVb *vb = &r->vb[r->n];

		if (!tl (&p, end, &tag, &len) || !tl (&p, end, &tag, &len) || tag != 0x06 ||
		    !xn_sim_ber_decode_oid (p, len, &vb->oid))
			return FALSE;
		p += len;
		if (!tl (&p, end, &vb->tag, &len))
			return FALSE;
		vb->uint = len <= 9 ? uint_of (p, len) : 0;
		memcpy (vb->str, p, MIN (len, sizeof vb->str - 1));
		vb->str[MIN (len, sizeof vb->str - 1)] = '\0';
		p += len;
	}
	return TRUE;
}

static int
oid_cmp (const XnSimOid *a, const XnSimOid *b)
{
	for (guint i = 0; i < a->len && i < b->len; i++)
		if (a->sub[i] != b->sub[i])
			return a->sub[i] < b->sub[i] ? -1 : 1;
	return a->len < b->len ? -1 : a->len > b->len;
}

static XnSimOid
oid_of (const char *dotted)
{
	XnSimOid o = { .len = 0 };
	g_auto(GStrv) parts = g_strsplit (dotted, ".", -1);

	for (guint i = 0; parts[i] != NULL; i++)
		o.sub[o.len++] = (guint32) g_ascii_strtoull (parts[i], NULL, 10);
	return o;
}

static gboolean
ask (const XnSimView *v, guint version, guint8 type, gint64 a, gint64 b,
     const XnSimOid *oids, guint n, XnTestResp *r)
{
	guint8 req[9100], resp[XN_SIM_MSG_MAX + 256];
	XnSimStats st = { 0 };
	gsize len = build_request (version, type, a, b, oids, n, v->cfg->community, req);

	len = xn_sim_answer (v, req, len, resp, sizeof resp, &st);
	return len > 0 && len <= v->cfg->max_size && parse_response (resp, len, r);
}

#define CHECK(cond, ...) G_STMT_START { if (!(cond)) { \
	g_printerr ("self-test: FAILED: " __VA_ARGS__); g_printerr ("\n"); return FALSE; } } G_STMT_END

/* A GETNEXT walk from the root; returns the count of instances. */
static gboolean
check_walk (const XnSimView *v, guint version, guint *count)
{
	XnSimOid cur = oid_of ("0.0");
	XnTestResp r;

	for (*count = 0;; (*count)++) {
		CHECK (ask (v, version, 0xa1, 0, 0, &cur, 1, &r), "GETNEXT v%u after %u", version + 1, *count);
		if (version == 0 && r.status == 2)
			return TRUE;
		CHECK (r.status == 0 && r.n == 1, "GETNEXT status %" G_GINT64_FORMAT, r.status);
		if (r.vb[0].tag == 0x82)
			return TRUE;
		CHECK (oid_cmp (&r.vb[0].oid, &cur) > 0, "walk went backwards at %u", *count);
		CHECK (version != 0 || r.vb[0].tag != 0x46, "Counter64 in a v1 walk");
		cur = r.vb[0].oid;
	}
}

/* GETBULK of one repeater equals the GETNEXT chain; the size is respected. */
static gboolean
check_bulk (const XnSimView *v)
{
	XnSimOid start = oid_of ("1.3.6.1.2.1.2.2.1.8");
	XnTestResp bulk, step;
	XnSimOid cur = start;

	CHECK (ask (v, 1, 0xa5, 0, 1000, &start, 1, &bulk), "GETBULK");
	CHECK (bulk.n > 10, "GETBULK gave only %u varbinds", bulk.n);
	for (guint i = 0; i < bulk.n; i++) {
		CHECK (ask (v, 1, 0xa1, 0, 0, &cur, 1, &step), "GETNEXT");
		CHECK (oid_cmp (&step.vb[0].oid, &bulk.vb[i].oid) == 0 && step.vb[0].tag == bulk.vb[i].tag,
		       "GETBULK and GETNEXT differ at varbind %u", i);
		cur = step.vb[0].oid;
	}
	return TRUE;
}

static gboolean
check_get (const XnSimView *v)
{
	XnSimOid q[3] = { oid_of ("1.3.6.1.2.1.1.5.0"), oid_of ("1.3.6.1.2.1.2.2.1.8.999999"),
			  oid_of ("1.3.6.1.2.1.99.0") };
	XnTestResp r;
	char name[32];

	g_snprintf (name, sizeof name, "dev-%u", v->device);
	CHECK (ask (v, 1, 0xa0, 0, 0, q, 3, &r) && r.n == 3, "GET");
	CHECK (strcmp (r.vb[0].str, name) == 0, "sysName is '%s'", r.vb[0].str);
	CHECK (r.vb[1].tag == 0x81 && r.vb[2].tag == 0x80, "exceptions %02x %02x", r.vb[1].tag, r.vb[2].tag);
	CHECK (ask (v, 0, 0xa0, 0, 0, q, 3, &r) && r.status == 2 && r.index == 2, "v1 GET noSuchName");
	return TRUE;
}

/* What a poller sends: sysUpTime as non-repeater, 13 columns in parallel,
 * repeated through the table. */
static void
time_polling (const XnSimView *v0)
{
	static const char *cols[] = {
		"1.3.6.1.2.1.1.3", "1.3.6.1.2.1.31.1.1.1.1", "1.3.6.1.2.1.31.1.1.1.6",
		"1.3.6.1.2.1.31.1.1.1.7", "1.3.6.1.2.1.31.1.1.1.10", "1.3.6.1.2.1.31.1.1.1.11",
		"1.3.6.1.2.1.31.1.1.1.15", "1.3.6.1.2.1.31.1.1.1.18", "1.3.6.1.2.1.2.2.1.7",
		"1.3.6.1.2.1.2.2.1.8", "1.3.6.1.2.1.2.2.1.13", "1.3.6.1.2.1.2.2.1.14",
		"1.3.6.1.2.1.2.2.1.19", "1.3.6.1.2.1.2.2.1.20",
	};
	XnSimOid oids[G_N_ELEMENTS (cols)];
	guint8 req[4][9100], resp[XN_SIM_MSG_MAX + 256];
	gsize req_len[4];
	XnSimView v = *v0;
	XnSimStats st = { 0 };
	guint64 calls = 0;
	struct timespec t0, t1;
	double secs;

	/* Four requests: the table's start and three later rows. */
	for (guint k = 0; k < 4; k++) {
		for (guint i = 0; i < G_N_ELEMENTS (cols); i++) {
			oids[i] = oid_of (cols[i]);
			if (i > 0 && k > 0)
				oids[i].sub[oids[i].len++] = k * v.cfg->interfaces / 4;
		}
		req_len[k] = build_request (1, 0xa5, 1, 5, oids, G_N_ELEMENTS (cols), v.cfg->community, req[k]);
	}
	clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &t0);
	do {
		for (guint i = 0; i < 1000; i++, calls++) {
			v.device = calls % v.cfg->devices;
			xn_sim_answer (&v, req[calls & 3], req_len[calls & 3], resp, sizeof resp, &st);
		}
		clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &t1);
		secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	} while (secs < 1.0);
	printf ("self-test: answering poller GETBULKs in-process: %.0f varbinds/s, %.0f responses/s, "
		"%.1f varbinds per response (no syscalls; one core)\n",
		st.varbinds / secs, calls / secs, (double) st.varbinds / calls);
}

int
xn_sim_self_test (const XnSimConfig *cfg)
{
	XnSimView v = { .cfg = cfg, .device = MIN (5, cfg->devices - 1), .wall_ms = 12345678901ull,
			.uptime_ticks = 4242 };
	guint n2 = 0, n1 = 0;
	guint expect2 = 7 + 1 + (22 + 19) * cfg->interfaces;
	guint expect1 = expect2 - 8 * cfg->interfaces;

	if (!check_walk (&v, 1, &n2) || !check_walk (&v, 0, &n1) || !check_bulk (&v) || !check_get (&v))
		return 1;
	if (n2 != expect2 || n1 != expect1) {
		g_printerr ("self-test: FAILED: walks found %u (v2c) and %u (v1) instances, expected %u and %u\n",
			    n2, n1, expect2, expect1);
		return 1;
	}
	printf ("self-test: ok: v2c walk %u instances, v1 walk %u (no Counter64), "
		"GETBULK = GETNEXT chain within %zu bytes, GET exceptions right\n", n2, n1, cfg->max_size);
	time_polling (&v);
	return 0;
}
