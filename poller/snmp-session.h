/* snmp-session.h — one SNMP session per node on Net-SNMP's single-session
 * API, in terms that need no Net-SNMP header.
 *
 * snmp-session.c (with snmp-usm.c) is the only file that includes Net-SNMP. It turns a request
 * (XnSnmpRequest: a command and a list of OIDs) into a PDU, sends it without
 * ever blocking (SNMPv3 engine ID discovery included), and hands the answer
 * back as a flat array of XnVarbind views into the PDU Net-SNMP decoded —
 * nothing is copied or allocated per varbind. Timeouts and retries are Net-
 * SNMP's own, per session, with the node's timeout and retries; the owner
 * asks when the next one is due and calls xn_snmp_session_check_timeout()
 * then. The owner also watches the socket (xn_snmp_session_fd()) and calls
 * xn_snmp_session_read() when it is readable. So the owner decides how to
 * wait (engine.c: one epoll set inside a GSource) and this file never waits.
 *
 * An XnSnmpStack holds what sessions share: the derived SNMPv3 keys (a
 * password-to-key derivation hashes a megabyte, so it is done once per
 * credential, not once per node), the fd set Net-SNMP's read call wants,
 * and the reusable varbind array. */
#pragma once

#include <glib.h>

#include "inventory.h"
#include "secrets.h"

G_BEGIN_DECLS

/* One arc of an OID. The adapter checks at compile time that this is as wide
 * as Net-SNMP's `oid`, so OIDs pass between the two without copying. */
typedef gulong XnSubid;

typedef struct {
	const XnSubid *arcs;
	guint          len;
} XnOid;

/* BER tags of SNMP values (RFC 2578, RFC 3416): protocol constants. */
enum {
	XN_ASN_INTEGER          = 0x02,
	XN_ASN_OCTET_STRING     = 0x04,
	XN_ASN_NULL             = 0x05,
	XN_ASN_OBJECT_ID        = 0x06,
	XN_ASN_IPADDRESS        = 0x40,
	XN_ASN_COUNTER32        = 0x41,
	XN_ASN_GAUGE32          = 0x42,
	XN_ASN_TIMETICKS        = 0x43,
	XN_ASN_OPAQUE           = 0x44,
	XN_ASN_COUNTER64        = 0x46,
	XN_ASN_NO_SUCH_OBJECT   = 0x80,
	XN_ASN_NO_SUCH_INSTANCE = 0x81,
	XN_ASN_END_OF_MIB_VIEW  = 0x82,
};

/* One varbind of an answer: views into the decoded PDU, valid only during
 * the reply callback. */
typedef struct {
	XnOid          name;
	guint8         type;         /* XN_ASN_* */
	gint64         integer;      /* INTEGER */
	guint64        unsigned64;   /* Counter32, Gauge32, TimeTicks, Counter64 */
	const guint8  *octets;       /* OCTET STRING, IpAddress, Opaque: any bytes */
	gsize          octets_len;
	XnOid          objid;        /* OBJECT IDENTIFIER */
} XnVarbind;

typedef enum {
	XN_SNMP_GET,
	XN_SNMP_GETNEXT,
	XN_SNMP_GETBULK,
} XnSnmpCommand;

typedef struct {
	XnSnmpCommand command;
	guint         non_repeat;        /* GETBULK: non-repeaters */
	guint         max_repeat;        /* GETBULK: max-repetitions */
	const XnOid  *oids;
	guint         n_oids;
} XnSnmpRequest;

typedef enum {
	XN_SNMP_REPLY_RESPONSE,      /* a Response-PDU (its error-status may be set) */
	XN_SNMP_REPLY_TIMEOUT,       /* no answer after the node's retries */
	XN_SNMP_REPLY_AUTH_FAILED,   /* an SNMPv3 report saying the credentials are wrong */
	XN_SNMP_REPLY_FAILED,        /* anything else: other reports, send errors */
} XnSnmpReplyKind;

typedef struct {
	XnSnmpReplyKind  kind;
	guint            error_status;    /* RESPONSE: RFC 3416 error-status */
	guint            error_index;     /* RESPONSE: 1-based, 0 when none */
	const XnVarbind *varbinds;        /* RESPONSE */
	guint            n_varbinds;
	const char      *reason;          /* not RESPONSE: why, for people */
	gboolean         stale_engine;    /* FAILED: the agent no longer knows our engine ID view; reopen */
} XnSnmpReply;

typedef struct _XnSnmpStack   XnSnmpStack;
typedef struct _XnSnmpSession XnSnmpSession;

/* Called once per request with its outcome. It runs inside Net-SNMP's read
 * or timeout processing: it may send the next request on the same session
 * but must not close it. */
typedef void (*XnSnmpReplyFunc) (XnSnmpSession *session, const XnSnmpReply *reply, gpointer user_data);

/* The first stack of the process initialises Net-SNMP (no configuration
 * files, no persistent state, its log routed to GLib's debug log). */
XnSnmpStack   *xn_snmp_stack_new (void);
void           xn_snmp_stack_free (XnSnmpStack *stack);
/* Forgets the derived keys, e.g. when the secrets are reloaded. */
void           xn_snmp_stack_forget_keys (XnSnmpStack *stack);

/* Opens a UDP session to the node's SNMP endpoint with the credential named
 * by the inventory; fails (XN_ERROR_NOT_FOUND) when the secrets lack it, or
 * (XN_ERROR_IO) when no socket can be opened. Never sends anything. */
XnSnmpSession *xn_snmp_session_open (XnSnmpStack *stack, const XnNode *node, const XnSecrets *secrets,
				     XnSnmpReplyFunc func, gpointer user_data, GError **error);
/* Pending requests are dropped without a reply. Not from a reply callback. */
void           xn_snmp_session_close (XnSnmpSession *session);
int            xn_snmp_session_fd (const XnSnmpSession *session);

/* Sends one request; its reply comes through the session's callback. One
 * request at a time per session. For SNMPv3 without a known engine ID, an
 * engine ID probe goes first and the request follows its answer. Fails
 * (XN_ERROR_IO) when nothing could be sent; then no reply follows. */
gboolean       xn_snmp_session_send (XnSnmpSession *session, const XnSnmpRequest *request, GError **error);
/* The socket is readable: reads one datagram and processes it. */
void           xn_snmp_session_read (XnSnmpSession *session);
/* Retries or times out what is due. */
void           xn_snmp_session_check_timeout (XnSnmpSession *session);
/* When the next retry or timeout is due, in g_get_monotonic_time() µs;
 * G_MAXINT64 when nothing is pending. */
gint64         xn_snmp_session_deadline (XnSnmpSession *session);
/* The agent's SNMPv3 engine ID as hex; NULL for v1/v2c or before discovery. */
char          *xn_snmp_session_engine_id (const XnSnmpSession *session);

/* "SNMPv1", "SNMPv2c", "SNMPv3" */
const char    *xn_snmp_version_to_string (XnSnmpVersion version);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnSnmpStack, xn_snmp_stack_free)

G_END_DECLS
