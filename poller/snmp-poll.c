/* snmp-poll.c — the request plan and the table walk of one poll (see
 * snmp-poll.h); snmp-decode.c turns the values into the sample.
 *
 * Every answer is checked before any of it is used. A GETBULK answer that
 * breaks the protocol (an error-status such as genErr, fewer varbinds than
 * one full row, more than asked, noSuchObject/noSuchInstance, a value of the
 * wrong type, an OID that does not advance) is thrown away whole and the
 * node is walked with GETNEXT from the same place on, for this and every
 * later poll: the fallback is remembered in XnSnmpMemory. A tooBig to a
 * GETBULK is not misbehaviour but a smaller message size than hoped: the
 * same request goes again with half the repetitions, and only a tooBig at
 * one repetition means GETNEXT. Under GETNEXT a bad value is skipped and
 * logged once per node and column; a column whose OIDs stop advancing is
 * ended, so no agent can make a walk loop. SNMPv1's end of the MIB
 * (noSuchName with an error-index) ends the column it names and the request
 * is sent again without it; a tooBig halves the number of columns asked at
 * once.
 *
 * Request size: each request costs far more than each varbind in it (the
 * kernel, the PDU, the parse), so a GETBULK asks for enough rows to fill the
 * answer — rounded up, since RFC 3416 (4.2.3) has an agent drop the varbinds
 * that do not fit rather than fail. An agent seen answering past an
 * Ethernet frame instead of trimming is asked only what fits. */
#include "snmp-walk-private.h"

#include <stdlib.h>

/* RFC 3416 error-status values that matter here. */
enum { ERR_TOO_BIG = 1, ERR_NO_SUCH_NAME = 2 };

/* The largest UDP payload of one Ethernet frame (1500 less IP and UDP
 * headers): an answer above it travels in IP fragments, which firewalls on
 * the way may drop. */
#define ETHERNET_UDP_PAYLOAD 1472
/* The SNMP message around the varbinds: version, community or v3 header,
 * PDU header. An estimate; only the fragment check uses it. */
#define MESSAGE_OVERHEAD 48

#define IF_TABLE(n)   { 1, 3, 6, 1, 2, 1, 2, 2, 1, n }, 10
#define IFX_TABLE(n)  { 1, 3, 6, 1, 2, 1, 31, 1, 1, 1, n }, 11
#define HR_STORAGE(n) { 1, 3, 6, 1, 2, 1, 25, 2, 3, 1, n }, 11

