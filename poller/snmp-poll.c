/* snmp-poll.c — the request plan and the table walk of one poll, and the
 * decoding of answers into an XnNodeSample (see snmp-poll.h).
 *
 * Every answer is checked before any of it is used. A GETBULK answer that
 * breaks the protocol (an error-status such as tooBig or genErr, fewer
 * varbinds than one full row, more than asked, noSuchObject/noSuchInstance,
 * a value of the wrong type, an OID that does not advance) is thrown away
 * whole and the node is walked with GETNEXT from the same place on, for this
 * and every later poll: the fallback is remembered in XnSnmpMemory. Under
 * GETNEXT a bad value is skipped and logged once per node and column; a
 * column whose OIDs stop advancing is ended, so no agent can make a walk
 * loop. SNMPv1's end of the MIB (noSuchName with an error-index) ends the
 * column it names and the request is sent again without it; a tooBig
 * halves the number of columns asked at once.
 *
 * Decoding allocates nothing per varbind but the strings the sample keeps
 * (ifName, ifAlias, sysName, sysDescr). Values whose meaning depends on
 * another column (HC or 32-bit octets, ifSpeed or ifHighSpeed) are resolved
 * in xn_snmp_walk_finish() from bits kept in the upper half of `have` and
 * from the 32-bit counters kept aside in a table the walk reuses. */
#include "snmp-poll.h"

#include <string.h>

#define N_SCALARS     3
#define PREFIX_MAX    11
#define SUFFIX_MAX    16
#define N_SLOTS       (N_SCALARS + XN_COL_COUNT)
#define SLOT_COLUMN(c) (N_SCALARS + (c))

/* RFC 3416 error-status values that matter here. */
enum { ERR_TOO_BIG = 1, ERR_NO_SUCH_NAME = 2 };

enum { GROUP_IF, GROUP_HR };
enum { COL_HC = 1, COL_32 = 2 };   /* HC: needs v2c/v3; 32: skipped once HC suffices */

typedef struct {
	const char *name;
	XnSubid     prefix[PREFIX_MAX];
	guint8      len;
	guint8      type;
	guint8      group;
	guint8      flags;
} ColumnDef;

#define IF_TABLE(n)   { 1, 3, 6, 1, 2, 1, 2, 2, 1, n }, 10
#define IFX_TABLE(n)  { 1, 3, 6, 1, 2, 1, 31, 1, 1, 1, n }, 11
#define HR_STORAGE(n) { 1, 3, 6, 1, 2, 1, 25, 2, 3, 1, n }, 11

