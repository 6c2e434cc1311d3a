/* snmp-decode.c — the values of a walk's answers into an XnNodeSample, and
 * the sample's completion once the walk has ended (see snmp-poll.h).
 *
 * snmp-poll.c decides what to ask and which answers to trust; this file
 * only turns trusted, in-column varbinds into sample fields. It allocates
 * nothing per varbind but the strings the sample keeps (ifName, ifAlias,
 * sysName, sysDescr). Values whose meaning depends on another column (HC or
 * 32-bit octets, ifSpeed or ifHighSpeed) are resolved in
 * xn_snmp_walk_finish() from bits kept in the upper half of `have` and from
 * the 32-bit counters kept aside in a table the walk reuses. finish also
 * writes back what the poll taught about the agent: whether the 32-bit
 * counters and ifSpeed are still worth asking, and whether
 * HOST-RESOURCES-MIB answers. */
#include "snmp-walk-private.h"

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

/* ifSpeed is asked again every this many polls even while ifHighSpeed has
 * told the same: an interface reconfigured to a speed below 1 Mbit/s (an E1
 * at 2,048 kbit/s) shows only in ifSpeed. */
#define SPEED32_RECHECK 16

static const XnSubid hr_storage_ram[] = { 1, 3, 6, 1, 2, 1, 25, 2, 1, 2 };

void
xn_walk_decode_init (XnSnmpWalk *walk)
{
	walk->storage = g_array_new (FALSE, TRUE, sizeof (StorageRow));
	walk->counters32 = g_array_new (FALSE, TRUE, sizeof (Counters32));
}

void
xn_walk_decode_clear (XnSnmpWalk *walk)
{
	walk->cpu_sum = 0;
	walk->cpu_n = 0;
	memset (walk->if_next, 0, sizeof walk->if_next);
	g_array_set_size (walk->storage, 0);
	g_array_set_size (walk->counters32, 0);
}