const XnColumnDef xn_walk_columns[XN_COL_COUNT] = {
	[XN_COL_IF_NAME]          = { "ifName", IFX_TABLE (1), XN_ASN_OCTET_STRING, XN_COL_GROUP_IF, 0 },
	[XN_COL_IF_ALIAS]         = { "ifAlias", IFX_TABLE (18), XN_ASN_OCTET_STRING, XN_COL_GROUP_IF, 0 },
	[XN_COL_IF_OPER]          = { "ifOperStatus", IF_TABLE (8), XN_ASN_INTEGER, XN_COL_GROUP_IF, 0 },
	[XN_COL_IF_ADMIN]         = { "ifAdminStatus", IF_TABLE (7), XN_ASN_INTEGER, XN_COL_GROUP_IF, 0 },
	[XN_COL_IF_SPEED]         = { "ifSpeed", IF_TABLE (5), XN_ASN_GAUGE32, XN_COL_GROUP_IF, XN_COL_SPEED32 },
	[XN_COL_IF_HIGH_SPEED]    = { "ifHighSpeed", IFX_TABLE (15), XN_ASN_GAUGE32, XN_COL_GROUP_IF, 0 },
	[XN_COL_IF_HC_IN_OCTETS]  = { "ifHCInOctets", IFX_TABLE (6), XN_ASN_COUNTER64, XN_COL_GROUP_IF, XN_COL_HC },
	[XN_COL_IF_HC_OUT_OCTETS] = { "ifHCOutOctets", IFX_TABLE (10), XN_ASN_COUNTER64, XN_COL_GROUP_IF, XN_COL_HC },
	[XN_COL_IF_HC_IN_UCAST]   = { "ifHCInUcastPkts", IFX_TABLE (7), XN_ASN_COUNTER64, XN_COL_GROUP_IF, XN_COL_HC },
	[XN_COL_IF_HC_OUT_UCAST]  = { "ifHCOutUcastPkts", IFX_TABLE (11), XN_ASN_COUNTER64, XN_COL_GROUP_IF, XN_COL_HC },
	[XN_COL_IF_IN_OCTETS]     = { "ifInOctets", IF_TABLE (10), XN_ASN_COUNTER32, XN_COL_GROUP_IF, XN_COL_32 },
	[XN_COL_IF_OUT_OCTETS]    = { "ifOutOctets", IF_TABLE (16), XN_ASN_COUNTER32, XN_COL_GROUP_IF, XN_COL_32 },
	[XN_COL_IF_IN_UCAST]      = { "ifInUcastPkts", IF_TABLE (11), XN_ASN_COUNTER32, XN_COL_GROUP_IF, XN_COL_32 },
	[XN_COL_IF_OUT_UCAST]     = { "ifOutUcastPkts", IF_TABLE (17), XN_ASN_COUNTER32, XN_COL_GROUP_IF, XN_COL_32 },
	[XN_COL_IF_IN_DISCARDS]   = { "ifInDiscards", IF_TABLE (13), XN_ASN_COUNTER32, XN_COL_GROUP_IF, 0 },
	[XN_COL_IF_OUT_DISCARDS]  = { "ifOutDiscards", IF_TABLE (19), XN_ASN_COUNTER32, XN_COL_GROUP_IF, 0 },
	[XN_COL_IF_IN_ERRORS]     = { "ifInErrors", IF_TABLE (14), XN_ASN_COUNTER32, XN_COL_GROUP_IF, 0 },
	[XN_COL_IF_OUT_ERRORS]    = { "ifOutErrors", IF_TABLE (20), XN_ASN_COUNTER32, XN_COL_GROUP_IF, 0 },
	[XN_COL_HR_PROCESSOR_LOAD] = { "hrProcessorLoad", { 1, 3, 6, 1, 2, 1, 25, 3, 3, 1, 2 }, 11,
				       XN_ASN_INTEGER, XN_COL_GROUP_HR, 0 },
	[XN_COL_HR_STORAGE_TYPE]  = { "hrStorageType", HR_STORAGE (2), XN_ASN_OBJECT_ID, XN_COL_GROUP_HR, 0 },
	[XN_COL_HR_STORAGE_UNITS] = { "hrStorageAllocationUnits", HR_STORAGE (4), XN_ASN_INTEGER, XN_COL_GROUP_HR, 0 },
	[XN_COL_HR_STORAGE_SIZE]  = { "hrStorageSize", HR_STORAGE (5), XN_ASN_INTEGER, XN_COL_GROUP_HR, 0 },
	[XN_COL_HR_STORAGE_USED]  = { "hrStorageUsed", HR_STORAGE (6), XN_ASN_INTEGER, XN_COL_GROUP_HR, 0 },
};

/* Asked as GETNEXT of the object (no .0), so a missing one costs nothing. */
const XnScalarDef xn_walk_scalars[XN_WALK_N_SCALARS] = {
	{ "sysDescr",  { 1, 3, 6, 1, 2, 1, 1, 1, 0 }, XN_ASN_OCTET_STRING },
	{ "sysUpTime", { 1, 3, 6, 1, 2, 1, 1, 3, 0 }, XN_ASN_TIMETICKS },
	{ "sysName",   { 1, 3, 6, 1, 2, 1, 1, 5, 0 }, XN_ASN_OCTET_STRING },
};


void
xn_snmp_memory_init (XnSnmpMemory *memory)
{
	memset (memory, 0, sizeof *memory);
	memory->varbind_bytes = 24;
}

const char *
xn_snmp_column_name (XnSnmpColumn column)
{
	return column < XN_COL_COUNT ? xn_walk_columns[column].name : "?";
}

