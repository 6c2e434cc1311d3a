/* agentsim-mib.c — the simulator's virtual MIB: SNMPv2-MIB system group,
 * IF-MIB ifNumber, ifTable and ifXTable for any number of devices, computed
 * from (device, column, ifIndex, clock) on every request instead of stored,
 * so 10,000 devices × 48 ports cost no memory. Everything about a port is a
 * pure function of a hash of (device, port): whether it is down, its rate,
 * its counters' starting point; counters are base + rate × wall time, so
 * they grow between polls, wrap at 32 bits in ifTable and never go backwards.
 * The MIB is four regions in lexicographic order; GETNEXT finds the first
 * region with an instance after the requested OID, and walking on from an
 * instance (GETBULK repetitions) never compares OIDs at all. This file
 * encodes whole varbinds in BER but knows nothing about messages or PDUs;
 * nothing here is meant to imitate a particular vendor beyond what pollers
 * read. */
#include "agentsim.h"

#include <string.h>

typedef struct {
	guint32       prefix[10];
	guint         prefix_len;
	const guint8 *prefix_ber;     /* the prefix as OID content octets */
	guint         prefix_ber_len;
	guint32       col_min, col_max;
	gboolean      table;          /* rows are ifIndex 1..interfaces, else the scalar row 0 */
} XnSimRegion;

static const guint8 ber_system[]  = { 0x2b, 6, 1, 2, 1, 1 };
static const guint8 ber_ifaces[]  = { 0x2b, 6, 1, 2, 1, 2 };
static const guint8 ber_iftable[] = { 0x2b, 6, 1, 2, 1, 2, 2, 1 };
static const guint8 ber_ifxtable[] = { 0x2b, 6, 1, 2, 1, 31, 1, 1, 1 };

/* Lexicographic order: system < ifNumber < ifTable < ifXTable. */
static const XnSimRegion regions[] = {
	{ { 1, 3, 6, 1, 2, 1, 1 }, 7, ber_system, sizeof ber_system, 1, 7, FALSE },
	{ { 1, 3, 6, 1, 2, 1, 2 }, 7, ber_ifaces, sizeof ber_ifaces, 1, 1, FALSE },
	{ { 1, 3, 6, 1, 2, 1, 2, 2, 1 }, 9, ber_iftable, sizeof ber_iftable, 1, 22, TRUE },
	{ { 1, 3, 6, 1, 2, 1, 31, 1, 1, 1 }, 10, ber_ifxtable, sizeof ber_ifxtable, 1, 19, TRUE },
};
enum { R_SYSTEM, R_IFACES, R_IFTABLE, R_IFXTABLE, N_REGIONS };

#define TICKS_PER_DAY 8640000u

static guint32
row_max (const XnSimView *v, const XnSimRegion *r)
{
	return r->table ? v->cfg->interfaces : 0;
}

static guint32
row_min (const XnSimRegion *r)
{
	return r->table ? 1 : 0;
}

/* SNMPv1 cannot carry Counter64 (RFC 3584 §4.2.2.1): such columns do not
 * exist for a v1 manager, and GETNEXT steps over them. */
static gboolean
visible (const XnSimView *v, const XnSimObj *obj)
{
	return !(v->v1 && obj->region == R_IFXTABLE && obj->col >= 6 && obj->col <= 13);
}

static gboolean
advance (const XnSimView *v, XnSimObj *obj)
{
	const XnSimRegion *r = &regions[obj->region];

	if (obj->row < row_max (v, r)) {
		obj->row++;
		return TRUE;
	}
	if (obj->col < r->col_max) {
		obj->col++;
		obj->row = row_min (r);
		return TRUE;
	}
	if (obj->region + 1 >= N_REGIONS)
		return FALSE;
	obj->region++;
	obj->col = regions[obj->region].col_min;
	obj->row = row_min (&regions[obj->region]);
	return TRUE;
}

gboolean
xn_sim_mib_next_obj (const XnSimView *v, XnSimObj *obj)
{
	do {
		if (!advance (v, obj))
			return FALSE;
	} while (!visible (v, obj));
	return TRUE;
}

