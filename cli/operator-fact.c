/* operator-fact.c — the pieces `extranoc fault` and `extranoc maintenance`
 * share to record an operator's action as a fact, and the error lines of
 * the command groups (operator-fact.h). The facts themselves, and which
 * input each command accepts, stay with the commands. */
#include "operator-fact.h"
#include "commands.h"
#include "fact.h"

#include <stdio.h>
#include <string.h>

int
xn_cli_fail (const char *group, const char *command, const char *message)
{
	fprintf (stderr, "extranoc %s %s: %s\n", group, command, message);
	return XN_EXIT_FAILED;
}

int
xn_cli_usage (const char *group, const char *command, const char *message)
{
	fprintf (stderr, "extranoc %s %s: %s\n(see extranoc %s %s --help)\n", group, command, message, group,
		 command);
	return XN_EXIT_USAGE;
}

char *
xn_cli_fact_source (const char *user, char **why)
{
	const char *name = user;
	g_autofree char *source = NULL;

	if (name == NULL || *name == '\0')
		name = g_getenv ("SUDO_USER");
	if (name == NULL || *name == '\0')
		name = g_get_user_name ();
	source = g_strconcat ("cli:", name, NULL);
	if (!g_utf8_validate (source, -1, NULL) || strlen (source) > XN_FACT_MAX_SOURCE) {
		*why = g_strdup_printf ("--user: '%s' is not UTF-8 of at most %d bytes", name,
					XN_FACT_MAX_SOURCE - 4);
		return NULL;
	}
	for (const char *p = source; *p != '\0'; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);

		if (g_unichar_isspace (c) || !g_unichar_isprint (c)) {
			*why = g_strdup_printf ("--user: '%s' contains white space or an unprintable character", name);
			return NULL;
		}
	}
	return g_steal_pointer (&source);
}

gboolean
xn_cli_check_text (const char *group, const char *command, const char *option, const char *text, gboolean required)
{
	g_autofree char *stripped = NULL;

	if (text == NULL)
		return TRUE;
	stripped = g_strstrip (g_strdup (text));
	if (!g_utf8_validate (text, -1, NULL) || strlen (text) > XN_CLI_MAX_TEXT || (required && *stripped == '\0')) {
		fprintf (stderr, "extranoc %s %s: --%s must be %sUTF-8 text of at most %d bytes\n", group, command,
			 option, required ? "non-blank " : "", XN_CLI_MAX_TEXT);
		return FALSE;
	}
	return TRUE;
}

int
xn_cli_refuse_future (const char *group, const char *command, XnInstant at, XnInstant now, GTimeZone *tz)
{
	g_autofree char *when = NULL;
	g_autofree char *message = NULL;

	if (at <= now + XN_CLI_FUTURE_SLACK)
		return XN_EXIT_OK;
	when = xn_time_format (at, tz);
	message = g_strdup_printf ("--at %s lies in the future", when);
	return xn_cli_usage (group, command, message);
}