XnSnmpWalk *
xn_snmp_walk_new (void)
{
	XnSnmpWalk *walk = g_new0 (XnSnmpWalk, 1);

	xn_walk_decode_init (walk);
	return walk;
}

void
xn_snmp_walk_free (XnSnmpWalk *walk)
{
	if (walk == NULL)
		return;
	xn_walk_decode_free (walk);
	g_free (walk->problem);
	g_free (walk);
}

static gboolean
want_column (const XnSnmpWalk *walk, XnSnmpColumn c)
{
	const XnColumnDef *def = &xn_walk_columns[c];

	/* SNMPv1 has no Counter64: an agent skips those objects in v1. */
	if ((def->flags & XN_COL_HC) && walk->version == XN_SNMP_V1)
		return FALSE;
	if ((def->flags & XN_COL_32) && walk->memory->skip_counters32 && walk->version != XN_SNMP_V1)
		return FALSE;
	if ((def->flags & XN_COL_SPEED32) && !walk->speed32_asked)
		return FALSE;
	if (def->group == XN_COL_GROUP_HR && !walk->hr_asked)
		return FALSE;
	return TRUE;
}

void
xn_snmp_walk_start (XnSnmpWalk *walk, XnSnmpMemory *memory, XnSnmpVersion version,
		    XnNodeSample *sample, const char *label)
{
	walk->memory = memory;
	walk->sample = sample;
	walk->label = label;
	walk->version = version;
	/* An agent without HOST-RESOURCES is asked again every 16th poll only:
	 * its empty columns would cost a row of varbinds per request. */
	walk->hr_asked = memory->hr_absent % 16 == 0;
	walk->speed32_asked = !memory->skip_speed32;
	walk->scalars_pending = (1u << XN_WALK_N_SCALARS) - 1;
	walk->n_active = 0;
	for (guint c = 0; c < XN_COL_COUNT; c++) {
		walk->suffix_len[c] = 0;
		walk->column_rows[c] = 0;
		if (want_column (walk, c))
			walk->active[walk->n_active++] = (guint8) c;
	}
	walk->getnext_limit = 0;
	walk->answers = walk->varbinds = 0;
	xn_walk_decode_clear (walk);
	g_clear_pointer (&walk->problem, g_free);
	walk->fell_back = FALSE;
}

guint
xn_snmp_max_repetitions (guint non_repeaters, guint n_columns, guint varbind_bytes, guint rows_wanted,
			 gboolean fill)
{
	guint per_row, budget = XN_SNMP_RESPONSE_BUDGET, reps;

	if (n_columns == 0)
		return 1;
	varbind_bytes = MAX (varbind_bytes, 8);
	budget -= MIN (budget / 2, non_repeaters * varbind_bytes);
	per_row = n_columns * varbind_bytes;
	reps = fill ? (budget + per_row - 1) / per_row : budget / per_row;
	reps = CLAMP (reps, 1, XN_SNMP_MAX_REPETITIONS);
	if (rows_wanted > 0)
		reps = MIN (reps, rows_wanted);
	return reps;
}

static void
set_slot_oid (XnSnmpWalk *walk, guint pos, guint slot)
{
	XnSubid *buf = walk->oidbuf[pos];
	guint len;

	if (slot < XN_WALK_N_SCALARS) {
		len = G_N_ELEMENTS (xn_walk_scalars[slot].oid) - 1;
		memcpy (buf, xn_walk_scalars[slot].oid, len * sizeof (XnSubid));
	} else {
		guint c = slot - XN_WALK_N_SCALARS;

		len = xn_walk_columns[c].len;
		memcpy (buf, xn_walk_columns[c].prefix, len * sizeof (XnSubid));
		memcpy (buf + len, walk->suffix[c], walk->suffix_len[c] * sizeof (XnSubid));
		len += walk->suffix_len[c];
	}
	walk->slots[pos] = (guint8) slot;
	walk->oids[pos].arcs = buf;
	walk->oids[pos].len = len;
}

/* The rows a GETBULK needs when the last poll found `rows` interfaces: as
 * many as the column furthest behind still lacks, and one more that shows
 * its end (trimmed answers leave the later columns of a request a row
 * behind the earlier ones). 0: unknown (no interface columns, a
 * HOST-RESOURCES column whose rows nothing predicts, a first poll). */
