/* ticket-view.h — what `extranoc replay` and `extranoc ticket` share: the
 * ticket engine's options as the collector fills them, a journal (a
 * JSON-lines file or the journal database) replayed through the ticket
 * engine to an instant, the facts behind a ticket, and tickets shown to
 * people (a table, the explanation of every deadline) and to machines
 * (JSON with sorted keys). Tickets are shown from their JSON
 * (xn_ticket_to_json), so a ticket derived here and one the collector
 * stored print alike. */
#pragma once

#include <stdio.h>

#include "journal.h"
#include "outage-view.h"
#include "ticket.h"

G_BEGIN_DECLS

/* The policy's numbers (the regulation's without a configuration), closed
 * tickets kept: as extranoc-collector derives, for a replay. */
gboolean        xn_cli_ticket_options (const XnCliSetup *setup, XnTicketOptions *options, GError **error);

/* A ticket engine on the setup's inventory; with the setup's calendar
 * loaded (xn_cli_setup_load_calendar) it honours maintenance windows by
 * the policy's notice rules, as the collector does. */
XnTicketEngine *xn_cli_ticket_engine_new (const XnCliSetup *setup, const XnOutageOptions *outage_options,
					  const XnTicketOptions *options, GError **error);
/* Feeds every fact of the JSON-lines file `path` whose ts is at or before
 * `at` to a new ticket engine (xn_cli_ticket_engine_new) and advances it
 * to `at` (G_MAXINT64: every fact, no advance). Errors and counts as
 * xn_cli_replay(). */
XnTicketEngine *xn_cli_replay_tickets (const XnCliSetup *setup, const XnOutageOptions *outage_options,
				       const XnTicketOptions *options, const char *path, XnInstant at,
				       XnReplayCounts *counts, GError **error);
/* The same from a journal database. */
XnTicketEngine *xn_cli_replay_journal_tickets (const XnCliSetup *setup,
					       const XnOutageOptions *outage_options,
					       const XnTicketOptions *options, XnJournal *journal, XnInstant at,
					       XnReplayCounts *counts, GError **error);

/* Which facts lie behind a ticket (its JSON): the fact that opened it,
 * the one its report time comes from, the evidence of its outages
 * (`outages`: XnOutage*, any superset of the ticket's), the tickets merged
 * into it, and every fault.* fact about it or its breach tickets. */
typedef struct _XnCliTicketFacts XnCliTicketFacts;

XnCliTicketFacts *xn_cli_ticket_facts_new (JsonObject *ticket, const GPtrArray *outages);
void              xn_cli_ticket_facts_free (XnCliTicketFacts *wanted);
/* The smallest seq that can be wanted, less one: where to start reading. */
gint64            xn_cli_ticket_facts_after (const XnCliTicketFacts *wanted);
/* Keeps a copy of `fact` when it lies behind the ticket. */
void              xn_cli_ticket_facts_offer (XnCliTicketFacts *wanted, const XnFact *fact);
/* The facts kept, in seq order (owned by `wanted`). */
const GPtrArray  *xn_cli_ticket_facts_get (const XnCliTicketFacts *wanted);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnCliTicketFacts, xn_cli_ticket_facts_free)

/* A json-glib object as a sorted document; a fractional number of seconds
 * is printed with six decimals, trailing zeros cut. */
XnJsonOut      *xn_cli_json_from_object (JsonObject *object);

/* A table of tickets (JsonObject* each, xn_ticket_to_json), one per line:
 * ID, status, attribution and carrier, what failed, SLA class, report
 * time, both deadlines with their result, breach levels. Instants in `tz`. */
void            xn_cli_print_tickets (FILE *out, const GPtrArray *tickets, GTimeZone *tz);
/* One ticket explained: every deadline's parts and arithmetic, the
 * escalation points, outages, events, then `facts` (XnFact*, may be
 * NULL: not known) as a table of seq, kind, ts, source and subject. */
void            xn_cli_print_ticket (FILE *out, JsonObject *ticket, const GPtrArray *facts, GTimeZone *tz);

/* "XN-" and six or more digits, optionally "-R" or "-S". */
gboolean        xn_cli_ticket_id_is_valid (const char *id);

G_END_DECLS
