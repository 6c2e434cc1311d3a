/* link-verify.h — checking link traps by SNMP GET: what to check when, and
 * what to record, given the answers.
 *
 * A linkDown or linkUp trap is one UDP datagram from the device: its
 * partner can be lost, and a port that flapped between two polls is never
 * seen down by the poller, which records changes of its own view only. So
 * an outage opened by a trap.link-down whose trap.link-up was lost would
 * stay open for ever. The collector therefore asks the device itself, a
 * few seconds after each link trap about an inventory link end
 * (ifOperStatus.N, ifAdminStatus.N and ifName.N in one GET), and records
 * what the trap did not say: interface.up after a link-down when the port
 * is up, interface.down after a link-up when it is down,
 * interface.admin-down when it was switched off (source "collector",
 * attrs.verifies = the trap fact's seq, attrs.method = "get";
 * doc/facts-collector.md). While the interface is down by what the journal
 * says it is asked again every interval, until it is up, a later report
 * about it (the poller's, another trap) makes the check moot, or the
 * give-up time has passed.
 *
 * This is the pure part: facts from the journal (in seq order), answers
 * and `now` go in; checks to make, facts to record and lines to log come
 * out. The view of each interface is the journal's, ordered by ts as the
 * outage engine orders reports (sla/outage.c), so a check never argues
 * with a newer report. No clock, no I/O, no Net-SNMP: the requests and
 * answers are the plain types of snmp-session.h. link-verify-io.c sends
 * the GETs. */
#pragma once

#include <glib.h>

#include "fact.h"
#include "inventory.h"
#include "snmp-session.h"

G_BEGIN_DECLS

typedef struct {
	XnInstant delay;      /* the first check, after the trap's ts */
	XnInstant interval;   /* between checks while the interface is down */
	XnInstant give_up;    /* no check later than this after the trap */
	guint     window;     /* checks in flight at once; 0: no trap is checked */
} XnLinkVerifyConfig;

/* What the journal (or a check) last said about an interface. */
typedef enum {
	XN_LINK_SEEN_NOTHING,
	XN_LINK_SEEN_UP,
	XN_LINK_SEEN_DOWN,
	XN_LINK_SEEN_ADMIN_DOWN,
} XnLinkSeen;

/* One GET to make: what it is about. Owned by the caller of
 * xn_link_verify_take() until handed back to xn_link_verify_answer(). */
typedef struct {
	guint64  ticket;
	char    *node;
	char    *subject;          /* interface/NODE/IFNAME */
	char    *if_name;
	gint64   if_index;
	gint64   verifies;         /* the seq of the trap fact being checked */
} XnLinkCheck;

typedef enum {
	XN_LINK_ANSWER_STATUS,     /* the agent gave ifOperStatus.N (and maybe the rest) */
	XN_LINK_ANSWER_SILENT,     /* no answer, or nothing could be sent */
	XN_LINK_ANSWER_REFUSED,    /* an answer that refuses: SNMPv3 credentials, an error-status */
	XN_LINK_ANSWER_ELSEWHERE,  /* ifIndex N is no longer the interface: no row, or another ifName */
} XnLinkAnswerKind;

typedef struct {
	XnLinkAnswerKind kind;
	XnInstant        sent;          /* when the GET went out: the ts of a fact made from it */
	guint            admin_status;  /* IF-MIB values; 0 when not given */
	guint            oper_status;
	char            *reason;        /* not STATUS: why, for people */
} XnLinkAnswer;

typedef enum {
	XN_LINK_NOTE_DEBUG,
	XN_LINK_NOTE_NOTICE,
	XN_LINK_NOTE_WARNING,
} XnLinkNoteLevel;

/* A line for the log. */
typedef struct {
	XnLinkNoteLevel level;
	char           *text;
} XnLinkNote;