static guint
rows_wanted (const XnSnmpWalk *walk)
{
	guint rows = walk->memory->rows, most = 0;

	if (rows == 0)
		return 0;
	for (guint i = 0; i < walk->n_active; i++) {
		XnSnmpColumn c = walk->active[i];

		if (xn_walk_columns[c].group != XN_COL_GROUP_IF)
			return 0;
		if (walk->column_rows[c] > rows)
			return 0;   /* more rows than last time: walk on unbounded */
		most = MAX (most, rows - walk->column_rows[c]);
	}
	return most + 1;
}

const XnSnmpRequest *
xn_snmp_walk_request (XnSnmpWalk *walk)
{
	XnSnmpRequest *r = &walk->request;
	guint n = 0, n_scalars, limit = XN_WALK_N_SLOTS;
	gboolean bulk = walk->version != XN_SNMP_V1 && !walk->memory->use_getnext;

	if (!bulk && walk->getnext_limit > 0)
		limit = walk->getnext_limit;
	for (guint s = 0; s < XN_WALK_N_SCALARS && n < limit; s++)
		if (walk->scalars_pending & (1u << s))
			set_slot_oid (walk, n++, s);
	n_scalars = n;
	for (guint i = 0; i < walk->n_active && n < limit; i++)
		set_slot_oid (walk, n++, XN_WALK_SLOT_COLUMN (walk->active[i]));

	r->oids = walk->oids;
	r->n_oids = n;
	if (bulk) {
		const XnSnmpMemory *m = walk->memory;
		guint wanted = rows_wanted (walk);

		r->command = XN_SNMP_GETBULK;
		r->non_repeat = n_scalars;
		r->max_repeat = xn_snmp_max_repetitions (n_scalars, n - n_scalars, m->varbind_bytes, wanted,
							 !m->no_fill);
		if (m->bulk_cap > 0)
			r->max_repeat = MIN (r->max_repeat, m->bulk_cap);
	} else {
		r->command = XN_SNMP_GETNEXT;
		r->non_repeat = r->max_repeat = 0;
	}
	return r;
}

static gboolean
in_column (XnSnmpColumn c, const XnOid *name)
{
	const XnColumnDef *def = &xn_walk_columns[c];

	if (name->len <= def->len)
		return FALSE;
	/* From the column's own arc back: where a walk leaves a column, that
	 * is the arc that differs. Inline, since it runs for every varbind. */
	for (guint i = def->len; i > 0; i--)
		if (name->arcs[i - 1] != def->prefix[i - 1])
			return FALSE;
	return TRUE;
}

static gboolean
is_exception (guint8 type)
{
	return type == XN_ASN_NO_SUCH_OBJECT || type == XN_ASN_NO_SUCH_INSTANCE;
}

static char *
oid_to_string (const XnSubid *arcs, guint len)
{
	GString *s = g_string_sized_new (4 * len);

	for (guint i = 0; i < len; i++)
		g_string_append_printf (s, i == 0 ? "%lu" : ".%lu", arcs[i]);
	return g_string_free (s, FALSE);
}

const char *
xn_walk_type_name (guint8 type)
{
	switch (type) {
	case XN_ASN_INTEGER:          return "INTEGER";
	case XN_ASN_OCTET_STRING:     return "OCTET STRING";
	case XN_ASN_NULL:             return "NULL";
	case XN_ASN_OBJECT_ID:        return "OBJECT IDENTIFIER";
	case XN_ASN_IPADDRESS:        return "IpAddress";
	case XN_ASN_COUNTER32:        return "Counter32";
	case XN_ASN_GAUGE32:          return "Gauge32";
	case XN_ASN_TIMETICKS:        return "TimeTicks";
	case XN_ASN_OPAQUE:           return "Opaque";
	case XN_ASN_COUNTER64:        return "Counter64";
	case XN_ASN_NO_SUCH_OBJECT:   return "noSuchObject";
	case XN_ASN_NO_SUCH_INSTANCE: return "noSuchInstance";
	case XN_ASN_END_OF_MIB_VIEW:  return "endOfMibView";
	}
	return "an unknown type";
}

