/* daemon-conf.c — reading, validating and printing extranoc.conf.
 *
 * A table names every key with its type, range and default; the file is read
 * with GKeyFile and then checked against the table, so a mistyped key or
 * group is an error rather than a setting silently ignored, and every
 * problem is reported at once with its line. GKeyFile keeps no line numbers,
 * so they come from a scan of the text for the group header and key. Paths
 * in the file are relative to the file's own directory, so a configuration
 * directory can be moved whole; the collector's trap address is checked
 * and normalised here (literal addresses only, so a check never waits for
 * DNS). This file does not load the inventory: the daemon does that with
 * config.h, from the paths given here. */
#include "xn-paths.h"
#include "daemon-conf.h"
#include "xn-error.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>

typedef enum {
	KEY_STRING,
	KEY_PATH,
	KEY_PATH_LIST,
	KEY_UINT,
	KEY_LEVEL,
	KEY_LISTEN,
	/* the outbox's delivery settings */
	KEY_SMTP_URL,
	KEY_MAILBOX,
	KEY_STARTTLS,
} KeyType;

typedef struct {
	const char *group;
	const char *key;
	KeyType type;
	gsize offset;
	const char *default_value;     /* NULL: unset unless given */
	guint min, max;                /* KEY_UINT */
	gboolean required;
} KeySpec;

#define FIELD(f) offsetof (XnDaemonConf, f)

static const KeySpec keys[] = {
	{ "extranoc", "config",            KEY_PATH_LIST, FIELD (config_files),      NULL,      0, 0, TRUE },
	{ "extranoc", "yang-dir",          KEY_PATH,      FIELD (yang_dir),          NULL,      0, 0, FALSE },
	{ "extranoc", "journal",           KEY_PATH,      FIELD (journal),           XN_DEFAULT_JOURNAL, 0, 0, FALSE },
	{ "extranoc", "log-level",         KEY_LEVEL,     FIELD (log_level),         "info",    0, 0, FALSE },
	{ "poller",   "group",             KEY_STRING,    FIELD (poller_group),      "default", 0, 0, FALSE },
	{ "poller",   "rrd-dir",           KEY_PATH,      FIELD (rrd_dir),           NULL,      0, 0, FALSE },
	{ "poller",   "rrdcached",         KEY_STRING,    FIELD (rrdcached),         NULL,      0, 0, FALSE },
	{ "poller",   "window",            KEY_UINT,      FIELD (window),            "256",     1, 65536, FALSE },
	{ "poller",   "unreachable-after", KEY_UINT,      FIELD (unreachable_after), "2",       1, 100, FALSE },
	{ "poller",   "failing-repoll",    KEY_UINT,      FIELD (failing_repoll),    "30",      5, 3600, FALSE },
	{ "poller",   "jitter",            KEY_UINT,      FIELD (jitter_percent),    "90",      0, 100, FALSE },
	{ "collector", "listen",           KEY_LISTEN,    FIELD (listen),            "udp:162", 0, 0, FALSE },
	{ "collector", "rcvbuf",           KEY_UINT,      FIELD (rcvbuf),            "33554432", 0, 1 << 30, FALSE },
	{ "collector", "storm-rate",       KEY_UINT,      FIELD (storm_rate),        "200",     1, 1000000, FALSE },
	{ "collector", "storm-window",     KEY_UINT,      FIELD (storm_window_s),    "10",      1, 300, FALSE },
	{ "collector", "storm-summary",    KEY_UINT,      FIELD (storm_summary_s),   "60",      1, 3600, FALSE },
	{ "collector", "mibs-dir",         KEY_PATH,      FIELD (mibs_dir),          NULL,      0, 0, FALSE },
	{ "collector", "verify-delay",     KEY_UINT,      FIELD (verify_delay_s),    "5",       0, 600, FALSE },
	{ "collector", "verify-interval",  KEY_UINT,      FIELD (verify_interval_s), "60",      1, 86400, FALSE },
	{ "collector", "verify-give-up",   KEY_UINT,      FIELD (verify_give_up_s),  "86400",   1, 2592000, FALSE },
	{ "collector", "verify-window",    KEY_UINT,      FIELD (verify_window),     "16",      0, 1024, FALSE },
	/* delivery of the outbox to the carriers (collector/dispatch.c) */
	{ "collector", "smtp-relay",       KEY_SMTP_URL,  FIELD (smtp_relay),        NULL,      0, 0, FALSE },
	{ "collector", "smtp-from",        KEY_MAILBOX,   FIELD (smtp_from),         NULL,      0, 0, FALSE },
	{ "collector", "smtp-starttls",    KEY_STARTTLS,  FIELD (smtp_starttls),     "try",     0, 0, FALSE },
	{ "collector", "ca-file",          KEY_PATH,      FIELD (ca_file),           NULL,      0, 0, FALSE },
	{ "collector", "send-timeout",     KEY_UINT,      FIELD (send_timeout_s),    "60",      5, 600, FALSE },
	{ "collector", "retry-first",      KEY_UINT,      FIELD (retry_first_s),     "30",      1, 3600, FALSE },
	{ "collector", "retry-max",        KEY_UINT,      FIELD (retry_max_s),       "3600",    1, 86400, FALSE },
	{ "collector", "outbox-horizon",   KEY_UINT,      FIELD (outbox_horizon_s),  "259200",  60, 31536000, FALSE },
};