static const ColumnDef columns[XN_COL_COUNT] = {
	[XN_COL_IF_NAME]          = { "ifName", IFX_TABLE (1), XN_ASN_OCTET_STRING, GROUP_IF, 0 },
	[XN_COL_IF_ALIAS]         = { "ifAlias", IFX_TABLE (18), XN_ASN_OCTET_STRING, GROUP_IF, 0 },
	[XN_COL_IF_OPER]          = { "ifOperStatus", IF_TABLE (8), XN_ASN_INTEGER, GROUP_IF, 0 },
	[XN_COL_IF_ADMIN]         = { "ifAdminStatus", IF_TABLE (7), XN_ASN_INTEGER, GROUP_IF, 0 },
	[XN_COL_IF_SPEED]         = { "ifSpeed", IF_TABLE (5), XN_ASN_GAUGE32, GROUP_IF, 0 },
	[XN_COL_IF_HIGH_SPEED]    = { "ifHighSpeed", IFX_TABLE (15), XN_ASN_GAUGE32, GROUP_IF, 0 },
	[XN_COL_IF_HC_IN_OCTETS]  = { "ifHCInOctets", IFX_TABLE (6), XN_ASN_COUNTER64, GROUP_IF, COL_HC },
	[XN_COL_IF_HC_OUT_OCTETS] = { "ifHCOutOctets", IFX_TABLE (10), XN_ASN_COUNTER64, GROUP_IF, COL_HC },
	[XN_COL_IF_HC_IN_UCAST]   = { "ifHCInUcastPkts", IFX_TABLE (7), XN_ASN_COUNTER64, GROUP_IF, COL_HC },
	[XN_COL_IF_HC_OUT_UCAST]  = { "ifHCOutUcastPkts", IFX_TABLE (11), XN_ASN_COUNTER64, GROUP_IF, COL_HC },
	[XN_COL_IF_IN_OCTETS]     = { "ifInOctets", IF_TABLE (10), XN_ASN_COUNTER32, GROUP_IF, COL_32 },
	[XN_COL_IF_OUT_OCTETS]    = { "ifOutOctets", IF_TABLE (16), XN_ASN_COUNTER32, GROUP_IF, COL_32 },
	[XN_COL_IF_IN_UCAST]      = { "ifInUcastPkts", IF_TABLE (11), XN_ASN_COUNTER32, GROUP_IF, COL_32 },
	[XN_COL_IF_OUT_UCAST]     = { "ifOutUcastPkts", IF_TABLE (17), XN_ASN_COUNTER32, GROUP_IF, COL_32 },
	[XN_COL_IF_IN_DISCARDS]   = { "ifInDiscards", IF_TABLE (13), XN_ASN_COUNTER32, GROUP_IF, 0 },
	[XN_COL_IF_OUT_DISCARDS]  = { "ifOutDiscards", IF_TABLE (19), XN_ASN_COUNTER32, GROUP_IF, 0 },
	[XN_COL_IF_IN_ERRORS]     = { "ifInErrors", IF_TABLE (14), XN_ASN_COUNTER32, GROUP_IF, 0 },
	[XN_COL_IF_OUT_ERRORS]    = { "ifOutErrors", IF_TABLE (20), XN_ASN_COUNTER32, GROUP_IF, 0 },
	[XN_COL_HR_PROCESSOR_LOAD] = { "hrProcessorLoad", { 1, 3, 6, 1, 2, 1, 25, 3, 3, 1, 2 }, 11,
				       XN_ASN_INTEGER, GROUP_HR, 0 },
	[XN_COL_HR_STORAGE_TYPE]  = { "hrStorageType", HR_STORAGE (2), XN_ASN_OBJECT_ID, GROUP_HR, 0 },
	[XN_COL_HR_STORAGE_UNITS] = { "hrStorageAllocationUnits", HR_STORAGE (4), XN_ASN_INTEGER, GROUP_HR, 0 },
	[XN_COL_HR_STORAGE_SIZE]  = { "hrStorageSize", HR_STORAGE (5), XN_ASN_INTEGER, GROUP_HR, 0 },
	[XN_COL_HR_STORAGE_USED]  = { "hrStorageUsed", HR_STORAGE (6), XN_ASN_INTEGER, GROUP_HR, 0 },
};

/* Asked as GETNEXT of the object (no .0), so a missing one costs nothing. */
static const struct {
	const char *name;
	XnSubid     oid[9];
	guint8      type;
} scalars[N_SCALARS] = {
	{ "sysDescr",  { 1, 3, 6, 1, 2, 1, 1, 1, 0 }, XN_ASN_OCTET_STRING },
	{ "sysUpTime", { 1, 3, 6, 1, 2, 1, 1, 3, 0 }, XN_ASN_TIMETICKS },
	{ "sysName",   { 1, 3, 6, 1, 2, 1, 1, 5, 0 }, XN_ASN_OCTET_STRING },
};

static const XnSubid hr_storage_ram[] = { 1, 3, 6, 1, 2, 1, 25, 2, 1, 2 };

/* Bits of XnIfSample.have used while decoding, cleared by finish. */
enum {
	IF_HC_IN     = 1u << 16, IF_HC_OUT    = 1u << 17,
	IF_HCU_IN    = 1u << 18, IF_HCU_OUT   = 1u << 19,
	IF_ERR_IN    = 1u << 20, IF_ERR_OUT   = 1u << 21,
	IF_DISC_IN   = 1u << 22, IF_DISC_OUT  = 1u << 23,
	IF_SPEED32   = 1u << 24, IF_HIGHSPEED = 1u << 25,
	IF_PRIVATE   = 0xffff0000u,
};

/* The 32-bit octet and unicast counters of one interface. They are kept
 * aside, not in the sample, because the HC ones win when both directions
 * have them and the 32-bit ones are needed for both directions otherwise. */
typedef struct {
	guint32 if_index;
	guint8  have;           /* C32_* */
	guint32 in, out, in_ucast, out_ucast;
} Counters32;

enum { C32_IN = 1, C32_OUT = 2, C32_IN_UCAST = 4, C32_OUT_UCAST = 8 };

enum { ROW_TYPE = 1, ROW_UNITS = 2, ROW_SIZE = 4, ROW_USED = 8 };

typedef struct {
	guint32 index;
	guint8  have;
	gboolean ram;
	gint64  units, size, used;
} StorageRow;

