/* journal-backend.h — what a journal store implements; journal.c dispatches.
 *
 * Only journal.c, the backends and their tests include this. A backend gets
 * facts that are already valid and must keep the promises of journal.h:
 * all-or-nothing appends, seqs that only grow and are committed in order (so a
 * reader that has seen seq N never later finds a new fact below N), durable
 * commits, snapshot reads. Backend errors do not repeat the location;
 * journal.c prefixes it. */
#pragma once

#include "journal.h"

G_BEGIN_DECLS

typedef struct _XnJournalBackend XnJournalBackend;   /* each backend defines it */

/* The fact with this seq as the caller already holds it, or NULL. */
typedef const XnFact *(*XnFactKnownFunc) (gint64 seq, gpointer user_data);

typedef struct {
	const char *name;
	XnJournalBackend *(*open) (const char *location, XnJournalOpenFlags flags, GError **error);
	void     (*close)    (XnJournalBackend *backend);
	/* keep_seq: the facts carry strictly increasing seqs, kept as they are;
	 * the first must be above the journal's last seq, else XN_ERROR_INVALID
	 * (the only use of that code here). Otherwise seqs are assigned. On
	 * success every fact's seq is set; on failure no fact is changed, and
	 * *busy (when given) says whether it was only another writer's lock. */
	gboolean (*append)   (XnJournalBackend *backend, GPtrArray *facts, gboolean keep_seq, gboolean *busy,
			      GError **error);
	gboolean (*last_seq) (XnJournalBackend *backend, gint64 *last_seq, GError **error);
	/* Errors from func are passed through unchanged. */
	gboolean (*foreach)  (XnJournalBackend *backend, gint64 after_seq, guint limit,
			      XnFactFunc func, gpointer user_data, GError **error);
	gboolean (*stats)    (XnJournalBackend *backend, XnJournalStats *stats, GError **error);
	gboolean (*check)    (XnJournalBackend *backend, GError **error);
	/* Optional. append() with the facts' attrs already printed (one text
	 * per fact, as xn_fact_attrs_to_json() prints them), so the validation
	 * that printed them is not repeated. */
	gboolean (*append_printed) (XnJournalBackend *backend, GPtrArray *facts, char **attrs_json,
				    gboolean *busy, GError **error);
	/* Optional. foreach() that first asks `known` for each seq: a fact it
	 * returns (whose ts, recorded and kind match the row) is handed to func
	 * as it is, without reading the row's attrs again. */
	gboolean (*foreach_known) (XnJournalBackend *backend, gint64 after_seq, guint limit,
				   XnFactKnownFunc known, gpointer known_data,
				   XnFactFunc func, gpointer user_data, GError **error);
} XnJournalBackendOps;

extern const XnJournalBackendOps xn_journal_sqlite_ops;

/* SQLite with the given migration steps instead of the built-in ones (step i
 * takes the schema from version i to i + 1): lets tests add a step or stop
 * early without a second copy of the migration logic. */
XnJournalBackend *xn_journal_sqlite_open_with (const char *path, XnJournalOpenFlags flags,
					       const char *const *migrations, guint n_migrations,
					       GError **error);

/* The built-in steps, for tests that extend them. */
const char *const *xn_journal_sqlite_migrations (guint *n_migrations);

/* Takes the write lock (BEGIN IMMEDIATE) and keeps it, or gives it back:
 * lets tests be the other writer that makes a journal busy. */
gboolean xn_journal_sqlite_hold_lock (XnJournalBackend *backend, gboolean hold, GError **error);

/* A journal over a backend opened by hand (takes ownership of it). */
XnJournal *xn_journal_new_for_backend (const XnJournalBackendOps *ops, XnJournalBackend *backend,
				       const char *location);

G_END_DECLS
