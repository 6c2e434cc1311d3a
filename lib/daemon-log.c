/* daemon-log.c — the log writer extranoc-poller and extranoc-collector share
 * (see daemon-log.h). It decides only what is shown and how a line looks;
 * what is worth logging, and logging a repeated failure once, is each
 * daemon's business. It adds no time stamp: journald and the service
 * manager add their own. */
#include "daemon-log.h"

#include <stdio.h>
#include <string.h>

void
xn_daemon_log_set_level (XnDaemonLog *log, const char *level)
{
	GLogLevelFlags shown = G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL;

	if (g_strcmp0 (level, "error") != 0)
		shown |= G_LOG_LEVEL_WARNING;
	if (g_strcmp0 (level, "info") == 0 || g_strcmp0 (level, "debug") == 0)
		shown |= G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO;
	if (g_strcmp0 (level, "debug") == 0)
		shown |= G_LOG_LEVEL_DEBUG;
	log->shown = shown;
}

static const char *
level_name (GLogLevelFlags level)
{
	if (level & G_LOG_LEVEL_ERROR)
		return "error";
	if (level & G_LOG_LEVEL_CRITICAL)
		return "critical";
	if (level & G_LOG_LEVEL_WARNING)
		return "warning";
	if (level & G_LOG_LEVEL_MESSAGE)
		return "notice";
	if (level & G_LOG_LEVEL_INFO)
		return "info";
	return "debug";
}

GLogWriterOutput
xn_daemon_log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
	const XnDaemonLog *log = user_data;
	g_autofree char *prefix = NULL;
	g_autoptr(GString) out = NULL;
	const char *message = "";
	int length = 0;

	if (!(level & log->shown & G_LOG_LEVEL_MASK))
		return G_LOG_WRITER_HANDLED;
	for (gsize i = 0; i < n_fields; i++) {
		if (strcmp (fields[i].key, "MESSAGE") == 0) {
			message = fields[i].value;
			length = fields[i].length < 0 ? (int) strlen (message) : (int) fields[i].length;
			break;
		}
	}
	/* A message of several lines (a configuration's problems) keeps the
	 * prefix on each, so every line says whose and how grave it is. */
	prefix = g_strdup_printf ("%s: %s: ", log->program, level_name (level));
	out = g_string_new (prefix);
	for (int i = 0; i < length; i++) {
		g_string_append_c (out, message[i]);
		if (message[i] == '\n' && i + 1 < length)
			g_string_append_printf (out, "%s  ", prefix);
	}
	g_string_append_c (out, '\n');
	/* written whole: stderr is unbuffered, and a line written in pieces
	 * could interleave with another process's output */
	fputs (out->str, stderr);
	return G_LOG_WRITER_HANDLED;
}
