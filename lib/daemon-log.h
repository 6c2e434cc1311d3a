/* daemon-log.h — the daemons' log: GLib structured messages on stderr,
 * one line per message line, each prefixed with the program and the
 * message's gravity ("extranoc-poller: warning: ..."), filtered by
 * extranoc.conf's log-level. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Owned by main and outlives the daemon: the writer keeps pointing at it;
 * the daemon updates the level on reload. */
typedef struct {
	const char     *program;   /* "extranoc-poller" */
	GLogLevelFlags  shown;     /* a mask of GLogLevelFlags */
} XnDaemonLog;

/* "error", "warning", "info", "debug" (extranoc.conf's log-level). */
void             xn_daemon_log_set_level (XnDaemonLog *log, const char *level);
/* A GLogWriterFunc; user_data is the XnDaemonLog. */
GLogWriterOutput xn_daemon_log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields,
				       gpointer user_data);

G_END_DECLS
