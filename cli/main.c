/* main.c — the extranoc operator command: dispatch to a command group.
 *
 * Nothing but wiring lives here; every group is in cli/cmd-*.c. */
#include "commands.h"

#include <glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

static const XnCommand commands[] = {
	{ "check-config", xn_cmd_check_config, "validate inventory, policy and secrets files and print them normalised" },
	{ "inventory",    xn_cmd_inventory,    "inventory tools (import-csv)" },
	{ "calendar",     xn_cmd_calendar,     "working-day calendar (is-working-day, notice-deadline, list)" },
	{ "journal",      xn_cmd_journal,      "fact journal (export, import, stats, check)" },
	{ "poll",         xn_cmd_poll,         "poll one node over SNMP once and print what it said" },
	{ "replay",       xn_cmd_replay,       "the outages and tickets at a virtual instant, from a JSON-lines journal" },
	{ "outages",      xn_cmd_outages,      "the outages extranoc-collector has derived" },
	{ "availability", xn_cmd_availability, "availability of nodes, links, units or groups in a period" },
	{ "fault",        xn_cmd_fault,        "record a fault report, its attribution, the carrier's ack, complex, restore" },
	{ "ticket",       xn_cmd_ticket,       "explain a carrier fault ticket (show) or list them" },
	{ "maintenance",  xn_cmd_maintenance,  "maintenance notices: file, approve, withdraw, list, show, letters" },
};

int
main (int argc, char **argv)
{
	setlocale (LC_ALL, "");

	if (argc >= 2 && strcmp (argv[1], "--version") == 0) {
		printf ("extranoc %s\n", PACKAGE_VERSION);
		return XN_EXIT_OK;
	}
	argv[0] = (char *) "extranoc";
	return xn_cli_dispatch ("extranoc", commands, G_N_ELEMENTS (commands), "See extranoc(1).", argc, argv);
}