/* Logs a bad value once per node and column (or scalar): an agent that
 * sends garbage every poll must not fill the log. */
void
xn_walk_warn_once (XnSnmpWalk *walk, guint bit, const XnOid *name, const char *what, const char *why)
{
	g_autofree char *oid = NULL;

	if (walk->memory->warned & (G_GUINT64_CONSTANT (1) << bit))
		return;
	walk->memory->warned |= G_GUINT64_CONSTANT (1) << bit;
	oid = oid_to_string (name->arcs, name->len);
	g_warning ("%s: %s (%s): %s; ignored (logged once per node)", walk->label, what, oid, why);
}

/* Whether `name` comes after `last` in column c; when both are inside the
 * column only their indexes need comparing. */
static gboolean
advances (XnSnmpColumn c, const XnOid *name, gboolean name_in, const XnOid *last, gboolean last_in)
{
	guint plen = xn_walk_columns[c].len;

	if (last_in && name_in)
		return xn_walk_oid_cmp (name->arcs + plen, name->len - plen, last->arcs + plen, last->len - plen) > 0;
	return xn_walk_oid_cmp (name->arcs, name->len, last->arcs, last->len) > 0;
}

/* Why a GETBULK answer cannot be trusted, or NULL when it can. */
static char *
check_bulk (XnSnmpWalk *walk, const XnSnmpReply *reply)
{
	const XnSnmpRequest *r = &walk->request;
	guint nr = r->non_repeat, m = r->n_oids - nr, max = nr + m * r->max_repeat;
	const XnOid *last[XN_COL_COUNT];
	gboolean ended[XN_COL_COUNT] = { FALSE }, last_in[XN_COL_COUNT];

	if (reply->error_status == ERR_TOO_BIG)
		return g_strdup ("it answered GETBULK with tooBig");
	if (reply->error_status != 0)
		return g_strdup_printf ("it answered GETBULK with error-status %u", reply->error_status);
	if (reply->n_varbinds < nr + m)
		return g_strdup_printf ("it left out varbinds: %u in an answer that needs at least %u",
					reply->n_varbinds, nr + m);
	if (reply->n_varbinds > max)
		return g_strdup_printf ("it sent %u varbinds for at most %u asked", reply->n_varbinds, max);
	for (guint i = 0; i < m; i++) {
		XnSnmpColumn c = walk->slots[nr + i] - XN_WALK_N_SCALARS;

		last[c] = &walk->oids[nr + i];
		last_in[c] = walk->suffix_len[c] > 0;
	}
	for (guint i = 0, pos = 0; i < reply->n_varbinds; i++, pos = pos + 1 < nr + m ? pos + 1 : nr) {
		const XnVarbind *vb = &reply->varbinds[i];
		guint slot = walk->slots[pos];
		XnSnmpColumn c;
		gboolean in;

		walk->in_column[i] = FALSE;
		if (is_exception (vb->type))
			return g_strdup_printf ("it answered GETBULK with %s", xn_walk_type_name (vb->type));
		if (slot < XN_WALK_N_SCALARS) {
			if (vb->name.len == G_N_ELEMENTS (xn_walk_scalars[slot].oid) &&
			    xn_walk_oid_cmp (vb->name.arcs, vb->name.len, xn_walk_scalars[slot].oid, vb->name.len) == 0 &&
			    vb->type != xn_walk_scalars[slot].type)
				return g_strdup_printf ("%s came as %s", xn_walk_scalars[slot].name, xn_walk_type_name (vb->type));
			continue;
		}
		c = slot - XN_WALK_N_SCALARS;
		if (ended[c] || vb->type == XN_ASN_END_OF_MIB_VIEW)
			continue;
		in = in_column (c, &vb->name);
		if (!advances (c, &vb->name, in, last[c], last_in[c]))
			return g_strdup_printf ("%s did not advance", xn_walk_columns[c].name);
		last[c] = &vb->name;
		last_in[c] = walk->in_column[i] = (guint8) in;
		if (!in)
			ended[c] = TRUE;
		else if (vb->type != xn_walk_columns[c].type)
			return g_strdup_printf ("%s came as %s", xn_walk_columns[c].name, xn_walk_type_name (vb->type));
	}
	return NULL;
}

