/* trap-listener.h — the collector's trap socket, in terms that need no
 * Net-SNMP header.
 *
 * trap-listener.c is the only file of collector/ that includes Net-SNMP.
 * It owns one UDP socket bound to the configured address; the owner watches
 * xn_trap_listener_fd() in its main loop and calls xn_trap_listener_read()
 * when it is readable, which takes up to `max` datagrams and never blocks.
 * Each authenticated SNMPv1 Trap, SNMPv2 Trap or InformRequest (v1, v2c,
 * v3) reaches the `trap` callback as an XnTrap; an inform is answered with
 * a Response-PDU right after the callback. Everything else reaches the
 * `refused` callback with the reason and the sender: a community that is
 * not one of the secrets', an SNMPv3 user the secrets lack, a wrong digest
 * or undecryptable message, a message outside the time window, a PDU that
 * is no notification, or a datagram that is not SNMP at all.
 *
 * Credentials come from the secrets model (xn_trap_listener_set_secrets):
 * every SNMP community, and every SNMPv3 user. For a trap the sender's
 * engine is authoritative (RFC 3414), so a user's keys must be localized
 * to each sender's engine ID: the listener reads the engine ID and user
 * name in the message's header before the library does, and localizes the
 * user's keys to that engine on first sight (preferring the credential of
 * the inventory node at the sender's address when several share a user
 * name). The HMAC check that follows is Net-SNMP's, so a message is
 * accepted only if its sender knows the password; no engine ID has to be
 * configured anywhere. Informs are sent to this listener's own engine,
 * which the sender discovers (RFC 3414 section 4). */
#pragma once

#include <glib.h>

#include "secrets.h"
#include "trap.h"

G_BEGIN_DECLS

typedef enum {
	XN_TRAP_REFUSED_COMMUNITY,        /* v1/v2c: a community that is not in the secrets */
	XN_TRAP_REFUSED_USER,             /* v3: a user name the secrets lack */
	XN_TRAP_REFUSED_AUTH,             /* v3: wrong digest, cannot decrypt, or a level the user lacks */
	XN_TRAP_REFUSED_TIME,             /* v3: outside the time window */
	XN_TRAP_REFUSED_NOT_NOTIFICATION, /* SNMP, but a request or response, not a notification */
	XN_TRAP_REFUSED_MALFORMED,        /* not SNMP, or does not parse */
} XnTrapRefusal;

#define XN_TRAP_N_REFUSALS 6

/* Engine-ID and user pairs the listener localizes keys for at most; past
 * it, traps from new engines are refused as unknown users (and said so). */
#define XN_TRAP_MAX_ENGINES 10000

typedef struct {
	guint64 datagrams;                       /* read from the socket */
	guint64 delivered;                       /* traps and informs handed to the `trap` callback */
	guint64 informs_answered;
	guint64 discovery;                       /* SNMPv3 engine ID discovery requests answered */
	guint64 refused[XN_TRAP_N_REFUSALS];
} XnTrapListenerStats;

typedef struct {
	void (*trap) (const XnTrap *trap, gpointer user_data);
	/* `detail` says more for people ("a GET PDU", "user 'x' (usmStatsUnknownUserNames)"). */
	void (*refused) (XnTrapRefusal why, const char *source_address, const char *detail, gpointer user_data);
} XnTrapListenerFuncs;

typedef struct _XnTrapListener XnTrapListener;

/* Binds `listen` ("udp:0.0.0.0:162", "udp6:[::1]:162", as extranoc.conf
 * normalises it) and asks for a receive buffer of `rcvbuf` bytes (0: the
 * system's). Fails with XN_ERROR_IO naming the address and the reason. */
XnTrapListener *xn_trap_listener_new (const char *listen, guint rcvbuf, const XnTrapListenerFuncs *funcs,
				      gpointer user_data, GError **error);
void            xn_trap_listener_free (XnTrapListener *listener);

int             xn_trap_listener_fd (const XnTrapListener *listener);
const char     *xn_trap_listener_address (const XnTrapListener *listener);
/* Asks the kernel for `bytes` (beyond net.core.rmem_max too when the
 * process may); returns what it granted, as getsockopt(SO_RCVBUF) reports
 * it (Linux doubles the request for its own bookkeeping). */
guint           xn_trap_listener_set_rcvbuf (XnTrapListener *listener, guint bytes);
guint           xn_trap_listener_rcvbuf (const XnTrapListener *listener);

/* Every community and SNMPv3 user of `secrets` (may be NULL: none) is
 * accepted from any sender; copies what it needs. `usm_by_address` maps an
 * inventory node's management address to its SNMPv3 credential name (may
 * be NULL). Keys localized for the previous secrets are dropped. */
void            xn_trap_listener_set_secrets (XnTrapListener *listener, const XnSecrets *secrets,
					      GHashTable *usm_by_address);
guint           xn_trap_listener_n_communities (const XnTrapListener *listener);
guint           xn_trap_listener_n_users (const XnTrapListener *listener);

/* Reads and handles up to `max` datagrams; returns how many it read (fewer:
 * the socket is drained). Callbacks run inside. */
guint           xn_trap_listener_read (XnTrapListener *listener, guint max);

const XnTrapListenerStats *xn_trap_listener_stats (const XnTrapListener *listener);
/* This process's SNMPv3 engine ID, hex: what informs are sent to. */
char           *xn_trap_listener_engine_id (const XnTrapListener *listener);

/* "wrong community", "unknown SNMPv3 user", … */
const char     *xn_trap_refusal_to_string (XnTrapRefusal why);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnTrapListener, xn_trap_listener_free)

G_END_DECLS