static const char *const levels[] = { "error", "warning", "info", "debug", NULL };
/* The outbox's delivery settings. */
static const char *const starttls_policies[] = { "try", "required", NULL };

/* [collector] smtp-relay: an SMTP URL libcurl takes, without a login (that
 * belongs in the secrets). */
static gboolean
check_smtp_url (const char *value, char **why)
{
	const char *host = NULL;

	if (g_str_has_prefix (value, "smtp://"))
		host = value + strlen ("smtp://");
	else if (g_str_has_prefix (value, "smtps://"))
		host = value + strlen ("smtps://");
	if (host == NULL || *host == '\0' || *host == '/' || *host == ':') {
		*why = g_strdup_printf ("'%s' is not an SMTP URL (smtp://HOST[:PORT] or smtps://HOST[:PORT])", value);
		return FALSE;
	}
	for (const char *p = host; *p != '\0'; p++) {
		if (*p == '@') {
			*why = g_strdup_printf ("'%s': a login does not belong in the URL: name a login of the secrets "
						"in the carrier's smtp-credential", value);
			return FALSE;
		}
		if ((guchar) *p <= ' ' || (guchar) *p == 0x7f) {
			*why = g_strdup_printf ("'%s' is not an SMTP URL (a space or control character)", value);
			return FALSE;
		}
	}
	return TRUE;
}

/* [collector] smtp-from: a bare address (local@domain), as the envelope
 * takes it and as it goes into the From: header unchanged. */
static gboolean
check_mailbox (const char *value, char **why)
{
	const char *at = strchr (value, '@');

	for (const char *p = value; *p != '\0'; p++) {
		if ((guchar) *p <= ' ' || (guchar) *p >= 0x7f || strchr ("<>()[],;:\\\"", *p) != NULL) {
			*why = g_strdup_printf ("'%s' is not a bare e-mail address (local@domain: ASCII, no spaces, "
						"no display name)", value);
			return FALSE;
		}
	}
	if (at == NULL || at == value || at[1] == '\0' || strchr (at + 1, '@') != NULL) {
		*why = g_strdup_printf ("'%s' is not an e-mail address (local@domain)", value);
		return FALSE;
	}
	return TRUE;
}

/* The line of `[group]` (key NULL) or of `key =` inside it; 0 if not found. */
static guint
find_line (const char *data, const char *group, const char *key)
{
	g_auto(GStrv) lines = g_strsplit (data, "\n", -1);
	gboolean in_group = FALSE;

	for (guint i = 0; lines[i] != NULL; i++) {
		const char *l = lines[i];

		while (*l == ' ' || *l == '\t')
			l++;
		if (*l == '[') {
			gsize n = strlen (group);

			in_group = strncmp (l + 1, group, n) == 0 && l[1 + n] == ']';
			if (in_group && key == NULL)
				return i + 1;
			continue;
		}
		if (in_group && key != NULL) {
			gsize n = strlen (key);

			if (strncmp (l, key, n) == 0 && (l[n] == '=' || l[n] == ' ' || l[n] == '\t'))
				return i + 1;
		}
	}
	return 0;
}

