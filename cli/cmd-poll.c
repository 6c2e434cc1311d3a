/* cmd-poll.c — `extranoc poll [--yang-dir DIR] [--json] -c FILE... NODE [FILE...]`
 *
 * Loads the configuration the way the daemons do (lib/config.h: inventory,
 * policy and secrets files, given with -c or after the node's name), polls
 * the one node once with the poller's own engine (poller/engine.h), and
 * prints what it saw: for people, the system fields, round trip, CPU and
 * memory and a table of interfaces; with --json, the whole sample for
 * machines. Exit 0 when the agent answered, 1 when it did not (timeout,
 * authentication failure, an unusable answer) or the configuration or node
 * is wrong, 2 on a usage error.
 *
 * Everything the agent sent is data, not text to trust: on the terminal a
 * control character, an invalid UTF-8 byte or an invisible format character
 * (a bidi override) in sysDescr, ifName or ifAlias is shown escaped (\xNN,
 * \u{NNNN}); the JSON keeps the exact bytes (strings JSON-escaped, invalid
 * UTF-8 as U+FFFD, and ifAlias also as hex). Nothing is interpreted. */
#include "xn-paths.h"
#include "commands.h"
#include "config.h"
#include "engine.h"
#include "snmp-session.h"
#include "xn-time.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

typedef struct {
	GMainLoop    *loop;
	XnNodeSample *sample;
} PollRun;

static void
on_sample (XnNodeSample *sample, gpointer user_data)
{
	PollRun *run = user_data;

	run->sample = sample;
	g_main_loop_quit (run->loop);
}

/* For the terminal: printable text as it is, the rest escaped. */
static void
append_escaped (GString *out, const char *bytes, gsize len)
{
	const char *p = bytes, *end = bytes + len;

	while (p < end) {
		guchar c = (guchar) *p;
		gunichar u;

		if (c == '\\') {
			g_string_append (out, "\\\\");
			p++;
		} else if (c < 0x20 || c == 0x7f) {
			g_string_append_printf (out, "\\x%02x", c);
			p++;
		} else if (c < 0x80) {
			g_string_append_c (out, (char) c);
			p++;
		} else if ((u = g_utf8_get_char_validated (p, end - p)) >= 0x80 && u < 0x110000) {
			GUnicodeType t = g_unichar_type (u);
			const char *next = g_utf8_next_char (p);

			if (t == G_UNICODE_CONTROL || t == G_UNICODE_FORMAT || t == G_UNICODE_UNASSIGNED ||
			    t == G_UNICODE_LINE_SEPARATOR || t == G_UNICODE_PARAGRAPH_SEPARATOR)
				g_string_append_printf (out, "\\u{%04X}", u);
			else
				g_string_append_len (out, p, next - p);
			p = next;
		} else {
			g_string_append_printf (out, "\\x%02x", c);
			p++;
		}
	}
}

static char *
escaped (const char *text, gsize len)
{
	GString *out = g_string_sized_new (len + 8);

	append_escaped (out, text, len);
	return g_string_free (out, FALSE);
}

/* A JSON string: valid UTF-8 kept, controls as \u00XX, invalid bytes as U+FFFD. */
static void
json_string (GString *out, const char *bytes, gsize len)
{
	const char *p = bytes, *end = bytes + len;

	g_string_append_c (out, '"');
	while (p < end) {
		guchar c = (guchar) *p;
		gunichar u;

		if (c == '"' || c == '\\') {
			g_string_append_c (out, '\\');
			g_string_append_c (out, (char) c);
			p++;
		} else if (c < 0x20 || c == 0x7f) {
			g_string_append_printf (out, "\\u%04x", c);
			p++;
		} else if (c < 0x80) {
			g_string_append_c (out, (char) c);
			p++;
		} else if ((u = g_utf8_get_char_validated (p, end - p)) >= 0x80 && u < 0x110000) {
			const char *next = g_utf8_next_char (p);

			g_string_append_len (out, p, next - p);
			p = next;
		} else {
			g_string_append (out, "\\ufffd");
			p++;
		}
	}
	g_string_append_c (out, '"');
}

