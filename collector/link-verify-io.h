/* link-verify-io.h — the collector's SNMP GETs that check link traps.
 *
 * XnLinkVerifier drives link-verify.h on the GLib main context: it is fed
 * every fact of the journal (follow.c), starts the checks when they are
 * due, each on a Net-SNMP session of poller/snmp-session.h opened for it
 * with the node's endpoint and credential, and hands every fact a check
 * makes to the caller (the collector queues it for the journal, so it is
 * read back and derived like any other). It logs what link-verify.c words.
 * Checks start only once the verifier is told the journal has been read up
 * to where it was at the start (xn_link_verifier_set_ready), so a start
 * that reads a long journal does not check traps that later facts answer. */
#pragma once

#include <glib.h>

#include "fact.h"
#include "inventory.h"
#include "link-verify.h"
#include "secrets.h"

G_BEGIN_DECLS

typedef struct _XnLinkVerifier XnLinkVerifier;

/* `fact` is the callee's. */
typedef void (*XnLinkVerifierRecord) (XnFact *fact, gpointer user_data);

/* `inventory` and `secrets` are borrowed until the next
 * xn_link_verifier_reconfigure(). */
XnLinkVerifier *xn_link_verifier_new (const XnLinkVerifyConfig *config, const XnInventory *inventory,
				      const XnSecrets *secrets, XnLinkVerifierRecord record, gpointer user_data);
/* Requests in flight are dropped unanswered. */
void            xn_link_verifier_free (XnLinkVerifier *verifier);
/* A reload: pending checks of interfaces still link ends are kept; derived
 * SNMPv3 keys are forgotten; requests in flight finish on their sessions. */
void            xn_link_verifier_reconfigure (XnLinkVerifier *verifier, const XnLinkVerifyConfig *config,
					      const XnInventory *inventory, const XnSecrets *secrets);
/* Another journal: everything is forgotten, and nothing starts until ready. */
void            xn_link_verifier_reset (XnLinkVerifier *verifier);
void            xn_link_verifier_set_ready (XnLinkVerifier *verifier, gboolean ready);
gboolean        xn_link_verifier_is_ready (const XnLinkVerifier *verifier);
void            xn_link_verifier_observe (XnLinkVerifier *verifier, const XnFact *fact);
void            xn_link_verifier_get_stats (const XnLinkVerifier *verifier, XnLinkVerifyStats *stats);

/* "link traps checked by SNMP GET 5 s after them, every 60 s while down, …" */
char           *xn_link_verify_config_describe (const XnLinkVerifyConfig *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnLinkVerifier, xn_link_verifier_free)

G_END_DECLS
