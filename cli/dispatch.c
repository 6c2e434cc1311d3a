/* dispatch.c — one way for every level of the CLI to pick a subcommand.
 *
 * `extranoc` and each command group (`extranoc journal`, `extranoc calendar` …)
 * share the same behaviour: no argument or an unknown one is a usage error
 * (exit 2) with the list of subcommands on stderr, `--help`/`-h`/`help` lists
 * them on stdout, and a known one runs with argv starting at its own name and
 * the program name set to its full path, which is how GOption's --help
 * names it. This file knows no command; the tables live with the commands. */
#include "commands.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

static void
usage (FILE *out, const char *path, const XnCommand *cmds, gsize n_cmds, const char *footer)
{
	int width = 0;

	for (gsize i = 0; i < n_cmds; i++)
		width = MAX (width, (int) strlen (cmds[i].name));
	fprintf (out, "usage: %s COMMAND [ARGS...]\n\ncommands:\n", path);
	for (gsize i = 0; i < n_cmds; i++)
		fprintf (out, "  %-*s  %s\n", width, cmds[i].name, cmds[i].summary);
	if (footer != NULL)
		fprintf (out, "\n%s\n", footer);
}

int
xn_cli_dispatch (const char *path, const XnCommand *cmds, gsize n_cmds, const char *footer,
		 int argc, char **argv)
{
	if (argc < 2) {
		usage (stderr, path, cmds, n_cmds, footer);
		return XN_EXIT_USAGE;
	}
	if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0) {
		usage (stdout, path, cmds, n_cmds, footer);
		return XN_EXIT_OK;
	}
	for (gsize i = 0; i < n_cmds; i++) {
		if (strcmp (argv[1], cmds[i].name) == 0) {
			g_autofree char *prgname = g_strdup_printf ("%s %s", path, argv[1]);

			g_set_prgname (prgname);
			return cmds[i].run (argc - 1, argv + 1);
		}
	}
	fprintf (stderr, "%s: unknown command '%s'\n", path, argv[1]);
	usage (stderr, path, cmds, n_cmds, footer);
	return XN_EXIT_USAGE;
}