static void
json_field (GString *out, const char *key, const char *bytes, gsize len)
{
	g_string_append_printf (out, ",\"%s\":", key);
	json_string (out, bytes, len);
}

static const char *
version_name (XnSnmpVersion version)
{
	return version == XN_SNMP_V1 ? "v1" : version == XN_SNMP_V2C ? "v2c" : "v3";
}

static const char *
result_name (XnPollResult result)
{
	switch (result) {
	case XN_POLL_OK:          return "ok";
	case XN_POLL_TIMEOUT:     return "timeout";
	case XN_POLL_AUTH_FAILED: return "auth-failed";
	case XN_POLL_ERROR:       return "error";
	}
	return "error";
}

static const char *
status_name (guint8 status)
{
	static const char *const names[] = { "?", "up", "down", "testing", "unknown", "dormant",
					     "notPresent", "lowerLayerDown" };

	return status < G_N_ELEMENTS (names) ? names[status] : "?";
}

static void
json_interface (GString *out, const XnIfSample *ifs)
{
	g_string_append_printf (out, "{\"if_index\":%u", ifs->if_index);
	if (ifs->have & XN_IF_HAVE_NAME)
		json_field (out, "name", ifs->name, strlen (ifs->name));
	if (ifs->have & XN_IF_HAVE_ALIAS) {
		json_field (out, "alias", ifs->alias, ifs->alias_len);
		g_string_append (out, ",\"alias_hex\":\"");
		for (gsize i = 0; i < ifs->alias_len; i++)
			g_string_append_printf (out, "%02x", (guchar) ifs->alias[i]);
		g_string_append_c (out, '"');
	}
	if (ifs->have & XN_IF_HAVE_OPER)
		g_string_append_printf (out, ",\"oper_status\":\"%s\"", status_name (ifs->oper_status));
	if (ifs->have & XN_IF_HAVE_ADMIN)
		g_string_append_printf (out, ",\"admin_status\":\"%s\"", status_name (ifs->admin_status));
	if (ifs->have & XN_IF_HAVE_SPEED)
		g_string_append_printf (out, ",\"speed_bps\":%" G_GUINT64_FORMAT, ifs->speed_bps);
	if (ifs->have & (XN_IF_HAVE_HC_OCTETS | XN_IF_HAVE_OCTETS32))
		g_string_append_printf (out, ",\"counter_bits\":%d,\"in_octets\":%" G_GUINT64_FORMAT
					",\"out_octets\":%" G_GUINT64_FORMAT,
					(ifs->have & XN_IF_HAVE_HC_OCTETS) ? 64 : 32, ifs->in_octets, ifs->out_octets);
	if (ifs->have & XN_IF_HAVE_UCAST)
		g_string_append_printf (out, ",\"in_ucast\":%" G_GUINT64_FORMAT ",\"out_ucast\":%" G_GUINT64_FORMAT,
					ifs->in_ucast, ifs->out_ucast);
	if (ifs->have & XN_IF_HAVE_ERRORS)
		g_string_append_printf (out, ",\"in_errors\":%" G_GUINT64_FORMAT ",\"out_errors\":%" G_GUINT64_FORMAT,
					ifs->in_errors, ifs->out_errors);
	if (ifs->have & XN_IF_HAVE_DISCARDS)
		g_string_append_printf (out, ",\"in_discards\":%" G_GUINT64_FORMAT ",\"out_discards\":%"
					G_GUINT64_FORMAT, ifs->in_discards, ifs->out_discards);
	g_string_append_c (out, '}');
}