static void
problem (GString *out, const char *path, const char *data, const char *group, const char *key,
	 const char *fmt, ...) G_GNUC_PRINTF (6, 7);

static void
problem (GString *out, const char *path, const char *data, const char *group, const char *key,
	 const char *fmt, ...)
{
	va_list ap;
	guint line = find_line (data, group, key);

	if (out->len > 0)
		g_string_append_c (out, '\n');
	/* a missing required key has no line of its own */
	if (line > 0)
		g_string_append_printf (out, "%s:%u: ", path, line);
	else
		g_string_append_printf (out, "%s: ", path);
	g_string_append_printf (out, "[%s]%s%s: ", group, key != NULL ? " " : "", key != NULL ? key : "");
	va_start (ap, fmt);
	g_string_append_vprintf (out, fmt, ap);
	va_end (ap);
}

static const KeySpec *
find_spec (const char *group, const char *key)
{
	for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
		if (strcmp (keys[i].group, group) == 0 && (key == NULL || strcmp (keys[i].key, key) == 0))
			return &keys[i];
	return NULL;
}

static char *
resolve_path (const char *base_dir, const char *value)
{
	if (g_path_is_absolute (value))
		return g_strdup (value);
	return g_build_filename (base_dir, value, NULL);
}

/* Stores `value` (the file's or the default) into conf; FALSE with a
 * message in `why` when it does not fit the key's type. */
static gboolean
set_value (XnDaemonConf *conf, const KeySpec *spec, const char *value, const char *base_dir,
	   char **why)
{
	gpointer field = (char *) conf + spec->offset;
	guint64 n;

	switch (spec->type) {
	case KEY_STRING:
		if (*value == '\0') {
			*why = g_strdup ("must not be empty");
			return FALSE;
		}
		*(char **) field = g_strdup (value);
		return TRUE;
	case KEY_PATH:
		if (*value == '\0') {
			*why = g_strdup ("must not be empty");
			return FALSE;
		}
		*(char **) field = resolve_path (base_dir, value);
		return TRUE;
	case KEY_PATH_LIST: {
		g_auto(GStrv) parts = g_strsplit (value, ";", -1);
		g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

		for (guint i = 0; parts[i] != NULL; i++) {
			g_strstrip (parts[i]);
			if (*parts[i] != '\0')
				g_ptr_array_add (paths, resolve_path (base_dir, parts[i]));
		}
		if (paths->len == 0) {
			*why = g_strdup ("names no file");
			return FALSE;
		}
		g_ptr_array_add (paths, NULL);
		*(char ***) field = (char **) g_ptr_array_free (g_steal_pointer (&paths), FALSE);
		return TRUE;
	}
	case KEY_UINT:
		if (!g_ascii_string_to_unsigned (value, 10, spec->min, spec->max, &n, NULL)) {
			*why = g_strdup_printf ("'%s' is not a whole number from %u to %u", value, spec->min, spec->max);
			return FALSE;
		}
		*(guint *) field = (guint) n;
		return TRUE;
	case KEY_LEVEL:
		if (!g_strv_contains (levels, value)) {
			*why = g_strdup_printf ("'%s' is not one of error, warning, info, debug", value);
			return FALSE;
		}
		*(char **) field = g_strdup (value);
		return TRUE;
	case KEY_LISTEN:
		*(char **) field = xn_daemon_conf_normalise_listen (value, why);
		return *(char **) field != NULL;
	case KEY_SMTP_URL:
		if (!check_smtp_url (value, why))
			return FALSE;
		*(char **) field = g_strdup (value);
		return TRUE;
	case KEY_MAILBOX:
		if (!check_mailbox (value, why))
			return FALSE;
		*(char **) field = g_strdup (value);
		return TRUE;
	case KEY_STARTTLS:
		if (!g_strv_contains (starttls_policies, value)) {
			*why = g_strdup_printf ("'%s' is not one of try, required", value);
			return FALSE;
		}
		*(char **) field = g_strdup (value);
		return TRUE;
	}
	g_assert_not_reached ();
}