/* Moves column c to `vb`'s index, known to advance; FALSE when the column
 * has ended there. */
static gboolean
move_to (XnSnmpWalk *walk, XnSnmpColumn c, const XnVarbind *vb)
{
	const XnColumnDef *def = &xn_walk_columns[c];
	guint suffix_len = vb->name.len - def->len;

	if (suffix_len > XN_WALK_SUFFIX_MAX) {
		xn_walk_warn_once (walk, c, &vb->name, def->name, "an index too long to follow; column ended");
		return FALSE;
	}
	for (guint i = 0; i < suffix_len; i++)   /* usually one arc: no memcpy call */
		walk->suffix[c][i] = vb->name.arcs[def->len + i];
	walk->suffix_len[c] = (guint8) suffix_len;
	walk->column_rows[c]++;
	return TRUE;
}

/* Moves column c past `name`; FALSE when the column has ended there. */
static gboolean
advance (XnSnmpWalk *walk, XnSnmpColumn c, const XnVarbind *vb)
{
	const XnColumnDef *def = &xn_walk_columns[c];
	guint suffix_len;

	if (vb->type == XN_ASN_END_OF_MIB_VIEW || is_exception (vb->type) || !in_column (c, &vb->name))
		return FALSE;
	suffix_len = vb->name.len - def->len;
	if (xn_walk_oid_cmp (vb->name.arcs + def->len, suffix_len, walk->suffix[c], walk->suffix_len[c]) <= 0) {
		xn_walk_warn_once (walk, c, &vb->name, def->name, "an OID that does not advance; column ended");
		return FALSE;
	}
	return move_to (walk, c, vb);
}

static void
end_column (XnSnmpWalk *walk, XnSnmpColumn c)
{
	guint j = 0;

	for (guint i = 0; i < walk->n_active; i++)
		if (walk->active[i] != c)
			walk->active[j++] = walk->active[i];
	walk->n_active = j;
}

/* BER sizes (X.690): a length field, an OID's contents, an integer's. */
static gsize
ber_length_size (gsize n)
{
	return n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 4;
}

static gsize
ber_oid_size (const XnOid *oid)
{
	gsize n = oid->len >= 2 ? 1 : oid->len;   /* the first two arcs share a byte */

	for (guint i = 2; i < oid->len; i++)
		for (XnSubid a = oid->arcs[i]; ; a >>= 7) {
			n++;
			if (a < 0x80)
				break;
		}
	return n;
}

static gsize
ber_unsigned_size (guint64 v)
{
	gsize n = 1;

	/* a leading zero byte when the top bit is set: the value stays positive */
	while (v >= 0x80) {
		v >>= 8;
		n++;
	}
	return n;
}

static gsize
varbind_size (const XnVarbind *vb)
{
	gsize value, name = ber_oid_size (&vb->name), body;

	switch (vb->type) {
	case XN_ASN_INTEGER:
		value = ber_unsigned_size (vb->integer < 0 ? (guint64) ~vb->integer : (guint64) vb->integer);
		break;
	case XN_ASN_COUNTER32: case XN_ASN_GAUGE32: case XN_ASN_TIMETICKS: case XN_ASN_COUNTER64:
		value = ber_unsigned_size (vb->unsigned64);
		break;
	case XN_ASN_OBJECT_ID:
		value = ber_oid_size (&vb->objid);
		break;
	case XN_ASN_OCTET_STRING: case XN_ASN_IPADDRESS: case XN_ASN_OPAQUE:
		value = vb->octets_len;
		break;
	default:
		value = 0;
		break;
	}
	body = 1 + ber_length_size (name) + name + 1 + ber_length_size (value) + value;
	return 1 + ber_length_size (body) + body;
}

/* The varbinds' size in bytes as the agent encoded them (give or take
 * non-minimal encodings). */