struct _XnSnmpWalk {
	XnSnmpMemory  *memory;
	XnNodeSample  *sample;
	const char    *label;
	XnSnmpVersion  version;
	gboolean       hr_asked;
	guint          scalars_pending;            /* bit per scalar */
	guint          n_active;
	guint8         active[XN_COL_COUNT];       /* columns still walked, in request order */
	XnSubid        suffix[XN_COL_COUNT][SUFFIX_MAX];
	guint8         suffix_len[XN_COL_COUNT];   /* 0: the column has not started */
	guint          getnext_limit;              /* 0, or at most this many OIDs per GETNEXT (after tooBig) */
	XnSubid        oidbuf[N_SLOTS][PREFIX_MAX + SUFFIX_MAX];
	XnOid          oids[N_SLOTS];
	guint8         slots[N_SLOTS];             /* request position → scalar or SLOT_COLUMN () */
	XnSnmpRequest  request;
	guint          answers;
	guint          varbinds;
	double         cpu_sum;
	guint          cpu_n;
	GArray        *storage;                    /* StorageRow */
	GArray        *counters32;                 /* Counters32, sorted by if_index */
	char          *problem;
	gboolean       fell_back;
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
	return column < XN_COL_COUNT ? columns[column].name : "?";
}

XnSnmpWalk *
xn_snmp_walk_new (void)
{
	XnSnmpWalk *walk = g_new0 (XnSnmpWalk, 1);

	walk->storage = g_array_new (FALSE, TRUE, sizeof (StorageRow));
	walk->counters32 = g_array_new (FALSE, TRUE, sizeof (Counters32));
	return walk;
}

void
xn_snmp_walk_free (XnSnmpWalk *walk)
{
	if (walk == NULL)
		return;
	g_array_unref (walk->storage);
	g_array_unref (walk->counters32);
	g_free (walk->problem);
	g_free (walk);
}

static gboolean
want_column (const XnSnmpWalk *walk, XnSnmpColumn c)
{
	const ColumnDef *def = &columns[c];

	/* SNMPv1 has no Counter64: an agent skips those objects in v1. */
	if ((def->flags & COL_HC) && walk->version == XN_SNMP_V1)
		return FALSE;
	if ((def->flags & COL_32) && walk->memory->skip_counters32 && walk->version != XN_SNMP_V1)
		return FALSE;
	if (def->group == GROUP_HR && !walk->hr_asked)
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
	walk->scalars_pending = (1u << N_SCALARS) - 1;
	walk->n_active = 0;
	for (guint c = 0; c < XN_COL_COUNT; c++) {
		walk->suffix_len[c] = 0;
		if (want_column (walk, c))
			walk->active[walk->n_active++] = (guint8) c;
	}
	walk->getnext_limit = 0;
	walk->answers = walk->varbinds = 0;
	walk->cpu_sum = 0;
	walk->cpu_n = 0;
	g_array_set_size (walk->storage, 0);
	g_array_set_size (walk->counters32, 0);
	g_clear_pointer (&walk->problem, g_free);
	walk->fell_back = FALSE;
}

guint
xn_snmp_max_repetitions (guint non_repeaters, guint n_columns, guint varbind_bytes, guint rows_left)
{
	guint per_row, budget = XN_SNMP_RESPONSE_BUDGET, reps;

	if (n_columns == 0)
		return 1;
	varbind_bytes = MAX (varbind_bytes, 8);
	budget -= MIN (budget / 2, non_repeaters * varbind_bytes);
	per_row = n_columns * varbind_bytes;
	reps = budget / per_row;
	reps = CLAMP (reps, 1, XN_SNMP_MAX_REPETITIONS);
	if (rows_left > 0)
		reps = MIN (reps, rows_left + 1);
	return reps;
}

static void
set_slot_oid (XnSnmpWalk *walk, guint pos, guint slot)
{
	XnSubid *buf = walk->oidbuf[pos];
	guint len;

	if (slot < N_SCALARS) {
		len = G_N_ELEMENTS (scalars[slot].oid) - 1;
		memcpy (buf, scalars[slot].oid, len * sizeof (XnSubid));
	} else {
		guint c = slot - N_SCALARS;

		len = columns[c].len;
		memcpy (buf, columns[c].prefix, len * sizeof (XnSubid));
		memcpy (buf + len, walk->suffix[c], walk->suffix_len[c] * sizeof (XnSubid));
		len += walk->suffix_len[c];
	}
	walk->slots[pos] = (guint8) slot;
	walk->oids[pos].arcs = buf;
	walk->oids[pos].len = len;
}