static void
check_unknown (GKeyFile *kf, const char *path, const char *data, GString *problems)
{
	g_auto(GStrv) groups = g_key_file_get_groups (kf, NULL);

	for (guint g = 0; groups[g] != NULL; g++) {
		g_auto(GStrv) names = NULL;

		if (find_spec (groups[g], NULL) == NULL) {
			problem (problems, path, data, groups[g], NULL, "unknown group (known: [extranoc], [poller], [collector])");
			continue;
		}
		names = g_key_file_get_keys (kf, groups[g], NULL, NULL);
		for (guint k = 0; names != NULL && names[k] != NULL; k++)
			if (find_spec (groups[g], names[k]) == NULL)
				problem (problems, path, data, groups[g], names[k], "unknown key");
	}
}

XnDaemonConf *
xn_daemon_conf_load_data (const char *data, const char *path, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new ();
	g_autoptr(XnDaemonConf) conf = g_new0 (XnDaemonConf, 1);
	g_autoptr(GString) problems = g_string_new (NULL);
	g_autofree char *base_dir = g_path_get_dirname (path);
	g_autoptr(GError) local = NULL;

	if (!g_key_file_load_from_data (kf, data, (gsize) -1, G_KEY_FILE_NONE, &local)) {
		g_set_error (error, XN_ERROR, XN_ERROR_CONFIG, "%s: %s", path, local->message);
		return NULL;
	}
	check_unknown (kf, path, data, problems);
	for (gsize i = 0; i < G_N_ELEMENTS (keys); i++) {
		const KeySpec *spec = &keys[i];
		g_autofree char *value = g_key_file_get_string (kf, spec->group, spec->key, NULL);
		g_autofree char *why = NULL;

		if (value == NULL && spec->required) {
			problem (problems, path, data, spec->group, spec->key, "is required");
			continue;
		}
		if (value == NULL)
			value = g_strdup (spec->default_value);
		if (value == NULL)
			continue;
		if (!set_value (conf, spec, value, base_dir, &why))
			problem (problems, path, data, spec->group, spec->key, "%s", why);
	}
	/* the outbox's backoff doubles from retry-first up to retry-max */
	if (conf->retry_first_s > 0 && conf->retry_max_s > 0 && conf->retry_max_s < conf->retry_first_s)
		problem (problems, path, data, "collector", "retry-max", "%u is less than retry-first (%u)",
			 conf->retry_max_s, conf->retry_first_s);
	if (problems->len > 0) {
		g_set_error_literal (error, XN_ERROR, XN_ERROR_CONFIG, problems->str);
		return NULL;
	}
	return g_steal_pointer (&conf);
}

XnDaemonConf *
xn_daemon_conf_load (const char *path, GError **error)
{
	g_autofree char *data = NULL;
	g_autoptr(GError) local = NULL;

	if (!g_file_get_contents (path, &data, NULL, &local)) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "%s", local->message);
		return NULL;
	}
	if (!g_utf8_validate (data, -1, NULL)) {
		g_set_error (error, XN_ERROR, XN_ERROR_CONFIG, "%s: not UTF-8 text", path);
		return NULL;
	}
	return xn_daemon_conf_load_data (data, path, error);
}

void
xn_daemon_conf_free (XnDaemonConf *conf)
{
	if (conf == NULL)
		return;
	g_strfreev (conf->config_files);
	g_free (conf->yang_dir);
	g_free (conf->journal);
	g_free (conf->log_level);
	g_free (conf->poller_group);
	g_free (conf->rrd_dir);
	g_free (conf->rrdcached);
	g_free (conf->listen);
	g_free (conf->mibs_dir);
	g_free (conf->smtp_relay);
	g_free (conf->smtp_from);
	g_free (conf->smtp_starttls);
	g_free (conf->ca_file);
	g_free (conf);
}