static gsize
varbinds_size (const XnSnmpReply *reply)
{
	gsize total = 0;

	for (guint i = 0; i < reply->n_varbinds; i++)
		total += varbind_size (&reply->varbinds[i]);
	return total;
}

/* The mean size of a varbind, learnt from the first answers of each poll
 * (later ones hold the same columns). */
static void
learn_varbind_size (XnSnmpWalk *walk, const XnSnmpReply *reply)
{
	XnSnmpMemory *memory = walk->memory;
	guint mean;

	if (walk->answers > 1 || reply->n_varbinds < 8)
		return;
	mean = (guint) (varbinds_size (reply) / reply->n_varbinds);
	memory->varbind_bytes = (3 * memory->varbind_bytes + mean + 3) / 4;
}

/* Logs a fact about the agent once per node (bits above the columns'). */
static gboolean
first_time (XnSnmpWalk *walk, guint bit)
{
	guint64 mask = G_GUINT64_CONSTANT (1) << bit;

	if (walk->memory->warned & mask)
		return FALSE;
	walk->memory->warned |= mask;
	return TRUE;
}

enum { NOTED_TOO_BIG = 48, NOTED_FRAGMENTS = 49 };

/* A tooBig to a GETBULK: the agent's message size is smaller than hoped.
 * RFC 3416 wants it to trim instead, but some agents do not; half the
 * repetitions from now on, and GETNEXT only when even one fails. */
static gboolean
bulk_too_big (XnSnmpWalk *walk)
{
	const XnSnmpRequest *r = &walk->request;
	XnSnmpMemory *memory = walk->memory;

	if (r->max_repeat <= 1)
		return FALSE;
	memory->bulk_cap = r->max_repeat / 2;
	memory->no_fill = TRUE;
	if (first_time (walk, NOTED_TOO_BIG))
		g_message ("%s: the agent answers a GETBULK of %u repetitions with tooBig; "
			   "at most %u from now on (logged once per node)", walk->label, r->max_repeat,
			   memory->bulk_cap);
	return TRUE;
}

/* A whole answer (nothing trimmed, no column ended) larger than one Ethernet
 * frame: the agent sends IP fragments rather than trim, so it is asked only
 * what fits. */
static void
learn_trimming (XnSnmpWalk *walk, const XnSnmpReply *reply, gboolean any_ended)
{
	const XnSnmpRequest *r = &walk->request;
	guint asked = r->non_repeat + (r->n_oids - r->non_repeat) * r->max_repeat;
	gsize answer_bytes;

	if (walk->memory->no_fill || any_ended || reply->n_varbinds < asked)
		return;
	answer_bytes = varbinds_size (reply) + MESSAGE_OVERHEAD;
	if (answer_bytes <= ETHERNET_UDP_PAYLOAD)
		return;
	walk->memory->no_fill = TRUE;
	if (first_time (walk, NOTED_FRAGMENTS))
		g_message ("%s: the agent answers GETBULK past one Ethernet frame (about %" G_GSIZE_FORMAT
			   " bytes) instead of trimming; requests are sized to fit from now on (logged once per node)",
			   walk->label, answer_bytes);
}

static XnWalkStep
next_step (const XnSnmpWalk *walk)
{
	return walk->n_active == 0 && walk->scalars_pending == 0 ? XN_WALK_DONE : XN_WALK_CONTINUE;
}