static char *
sample_to_json (const XnNodeSample *s, const XnNode *node)
{
	GString *out = g_string_new ("{");
	g_autofree char *started = xn_time_format_utc (s->started);
	g_autofree char *finished = xn_time_format_utc (s->finished);

	g_string_append (out, "\"node\":");
	json_string (out, s->node, strlen (s->node));
	json_field (out, "address", node->management_address, strlen (node->management_address));
	g_string_append_printf (out, ",\"port\":%u,\"version\":\"%s\",\"result\":\"%s\"", node->snmp->port,
				version_name (node->snmp->version), result_name (s->result));
	if (s->error != NULL)
		json_field (out, "error", s->error, strlen (s->error));
	if (s->incomplete != NULL)
		json_field (out, "incomplete", s->incomplete, strlen (s->incomplete));
	g_string_append_printf (out, ",\"started\":\"%s\",\"finished\":\"%s\"", started, finished);
	if (s->response_us >= 0)
		g_string_append_printf (out, ",\"response_us\":%" G_GINT64_FORMAT, s->response_us);
	g_string_append_printf (out, ",\"used_getnext\":%s", s->used_getnext ? "true" : "false");
	if (s->have & XN_NODE_HAVE_UPTIME)
		g_string_append_printf (out, ",\"sys_uptime\":%u", s->sys_uptime);
	if (s->have & XN_NODE_HAVE_NAME)
		json_field (out, "sys_name", s->sys_name, strlen (s->sys_name));
	if (s->have & XN_NODE_HAVE_DESCR)
		json_field (out, "sys_descr", s->sys_descr, strlen (s->sys_descr));
	if (s->have & XN_NODE_HAVE_CPU)
		g_string_append_printf (out, ",\"cpu_percent\":%.2f", s->cpu_percent);
	if (s->have & XN_NODE_HAVE_MEMORY)
		g_string_append_printf (out, ",\"mem_used_bytes\":%" G_GUINT64_FORMAT ",\"mem_total_bytes\":%"
					G_GUINT64_FORMAT, s->mem_used_bytes, s->mem_total_bytes);
	g_string_append (out, ",\"interfaces\":[");
	for (guint i = 0; i < s->interfaces->len; i++) {
		if (i > 0)
			g_string_append_c (out, ',');
		json_interface (out, &g_array_index (s->interfaces, XnIfSample, i));
	}
	g_string_append (out, "]}\n");
	return g_string_free (out, FALSE);
}

static char *
number_or_dash (gboolean present, guint64 value)
{
	return present ? g_strdup_printf ("%" G_GUINT64_FORMAT, value) : g_strdup ("-");
}

static char *
speed_text (const XnIfSample *ifs)
{
	guint64 bps = ifs->speed_bps;

	if (!(ifs->have & XN_IF_HAVE_SPEED))
		return g_strdup ("-");
	if (bps >= 1000000000 && bps % 1000000000 == 0)
		return g_strdup_printf ("%" G_GUINT64_FORMAT "G", bps / 1000000000);
	if (bps >= 1000000 && bps % 1000000 == 0)
		return g_strdup_printf ("%" G_GUINT64_FORMAT "M", bps / 1000000);
	return g_strdup_printf ("%" G_GUINT64_FORMAT, bps);
}

static void
print_interfaces (const XnNodeSample *s)
{
	printf ("\n%-7s  %-16s %-6s %-6s %6s %3s %14s %14s %12s %12s %7s %7s %7s %7s  %s\n", "ifIndex", "ifName",
		"oper", "admin", "speed", "bit", "in-octets", "out-octets", "in-ucast", "out-ucast", "in-err",
		"out-err", "in-disc", "out-disc", "ifAlias");
	for (guint i = 0; i < s->interfaces->len; i++) {
		const XnIfSample *f = &g_array_index (s->interfaces, XnIfSample, i);
		guint32 h = f->have;
		gboolean octets = (h & (XN_IF_HAVE_HC_OCTETS | XN_IF_HAVE_OCTETS32)) != 0;
		g_autofree char *name = (h & XN_IF_HAVE_NAME) ? escaped (f->name, strlen (f->name)) : g_strdup ("-");
		g_autofree char *alias = (h & XN_IF_HAVE_ALIAS) ? escaped (f->alias, f->alias_len) : g_strdup ("-");
		g_autofree char *speed = speed_text (f);
		g_autofree char *io = number_or_dash (octets, f->in_octets);
		g_autofree char *oo = number_or_dash (octets, f->out_octets);
		g_autofree char *iu = number_or_dash (h & XN_IF_HAVE_UCAST, f->in_ucast);
		g_autofree char *ou = number_or_dash (h & XN_IF_HAVE_UCAST, f->out_ucast);
		g_autofree char *ie = number_or_dash (h & XN_IF_HAVE_ERRORS, f->in_errors);
		g_autofree char *oe = number_or_dash (h & XN_IF_HAVE_ERRORS, f->out_errors);
		g_autofree char *id = number_or_dash (h & XN_IF_HAVE_DISCARDS, f->in_discards);
		g_autofree char *od = number_or_dash (h & XN_IF_HAVE_DISCARDS, f->out_discards);

		printf ("%-7u  %-16s %-6s %-6s %6s %3s %14s %14s %12s %12s %7s %7s %7s %7s  %s\n", f->if_index, name,
			(h & XN_IF_HAVE_OPER) ? status_name (f->oper_status) : "-",
			(h & XN_IF_HAVE_ADMIN) ? status_name (f->admin_status) : "-", speed,
			(h & XN_IF_HAVE_HC_OCTETS) ? "64" : (h & XN_IF_HAVE_OCTETS32) ? "32" : "-",
			io, oo, iu, ou, ie, oe, id, od, alias);
	}
}

