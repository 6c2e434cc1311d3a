/* derived-private.h — the derived store's handle, shared by derived.c
 * (outages, steps, resume) and derived-tickets.c (tickets and their
 * messages). Nothing else includes it. */
#pragma once

#include "derived-backend.h"

G_BEGIN_DECLS

struct _XnDerived {
	XnDerivedBackend *backend;
	char             *location;
	GHashTable       *pending;         /* id → XnOutage taken from the engine, not yet stored */
	GHashTable       *pending_removed; /* ids removed, not yet deleted */
	GHashTable       *pending_tickets; /* id → XnDerivedTicketRow taken, not yet stored */
	GPtrArray        *pending_messages;/* XnOutboxMessage added, not yet inserted */
	gboolean          replace;         /* the next step deletes every row first */
	guint64           steps;           /* the store's step count when this handle last read or wrote it */
	XnDerivedHook     hook;
	gpointer          hook_data;
};

/* What one step stores besides the pending changes. */
typedef struct {
	XnOutageEngine *outages;       /* the engine the outage rows come from */
	const char     *snapshot;      /* the snapshot the position goes with */
	gint64          last_seq;
	XnInstant       now;
	/* A ticket engine's step: never replaces another process's rows. */
	gboolean        tickets;
	XnInstant       created;       /* the messages' created instant */
	guint           horizon_s;
} XnDerivedStep;

/* The step both kinds of engine share (derived.c). */
XnDerivedResult xn_derived_step (XnDerived *store, const XnDerivedStep *step, XnDerivedStepStats *stats,
				 GError **error);
/* Drops every change and message not yet stored. */
void            xn_derived_forget_pending (XnDerived *store);
/* Reads the position and snapshot for a resume and forgets what is
 * pending; FALSE (error set, with the location) when it cannot be read. */
gboolean        xn_derived_load_for_resume (XnDerived *store, gint64 *last_seq, char **snapshot, GError **error);
gboolean        xn_derived_fail_at_location (XnDerived *store, GError **error);

G_END_DECLS
