/* operator-fact.h — what the commands that record an operator's action as
 * a fact share (`extranoc fault`, `extranoc maintenance`), and the error
 * lines of every command group with subcommands (`ticket` too): who the
 * fact is from, the free text it may carry, that it did not happen in the
 * future, and "extranoc GROUP COMMAND: message" on stderr. */
#pragma once

#include <glib.h>

#include "xn-time.h"

G_BEGIN_DECLS

/* How far in the future --at may lie: clocks of two machines differ a
 * little, a typed-in call time does not come from tomorrow. */
#define XN_CLI_FUTURE_SLACK (5 * 60 * XN_USEC_PER_SEC)
/* Free text kept in a fact (a description, a reason, a note), in bytes. */
#define XN_CLI_MAX_TEXT 4000

/* "extranoc GROUP COMMAND: message"; XN_EXIT_FAILED. */
int       xn_cli_fail (const char *group, const char *command, const char *message);
/* The same with a pointer to --help; XN_EXIT_USAGE. */
int       xn_cli_usage (const char *group, const char *command, const char *message);
/* The fact's source, "cli:NAME": `user` (--user), else $SUDO_USER, else the
 * login; NULL with the reason in *why when NAME cannot be a source. */
char     *xn_cli_fact_source (const char *user, char **why);
/* Free text of option --`option`: UTF-8, at most XN_CLI_MAX_TEXT bytes,
 * not blank when `required`; NULL passes (absent text is the caller's to
 * refuse). Says what is wrong on stderr. */
gboolean  xn_cli_check_text (const char *group, const char *command, const char *option, const char *text,
			     gboolean required);
/* XN_EXIT_OK, or the usage error "--at T lies in the future" when `at` is
 * more than XN_CLI_FUTURE_SLACK after `now`. */
int       xn_cli_refuse_future (const char *group, const char *command, XnInstant at, XnInstant now, GTimeZone *tz);

G_END_DECLS