void
xn_walk_decode_free (XnSnmpWalk *walk)
{
	g_array_unref (walk->storage);
	g_array_unref (walk->counters32);
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

void
xn_walk_decode_scalar (XnSnmpWalk *walk, guint s, const XnVarbind *vb)
{
	const XnScalarDef *def = &xn_walk_scalars[s];
	XnNodeSample *sample = walk->sample;

	walk->scalars_pending &= ~(1u << s);
	if (vb->name.len != G_N_ELEMENTS (def->oid) ||
	    xn_walk_oid_cmp (vb->name.arcs, vb->name.len, def->oid, vb->name.len) != 0)
		return;   /* the agent has no such object: the next one came */
	if (vb->type != def->type) {
		xn_walk_warn_once (walk, XN_COL_COUNT + s, &vb->name, def->name, xn_walk_type_name (vb->type));
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

static const Counters32 *
find_counters32 (const XnSnmpWalk *walk, guint32 if_index)
{
	guint lo = 0, hi = walk->counters32->len;

	while (lo < hi) {
		guint mid = (lo + hi) / 2;
		const Counters32 *at = &g_array_index (walk->counters32, Counters32, mid);

		if (at->if_index == if_index)
			return at;
		if (at->if_index < if_index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
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
 * (Mbit/s) tells. Written so the order the two arrive in does not matter.
 * Where both came and ifSpeed says more than ifHighSpeed (a speed that is
 * not a whole number of Mbit/s), the interface is marked so ifSpeed keeps
 * being asked. */
static void
set_speed (XnIfSample *ifs, guint64 value, gboolean high)
{
	if (high) {
		guint64 bps = value * 1000000;

		if (ifs->have & XN_IF_SPEED32) {
			if (ifs->speed_bps != G_MAXUINT32 && ifs->speed_bps != bps)
				ifs->have |= XN_IF_SPEED_DIFFERS;
			else
				ifs->speed_bps = bps;
		} else {
			ifs->speed_bps = bps;
		}
		ifs->have |= XN_IF_HIGHSPEED;
	} else {
		if (ifs->have & XN_IF_HIGHSPEED) {
			if (value != G_MAXUINT32 && value != ifs->speed_bps) {
				ifs->have |= XN_IF_SPEED_DIFFERS;
				ifs->speed_bps = value;
			}
		} else {
			ifs->speed_bps = value;
		}
		ifs->have |= XN_IF_SPEED32;
	}
}

/* The sample's interface for column c's row `index`. Each column walks the
 * rows in the order the sample holds them, so the row after the column's
 * last one is nearly always the one; otherwise it is looked up. */
static XnIfSample *
interface_for (XnSnmpWalk *walk, XnSnmpColumn c, guint32 index)
{
	GArray *a = walk->sample->interfaces;
	guint next = walk->if_next[c];
	XnIfSample *ifs;

	if (next < a->len && g_array_index (a, XnIfSample, next).if_index == index) {
		walk->if_next[c] = next + 1;
		return &g_array_index (a, XnIfSample, next);
	}
	ifs = xn_node_sample_interface (walk->sample, index);
	walk->if_next[c] = (guint) (ifs - (XnIfSample *) (void *) a->data) + 1;
	return ifs;
}

static void
decode_if (XnSnmpWalk *walk, XnSnmpColumn c, guint32 index, const XnVarbind *vb)
{
	XnIfSample *ifs = interface_for (walk, c, index);
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
			xn_walk_warn_once (walk, c, &vb->name, xn_walk_columns[c].name, "a status outside 1..7");
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
	case XN_COL_IF_HC_IN_OCTETS:   ifs->in_octets = u; ifs->have |= XN_IF_HC_IN; break;
	case XN_COL_IF_HC_OUT_OCTETS:  ifs->out_octets = u; ifs->have |= XN_IF_HC_OUT; break;
	case XN_COL_IF_HC_IN_UCAST:    ifs->in_ucast = u; ifs->have |= XN_IF_HCU_IN; break;
	case XN_COL_IF_HC_OUT_UCAST:   ifs->out_ucast = u; ifs->have |= XN_IF_HCU_OUT; break;
	case XN_COL_IF_IN_OCTETS:
	case XN_COL_IF_OUT_OCTETS:
	case XN_COL_IF_IN_UCAST:
	case XN_COL_IF_OUT_UCAST:      set_counter32 (walk, index, c, u); break;
	case XN_COL_IF_IN_DISCARDS:    ifs->in_discards = u; ifs->have |= XN_IF_DISC_IN; break;
	case XN_COL_IF_OUT_DISCARDS:   ifs->out_discards = u; ifs->have |= XN_IF_DISC_OUT; break;
	case XN_COL_IF_IN_ERRORS:      ifs->in_errors = u; ifs->have |= XN_IF_ERR_IN; break;
	case XN_COL_IF_OUT_ERRORS:     ifs->out_errors = u; ifs->have |= XN_IF_ERR_OUT; break;
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
			xn_walk_warn_once (walk, c, &vb->name, xn_walk_columns[c].name, "a load outside 0..100");
			return;
		}
		walk->cpu_sum += (double) vb->integer;
		walk->cpu_n++;
		return;
	}
	if (c != XN_COL_HR_STORAGE_TYPE && vb->integer < 0) {
		xn_walk_warn_once (walk, c, &vb->name, xn_walk_columns[c].name, "a negative value");
		return;
	}
	row = storage_row (walk, index);
	switch (c) {
	case XN_COL_HR_STORAGE_TYPE:
		row->ram = xn_walk_oid_cmp (vb->objid.arcs, vb->objid.len, hr_storage_ram,
					    G_N_ELEMENTS (hr_storage_ram)) == 0;
		row->have |= ROW_TYPE;
		break;
	case XN_COL_HR_STORAGE_UNITS: row->units = vb->integer; row->have |= ROW_UNITS; break;
	case XN_COL_HR_STORAGE_SIZE:  row->size = vb->integer; row->have |= ROW_SIZE; break;
	default:                      row->used = vb->integer; row->have |= ROW_USED; break;
	}
}

void
xn_walk_decode_column (XnSnmpWalk *walk, XnSnmpColumn c, const XnVarbind *vb)
{
	const XnColumnDef *def = &xn_walk_columns[c];
	guint suffix_len = vb->name.len - def->len;
	XnSubid index = vb->name.arcs[def->len];

	if (vb->type != def->type) {
		xn_walk_warn_once (walk, c, &vb->name, def->name, xn_walk_type_name (vb->type));
		return;
	}
	/* Every table here is indexed by one Integer32 (ifIndex, hrDeviceIndex,
	 * hrStorageIndex) from 1 up. */
	if (suffix_len != 1 || index < 1 || index > G_MAXINT32) {
		xn_walk_warn_once (walk, c, &vb->name, def->name, "an index that is not one integer 1..2147483647");
		return;
	}
	if (def->group == XN_COL_GROUP_IF)
		decode_if (walk, c, (guint32) index, vb);
	else
		decode_hr (walk, c, (guint32) index, vb);
}

/* HC counters when both directions have them, else the 32-bit ones of both
 * directions; unicast packets from the same source as the octets. */
static void
finish_interface (XnSnmpWalk *walk, XnIfSample *ifs)
{
	guint32 h = ifs->have;
	const Counters32 *c32 = find_counters32 (walk, ifs->if_index);

	if (h & (XN_IF_SPEED32 | XN_IF_HIGHSPEED))
		h |= XN_IF_HAVE_SPEED;
	if ((h & XN_IF_HC_IN) && (h & XN_IF_HC_OUT)) {
		h |= XN_IF_HAVE_HC_OCTETS;
		if ((h & XN_IF_HCU_IN) && (h & XN_IF_HCU_OUT))
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
	if ((h & XN_IF_ERR_IN) && (h & XN_IF_ERR_OUT))
		h |= XN_IF_HAVE_ERRORS;
	if ((h & XN_IF_DISC_IN) && (h & XN_IF_DISC_OUT))
		h |= XN_IF_HAVE_DISCARDS;
	if (!(h & (XN_IF_HAVE_HC_OCTETS | XN_IF_HAVE_OCTETS32)))
		ifs->in_octets = ifs->out_octets = 0;
	if (!(h & XN_IF_HAVE_UCAST))
		ifs->in_ucast = ifs->out_ucast = 0;
	ifs->have = h & ~XN_IF_PRIVATE;
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

/* ifSpeed is left out while ifHighSpeed tells the same for every interface
 * (every speed a whole number of Mbit/s, or above ifSpeed's ceiling), and
 * asked again every SPEED32_RECHECK polls and as soon as an interface
 * lacks ifHighSpeed. */
static void
learn_speed32 (XnSnmpWalk *walk, gboolean all_high, gboolean any_differs)
{
	XnSnmpMemory *memory = walk->memory;

	if (walk->speed32_asked) {
		memory->skip_speed32 = all_high && !any_differs;
		memory->speed32_skipped = 0;
	} else if (!all_high) {
		memory->skip_speed32 = FALSE;
	} else if (++memory->speed32_skipped >= SPEED32_RECHECK - 1) {
		memory->skip_speed32 = FALSE;
	}
}

void
xn_snmp_walk_finish (XnSnmpWalk *walk)
{
	GArray *ifs = walk->sample->interfaces;
	gboolean all_hc = ifs->len > 0, all_high = ifs->len > 0, any_differs = FALSE;

	for (guint i = 0; i < ifs->len; i++) {
		XnIfSample *s = &g_array_index (ifs, XnIfSample, i);

		if (!(s->have & XN_IF_HIGHSPEED))
			all_high = FALSE;
		if (s->have & XN_IF_SPEED_DIFFERS)
			any_differs = TRUE;
		finish_interface (walk, s);
		if (!(s->have & XN_IF_HAVE_HC_OCTETS) || !(s->have & XN_IF_HAVE_UCAST))
			all_hc = FALSE;
	}
	finish_host_resources (walk);
	learn_speed32 (walk, all_high, any_differs);
	/* Ask the 32-bit columns again as soon as one interface lacks HC
	 * counters; stop asking once every interface has them. */
	walk->memory->skip_counters32 = walk->version != XN_SNMP_V1 && all_hc;
	walk->memory->rows = ifs->len;
	walk->sample->used_getnext = walk->version != XN_SNMP_V1 && walk->memory->use_getnext;
}