static void
print_text (const XnNodeSample *s, const XnNode *node)
{
	g_autofree char *label = g_strdup_printf (strchr (node->management_address, ':') ? "%s ([%s]:%u)" : "%s (%s:%u)",
						  s->node, node->management_address, node->snmp->port);

	printf ("%s answered %s in %.1f ms, walked with %s\n", label, xn_snmp_version_to_string (node->snmp->version),
		s->response_us / 1000.0, node->snmp->version == XN_SNMP_V1 ? "GETNEXT (SNMPv1)" :
		s->used_getnext ? "GETNEXT (the agent misbehaves with GETBULK)" : "GETBULK");
	if (s->have & XN_NODE_HAVE_NAME) {
		g_autofree char *t = escaped (s->sys_name, strlen (s->sys_name));

		printf ("  sysName     %s\n", t);
	}
	if (s->have & XN_NODE_HAVE_DESCR) {
		g_autofree char *t = escaped (s->sys_descr, strlen (s->sys_descr));

		printf ("  sysDescr    %s\n", t);
	}
	if (s->have & XN_NODE_HAVE_UPTIME) {
		guint32 t = s->sys_uptime;

		printf ("  sysUpTime   %u days %02u:%02u:%02u.%02u\n", t / 8640000, t / 360000 % 24, t / 6000 % 60,
			t / 100 % 60, t % 100);
	}
	if (s->have & XN_NODE_HAVE_CPU)
		printf ("  cpu         %.1f %% (mean of hrProcessorLoad)\n", s->cpu_percent);
	else
		printf ("  cpu         - (no hrProcessorLoad)\n");
	if (s->have & XN_NODE_HAVE_MEMORY) {
		g_autofree char *used = g_format_size_full (s->mem_used_bytes, G_FORMAT_SIZE_IEC_UNITS);
		g_autofree char *total = g_format_size_full (s->mem_total_bytes, G_FORMAT_SIZE_IEC_UNITS);

		printf ("  memory      %s of %s used\n", used, total);
	} else {
		printf ("  memory      - (no hrStorageRam)\n");
	}
	if (s->incomplete != NULL)
		printf ("  incomplete  %s\n", s->incomplete);
	printf ("  interfaces  %u\n", s->interfaces->len);
	if (s->interfaces->len > 0)
		print_interfaces (s);
}

/* The engine logs an agent's misbehaviour (GETNEXT fallback, a bad value)
 * once: here it is a note for the person at the terminal. */
static GLogWriterOutput
log_to_stderr (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
	if (level & (G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR))
		return g_log_writer_default (level, fields, n_fields, user_data);
	for (gsize i = 0; i < n_fields; i++) {
		if (strcmp (fields[i].key, "MESSAGE") == 0) {
			fprintf (stderr, "extranoc poll: %s%s\n",
				 (level & G_LOG_LEVEL_WARNING) ? "warning: " : "note: ",
				 (const char *) fields[i].value);
			break;
		}
	}
	return G_LOG_WRITER_HANDLED;
}