/* The first instance of region `ri` after `oid`, if the region has one. */
static gboolean
region_next (const XnSimView *v, guint ri, const XnSimOid *oid, XnSimObj *obj)
{
	const XnSimRegion *r = &regions[ri];
	guint n = MIN (oid->len, r->prefix_len);
	guint64 row;
	guint32 col;

	obj->region = ri;
	obj->col = r->col_min;
	obj->row = row_min (r);
	for (guint i = 0; i < n; i++) {
		if (oid->sub[i] < r->prefix[i])
			return TRUE;
		if (oid->sub[i] > r->prefix[i])
			return FALSE;
	}
	if (oid->len <= r->prefix_len)
		return TRUE;
	col = oid->sub[r->prefix_len];
	if (col < r->col_min)
		return TRUE;
	if (col > r->col_max)
		return FALSE;
	obj->col = col;
	if (oid->len == r->prefix_len + 1)
		return TRUE;
	/* Any OID below P.col.idx sorts after P.col.idx and before P.col.idx+1. */
	row = (guint64) oid->sub[r->prefix_len + 1] + 1;
	if (row < row_min (r))
		row = row_min (r);
	if (row <= row_max (v, r)) {
		obj->row = (guint32) row;
		return TRUE;
	}
	if (col == r->col_max)
		return FALSE;
	obj->col = col + 1;
	obj->row = row_min (r);
	return TRUE;
}

gboolean
xn_sim_mib_next (const XnSimView *v, const XnSimOid *oid, XnSimObj *obj)
{
	for (guint ri = 0; ri < N_REGIONS; ri++) {
		if (!region_next (v, ri, oid, obj))
			continue;
		return visible (v, obj) || xn_sim_mib_next_obj (v, obj);
	}
	return FALSE;
}

XnSimLookup
xn_sim_mib_get (const XnSimView *v, const XnSimOid *oid, XnSimObj *obj)
{
	for (guint ri = 0; ri < N_REGIONS; ri++) {
		const XnSimRegion *r = &regions[ri];
		guint32 col, row;

		if (oid->len <= r->prefix_len ||
		    memcmp (oid->sub, r->prefix, r->prefix_len * sizeof (guint32)) != 0)
			continue;
		col = oid->sub[r->prefix_len];
		if (col < r->col_min || col > r->col_max)
			continue;     /* ifNumber's prefix also covers ifTable */
		obj->region = ri;
		obj->col = col;
		obj->row = 0;
		if (!visible (v, obj))
			return XN_SIM_NO_SUCH_OBJECT;
		if (oid->len != r->prefix_len + 2)
			return XN_SIM_NO_SUCH_INSTANCE;
		row = oid->sub[r->prefix_len + 1];
		if (row < row_min (r) || row > row_max (v, r))
			return XN_SIM_NO_SUCH_INSTANCE;
		obj->row = row;
		return XN_SIM_FOUND;
	}
	return XN_SIM_NO_SUCH_OBJECT;
}

void
xn_sim_mib_obj_oid (const XnSimObj *obj, XnSimOid *oid)
{
	const XnSimRegion *r = &regions[obj->region];

	memcpy (oid->sub, r->prefix, r->prefix_len * sizeof (guint32));
	oid->sub[r->prefix_len] = obj->col;
	oid->sub[r->prefix_len + 1] = obj->row;
	oid->len = r->prefix_len + 2;
}

/* ---- the port model ---- */