static gboolean
any_if_active (const XnSnmpWalk *walk)
{
	for (guint i = 0; i < walk->n_active; i++)
		if (columns[walk->active[i]].group == GROUP_IF)
			return TRUE;
	return FALSE;
}

const XnSnmpRequest *
xn_snmp_walk_request (XnSnmpWalk *walk)
{
	XnSnmpRequest *r = &walk->request;
	guint n = 0, n_scalars, limit = N_SLOTS;
	gboolean bulk = walk->version != XN_SNMP_V1 && !walk->memory->use_getnext;

	if (!bulk && walk->getnext_limit > 0)
		limit = walk->getnext_limit;
	for (guint s = 0; s < N_SCALARS && n < limit; s++)
		if (walk->scalars_pending & (1u << s))
			set_slot_oid (walk, n++, s);
	n_scalars = n;
	for (guint i = 0; i < walk->n_active && n < limit; i++)
		set_slot_oid (walk, n++, SLOT_COLUMN (walk->active[i]));

	r->oids = walk->oids;
	r->n_oids = n;
	if (bulk) {
		guint rows = walk->memory->rows, seen = walk->sample->interfaces->len;

		r->command = XN_SNMP_GETBULK;
		r->non_repeat = n_scalars;
		r->max_repeat = xn_snmp_max_repetitions (n_scalars, n - n_scalars, walk->memory->varbind_bytes,
							      any_if_active (walk) && rows > seen ? rows - seen : 0);
	} else {
		r->command = XN_SNMP_GETNEXT;
		r->non_repeat = r->max_repeat = 0;
	}
	return r;
}