static XnWalkStep
feed_bulk (XnSnmpWalk *walk, const XnSnmpReply *reply)
{
	const XnSnmpRequest *r = &walk->request;
	guint nr = r->non_repeat, m = r->n_oids - nr;
	gboolean ended[XN_COL_COUNT] = { FALSE }, any_ended = FALSE;
	g_autofree char *why = NULL;

	if (reply->error_status == ERR_TOO_BIG && bulk_too_big (walk))
		return XN_WALK_CONTINUE;
	why = check_bulk (walk, reply);
	if (why != NULL) {
		walk->memory->use_getnext = TRUE;
		walk->fell_back = TRUE;
		g_message ("%s: the agent misbehaves with GETBULK (%s); it is walked with GETNEXT from now on",
			   walk->label, why);
		return XN_WALK_CONTINUE;
	}
	learn_varbind_size (walk, reply);
	for (guint i = 0, pos = 0; i < reply->n_varbinds; i++, pos = pos + 1 < nr + m ? pos + 1 : nr) {
		const XnVarbind *vb = &reply->varbinds[i];
		guint slot = walk->slots[pos];
		XnSnmpColumn c;

		if (slot < XN_WALK_N_SCALARS) {
			xn_walk_decode_scalar (walk, slot, vb);
			continue;
		}
		c = slot - XN_WALK_N_SCALARS;
		if (ended[c])
			continue;
		/* check_bulk has seen every in-column OID advance */
		if (!walk->in_column[i] || !move_to (walk, c, vb))
			ended[c] = any_ended = TRUE;
		else
			xn_walk_decode_column (walk, c, vb);
	}
	learn_trimming (walk, reply, any_ended);
	for (guint c = 0; c < XN_COL_COUNT; c++)
		if (ended[c])
			end_column (walk, c);
	return next_step (walk);
}

static XnWalkStep
fail (XnSnmpWalk *walk, char *problem)
{
	g_free (walk->problem);
	walk->problem = problem;
	return XN_WALK_FAILED;
}

static XnWalkStep
feed_getnext (XnSnmpWalk *walk, const XnSnmpReply *reply)
{
	const XnSnmpRequest *r = &walk->request;

	if (reply->error_status == ERR_NO_SUCH_NAME && reply->error_index >= 1 &&
	    reply->error_index <= r->n_oids) {
		/* SNMPv1's end of the MIB for that one OID: drop it, ask again. */
		guint slot = walk->slots[reply->error_index - 1];

		if (slot < XN_WALK_N_SCALARS)
			walk->scalars_pending &= ~(1u << slot);
		else
			end_column (walk, slot - XN_WALK_N_SCALARS);
		return next_step (walk);
	}
	if (reply->error_status == ERR_TOO_BIG && r->n_oids > 1) {
		walk->getnext_limit = r->n_oids / 2;
		return XN_WALK_CONTINUE;
	}
	if (reply->error_status != 0)
		return fail (walk, g_strdup_printf ("the agent answered GETNEXT with error-status %u (index %u)",
						    reply->error_status, reply->error_index));
	if (reply->n_varbinds != r->n_oids)
		return fail (walk, g_strdup_printf ("the agent answered a GETNEXT of %u OIDs with %u varbinds",
						    r->n_oids, reply->n_varbinds));
	for (guint i = 0; i < reply->n_varbinds; i++) {
		const XnVarbind *vb = &reply->varbinds[i];
		guint slot = walk->slots[i];

		if (slot < XN_WALK_N_SCALARS) {
			xn_walk_decode_scalar (walk, slot, vb);
		} else if (!advance (walk, slot - XN_WALK_N_SCALARS, vb)) {
			end_column (walk, slot - XN_WALK_N_SCALARS);
		} else {
			xn_walk_decode_column (walk, slot - XN_WALK_N_SCALARS, vb);
		}
	}
	return next_step (walk);
}

XnWalkStep
xn_snmp_walk_feed (XnSnmpWalk *walk, const XnSnmpReply *reply)
{
	g_return_val_if_fail (reply->kind == XN_SNMP_REPLY_RESPONSE, XN_WALK_FAILED);

	walk->answers++;
	walk->varbinds += reply->n_varbinds;
	if (walk->request.command == XN_SNMP_GETBULK)
		return feed_bulk (walk, reply);
	return feed_getnext (walk, reply);
}

const char *
xn_snmp_walk_problem (const XnSnmpWalk *walk)
{
	return walk->problem;
}

guint
xn_snmp_walk_answers (const XnSnmpWalk *walk)
{
	return walk->answers;
}

guint
xn_snmp_walk_varbinds (const XnSnmpWalk *walk)
{
	return walk->varbinds;
}

gboolean
xn_snmp_walk_fell_back (const XnSnmpWalk *walk)
{
	return walk->fell_back;
}