static guint64
mix (guint64 x)
{
	/* splitmix64's finaliser: cheap and well spread, so neighbouring
	 * devices and ports get unrelated states. */
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

typedef struct {
	guint64  h;
	gboolean admin_up;
	gboolean oper_up;
	gboolean ten_gig;     /* the last two ports of a device are 10G uplinks */
} XnSimPort;

static void
port_of (const XnSimView *v, guint32 row, XnSimPort *p)
{
	p->h = mix (((guint64) v->device << 20) ^ row);
	/* About 3 % administratively down, 12 % more down with no link. */
	p->admin_up = (p->h & 31) != 0;
	p->oper_up = p->admin_up && ((p->h >> 5) & 7) != 0;
	p->ten_gig = v->cfg->interfaces >= 4 && row > v->cfg->interfaces - 2;
}

static guint32
device_uptime_offset (guint32 device)
{
	/* Devices booted up to 90 days before the simulator started. */
	return (guint32) (mix (device) % (90ull * TICKS_PER_DAY));
}

typedef struct {
	guint64 octets, ucast, mcast, bcast, errors, discards;
} XnSimCounters;

/* dir 0: in, 1: out. */
static void
counters_of (const XnSimView *v, const XnSimPort *p, guint dir, XnSimCounters *c)
{
	guint64 hd = mix (p->h ^ (0x5bd1e995ull + dir));
	guint64 rate = ((hd & 0x3ff) + 1) * 100000;   /* bytes/s: 0.8–820 Mbit/s */
	guint64 avg_packet = 64 + ((hd >> 10) & 0x3ff);

	if (p->ten_gig)
		rate *= 10;
	if (!p->oper_up)
		rate = 0;
	c->octets = (hd >> 24) + rate * (v->wall_ms / 1000) + rate * (v->wall_ms % 1000) / 1000;
	c->ucast = c->octets / avg_packet;
	c->mcast = c->ucast >> 6;
	c->bcast = c->ucast >> 8;
	c->errors = ((hd >> 20) & 7) == 0 ? c->ucast >> 20 : 0;
	c->discards = ((hd >> 23) & 3) == 0 ? c->ucast >> 16 : 0;
}

/* ---- BER pieces ---- */

typedef struct {
	guint8 *p;
} XnSimOut;

static void
put_uint (XnSimOut *o, guint8 tag, guint64 value)
{
	guint8 tmp[9];
	guint n = 0;

	do {
		tmp[n++] = value & 0xff;
		value >>= 8;
	} while (value != 0);
	if (tmp[n - 1] & 0x80)
		tmp[n++] = 0;   /* unsigned types are still two's complement in BER */
	*o->p++ = tag;
	*o->p++ = n;
	while (n > 0)
		*o->p++ = tmp[--n];
}

static void
put_bytes (XnSimOut *o, guint8 tag, const void *data, gsize len)
{
	*o->p++ = tag;
	*o->p++ = (guint8) len;     /* every string here is < 128 bytes */
	memcpy (o->p, data, len);
	o->p += len;
}

static char *
put_dec (char *s, guint32 n)
{
	char tmp[10];
	guint k = 0;

	do {
		tmp[k++] = '0' + n % 10;
		n /= 10;
	} while (n != 0);
	while (k > 0)
		*s++ = tmp[--k];
	return s;
}

static char *
put_lit (char *s, const char *lit)
{
	gsize n = strlen (lit);

	memcpy (s, lit, n);
	return s + n;
}

/* guint64: the first two arcs share one sub-identifier, 2.x reaches 2^32 + 79. */
static void
put_subid (XnSimOut *o, guint64 sub)
{
	if (sub >= 1u << 28) *o->p++ = 0x80 | ((sub >> 28) & 0x7f);
	if (sub >= 1u << 21) *o->p++ = 0x80 | ((sub >> 21) & 0x7f);
	if (sub >= 1u << 14) *o->p++ = 0x80 | ((sub >> 14) & 0x7f);
	if (sub >= 1u << 7)  *o->p++ = 0x80 | ((sub >> 7) & 0x7f);
	*o->p++ = sub & 0x7f;
}

/* ---- values ---- */

static void
put_system (const XnSimView *v, guint32 col, XnSimOut *o)
{
	static const guint8 sys_object_id[] = { 0x2b, 6, 1, 4, 1, 0xbf, 0x08, 3, 2, 10 };
	char s[128], *e = s;

	switch (col) {
	case 1:
		e = put_lit (e, "extranoc agentsim simulated switch dev-");
		e = put_dec (e, v->device);
		e = put_lit (e, ", ");
		e = put_dec (e, v->cfg->interfaces);
		e = put_lit (e, " ports (benchmark load, not a device)");
		put_bytes (o, 0x04, s, e - s);
		break;
	case 2: put_bytes (o, 0x06, sys_object_id, sizeof sys_object_id); break;
	case 3:
		put_uint (o, 0x43, (guint32) (device_uptime_offset (v->device) + v->uptime_ticks));
		break;
	case 4: e = put_lit (e, "noc@bench.invalid"); put_bytes (o, 0x04, s, e - s); break;
	case 5: e = put_lit (e, "dev-"); e = put_dec (e, v->device); put_bytes (o, 0x04, s, e - s); break;
	case 6:
		e = put_lit (e, "bench rack ");
		e = put_dec (e, v->device / 40);
		e = put_lit (e, " unit ");
		e = put_dec (e, v->device % 40);
		put_bytes (o, 0x04, s, e - s);
		break;
	default: put_uint (o, 0x02, 6); break;   /* sysServices: datalink + internet */
	}
}

static void
put_if_name (const XnSimView *v, const XnSimPort *p, guint32 row, gboolean descr, XnSimOut *o)
{
	char s[48], *e = s;

	if (descr)
		e = put_lit (e, p->ten_gig ? "TenGigabitEthernet0/0/" : "GigabitEthernet0/0/");
	else
		e = put_lit (e, p->ten_gig ? "xe-0-0-" : "ge-0-0-");
	e = put_dec (e, row);
	put_bytes (o, 0x04, s, e - s);
}

static void
put_if_alias (const XnSimView *v, const XnSimPort *p, guint32 row, XnSimOut *o)
{
	char s[96], *e = s;

	if (p->admin_up) {
		e = put_lit (e, "EGOV-");
		e = put_dec (e, v->device * 1000 + row);
		e = put_lit (e, " to dev-");
		e = put_dec (e, (guint32) ((v->device + 1 + (p->h >> 40) % 97) % v->cfg->devices));
		e = put_lit (e, " port ");
		e = put_dec (e, row);
	}
	put_bytes (o, 0x04, s, e - s);
}

static void
put_iftable (const XnSimView *v, guint32 col, guint32 row, XnSimOut *o)
{
	XnSimPort p;
	XnSimCounters c;
	guint8 mac[6];

	port_of (v, row, &p);
	if (col >= 10 && col <= 20)
		counters_of (v, &p, col >= 16, &c);
	switch (col) {
	case 1: put_uint (o, 0x02, row); break;
	case 2: put_if_name (v, &p, row, TRUE, o); break;
	case 3: put_uint (o, 0x02, 6); break;                       /* ethernetCsmacd */
	case 4: put_uint (o, 0x02, p.ten_gig ? 9192 : 1500); break;
	case 5: put_uint (o, 0x42, p.ten_gig ? G_MAXUINT32 : 1000000000u); break;
	case 6:
		mac[0] = 0x02;                                      /* locally administered */
		mac[1] = v->device >> 16; mac[2] = v->device >> 8; mac[3] = v->device;
		mac[4] = row >> 8; mac[5] = row;
		put_bytes (o, 0x04, mac, sizeof mac);
		break;
	case 7: put_uint (o, 0x02, p.admin_up ? 1 : 2); break;
	case 8: put_uint (o, 0x02, p.oper_up ? 1 : 2); break;
	case 9: put_uint (o, 0x43, mix (p.h) % ((guint64) device_uptime_offset (v->device) + 1)); break;
	case 10: case 16: put_uint (o, 0x41, (guint32) c.octets); break;
	case 11: case 17: put_uint (o, 0x41, (guint32) c.ucast); break;
	case 12: case 18: put_uint (o, 0x41, (guint32) (c.mcast + c.bcast)); break;
	case 13: case 19: put_uint (o, 0x41, (guint32) c.discards); break;
	case 14: case 20: put_uint (o, 0x41, (guint32) c.errors); break;
	case 15: put_uint (o, 0x41, 0); break;                      /* ifInUnknownProtos */
	case 21: put_uint (o, 0x42, 0); break;                      /* ifOutQLen */
	default: put_bytes (o, 0x06, "\0", 1); break;                /* ifSpecific 0.0 */
	}
}

static void
put_ifxtable (const XnSimView *v, guint32 col, guint32 row, XnSimOut *o)
{
	XnSimPort p;
	XnSimCounters c;

	port_of (v, row, &p);
	if (col >= 2 && col <= 13)
		counters_of (v, &p, (col >= 4 && col <= 5) || col >= 10, &c);
	switch (col) {
	case 1: put_if_name (v, &p, row, FALSE, o); break;
	case 2: case 4: put_uint (o, 0x41, (guint32) c.mcast); break;
	case 3: case 5: put_uint (o, 0x41, (guint32) c.bcast); break;
	case 6: case 10: put_uint (o, 0x46, c.octets); break;
	case 7: case 11: put_uint (o, 0x46, c.ucast); break;
	case 8: case 12: put_uint (o, 0x46, c.mcast); break;
	case 9: case 13: put_uint (o, 0x46, c.bcast); break;
	case 14: put_uint (o, 0x02, 1); break;                      /* ifLinkUpDownTrapEnable */
	case 15: put_uint (o, 0x42, p.ten_gig ? 10000 : 1000); break;
	case 16: put_uint (o, 0x02, 2); break;                      /* ifPromiscuousMode false */
	case 17: put_uint (o, 0x02, 1); break;                      /* ifConnectorPresent true */
	case 18: put_if_alias (v, &p, row, o); break;
	default: put_uint (o, 0x43, 0); break;                      /* ifCounterDiscontinuityTime */
	}
}

/* One whole varbind, SEQUENCE { name, value }; 0 when it does not fit. */
gsize
xn_sim_mib_encode (const XnSimView *v, const XnSimObj *obj, guint8 *buf, gsize cap)
{
	const XnSimRegion *r = &regions[obj->region];
	guint8 tmp[256];
	XnSimOut o = { tmp + 2 };
	guint8 *oid_len;
	gsize n;

	*o.p++ = 0x06;
	oid_len = o.p++;
	memcpy (o.p, r->prefix_ber, r->prefix_ber_len);
	o.p += r->prefix_ber_len;
	put_subid (&o, obj->col);
	put_subid (&o, obj->row);
	*oid_len = (guint8) (o.p - oid_len - 1);
	switch (obj->region) {
	case R_SYSTEM: put_system (v, obj->col, &o); break;
	case R_IFACES: put_uint (&o, 0x02, v->cfg->interfaces); break;
	case R_IFTABLE: put_iftable (v, obj->col, obj->row, &o); break;
	default: put_ifxtable (v, obj->col, obj->row, &o); break;
	}
	n = o.p - (tmp + 2);          /* < 128: the longest value is sysDescr */
	if (n + 2 > cap)
		return 0;
	buf[0] = 0x30;
	buf[1] = (guint8) n;
	memcpy (buf + 2, tmp + 2, n);
	return n + 2;
}

/* ---- OIDs as the requests carry them ---- */

gboolean
xn_sim_ber_decode_oid (const guint8 *p, gsize len, XnSimOid *oid)
{
	guint64 sub = 0;
	gboolean first = TRUE;

	oid->len = 0;
	if (len == 0)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		sub = (sub << 7) | (p[i] & 0x7f);
		if (sub > G_MAXUINT32 + 80ull)
			return FALSE;
		if (p[i] & 0x80)
			continue;
		if (oid->len + 2 > XN_SIM_OID_MAX)
			return FALSE;
		if (first) {
			guint32 top = sub < 40 ? 0 : sub < 80 ? 1 : 2;
			oid->sub[oid->len++] = top;
			oid->sub[oid->len++] = (guint32) (sub - 40 * top);
			first = FALSE;
		} else {
			if (sub > G_MAXUINT32)
				return FALSE;
			oid->sub[oid->len++] = (guint32) sub;
		}
		sub = 0;
	}
	return !(p[len - 1] & 0x80);
}

