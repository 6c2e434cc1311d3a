/* outage-view.h — what `extranoc replay`, `outages` and `availability`
 * share: extranoc.conf and the configuration it names, where the journal
 * is, a JSON-lines journal replayed to an instant, and outages shown to
 * people (a table) and to machines (JSON). */
#pragma once

#include <stdio.h>

#include "calendar.h"
#include "config.h"
#include "daemon-conf.h"
#include "derived.h"
#include "json-out.h"
#include "outage.h"

G_BEGIN_DECLS

typedef struct {
	XnDaemonConf *conf;          /* NULL: no extranoc.conf read */
	XnConfig     *config;        /* the configuration it names; NULL with it */
	GTimeZone    *tz;            /* the policy's zone, else Asia/Shanghai */
	gboolean      explicit;      /* the conf was named with --config */
	XnCalendar   *calendar;      /* the working-day calendar, once loaded; NULL before */
	char         *calendar_dir;  /* where it was loaded from */
} XnCliSetup;

/* Reads extranoc.conf (`path`, NULL: the installed default) and loads the
 * configuration it names, as the daemons do. */
XnCliSetup *xn_cli_setup_load (const char *path, GError **error);
/* No extranoc.conf: the default zone only. */
XnCliSetup *xn_cli_setup_new_default (void);
void        xn_cli_setup_free (XnCliSetup *setup);
/* Loads the working-day calendar from `dir` (NULL or "": the default,
 * $EXTRANOC_CALENDAR_DIR or the installed one), for the maintenance
 * windows' notice rules. The error names the directory. */
gboolean    xn_cli_setup_load_calendar (XnCliSetup *setup, const char *dir, GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnCliSetup, xn_cli_setup_free)

/* The engine's options as the collector has them: the policy's correlation
 * window (the default without a configuration), outages settling and kept
 * for the list. */
void        xn_cli_outage_options (const XnCliSetup *setup, XnOutageOptions *options);

/* The journal: --db; else the journal of an extranoc.conf named with
 * --config; else $EXTRANOC_DB; else that of the default extranoc.conf when
 * it was read; else the installed default. */
const char *xn_cli_journal_location (const char *db_option, const XnCliSetup *setup);

typedef struct {
	guint64 read;           /* facts in the file */
	guint64 fed;            /* with ts <= at, fed to the engine */
	guint64 after;          /* with ts > at, left out */
	gint64  first_seq;      /* of the facts fed; 0 when none */
	gint64  last_seq;
	gboolean line_seqs;     /* the file has no seqs: line numbers stand in */
} XnReplayCounts;

/* Feeds every fact of the JSON-lines file `path` ("-": standard input)
 * whose ts is at or before `at` to a new engine, in seq order, and advances
 * it to `at` (G_MAXINT64: every fact, no advance). Seqs: every line has one, strictly increasing, or none has
 * and each fact gets its line number. With a `store`, a step is committed
 * after every `step` facts fed (0: only at the end) and at the end, as the
 * collector would. Errors are "FILE:LINE: ...". */
XnOutageEngine *xn_cli_replay (const XnInventory *inventory, const XnOutageOptions *options,
			       const char *path, XnInstant at, XnDerived *store, guint step,
			       XnReplayCounts *counts, GError **error);

/* Called for each fact a replay feeds; an error is prefixed with
 * "FILE:LINE: " by the caller. The fact is the reader's: copy to keep. */
typedef gboolean (*XnCliFactFunc) (XnFact *fact, gpointer user_data, GError **error);

/* Reads the JSON-lines file `path` ("-": standard input) as
 * xn_cli_replay() does — the same seq rules and errors — and hands every
 * fact whose ts is at or before `at` to `func`, in file order. */
gboolean    xn_cli_replay_read (const char *path, XnInstant at, XnCliFactFunc func, gpointer user_data,
				XnReplayCounts *counts, GError **error);

/* The outage as xn_outage_to_json() has it. */
XnJsonOut  *xn_cli_outage_json (const XnOutage *outage);
/* A table, one outage per line: id, object, start, end (or "open"),
 * duration (of an open one: up to `now`), cause, root ("-": its own),
 * units. Instants in `tz`. */
void        xn_cli_print_outages (FILE *out, const GPtrArray *outages, GTimeZone *tz, XnInstant now);
/* A table for people: the titles, then each row (a strv of n_cols
 * cells), columns padded to their widest cell by characters, not bytes
 * (cells may hold Chinese names). */
void        xn_cli_print_table (FILE *out, const char *const *titles, guint n_cols, const GPtrArray *rows);
/* "45s", "38m30s", "1h02m03s", "2d04h05m". */
char       *xn_cli_duration (gint64 usec);
/* An ISO 8601 instant for option `option`; prints the usage error itself. */
gboolean    xn_cli_parse_instant (const char *command, const char *option, const char *text, GTimeZone *tz,
				  XnInstant *out);

G_END_DECLS