static int
usage (const char *message)
{
	if (message != NULL)
		fprintf (stderr, "extranoc poll: %s\n", message);
	fprintf (stderr, "usage: extranoc poll [--yang-dir DIR] [--json] -c FILE [-c FILE]... NODE [FILE...]\n");
	return XN_EXIT_USAGE;
}

static int
poll_node (const XnConfig *config, const char *name, gboolean json)
{
	const XnNode *node = xn_inventory_node_by_name (xn_config_get_inventory (config), name);
	g_autoptr(GError) error = NULL;
	g_autoptr(XnSnmpEngine) engine = NULL;
	g_autoptr(GMainLoop) loop = NULL;
	g_autoptr(XnNodeSample) sample = NULL;
	PollRun run = { 0 };

	if (node == NULL) {
		fprintf (stderr, "extranoc poll: no node '%s' in the inventory\n", name);
		return XN_EXIT_FAILED;
	}
	if (node->snmp == NULL) {
		fprintf (stderr, "extranoc poll: node '%s' (%s) has no SNMP endpoint\n", name, node->management_address);
		return XN_EXIT_FAILED;
	}
	engine = xn_snmp_engine_new (NULL, xn_config_get_secrets (config), 1, &error);
	if (engine == NULL) {
		fprintf (stderr, "extranoc poll: %s\n", error->message);
		return XN_EXIT_FAILED;
	}
	g_log_set_writer_func (log_to_stderr, NULL, NULL);
	loop = g_main_loop_new (NULL, FALSE);
	run.loop = loop;
	xn_snmp_engine_poll (engine, node, on_sample, &run);
	g_main_loop_run (loop);
	sample = g_steal_pointer (&run.sample);

	if (json) {
		g_autofree char *text = sample_to_json (sample, node);

		fputs (text, stdout);
	} else if (sample->result == XN_POLL_OK) {
		print_text (sample, node);
	}
	if (sample->result != XN_POLL_OK) {
		fprintf (stderr, "extranoc poll: %s\n", sample->error);
		return XN_EXIT_FAILED;
	}
	return XN_EXIT_OK;
}

int
xn_cmd_poll (int argc, char **argv)
{
	g_autofree char *yang_dir = NULL;
	g_auto(GStrv) configs = NULL;
	g_auto(GStrv) rest = NULL;
	gboolean json = FALSE;
	GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME_ARRAY, &configs,
		  "An inventory, policy or secrets file (repeat for each)", "FILE" },
		{ "yang-dir", 0, 0, G_OPTION_ARG_FILENAME, &yang_dir,
		  "Directory of the YANG modules (default: $EXTRANOC_YANG_DIR, else " XN_DEFAULT_YANG_DIR ")", "DIR" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the sample as JSON", NULL },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, "NODE [FILE...]" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) options = g_option_context_new (NULL);
	g_autoptr(GPtrArray) files = g_ptr_array_new ();
	g_autoptr(GError) error = NULL;
	g_autoptr(XnConfig) config = NULL;

	g_option_context_set_summary (options,
		"Poll one node of the inventory once over SNMP, as the poller does, and print\n"
		"what its agent said. Configuration files come with -c or after NODE.");
	g_option_context_add_main_entries (options, entries, NULL);
	if (!g_option_context_parse (options, &argc, &argv, &error))
		return usage (error->message);
	if (rest == NULL || rest[0] == NULL)
		return usage ("which node?");
	for (guint i = 0; configs != NULL && configs[i] != NULL; i++)
		g_ptr_array_add (files, configs[i]);
	for (guint i = 1; rest[i] != NULL; i++)
		g_ptr_array_add (files, rest[i]);
	if (files->len == 0)
		return usage ("no configuration file (-c FILE)");
	g_ptr_array_add (files, NULL);
	if (yang_dir == NULL)
		yang_dir = xn_config_default_yang_dir ();

	config = xn_config_load (yang_dir, (const char *const *) files->pdata, &error);
	if (config == NULL) {
		fprintf (stderr, "extranoc poll: %s\n", error->message);
		return XN_EXIT_FAILED;
	}
	return poll_node (config, rest[0], json);
}
