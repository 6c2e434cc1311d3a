/* cmd-config.c — `extranoc check-config [--yang-dir DIR] [--format json|xml] FILE...`
 *
 * Loads the files the way the daemons do (lib/config.h) and either prints
 * the normalised configuration to stdout (exit 0) or every problem to
 * stderr as FILE:LINE: PATH: MESSAGE, sorted, and exits 1. Secret values
 * never reach either stream: the library redacts them. This file only
 * parses options and prints. */
#include "xn-paths.h"
#include "commands.h"
#include "config.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

int
xn_cmd_check_config (int argc, char **argv)
{
	g_autofree char *yang_dir = NULL;
	g_autofree char *format = NULL;
	g_auto(GStrv) files = NULL;
	GOptionEntry entries[] = {
		{ "yang-dir", 0, 0, G_OPTION_ARG_FILENAME, &yang_dir,
		  "Directory of the YANG modules (default: $EXTRANOC_YANG_DIR, else " XN_DEFAULT_YANG_DIR ")", "DIR" },
		{ "format", 0, 0, G_OPTION_ARG_STRING, &format, "Print the configuration as json (default) or xml", "FORMAT" },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE..." },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) options = g_option_context_new ("FILE...");
	g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_config_problem_free);
	g_autoptr(GError) error = NULL;
	g_autoptr(XnConfig) config = NULL;
	g_autofree char *text = NULL;
	XnConfigFormat out = XN_CONFIG_FORMAT_JSON;

	g_option_context_set_summary (options,
		"Validate inventory, policy and secrets files together and print the\n"
		"configuration with every default filled in; or print every problem.");
	g_option_context_add_main_entries (options, entries, NULL);
	if (!g_option_context_parse (options, &argc, &argv, &error)) {
		fprintf (stderr, "extranoc check-config: %s\n", error->message);
		return XN_EXIT_USAGE;
	}
	if (format != NULL && strcmp (format, "xml") == 0) {
		out = XN_CONFIG_FORMAT_XML;
	} else if (format != NULL && strcmp (format, "json") != 0) {
		fprintf (stderr, "extranoc check-config: --format must be json or xml, not '%s'\n", format);
		return XN_EXIT_USAGE;
	}
	if (files == NULL || files[0] == NULL) {
		fprintf (stderr, "usage: extranoc check-config [--yang-dir DIR] [--format json|xml] FILE...\n");
		return XN_EXIT_USAGE;
	}
	if (yang_dir == NULL)
		yang_dir = xn_config_default_yang_dir ();

	config = xn_config_check (yang_dir, (const char *const *) files, problems, &error);
	if (config == NULL) {
		for (guint i = 0; i < problems->len; i++) {
			g_autofree char *line = xn_config_problem_to_string (g_ptr_array_index (problems, i));

			fprintf (stderr, "%s\n", line);
		}
		/* The problem lines say it all; a summary would only be noise
		 * for tools (and tests) reading them. */
		if (problems->len == 0)
			fprintf (stderr, "extranoc check-config: %s\n", error->message);
		return XN_EXIT_FAILED;
	}
	text = xn_config_print (config, out, &error);
	if (text == NULL) {
		fprintf (stderr, "extranoc check-config: %s\n", error->message);
		return XN_EXIT_FAILED;
	}
	fputs (text, stdout);
	if (*text == '\0' || text[strlen (text) - 1] != '\n')
		fputc ('\n', stdout);
	return XN_EXIT_OK;
}
