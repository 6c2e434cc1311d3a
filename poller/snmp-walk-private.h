/* snmp-walk-private.h — what snmp-poll.c (the request plan and the walk)
 * and snmp-decode.c (values into the sample) share: the column table, the
 * walk's state and the bits kept in XnIfSample.have while decoding. Not
 * installed, not for any other file. */
#pragma once

#include "snmp-poll.h"

#include <string.h>

#define XN_WALK_N_SCALARS   3
#define XN_WALK_PREFIX_MAX  11
#define XN_WALK_SUFFIX_MAX  16
#define XN_WALK_N_SLOTS     (XN_WALK_N_SCALARS + XN_COL_COUNT)
#define XN_WALK_SLOT_COLUMN(c) (XN_WALK_N_SCALARS + (c))

enum { XN_COL_GROUP_IF, XN_COL_GROUP_HR };
enum {
	XN_COL_HC = 1,        /* Counter64: needs v2c/v3 */
	XN_COL_32 = 2,        /* skipped once the HC columns suffice */
	XN_COL_SPEED32 = 4,   /* ifSpeed: skipped once ifHighSpeed tells the same */
};

typedef struct {
	const char *name;
	XnSubid     prefix[XN_WALK_PREFIX_MAX];
	guint8      len;
	guint8      type;
	guint8      group;
	guint8      flags;
} XnColumnDef;

typedef struct {
	const char *name;
	XnSubid     oid[9];     /* the instance (.0); asked without it, by GETNEXT */
	guint8      type;
} XnScalarDef;

extern const XnColumnDef xn_walk_columns[XN_COL_COUNT];
extern const XnScalarDef xn_walk_scalars[XN_WALK_N_SCALARS];

/* Bits of XnIfSample.have used while decoding, cleared by finish. */
enum {
	XN_IF_HC_IN     = 1u << 16, XN_IF_HC_OUT    = 1u << 17,
	XN_IF_HCU_IN    = 1u << 18, XN_IF_HCU_OUT   = 1u << 19,
	XN_IF_ERR_IN    = 1u << 20, XN_IF_ERR_OUT   = 1u << 21,
	XN_IF_DISC_IN   = 1u << 22, XN_IF_DISC_OUT  = 1u << 23,
	XN_IF_SPEED32   = 1u << 24, XN_IF_HIGHSPEED = 1u << 25,
	XN_IF_SPEED_DIFFERS = 1u << 26,   /* ifSpeed says more than ifHighSpeed */
	XN_IF_PRIVATE   = 0xffff0000u,
};

struct _XnSnmpWalk {
	XnSnmpMemory  *memory;
	XnNodeSample  *sample;
	const char    *label;
	XnSnmpVersion  version;
	gboolean       hr_asked;
	gboolean       speed32_asked;
	guint          scalars_pending;            /* bit per scalar */
	guint          n_active;
	guint8         active[XN_COL_COUNT];       /* columns still walked, in request order */
	XnSubid        suffix[XN_COL_COUNT][XN_WALK_SUFFIX_MAX];
	guint8         suffix_len[XN_COL_COUNT];   /* 0: the column has not started */
	guint          column_rows[XN_COL_COUNT];  /* values taken in this walk */
	guint          getnext_limit;              /* 0, or at most this many OIDs per GETNEXT (after tooBig) */
	XnSubid        oidbuf[XN_WALK_N_SLOTS][XN_WALK_PREFIX_MAX + XN_WALK_SUFFIX_MAX];
	XnOid          oids[XN_WALK_N_SLOTS];
	guint8         slots[XN_WALK_N_SLOTS];     /* request position → scalar or XN_WALK_SLOT_COLUMN () */
	XnSnmpRequest  request;
	guint          answers;
	guint          varbinds;
	double         cpu_sum;
	guint          cpu_n;
	guint8         in_column[XN_WALK_N_SLOTS * XN_SNMP_MAX_REPETITIONS];  /* per varbind of a checked GETBULK answer */
	guint          if_next[XN_COL_COUNT];      /* per column: where its next row likely is in the sample */
	GArray        *storage;                    /* storage rows (snmp-decode.c) */
	GArray        *counters32;                 /* 32-bit counters aside (snmp-decode.c), by if_index */
	char          *problem;
	gboolean       fell_back;
};

static inline int
xn_walk_oid_cmp (const XnSubid *a, guint alen, const XnSubid *b, guint blen)
{
	for (guint i = 0; i < alen && i < blen; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return alen < blen ? -1 : alen > blen ? 1 : 0;
}

const char *xn_walk_type_name (guint8 type);
/* Logs a bad value once per node and `bit` (a column, or a scalar above them). */
void        xn_walk_warn_once (XnSnmpWalk *walk, guint bit, const XnOid *name, const char *what,
			       const char *why);

/* snmp-decode.c: the walk's side tables, and values into the sample. */
void        xn_walk_decode_init (XnSnmpWalk *walk);
void        xn_walk_decode_clear (XnSnmpWalk *walk);
void        xn_walk_decode_free (XnSnmpWalk *walk);
void        xn_walk_decode_scalar (XnSnmpWalk *walk, guint scalar, const XnVarbind *vb);
/* One in-column value; the walk position has been advanced already. */
void        xn_walk_decode_column (XnSnmpWalk *walk, XnSnmpColumn c, const XnVarbind *vb);
