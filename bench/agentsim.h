/* agentsim.h — the benchmark's SNMP agent simulator: a virtual IF-MIB
 * computed on the fly (agentsim-mib.c), the BER request/response layer
 * (agentsim-pdu.c), and the UDP loop that serves thousands of 127.x.y.z
 * devices from one socket (agentsim.c). Not part of the product: nothing
 * outside bench/ includes this. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define XN_SIM_OID_MAX        128     /* sub-identifiers in one OID; longer is malformed */
#define XN_SIM_VB_MAX         128     /* varbinds in one request; more is dropped */
#define XN_SIM_COMMUNITY_MAX  64
#define XN_SIM_MSG_MAX        65507   /* largest UDP/IPv4 payload */

typedef struct {
	guint32 sub[XN_SIM_OID_MAX];
	guint   len;
} XnSimOid;

/* What the simulator serves; fixed after option parsing. */
typedef struct {
	guint   devices;          /* device i answers on base + i */
	guint   interfaces;       /* per device, ifIndex 1..interfaces */
	guint32 base;             /* host byte order, inside 127.0.0.0/8 */
	guint16 port;
	char    community[XN_SIM_COMMUNITY_MAX + 1];
	gsize   community_len;
	gsize   max_size;         /* largest response datagram we build */
} XnSimConfig;

/* One request's view of the MIB: which device, and the clocks the values
 * grow with. Counters follow the wall clock so that they keep growing
 * across simulator restarts; sysUpTime follows the simulator's own start. */
typedef struct {
	const XnSimConfig *cfg;
	guint32 device;
	guint64 wall_ms;          /* ms since 2024-01-01T00:00:00Z */
	guint32 uptime_ticks;     /* 1/100 s since the simulator started */
	gboolean v1;              /* SNMPv1: no Counter64 is visible */
} XnSimView;

/* One object instance of the virtual MIB: region (system, interfaces
 * scalars, ifTable, ifXTable), column and row (0 for scalars, else ifIndex). */
typedef struct {
	guint   region;
	guint32 col;
	guint32 row;
} XnSimObj;

typedef enum {
	XN_SIM_FOUND,
	XN_SIM_NO_SUCH_OBJECT,
	XN_SIM_NO_SUCH_INSTANCE,
} XnSimLookup;

/* agentsim-mib.c */
XnSimLookup xn_sim_mib_get      (const XnSimView *v, const XnSimOid *oid, XnSimObj *obj);
gboolean    xn_sim_mib_next     (const XnSimView *v, const XnSimOid *oid, XnSimObj *obj);
gboolean    xn_sim_mib_next_obj (const XnSimView *v, XnSimObj *obj);
void        xn_sim_mib_obj_oid  (const XnSimObj *obj, XnSimOid *oid);
gsize       xn_sim_mib_encode   (const XnSimView *v, const XnSimObj *obj, guint8 *buf, gsize cap);
gsize       xn_sim_ber_oid_vb   (const XnSimOid *oid, guint8 tag, guint8 *buf, gsize cap);
gboolean    xn_sim_ber_decode_oid (const guint8 *p, gsize len, XnSimOid *oid);
gsize       xn_sim_ber_encode_oid (const XnSimOid *oid, guint8 *buf, gsize cap);

/* agentsim-pdu.c */
typedef struct {
	guint64 requests;         /* well-formed requests with our community */
	guint64 responses;
	guint64 varbinds;         /* varbinds in responses */
	guint64 bad_community;
	guint64 malformed;        /* not BER we understand, or a PDU type we ignore */
	guint64 unknown_device;   /* to an address in 127/8 but not one of ours */
	guint64 foreign_source;   /* from outside 127.0.0.0/8: never answered */
	guint64 too_big;
} XnSimStats;

gsize xn_sim_answer (const XnSimView *v, const guint8 *req, gsize req_len,
		     guint8 *resp, gsize resp_cap, XnSimStats *stats);

/* agentsim-selftest.c */
int xn_sim_self_test (const XnSimConfig *cfg);

G_END_DECLS
