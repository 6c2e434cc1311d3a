/* commands.h — the command groups of the extranoc CLI.
 *
 * Each group is one function in its own cmd-*.c, called by main.c with argv
 * starting at the group's name (argv[0] = "calendar", argv[1] = subcommand…).
 * A command returns the process exit status: 0 success, 1 the input or the
 * data is wrong (validation failed, a row is bad, a year is missing),
 * 2 usage error. Errors go to stderr; output to stdout. */
#pragma once

#include <glib.h>

typedef struct {
	const char *name;
	int (*run) (int argc, char **argv);
	const char *summary;
} XnCommand;

/* Runs the entry of `cmds` named by argv[1]; `path` is how the level is called
 * ("extranoc journal"); see dispatch.c for the shared usage rules. */
int xn_cli_dispatch (const char *path, const XnCommand *cmds, gsize n_cmds, const char *footer,
		     int argc, char **argv);

int xn_cmd_check_config (int argc, char **argv);
int xn_cmd_inventory (int argc, char **argv);
int xn_cmd_calendar (int argc, char **argv);
int xn_cmd_journal (int argc, char **argv);
int xn_cmd_poll (int argc, char **argv);
int xn_cmd_replay (int argc, char **argv);
int xn_cmd_outages (int argc, char **argv);
int xn_cmd_availability (int argc, char **argv);
int xn_cmd_fault (int argc, char **argv);
int xn_cmd_ticket (int argc, char **argv);
int xn_cmd_maintenance (int argc, char **argv);

#define XN_EXIT_OK      0
#define XN_EXIT_FAILED  1
#define XN_EXIT_USAGE   2
