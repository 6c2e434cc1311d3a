/* derived-backend.h — what a store of derived state implements; derived.c
 * calls it.
 *
 * Only derived.c, the backends and their tests include this. derived.c turns
 * outages into rows (XnDerivedRow: the columns, JSON where a column holds a
 * list, and a digest of the whole row) and decides which rows a step writes;
 * a backend stores rows and the position and keeps derived.h's promises: a
 * step is one transaction, durable when it commits, and a read sees one
 * consistent state. Backend errors do not repeat the location; derived.c
 * prefixes it. Today the one backend is SQLite (derived-sqlite.c), in the
 * journal's own file. */
#pragma once

#include "derived.h"

G_BEGIN_DECLS

/* One stored outage. Lists are JSON text: units, dependents ["…"],
 * evidence [seq,…], segments [{"from":µs,"to":µs|null,"root":"…"}]. */
typedef struct {
	char      *id;
	gint64     seq;
	char      *object;
	char      *kind;            /* "node", "link" */
	XnInstant  start;
	XnInstant  end;             /* XN_OUTAGE_OPEN while open (NULL in SQL) */
	char      *cause;
	char      *root;            /* the root of its last segment */
	char      *units;
	char      *segments;
	char      *dependents;
	char      *evidence;
	gint64     evidence_count;
	gboolean   provisional;
	char      *digest;          /* hex SHA-256 of everything above */
} XnDerivedRow;

void xn_derived_row_free (XnDerivedRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnDerivedRow, xn_derived_row_free)

/* One stored ticket: the columns readers select and order by, and the
 * JSON of xn_ticket_to_json as the step printed it. */
typedef struct {
	char      *id;
	char      *status;          /* "open", "restored", "closed", "merged" */
	char      *carrier;         /* NULL: none */
	XnInstant  opened;          /* XN_TICKET_NONE: not known (NULL in SQL) */
	XnInstant  closed;          /* XN_TICKET_NONE while not closed */
	char      *json;
} XnDerivedTicketRow;

void xn_derived_ticket_row_free (XnDerivedTicketRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnDerivedTicketRow, xn_derived_ticket_row_free)

typedef struct _XnDerivedBackend XnDerivedBackend;

/* The journal at `path` exists and is current (derived.c opened it first).
 * Without XN_DERIVED_OPEN_CREATE a journal without derived tables is
 * XN_ERROR_NOT_FOUND. */
XnDerivedBackend *xn_derived_sqlite_open (const char *path, XnDerivedOpenFlags flags, GError **error);
void              xn_derived_sqlite_close (XnDerivedBackend *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnDerivedBackend, xn_derived_sqlite_close)

gboolean xn_derived_sqlite_info (XnDerivedBackend *b, XnDerivedInfo *info, GError **error);
/* The position, the snapshot and the steps committed, from one read. */
gboolean xn_derived_sqlite_load (XnDerivedBackend *b, gint64 *last_seq, char **snapshot, guint64 *steps,
				 GError **error);

/* A step: begin takes the write lock (*busy set when another writer kept it
 * past the wait) and gives the number of steps committed so far, which
 * tells whether anyone else wrote since this process last did; put, remove
 * and remove_all work inside it; finish sets the position and commits.
 * After any failure inside the step call rollback. */
gboolean xn_derived_sqlite_begin (XnDerivedBackend *b, guint64 *steps, gboolean *busy, GError **error);
/* Writes the row unless one with the same id and digest is stored;
 * *written says whether it did. */
gboolean xn_derived_sqlite_put (XnDerivedBackend *b, const XnDerivedRow *row, gboolean *written, GError **error);
/* *removed: whether there was such a row. */
gboolean xn_derived_sqlite_remove (XnDerivedBackend *b, const char *id, gboolean *removed, GError **error);
/* Every outage and ticket row; *removed counts the outages. */
gboolean xn_derived_sqlite_remove_all (XnDerivedBackend *b, guint *removed, GError **error);
/* Writes the ticket row unless the same is stored; *written says whether it did. */
gboolean xn_derived_sqlite_put_ticket (XnDerivedBackend *b, const XnDerivedTicketRow *row, gboolean *written,
				       GError **error);
/* Inserts an outbox message in the step (outbox-sqlite.h): once per
 * event and carrier; *inserted FALSE when it was there. */
gboolean xn_derived_sqlite_put_message (XnDerivedBackend *b, const XnOutboxMessage *message, XnInstant now,
					gboolean suppressed, gboolean *inserted, GError **error);
gboolean xn_derived_sqlite_finish (XnDerivedBackend *b, const char *snapshot, gint64 last_seq, XnInstant now,
				   gint64 window_us, gboolean *busy, GError **error);
void     xn_derived_sqlite_rollback (XnDerivedBackend *b);

/* The rows passing `filter`, ordered by start, seq, object, with `info`
 * from the same read (either may be NULL). */
gboolean xn_derived_sqlite_read (XnDerivedBackend *b, const XnDerivedFilter *filter, XnDerivedInfo *info,
				 GPtrArray **rows, GError **error);

/* The tickets' JSON (char*), ordered by opened then id: all, the open
 * and restored ones, or the one with this id (`id` not NULL), with `info`
 * from the same read (may be NULL). */
gboolean xn_derived_sqlite_read_tickets (XnDerivedBackend *b, gboolean open_only, const char *id,
					 XnDerivedInfo *info, GPtrArray **json, GError **error);

/* Called inside every step after its rows are written, before the commit:
 * lets a test die there (kill -9 in the middle of a step). */
typedef void (*XnDerivedHook) (gpointer user_data);
void     xn_derived_set_step_hook (XnDerived *store, XnDerivedHook hook, gpointer user_data);

G_END_DECLS
