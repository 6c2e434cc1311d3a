/* trap.h — one received notification (trap or inform) in plain C.
 *
 * This is what the Net-SNMP adapter (trap-listener.c) hands to the rest of
 * the collector, so nothing else needs a Net-SNMP header: the version, who
 * sent it, the trap OID (for SNMPv1 derived as RFC 3584 section 3.1 says),
 * sysUpTime, and the varbinds as they came. Everything an XnTrap points to
 * is borrowed from the decoded PDU and valid only during the callback that
 * delivers it; the varbinds are the PDU's own, in order, including
 * sysUpTime.0 and snmpTrapOID.0 of an SNMPv2 notification. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One arc of an OID, as wide as Net-SNMP's `oid` (checked in the adapter)
 * so OIDs are handed over without copying. */
typedef gulong XnTrapArc;

typedef struct {
	const XnTrapArc *arcs;
	guint            len;
} XnTrapOid;

/* BER tags of SNMP values (RFC 2578, RFC 3416): protocol constants. */
enum {
	XN_TRAP_ASN_INTEGER          = 0x02,
	XN_TRAP_ASN_OCTET_STRING     = 0x04,
	XN_TRAP_ASN_NULL             = 0x05,
	XN_TRAP_ASN_OBJECT_ID        = 0x06,
	XN_TRAP_ASN_IPADDRESS        = 0x40,
	XN_TRAP_ASN_COUNTER32        = 0x41,
	XN_TRAP_ASN_GAUGE32          = 0x42,
	XN_TRAP_ASN_TIMETICKS        = 0x43,
	XN_TRAP_ASN_OPAQUE           = 0x44,
	XN_TRAP_ASN_COUNTER64        = 0x46,
	XN_TRAP_ASN_NO_SUCH_OBJECT   = 0x80,
	XN_TRAP_ASN_NO_SUCH_INSTANCE = 0x81,
	XN_TRAP_ASN_END_OF_MIB_VIEW  = 0x82,
};

typedef struct {
	XnTrapOid      name;
	guint8         type;          /* XN_TRAP_ASN_* */
	gint64         integer;       /* INTEGER */
	guint64        unsigned64;    /* Counter32, Gauge32, TimeTicks, Counter64 */
	const guint8  *octets;        /* OCTET STRING, IpAddress, Opaque: any bytes */
	gsize          octets_len;
	XnTrapOid      objid;         /* OBJECT IDENTIFIER */
} XnTrapVarbind;

typedef enum {
	XN_TRAP_V1,
	XN_TRAP_V2C,
	XN_TRAP_V3,
} XnTrapVersion;

typedef struct {
	XnTrapVersion        version;
	gboolean             inform;          /* an InformRequest (answered by the adapter) */
	const char          *source_address;  /* the UDP sender, canonical text (IPv4-mapped IPv6 as IPv4) */
	guint16              source_port;
	const char          *agent_address;   /* SNMPv1 agent-addr; NULL when 0.0.0.0 or not SNMPv1 */
	const char          *user;            /* SNMPv3 security name; NULL for v1 and v2c */
	XnTrapOid            trap_oid;        /* len 0 when the notification names none */
	gboolean             has_uptime;
	guint32              uptime;          /* sysUpTime.0 or the v1 time-stamp, TimeTicks */
	const XnTrapVarbind *varbinds;
	guint                n_varbinds;
} XnTrap;

G_END_DECLS