char *
xn_daemon_conf_print (const XnDaemonConf *conf)
{
	GString *out = g_string_new (NULL);
	const char *group = NULL;

	for (gsize i = 0; i < G_N_ELEMENTS (keys); i++) {
		const KeySpec *spec = &keys[i];
		gconstpointer field = (const char *) conf + spec->offset;

		if (group == NULL || strcmp (group, spec->group) != 0) {
			g_string_append_printf (out, "%s[%s]\n", group != NULL ? "\n" : "", spec->group);
			group = spec->group;
		}
		switch (spec->type) {
		case KEY_PATH_LIST: {
			char *const *v = *(char *const *const *) field;
			g_autofree char *joined = v != NULL ? g_strjoinv (";", (char **) v) : NULL;

			if (joined != NULL)
				g_string_append_printf (out, "%s = %s\n", spec->key, joined);
			break;
		}
		case KEY_UINT:
			g_string_append_printf (out, "%s = %u\n", spec->key, *(const guint *) field);
			break;
		default: {
			const char *v = *(const char *const *) field;

			if (v != NULL)
				g_string_append_printf (out, "%s = %s\n", spec->key, v);
			else
				g_string_append_printf (out, "# %s is not set\n", spec->key);
			break;
		}
		}
	}
	return g_string_free (out, FALSE);
}

/* "[ADDR]:PORT" or "ADDR:PORT" or "PORT" after the scheme; *host is NULL
 * for the wildcard address. */
static gboolean
split_listen (const char *rest, gboolean *v6, char **host, const char **port, char **why)
{
	const char *colon;

	*host = NULL;
	if (*rest == '[') {
		const char *close = strchr (rest, ']');

		if (close == NULL || close[1] != ':') {
			*why = g_strdup ("an IPv6 address in brackets must be followed by :PORT");
			return FALSE;
		}
		*host = g_strndup (rest + 1, (gsize) (close - rest - 1));
		*port = close + 2;
		*v6 = TRUE;
		return TRUE;
	}
	colon = strrchr (rest, ':');
	if (colon == NULL) {
		*port = rest;
		return TRUE;
	}
	*host = g_strndup (rest, (gsize) (colon - rest));
	*port = colon + 1;
	if (strchr (*host, ':') != NULL) {
		*why = g_strdup ("write an IPv6 address in brackets: udp6:[ADDRESS]:PORT");
		return FALSE;
	}
	return TRUE;
}

char *
xn_daemon_conf_normalise_listen (const char *text, char **why)
{
	g_autofree char *host = NULL;
	g_autofree char *reason = NULL;
	const char *rest = text, *port_text = NULL;
	gboolean v6 = FALSE, said_v4 = FALSE;
	char printed[INET6_ADDRSTRLEN];
	guchar bytes[sizeof (struct in6_addr)];
	guint64 port;

	if (g_str_has_prefix (rest, "udp6:")) {
		v6 = TRUE;
		rest += 5;
	} else if (g_str_has_prefix (rest, "udp:")) {
		said_v4 = TRUE;
		rest += 4;
	}
	if (!split_listen (rest, &v6, &host, &port_text, &reason)) {
		*why = g_strdup_printf ("'%s': %s", text, reason);
		return NULL;
	}
	if (said_v4 && v6) {
		*why = g_strdup_printf ("'%s': udp: is IPv4; an IPv6 address takes udp6:[ADDRESS]:PORT", text);
		return NULL;
	}
	if (!g_ascii_string_to_unsigned (port_text, 10, 1, 65535, &port, NULL)) {
		*why = g_strdup_printf ("'%s': the port must be a number from 1 to 65535", text);
		return NULL;
	}
	if (host != NULL && inet_pton (v6 ? AF_INET6 : AF_INET, host, bytes) != 1) {
		*why = g_strdup_printf ("'%s': '%s' is not an %s address (names are not looked up)", text, host,
					v6 ? "IPv6" : "IPv4");
		return NULL;
	}
	if (host == NULL)
		g_strlcpy (printed, v6 ? "::" : "0.0.0.0", sizeof printed);
	else
		inet_ntop (v6 ? AF_INET6 : AF_INET, bytes, printed, sizeof printed);
	return v6 ? g_strdup_printf ("udp6:[%s]:%u", printed, (guint) port)
		  : g_strdup_printf ("udp:%s:%u", printed, (guint) port);
}