/* OID content octets; 0 when it does not fit in cap. */
gsize
xn_sim_ber_encode_oid (const XnSimOid *oid, guint8 *buf, gsize cap)
{
	guint8 tmp[XN_SIM_OID_MAX * 5 + 5];
	XnSimOut o = { tmp };
	gsize n;

	if (oid->len < 2) {
		*o.p++ = oid->len == 1 ? (guint8) (40 * MIN (oid->sub[0], 2)) : 0;
	} else {
		put_subid (&o, 40ull * MIN (oid->sub[0], 2) + oid->sub[1]);
		for (guint i = 2; i < oid->len; i++)
			put_subid (&o, oid->sub[i]);
	}
	n = o.p - tmp;
	if (n > cap)
		return 0;
	memcpy (buf, tmp, n);
	return n;
}

/* A varbind { oid, tag 00 }: the exceptions (noSuchObject, noSuchInstance,
 * endOfMibView) and a NULL value. */
gsize
xn_sim_ber_oid_vb (const XnSimOid *oid, guint8 tag, guint8 *buf, gsize cap)
{
	guint8 content[XN_SIM_OID_MAX * 5 + 5];
	gsize n = xn_sim_ber_encode_oid (oid, content, sizeof content);
	gsize hdr_oid = n < 128 ? 2 : n < 256 ? 3 : 4;   /* 128 sub-ids: < 660 bytes */
	gsize inner = hdr_oid + n + 2;
	gsize hdr_vb = inner < 128 ? 2 : inner < 256 ? 3 : 4;
	guint8 *p = buf;

	if (hdr_vb + inner > cap)
		return 0;
	*p++ = 0x30;
	if (inner >= 256) { *p++ = 0x82; *p++ = inner >> 8; }
	else if (inner >= 128) *p++ = 0x81;
	*p++ = inner & 0xff;
	*p++ = 0x06;
	if (n >= 256) { *p++ = 0x82; *p++ = n >> 8; }
	else if (n >= 128) *p++ = 0x81;
	*p++ = n & 0xff;
	memcpy (p, content, n);
	p += n;
	*p++ = tag;
	*p++ = 0;
	return p - buf;
}
