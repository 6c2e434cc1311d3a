/* journal.h — the append-only fact journal, whatever stores it.
 *
 * Callers see facts, sequence numbers and streams; nothing here names a
 * database. A location that is a path opens SQLite (WAL, one file shared by
 * the poller, the collector and the CLI); "postgresql://..." is reserved for a
 * later backend. Every append is one transaction, durable when the call
 * returns; every read sees one consistent snapshot. Errors are XN_ERROR and
 * start with the location (or with "NAME:LINE: " for a bad imported line).
 * An append waits up to XN_JOURNAL_WAIT_MS while another process holds the
 * write lock; a daemon whose loop must not stall that long opens with
 * XN_JOURNAL_OPEN_SHORT_WAIT and treats XN_JOURNAL_BUSY as "not now". One
 * XnJournal is used by one thread at a time. */
#pragma once

#include "fact.h"

G_BEGIN_DECLS

typedef struct _XnJournal XnJournal;

/* How long an append waits for another writer's lock: by default, and with
 * XN_JOURNAL_OPEN_SHORT_WAIT. */
#define XN_JOURNAL_WAIT_MS        10000
#define XN_JOURNAL_SHORT_WAIT_MS  20

typedef enum {
	XN_JOURNAL_OPEN_EXISTING   = 0,         /* a missing journal is XN_ERROR_NOT_FOUND */
	XN_JOURNAL_OPEN_CREATE     = 1 << 0,    /* create it (the directory must exist) */
	/* Appends wait at most XN_JOURNAL_SHORT_WAIT_MS for another writer.
	 * Opening still waits up to XN_JOURNAL_WAIT_MS, which only matters
	 * when the file is created or its schema migrated. */
	XN_JOURNAL_OPEN_SHORT_WAIT = 1 << 1,
} XnJournalOpenFlags;

typedef enum {
	XN_JOURNAL_APPENDED,
	XN_JOURNAL_BUSY,        /* another writer held the lock past the wait: nothing appended; try later */
	XN_JOURNAL_FAILED,
} XnJournalAppendResult;

typedef enum {
	XN_JOURNAL_IMPORT_KEEP_SEQ = 0,         /* seqs in the file are kept (see doc/journal.md) */
	XN_JOURNAL_IMPORT_RENUMBER = 1 << 0,    /* seqs in the file are ignored, new ones assigned */
} XnJournalImportFlags;

typedef struct {
	guint  schema_version;
	gint64 count;
	gint64 first_seq;       /* 0 when empty */
	gint64 last_seq;        /* 0 when empty */
} XnJournalStats;

/* Called once per fact in seq order; returning FALSE (with the error set)
 * stops the walk and is returned as is. The fact belongs to the walk: copy
 * it to keep it. The callback must not use the same XnJournal. */
typedef gboolean (*XnFactFunc) (const XnFact *fact, gpointer user_data, GError **error);

/* Opens the journal and brings its schema up to date (each migration in its
 * own transaction); a schema newer than this program knows is an error. */
XnJournal  *xn_journal_open (const char *location, XnJournalOpenFlags flags, GError **error);
void        xn_journal_close (XnJournal *journal);
const char *xn_journal_get_location (XnJournal *journal);

/* Validates, then appends in one transaction and sets fact->seq. A fact that
 * already has a seq is refused. Nothing is changed on failure. */
gboolean    xn_journal_append (XnJournal *journal, XnFact *fact, GError **error);
/* All the facts (XnFact*) in one transaction with contiguous seqs, or none. */
gboolean    xn_journal_append_batch (XnJournal *journal, GPtrArray *facts, GError **error);
/* The same, telling a busy journal apart from a failure; the error is set
 * for both (for XN_JOURNAL_BUSY: "LOCATION: another writer holds ..."). */
XnJournalAppendResult xn_journal_try_append_batch (XnJournal *journal, GPtrArray *facts, GError **error);

gboolean    xn_journal_last_seq (XnJournal *journal, gint64 *last_seq, GError **error);

/* Facts with seq > after_seq in seq order, at most limit of them (0: all),
 * from one snapshot: facts appended meanwhile are not seen. */
gboolean    xn_journal_foreach (XnJournal *journal, gint64 after_seq, guint limit,
				XnFactFunc func, gpointer user_data, GError **error);
/* The same into a new array of XnFact* (freed with the array). */
gboolean    xn_journal_read (XnJournal *journal, gint64 after_seq, guint limit,
			     GPtrArray **facts, GError **error);

/* JSON lines of the facts after after_seq, with their seqs. */
gboolean    xn_journal_export (XnJournal *journal, GOutputStream *output, gint64 after_seq,
			       guint64 *n_exported, GError **error);
/* Reads and checks the whole stream first; any bad line is an error
 * "NAME:LINE: message" and nothing is applied. Then one transaction. */
gboolean    xn_journal_import (XnJournal *journal, GInputStream *input, const char *name,
			       XnJournalImportFlags flags, guint64 *n_imported, GError **error);

gboolean    xn_journal_stats (XnJournal *journal, XnJournalStats *stats, GError **error);
/* The store's own consistency check (SQLite: PRAGMA integrity_check). */
gboolean    xn_journal_check (XnJournal *journal, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnJournal, xn_journal_close)

G_END_DECLS
