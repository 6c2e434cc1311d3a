/* ticket-message.h — a ticket event as the message a carrier receives:
 * a subject line, a text body in Chinese with the English field names a
 * ticket system needs, and a JSON body for webhooks.
 *
 * Rendering is pure (no I/O, no clock): the same event, inventory,
 * options and time zone always give the same bytes, so a message resent
 * after a restart is the message sent before. The dispatcher
 * (collector/) stores and sends what this returns; the format is in
 * doc/sla.md ("Messages"). */
#pragma once

#include <glib.h>

#include "inventory.h"
#include "ticket.h"

G_BEGIN_DECLS

typedef struct {
	char *subject;   /* one line of UTF-8: no CR, LF or other control character */
	char *text;      /* text/plain UTF-8, lines ending in "\n" */
	char *json;      /* one JSON object on one line (UTF-8) */
} XnTicketMessage;

/* `tz` is the policy's time zone (its identifier is printed beside the
 * local times); the NOC contact comes from `options`. Fails
 * (XN_ERROR_INVALID) only for an event without its ticket copy. Names the
 * inventory no longer has are printed as they are, without display names. */
XnTicketMessage *xn_ticket_message_render (const XnTicketEvent *event, const XnInventory *inventory,
					   const XnTicketOptions *options, GTimeZone *tz, GError **error);
void             xn_ticket_message_free (XnTicketMessage *message);

/* `text` as one line: every control character (C0, DEL, C1, U+2028,
 * U+2029) becomes a space, runs of white space one space, invalid UTF-8
 * U+FFFD; cut to at most max_chars characters (with "…"). */
char            *xn_ticket_message_one_line (const char *text, guint max_chars);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnTicketMessage, xn_ticket_message_free)

G_END_DECLS