static int
oid_cmp (const XnSubid *a, guint alen, const XnSubid *b, guint blen)
{
	for (guint i = 0; i < alen && i < blen; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return alen < blen ? -1 : alen > blen ? 1 : 0;
}

static gboolean
in_column (XnSnmpColumn c, const XnOid *name)
{
	const ColumnDef *def = &columns[c];

	return name->len > def->len && memcmp (name->arcs, def->prefix, def->len * sizeof (XnSubid)) == 0;
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

static const char *
type_name (guint8 type)
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
static void
warn_once (XnSnmpWalk *walk, guint bit, const XnOid *name, const char *what, const char *why)
{
	g_autofree char *oid = NULL;

	if (walk->memory->warned & (G_GUINT64_CONSTANT (1) << bit))
		return;
	walk->memory->warned |= G_GUINT64_CONSTANT (1) << bit;
	oid = oid_to_string (name->arcs, name->len);
	g_warning ("%s: %s (%s): %s; ignored (logged once per node)", walk->label, what, oid, why);
}

/* Why a GETBULK answer cannot be trusted, or NULL when it can. */
static char *
check_bulk (const XnSnmpWalk *walk, const XnSnmpReply *reply)
{
	const XnSnmpRequest *r = &walk->request;
	guint nr = r->non_repeat, m = r->n_oids - nr, max = nr + m * r->max_repeat;
	const XnOid *last[XN_COL_COUNT];
	gboolean ended[XN_COL_COUNT] = { FALSE };

	if (reply->error_status == ERR_TOO_BIG)
		return g_strdup ("it answered GETBULK with tooBig");
	if (reply->error_status != 0)
		return g_strdup_printf ("it answered GETBULK with error-status %u", reply->error_status);
	if (reply->n_varbinds < nr + m)
		return g_strdup_printf ("it left out varbinds: %u in an answer that needs at least %u",
					reply->n_varbinds, nr + m);
	if (reply->n_varbinds > max)
		return g_strdup_printf ("it sent %u varbinds for at most %u asked", reply->n_varbinds, max);
	for (guint i = 0; i < m; i++)
		last[walk->slots[nr + i] - N_SCALARS] = &walk->oids[nr + i];
	for (guint i = 0; i < reply->n_varbinds; i++) {
		const XnVarbind *vb = &reply->varbinds[i];
		guint pos = i < nr ? i : nr + (i - nr) % m;
		guint slot = walk->slots[pos];
		XnSnmpColumn c;

		if (is_exception (vb->type))
			return g_strdup_printf ("it answered GETBULK with %s", type_name (vb->type));
		if (slot < N_SCALARS) {
			if (vb->name.len == G_N_ELEMENTS (scalars[slot].oid) &&
			    oid_cmp (vb->name.arcs, vb->name.len, scalars[slot].oid, vb->name.len) == 0 &&
			    vb->type != scalars[slot].type)
				return g_strdup_printf ("%s came as %s", scalars[slot].name, type_name (vb->type));
			continue;
		}
		c = slot - N_SCALARS;
		if (ended[c] || vb->type == XN_ASN_END_OF_MIB_VIEW)
			continue;
		if (oid_cmp (vb->name.arcs, vb->name.len, last[c]->arcs, last[c]->len) <= 0)
			return g_strdup_printf ("%s did not advance", columns[c].name);
		last[c] = &vb->name;
		if (!in_column (c, &vb->name))
			ended[c] = TRUE;
		else if (vb->type != columns[c].type)
			return g_strdup_printf ("%s came as %s", columns[c].name, type_name (vb->type));
	}
	return NULL;
}

static char *
dup_octets (const XnVarbind *vb)
{
	char *s = g_malloc (vb->octets_len + 1);

	if (vb->octets_len > 0)
		memcpy (s, vb->octets, vb->octets_len);
	s[vb->octets_len] = '\0';
	return s;
}

static void
decode_scalar (XnSnmpWalk *walk, guint s, const XnVarbind *vb)
{
	XnNodeSample *sample = walk->sample;

	walk->scalars_pending &= ~(1u << s);
	if (vb->name.len != G_N_ELEMENTS (scalars[s].oid) ||
	    oid_cmp (vb->name.arcs, vb->name.len, scalars[s].oid, vb->name.len) != 0)
		return;   /* the agent has no such object: the next one came */
	if (vb->type != scalars[s].type) {
		warn_once (walk, XN_COL_COUNT + s, &vb->name, scalars[s].name, type_name (vb->type));
		return;
	}
	switch (s) {
	case 0:
		g_free (sample->sys_descr);
		sample->sys_descr = dup_octets (vb);
		sample->have |= XN_NODE_HAVE_DESCR;
		break;
	case 1:
		sample->sys_uptime = (guint32) vb->unsigned64;
		sample->have |= XN_NODE_HAVE_UPTIME;
		break;
	default:
		g_free (sample->sys_name);
		sample->sys_name = dup_octets (vb);
		sample->have |= XN_NODE_HAVE_NAME;
		break;
	}
}

/* The 32-bit counters of one interface, found or inserted in order (an
 * array the walk reuses poll after poll: no allocation once warm). */
static Counters32 *
counters32 (XnSnmpWalk *walk, guint32 if_index)
{
	GArray *a = walk->counters32;
	guint lo = 0, hi = a->len;
	Counters32 fresh = { .if_index = if_index };

	if (a->len > 0 && g_array_index (a, Counters32, a->len - 1).if_index < if_index) {
		lo = a->len;
	} else {
		while (lo < hi) {
			guint mid = (lo + hi) / 2;
			guint32 at = g_array_index (a, Counters32, mid).if_index;

			if (at == if_index)
				return &g_array_index (a, Counters32, mid);
			if (at < if_index)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	g_array_insert_val (a, lo, fresh);
	return &g_array_index (a, Counters32, lo);
}

static void
set_counter32 (XnSnmpWalk *walk, guint32 if_index, XnSnmpColumn c, guint64 value)
{
	Counters32 *row = counters32 (walk, if_index);

	switch (c) {
	case XN_COL_IF_IN_OCTETS:  row->in = (guint32) value; row->have |= C32_IN; break;
	case XN_COL_IF_OUT_OCTETS: row->out = (guint32) value; row->have |= C32_OUT; break;
	case XN_COL_IF_IN_UCAST:   row->in_ucast = (guint32) value; row->have |= C32_IN_UCAST; break;
	default:                   row->out_ucast = (guint32) value; row->have |= C32_OUT_UCAST; break;
	}
}

/* ifSpeed is exact below its 4,294,967,295 ceiling; above, ifHighSpeed
 * (Mbit/s) tells. Written so the order the two arrive in does not matter. */
static void
set_speed (XnIfSample *ifs, guint64 value, gboolean high)
{
	if (high) {
		if (!(ifs->have & IF_SPEED32) || ifs->speed_bps == G_MAXUINT32)
			ifs->speed_bps = value * 1000000;
		ifs->have |= IF_HIGHSPEED;
	} else {
		if (value < G_MAXUINT32 || !(ifs->have & IF_HIGHSPEED))
			ifs->speed_bps = value;
		ifs->have |= IF_SPEED32;
	}
}

static void
decode_if (XnSnmpWalk *walk, XnSnmpColumn c, guint32 index, const XnVarbind *vb)
{
	XnIfSample *ifs = xn_node_sample_interface (walk->sample, index);
	guint64 u = vb->unsigned64;

	switch (c) {
	case XN_COL_IF_NAME:
		g_free (ifs->name);
		ifs->name = dup_octets (vb);
		ifs->have |= XN_IF_HAVE_NAME;
		break;
	case XN_COL_IF_ALIAS:
		g_free (ifs->alias);
		ifs->alias = dup_octets (vb);
		ifs->alias_len = vb->octets_len;
		ifs->have |= XN_IF_HAVE_ALIAS;
		break;
	case XN_COL_IF_OPER:
	case XN_COL_IF_ADMIN:
		if (vb->integer < XN_IF_STATUS_UP || vb->integer > XN_IF_STATUS_LOWER_LAYER_DOWN) {
			warn_once (walk, c, &vb->name, columns[c].name, "a status outside 1..7");
		} else if (c == XN_COL_IF_OPER) {
			ifs->oper_status = (guint8) vb->integer;
			ifs->have |= XN_IF_HAVE_OPER;
		} else {
			ifs->admin_status = (guint8) vb->integer;
			ifs->have |= XN_IF_HAVE_ADMIN;
		}
		break;
	case XN_COL_IF_SPEED:          set_speed (ifs, u, FALSE); break;
	case XN_COL_IF_HIGH_SPEED:     set_speed (ifs, u, TRUE); break;
	case XN_COL_IF_HC_IN_OCTETS:   ifs->in_octets = u; ifs->have |= IF_HC_IN; break;
	case XN_COL_IF_HC_OUT_OCTETS:  ifs->out_octets = u; ifs->have |= IF_HC_OUT; break;
	case XN_COL_IF_HC_IN_UCAST:    ifs->in_ucast = u; ifs->have |= IF_HCU_IN; break;
	case XN_COL_IF_HC_OUT_UCAST:   ifs->out_ucast = u; ifs->have |= IF_HCU_OUT; break;
	case XN_COL_IF_IN_OCTETS:
	case XN_COL_IF_OUT_OCTETS:
	case XN_COL_IF_IN_UCAST:
	case XN_COL_IF_OUT_UCAST:      set_counter32 (walk, index, c, u); break;
	case XN_COL_IF_IN_DISCARDS:    ifs->in_discards = u; ifs->have |= IF_DISC_IN; break;
	case XN_COL_IF_OUT_DISCARDS:   ifs->out_discards = u; ifs->have |= IF_DISC_OUT; break;
	case XN_COL_IF_IN_ERRORS:      ifs->in_errors = u; ifs->have |= IF_ERR_IN; break;
	case XN_COL_IF_OUT_ERRORS:     ifs->out_errors = u; ifs->have |= IF_ERR_OUT; break;
	default:
		break;
	}
}

static StorageRow *
storage_row (XnSnmpWalk *walk, guint32 index)
{
	GArray *a = walk->storage;
	StorageRow fresh = { .index = index };

	for (guint i = a->len; i > 0; i--)
		if (g_array_index (a, StorageRow, i - 1).index == index)
			return &g_array_index (a, StorageRow, i - 1);
	g_array_append_val (a, fresh);
	return &g_array_index (a, StorageRow, a->len - 1);
}

static void
decode_hr (XnSnmpWalk *walk, XnSnmpColumn c, guint32 index, const XnVarbind *vb)
{
	StorageRow *row;

	if (c == XN_COL_HR_PROCESSOR_LOAD) {
		if (vb->integer < 0 || vb->integer > 100) {
			warn_once (walk, c, &vb->name, columns[c].name, "a load outside 0..100");
			return;
		}
		walk->cpu_sum += (double) vb->integer;
		walk->cpu_n++;
		return;
	}
	if (c != XN_COL_HR_STORAGE_TYPE && vb->integer < 0) {
		warn_once (walk, c, &vb->name, columns[c].name, "a negative value");
		return;
	}
	row = storage_row (walk, index);
	switch (c) {
	case XN_COL_HR_STORAGE_TYPE:
		row->ram = oid_cmp (vb->objid.arcs, vb->objid.len, hr_storage_ram, G_N_ELEMENTS (hr_storage_ram)) == 0;
		row->have |= ROW_TYPE;
		break;
	case XN_COL_HR_STORAGE_UNITS: row->units = vb->integer; row->have |= ROW_UNITS; break;
	case XN_COL_HR_STORAGE_SIZE:  row->size = vb->integer; row->have |= ROW_SIZE; break;
	default:                      row->used = vb->integer; row->have |= ROW_USED; break;
	}
}

/* One in-column value; the walk position has been advanced already. */
static void
decode_column (XnSnmpWalk *walk, XnSnmpColumn c, const XnVarbind *vb)
{
	const ColumnDef *def = &columns[c];
	guint suffix_len = vb->name.len - def->len;
	XnSubid index = vb->name.arcs[def->len];

	if (vb->type != def->type) {
		warn_once (walk, c, &vb->name, def->name, type_name (vb->type));
		return;
	}
	/* Every table here is indexed by one Integer32 (ifIndex, hrDeviceIndex,
	 * hrStorageIndex) from 1 up. */
	if (suffix_len != 1 || index < 1 || index > G_MAXINT32) {
		warn_once (walk, c, &vb->name, def->name, "an index that is not one integer 1..2147483647");
		return;
	}
	if (def->group == GROUP_IF)
		decode_if (walk, c, (guint32) index, vb);
	else
		decode_hr (walk, c, (guint32) index, vb);
}

/* Moves column c past `name`; FALSE when the column has ended there. */
static gboolean
advance (XnSnmpWalk *walk, XnSnmpColumn c, const XnVarbind *vb)
{
	const ColumnDef *def = &columns[c];
	guint suffix_len;

	if (vb->type == XN_ASN_END_OF_MIB_VIEW || is_exception (vb->type) || !in_column (c, &vb->name))
		return FALSE;
	suffix_len = vb->name.len - def->len;
	if (oid_cmp (vb->name.arcs + def->len, suffix_len, walk->suffix[c], walk->suffix_len[c]) <= 0) {
		warn_once (walk, c, &vb->name, def->name, "an OID that does not advance; column ended");
		return FALSE;
	}
	if (suffix_len > SUFFIX_MAX) {
		warn_once (walk, c, &vb->name, def->name, "an index too long to follow; column ended");
		return FALSE;
	}
	memcpy (walk->suffix[c], vb->name.arcs + def->len, suffix_len * sizeof (XnSubid));
	walk->suffix_len[c] = (guint8) suffix_len;
	return TRUE;
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

static void
learn_varbind_size (XnSnmpMemory *memory, const XnSnmpReply *reply)
{
	gsize total = 0;

	if (reply->n_varbinds < 8)
		return;
	for (guint i = 0; i < reply->n_varbinds; i++) {
		const XnVarbind *vb = &reply->varbinds[i];

		/* sequence, OID and value headers, one byte per arc (most are
		 * below 128), the value */
		total += 6 + vb->name.len + (vb->octets != NULL ? vb->octets_len :
					    vb->objid.arcs != NULL ? vb->objid.len :
					    vb->type == XN_ASN_COUNTER64 ? 9 : 5);
	}
	memory->varbind_bytes = (3 * memory->varbind_bytes + (guint) (total / reply->n_varbinds) + 3) / 4;
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
	gboolean ended[XN_COL_COUNT] = { FALSE };
	g_autofree char *why = check_bulk (walk, reply);

	if (why != NULL) {
		walk->memory->use_getnext = TRUE;
		walk->fell_back = TRUE;
		g_message ("%s: the agent misbehaves with GETBULK (%s); it is walked with GETNEXT from now on",
			   walk->label, why);
		return XN_WALK_CONTINUE;
	}
	learn_varbind_size (walk->memory, reply);
	for (guint i = 0; i < reply->n_varbinds; i++) {
		const XnVarbind *vb = &reply->varbinds[i];
		guint slot = walk->slots[i < nr ? i : nr + (i - nr) % m];
		XnSnmpColumn c;

		if (slot < N_SCALARS) {
			decode_scalar (walk, slot, vb);
			continue;
		}
		c = slot - N_SCALARS;
		if (ended[c])
			continue;
		if (!advance (walk, c, vb))
			ended[c] = TRUE;
		else
			decode_column (walk, c, vb);
	}
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

		if (slot < N_SCALARS)
			walk->scalars_pending &= ~(1u << slot);
		else
			end_column (walk, slot - N_SCALARS);
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

		if (slot < N_SCALARS) {
			decode_scalar (walk, slot, vb);
		} else if (!advance (walk, slot - N_SCALARS, vb)) {
			end_column (walk, slot - N_SCALARS);
		} else {
			decode_column (walk, slot - N_SCALARS, vb);
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

/* HC counters when both directions have them, else the 32-bit ones of both
 * directions; unicast packets from the same source as the octets. */
static void
finish_interface (XnSnmpWalk *walk, XnIfSample *ifs)
{
	guint32 h = ifs->have;
	const Counters32 *c32 = NULL;
	guint lo = 0, hi = walk->counters32->len;

	while (lo < hi) {
		guint mid = (lo + hi) / 2;
		const Counters32 *at = &g_array_index (walk->counters32, Counters32, mid);

		if (at->if_index == ifs->if_index) {
			c32 = at;
			break;
		}
		if (at->if_index < ifs->if_index)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (h & (IF_SPEED32 | IF_HIGHSPEED))
		h |= XN_IF_HAVE_SPEED;
	if ((h & IF_HC_IN) && (h & IF_HC_OUT)) {
		h |= XN_IF_HAVE_HC_OCTETS;
		if ((h & IF_HCU_IN) && (h & IF_HCU_OUT))
			h |= XN_IF_HAVE_UCAST;
	} else if (c32 != NULL && (c32->have & (C32_IN | C32_OUT)) == (C32_IN | C32_OUT)) {
		h |= XN_IF_HAVE_OCTETS32;
		ifs->in_octets = c32->in;
		ifs->out_octets = c32->out;
		if ((c32->have & (C32_IN_UCAST | C32_OUT_UCAST)) == (C32_IN_UCAST | C32_OUT_UCAST)) {
			h |= XN_IF_HAVE_UCAST;
			ifs->in_ucast = c32->in_ucast;
			ifs->out_ucast = c32->out_ucast;
		}
	}
	if ((h & IF_ERR_IN) && (h & IF_ERR_OUT))
		h |= XN_IF_HAVE_ERRORS;
	if ((h & IF_DISC_IN) && (h & IF_DISC_OUT))
		h |= XN_IF_HAVE_DISCARDS;
	if (!(h & (XN_IF_HAVE_HC_OCTETS | XN_IF_HAVE_OCTETS32)))
		ifs->in_octets = ifs->out_octets = 0;
	if (!(h & XN_IF_HAVE_UCAST))
		ifs->in_ucast = ifs->out_ucast = 0;
	ifs->have = h & ~IF_PRIVATE;
}

static void
finish_host_resources (XnSnmpWalk *walk)
{
	XnNodeSample *sample = walk->sample;
	guint64 used = 0, total = 0;
	gboolean ram = FALSE;

	if (walk->cpu_n > 0) {
		sample->cpu_percent = walk->cpu_sum / walk->cpu_n;
		sample->have |= XN_NODE_HAVE_CPU;
	}
	for (guint i = 0; i < walk->storage->len; i++) {
		const StorageRow *row = &g_array_index (walk->storage, StorageRow, i);

		if (!row->ram || (row->have & (ROW_UNITS | ROW_SIZE | ROW_USED)) != (ROW_UNITS | ROW_SIZE | ROW_USED))
			continue;
		used += (guint64) row->used * (guint64) row->units;
		total += (guint64) row->size * (guint64) row->units;
		ram = TRUE;
	}
	if (ram) {
		sample->mem_used_bytes = used;
		sample->mem_total_bytes = total;
		sample->have |= XN_NODE_HAVE_MEMORY;
	}
	if (!walk->hr_asked || (walk->cpu_n == 0 && walk->storage->len == 0))
		walk->memory->hr_absent++;
	else
		walk->memory->hr_absent = 0;
}

void
xn_snmp_walk_finish (XnSnmpWalk *walk)
{
	GArray *ifs = walk->sample->interfaces;
	gboolean all_hc = ifs->len > 0;

	for (guint i = 0; i < ifs->len; i++) {
		XnIfSample *s = &g_array_index (ifs, XnIfSample, i);

		finish_interface (walk, s);
		if (!(s->have & XN_IF_HAVE_HC_OCTETS) || !(s->have & XN_IF_HAVE_UCAST))
			all_hc = FALSE;
	}
	finish_host_resources (walk);
	/* Ask the 32-bit columns again as soon as one interface lacks HC
	 * counters; stop asking once every interface has them. */
	walk->memory->skip_counters32 = walk->version != XN_SNMP_V1 && all_hc;
	walk->memory->rows = ifs->len;
	walk->sample->used_getnext = walk->version != XN_SNMP_V1 && walk->memory->use_getnext;
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