typedef struct {
	guint64 started;           /* checks handed out */
	guint64 answered;          /* with a status */
	guint64 silent;            /* without (timeouts, refusals, another interface) */
	guint64 moot;              /* answers that came after a newer report, unused */
	guint64 recorded[4];       /* by XnLinkSeen: facts made */
	guint64 gave_up;
} XnLinkVerifyStats;

typedef struct _XnLinkVerify XnLinkVerify;

/* `inventory` is borrowed until the next xn_link_verify_set_inventory(). */
XnLinkVerify *xn_link_verify_new (const XnLinkVerifyConfig *config, const XnInventory *inventory);
void          xn_link_verify_free (XnLinkVerify *verify);
void          xn_link_verify_set_config (XnLinkVerify *verify, const XnLinkVerifyConfig *config);
/* A reload: interfaces still link ends keep their view and their pending
 * check; the others are forgotten (a check of theirs in flight is
 * answered for nothing). */
void          xn_link_verify_set_inventory (XnLinkVerify *verify, const XnInventory *inventory);
/* Another journal: every view and check is forgotten; seqs start again. */
void          xn_link_verify_reset (XnLinkVerify *verify);

/* A fact of the journal, in seq order; one at or below the last seq seen
 * is passed over (the journal read again from its start). A trap.link-down
 * (not admin-down) or trap.link-up about a link end starts the checks of
 * its interface, unless it is older than the give-up time, or a link-up
 * too old for its check to mean anything (`now` says); any other report
 * about the interface from its trap's ts on ends them. Returns when the
 * check it scheduled is due, G_MAXINT64 when it scheduled none. */
XnInstant     xn_link_verify_observe (XnLinkVerify *verify, const XnFact *fact, XnInstant now, GPtrArray *notes);

/* The next check that may start at `now` (due, its node has none in
 * flight, the window has room), with its node (valid until the next call
 * with the inventory); NULL when there is none. Due checks that cannot be
 * made (no SNMP endpoint, no ifIndex known, past the give-up time) end
 * here, with a note. */
XnLinkCheck  *xn_link_verify_take (XnLinkVerify *verify, XnInstant now, const XnNode **node, GPtrArray *notes);
/* When the next check that could start is due; G_MAXINT64 when none is
 * waiting or the window is full (an answer makes room). */
XnInstant     xn_link_verify_next_due (const XnLinkVerify *verify);
/* The answer to `check` (taken back and freed); a fact to record, or NULL. */
XnFact       *xn_link_verify_answer (XnLinkVerify *verify, XnLinkCheck *check, const XnLinkAnswer *answer,
				     XnInstant now, GPtrArray *notes);

guint         xn_link_verify_waiting (const XnLinkVerify *verify);
guint         xn_link_verify_in_flight (const XnLinkVerify *verify);
/* The view of one interface (testing, and the log). */
XnLinkSeen    xn_link_verify_seen (const XnLinkVerify *verify, const char *subject);
void          xn_link_verify_get_stats (const XnLinkVerify *verify, XnLinkVerifyStats *stats);

/* The OIDs of the check's GET into `arcs` (room for 3 OIDs of up to 16
 * arcs) and `oids`; how many: ifOperStatus.N, ifAdminStatus.N and, but to
 * SNMPv1 agents, which refuse a whole request for one unknown column,
 * ifName.N. */
guint         xn_link_check_request (const XnLinkCheck *check, XnSnmpVersion version, XnSubid arcs[3][16],
				     XnOid oids[3]);
/* An agent's reply to that GET, read. `answer->sent` is left alone. */
void          xn_link_answer_read (XnLinkAnswer *answer, const XnLinkCheck *check, const XnSnmpReply *reply);
void          xn_link_answer_clear (XnLinkAnswer *answer);

void          xn_link_check_free (XnLinkCheck *check);
void          xn_link_note_free (gpointer note);
const char   *xn_link_seen_to_kind (XnLinkSeen seen);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnLinkVerify, xn_link_verify_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnLinkCheck, xn_link_check_free)

G_END_DECLS
