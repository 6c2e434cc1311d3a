/* test-dispatch.c — the dispatcher (collector/dispatch*.c, channel-*.c)
 * without a network peer: the backoff arithmetic; the name a message keeps
 * (spool file, Message-ID) and what it does to hostile IDs; URLs recorded
 * without their login; the e-mail as sent (RFC 2047 subject decoded back,
 * line lengths, CRLF, base64 body, headers); what delivery needs from the
 * configuration, every problem named; the spool channel's atomic file;
 * and the dispatcher's thread on a real outbox: a spool carrier served,
 * a missing directory retried with backoff until it exists (logged once
 * each way), a reload that fixes the directory applied at once, a relay
 * that refuses connections, and a stop that cuts short an attempt on a
 * relay that never answers, recorded as not delivered. The receivers
 * over SMTP and HTTP are t/t3200-outbox-delivery.sh's. */
#include "dispatch.h"
#include "dispatch-private.h"
#include "test-util.h"
#include "xn-error.h"

#include <arpa/inet.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define T0 G_GINT64_CONSTANT (1737907200000000)   /* 2025-01-26T16:00:00Z, a Sunday */
#define S  XN_USEC_PER_SEC

/* ---- the log, captured: the dispatcher's thread writes to it ---- */

static GMutex log_lock;
static GString *log_text;

static GLogWriterOutput
capture (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
	for (gsize i = 0; i < n_fields; i++) {
		if (strcmp (fields[i].key, "MESSAGE") != 0)
			continue;
		g_mutex_lock (&log_lock);
		if (level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_CRITICAL)) {
			g_string_append_printf (log_text, "%s\n", (const char *) fields[i].value);
			g_test_message ("log: %s", (const char *) fields[i].value);
		}
		g_mutex_unlock (&log_lock);
	}
	return G_LOG_WRITER_HANDLED;
}

static guint
log_count (const char *needle)
{
	guint n = 0;

	g_mutex_lock (&log_lock);
	for (const char *p = log_text->str; (p = strstr (p, needle)) != NULL; p += strlen (needle))
		n++;
	g_mutex_unlock (&log_lock);
	return n;
}

/* ---- pure parts ---- */

static void
test_backoff (void)
{
	static const struct {
		guint failures, first, max;
		gint64 seconds;
	} cases[] = {
		{ 1, 30, 3600, 30 }, { 2, 30, 3600, 60 }, { 3, 30, 3600, 120 }, { 7, 30, 3600, 1920 },
		{ 8, 30, 3600, 3600 }, { 9, 30, 3600, 3600 }, { 1000000, 30, 3600, 3600 },
		{ 0, 30, 3600, 30 }, { 1, 1, 4, 1 }, { 2, 1, 4, 2 }, { 3, 1, 4, 4 }, { 4, 1, 4, 4 },
		{ 1, 3600, 3600, 3600 }, { 40, 1, 86400, 86400 }, { G_MAXUINT, 3600, 86400, 86400 },
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
		g_assert_cmpint (xn_dispatch_backoff (cases[i].failures, cases[i].first, cases[i].max), ==,
				 cases[i].seconds * S);
}

static void
test_names (void)
{
	static const char *const cases[][3] = {
		{ "XN-000057#opened", "telecom", "XN-000057_opened.telecom" },
		{ "XN-000057-R#1", "china.mobile", "XN-000057-R_1.china_mobile" },
		{ "XN-000057#reopened-2", "unicom_1", "XN-000057_reopened-2.unicom_1" },
		/* nothing a path or a header could take for its own */
		{ "../../etc/passwd", "x", "______etc_passwd.x" },
		{ "a>b@c\r\nBcc:", "y", "a_b_c__Bcc_.y" },
		{ "工单", "z", "______.z" },
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *name = xn_dispatch_message_name (cases[i][0], cases[i][1]);

		g_assert_cmpstr (name, ==, cases[i][2]);
	}
}

static void
test_redact (void)
{
	static const char *const cases[][2] = {
		{ "https://user:secret@hooks.example/t?a@b", "https://hooks.example/t?a@b" },
		{ "smtp://relay.example:25", "smtp://relay.example:25" },
		{ "smtps://u@relay.example", "smtps://relay.example" },
		{ "http://hooks.example/p@th", "http://hooks.example/p@th" },
		{ "/var/spool/x", "/var/spool/x" },
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *got = xn_dispatch_redact_url (cases[i][0]);

		g_assert_cmpstr (got, ==, cases[i][1]);
	}
}

/* Decodes a header folded into encoded words (as a mail reader would). */
static char *
decode_header (const char *value)
{
	GString *out = g_string_new (NULL);
	const char *p = value;

	while (*p != '\0') {
		const char *end;
		gsize len = 0;
		g_autofree char *b64 = NULL;
		g_autofree guchar *bytes = NULL;

		while (*p == '\r' || *p == '\n' || *p == ' ')
			p++;
		if (*p == '\0')
			break;
		g_assert_true (g_str_has_prefix (p, "=?UTF-8?B?"));
		p += strlen ("=?UTF-8?B?");
		end = strstr (p, "?=");
		g_assert_nonnull (end);
		b64 = g_strndup (p, (gsize) (end - p));
		bytes = g_base64_decode (b64, &len);
		/* each word holds whole characters */
		g_assert_true (g_utf8_validate ((const char *) bytes, (gssize) len, NULL));
		g_string_append_len (out, (const char *) bytes, (gssize) len);
		p = end + 2;
	}
	return g_string_free (out, FALSE);
}

static void
assert_lines_short (const char *text, gsize first_used)
{
	g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);

	for (guint i = 0; lines[i] != NULL; i++) {
		g_assert_null (strchr (lines[i], '\n'));
		g_assert_null (strchr (lines[i], '\r'));
		g_assert_cmpuint (strlen (lines[i]) + (i == 0 ? first_used : 0), <=, 78);
	}
}

static void
test_encode_header (void)
{
	static const char *const subjects[] = {
		"【违约】XN-000057-R 响应超时 Response breach level 1 — 中国电信示例市分公司 东城乡镇链路 L-dong-qingshan",
		"é",
		"故障",
		"XN-000057 =?UTF-8?B?x?= looks encoded",
	};
	g_autofree char *plain = xn_mail_encode_header ("[XN-000057] Fault ticket opened", 9);
	g_autofree char *controls = xn_mail_encode_header ("a\tb\x01" "c", 9);

	g_assert_cmpstr (plain, ==, "[XN-000057] Fault ticket opened");
	g_assert_cmpstr (controls, ==, "a b c");
	for (guint i = 0; i < G_N_ELEMENTS (subjects); i++) {
		g_autofree char *encoded = xn_mail_encode_header (subjects[i], strlen ("Subject: "));
		g_autofree char *decoded = decode_header (encoded);

		assert_lines_short (encoded, strlen ("Subject: "));
		g_assert_cmpstr (decoded, ==, subjects[i]);
	}
}

static void
test_date (void)
{
	g_autofree char *sunday = xn_mail_date (T0);
	g_autofree char *march = xn_mail_date (T0 + 34 * XN_USEC_PER_DAY + 123456);

	g_assert_cmpstr (sunday, ==, "Sun, 26 Jan 2025 16:00:00 +0000");
	g_assert_cmpstr (march, ==, "Sat, 01 Mar 2025 16:00:00 +0000");
}

static XnOutboxMessage *
message (const char *event_id, const char *carrier)
{
	XnOutboxMessage *m = xn_outbox_message_new ();
	g_auto(GStrv) parts = g_strsplit (event_id, "#", 2);

	m->event_id = g_strdup (event_id);
	m->carrier = g_strdup (carrier);
	m->ticket_id = g_strdup (parts[0]);
	m->kind = g_strdup ("opened");
	m->instant = T0 - 60 * S;
	m->created = T0;
	m->subject = g_strdup_printf ("【故障工单】%s 东城乡镇链路中断 Link down", event_id);
	m->body_text = g_strdup ("工单号 Ticket ID: XN-000057\n承载运营商 Carrier: 中国电信\n\n.\n末行 last line");
	m->body_json = g_strdup_printf ("{\"event_id\":\"%s\",\"carrier\":\"%s\",\"subject\":\"链路中断\"}",
					event_id, carrier);
	return m;
}

/* The value of header `name` in `mail` (folded lines joined back). */
static char *
header (const char *mail, const char *name)
{
	g_autofree char *key = g_strdup_printf ("\r\n%s: ", name);
	g_autofree char *head = g_strconcat ("\r\n", mail, NULL);
	const char *start = strstr (head, key), *end;

	if (start == NULL)
		return NULL;
	start += strlen (key);
	end = start;
	while ((end = strstr (end, "\r\n")) != NULL && (end[2] == ' ' || end[2] == '\t'))
		end += 2;
	return g_strndup (start, end != NULL ? (gsize) (end - start) : strlen (start));
}

static void
test_compose (void)
{
	g_autoptr(XnOutboxMessage) m = message ("XN-000057#opened", "telecom");
	const char *const to[] = { "noc@telecom.example", "duty@telecom.example", NULL };
	gsize length = 0;
	g_autofree char *mail = xn_mail_compose (m, "extranoc@noc.example", to, &length);
	g_autofree char *subject = header (mail, "Subject");
	g_autofree char *decoded = subject != NULL ? decode_header (subject) : NULL;
	g_autofree char *id = header (mail, "Message-ID");
	g_autofree char *date = header (mail, "Date");
	g_autofree char *from = header (mail, "From");
	g_autofree char *rcpt = header (mail, "To");
	g_autofree char *ticket = header (mail, "X-Extranoc-Ticket");
	g_autofree char *event = header (mail, "X-Extranoc-Event");
	g_autofree char *type = header (mail, "Content-Type");
	g_autofree char *cte = header (mail, "Content-Transfer-Encoding");
	const char *body = strstr (mail, "\r\n\r\n");
	g_autoptr(GString) b64 = g_string_new (NULL);
	g_autofree guchar *text = NULL;
	gsize text_len = 0;

	g_assert_cmpuint (length, ==, strlen (mail));
	g_assert_cmpstr (decoded, ==, m->subject);
	g_assert_cmpstr (id, ==, "<XN-000057_opened.telecom@extranoc>");
	g_assert_cmpstr (date, ==, "Sun, 26 Jan 2025 16:00:00 +0000");
	g_assert_cmpstr (from, ==, "extranoc@noc.example");
	g_assert_cmpstr (rcpt, ==, "noc@telecom.example,\r\n duty@telecom.example");
	g_assert_cmpstr (ticket, ==, "XN-000057");
	g_assert_cmpstr (event, ==, "XN-000057#opened");
	g_assert_cmpstr (type, ==, "text/plain; charset=utf-8");
	g_assert_cmpstr (cte, ==, "base64");
	g_assert_true (g_str_has_prefix (mail, "Date: "));
	/* no bare LF anywhere, no line over 78 */
	for (const char *p = mail; *p != '\0'; p++)
		if (*p == '\n')
			g_assert_true (p > mail && p[-1] == '\r');
	assert_lines_short (mail, 0);
	g_assert_nonnull (body);
	for (const char *p = body + 4; *p != '\0'; p++)
		if (*p != '\r' && *p != '\n')
			g_string_append_c (b64, *p);
	text = g_base64_decode (b64->str, &text_len);
	g_assert_cmpstr ((const char *) text, ==,
			 "工单号 Ticket ID: XN-000057\r\n承载运营商 Carrier: 中国电信\r\n\r\n.\r\n末行 last line\r\n");
}

/* ---- the configuration an attempt needs ---- */

static XnCarrier *
carrier_new (const char *name, XnChannelKind kind, const char *address, const char *credential)
{
	XnCarrier *c = xn_carrier_new (name, kind);

	c->address = g_strdup (address);
	c->credential = g_strdup (credential);
	if (kind == XN_CHANNEL_SMTP)
		c->recipients = g_strsplit ("noc@carrier.example", ",", -1);
	return c;
}

static XnInventory *
inventory_of (XnCarrier *first, ...)
{
	XnInventory *inventory = xn_inventory_new ();
	va_list ap;

	va_start (ap, first);
	for (XnCarrier *c = first; c != NULL; c = va_arg (ap, XnCarrier *))
		g_assert_true (xn_inventory_add_carrier (inventory, c, NULL));
	va_end (ap);
	g_assert_true (xn_inventory_resolve (inventory, NULL));
	return inventory;
}

static XnDaemonConf *
conf_of (const char *collector)
{
	g_autofree char *text = g_strdup_printf ("[extranoc]\nconfig = x.json\n[collector]\n%s", collector);
	g_autoptr(GError) error = NULL;
	XnDaemonConf *conf = xn_daemon_conf_load_data (text, "/etc/extranoc/extranoc.conf", &error);

	g_assert_no_error (error);
	return conf;
}

static void
test_check_config (void)
{
	g_autoptr(XnInventory) inventory = inventory_of (
		carrier_new ("telecom", XN_CHANNEL_SMTP, NULL, "mail-login"),
		carrier_new ("unicom", XN_CHANNEL_SMTP, "http://relay.example", NULL),
		carrier_new ("mobile", XN_CHANNEL_WEBHOOK, "https://hooks.example/t", "hook-token"),
		carrier_new ("cable", XN_CHANNEL_SPOOL, "spool/cable", NULL),
		carrier_new ("tower", XN_CHANNEL_SPOOL, "/var/spool/extranoc/tower", NULL), NULL);
	g_autoptr(XnSecrets) secrets = xn_secrets_new ();
	g_autoptr(XnDaemonConf) bare = conf_of ("");
	g_autoptr(XnDaemonConf) full = conf_of ("smtp-relay = smtp://relay.example:587\nsmtp-from = noc@x.example\n");
	g_autoptr(GError) error = NULL;

	g_assert_false (xn_dispatch_check_config (inventory, secrets, bare, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_CONFIG);
	g_assert_cmpstr (error->message, ==,
			 "carrier telecom: no SMTP relay: it has no smtp-server and extranoc.conf sets no [collector] smtp-relay\n"
			 "carrier unicom: smtp-server 'http://relay.example' is not an SMTP URL (smtp://HOST[:PORT] or smtps://HOST[:PORT])\n"
			 "carrier mobile: webhook-credential 'hook-token' is not a token in the secrets\n"
			 "carrier cable: spool-directory 'spool/cable' is not an absolute path");
	g_clear_error (&error);
	g_assert_false (xn_dispatch_check_config (inventory, secrets, full, &error));
	g_assert_cmpstr (error->message, ==,
			 "carrier telecom: smtp-credential 'mail-login' is not a login in the secrets\n"
			 "carrier unicom: smtp-server 'http://relay.example' is not an SMTP URL (smtp://HOST[:PORT] or smtps://HOST[:PORT])\n"
			 "carrier mobile: webhook-credential 'hook-token' is not a token in the secrets\n"
			 "carrier cable: spool-directory 'spool/cable' is not an absolute path");
	g_clear_error (&error);
	g_assert_true (xn_secrets_add_login (secrets, "mail-login", "noc", "pw", NULL));
	g_assert_true (xn_secrets_add_token (secrets, "hook-token", "tok", NULL));
	g_assert_false (xn_dispatch_check_config (inventory, secrets, full, &error));
	g_assert_cmpstr (error->message, ==,
			 "carrier unicom: smtp-server 'http://relay.example' is not an SMTP URL (smtp://HOST[:PORT] or smtps://HOST[:PORT])\n"
			 "carrier cable: spool-directory 'spool/cable' is not an absolute path");
}

static void
test_conf (void)
{
	g_autoptr(XnDaemonConf) conf = conf_of ("");
	g_autoptr(GError) error = NULL;
	g_autoptr(XnDaemonConf) bad = xn_daemon_conf_load_data (
		"[extranoc]\nconfig = x.json\n[collector]\nsmtp-relay = smtp://u:p@relay\nsmtp-from = NOC <noc@x>\n"
		"smtp-starttls = maybe\nretry-first = 60\nretry-max = 30\noutbox-horizon = 10\nca-file = ca.pem\n",
		"x.conf", &error);

	g_assert_null (conf->smtp_relay);
	g_assert_null (conf->smtp_from);
	g_assert_cmpstr (conf->smtp_starttls, ==, "try");
	g_assert_null (conf->ca_file);
	g_assert_cmpuint (conf->send_timeout_s, ==, 60);
	g_assert_cmpuint (conf->retry_first_s, ==, 30);
	g_assert_cmpuint (conf->retry_max_s, ==, 3600);
	g_assert_cmpuint (conf->outbox_horizon_s, ==, 72 * 3600);
	g_assert_null (bad);
	g_assert_cmpstr (error->message, ==,
			 "x.conf:4: [collector] smtp-relay: 'smtp://u:p@relay': a login does not belong in the URL: name a "
			 "login of the secrets in the carrier's smtp-credential\n"
			 "x.conf:5: [collector] smtp-from: 'NOC <noc@x>' is not a bare e-mail address (local@domain: ASCII, "
			 "no spaces, no display name)\n"
			 "x.conf:6: [collector] smtp-starttls: 'maybe' is not one of try, required\n"
			 "x.conf:9: [collector] outbox-horizon: '10' is not a whole number from 60 to 31536000\n"
			 "x.conf:8: [collector] retry-max: 30 is less than retry-first (60)");
}

/* ---- the spool channel ---- */

typedef struct {
	char *dir;
	char *db;
	char *spool;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	f->dir = g_dir_make_tmp ("test-dispatch-XXXXXX", &error);
	g_assert_no_error (error);
	f->db = g_build_filename (f->dir, "journal.db", NULL);
	f->spool = g_build_filename (f->dir, "spool", NULL);
	g_mutex_lock (&log_lock);
	g_string_truncate (log_text, 0);
	g_mutex_unlock (&log_lock);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
	xn_test_remove_tree (f->dir);
	g_free (f->db);
	g_free (f->spool);
	g_free (f->dir);
}

static guint
count_files (const char *dir)
{
	g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
	guint n = 0;

	while (d != NULL && g_dir_read_name (d) != NULL)
		n++;
	return n;
}

static void
test_spool_channel (Fixture *f, gconstpointer data)
{
	g_autoptr(XnOutboxMessage) m = message ("XN-000057#opened", "mobile");
	XnDelivery d = { .kind = XN_OUTBOX_CHANNEL_SPOOL, .carrier = (char *) "mobile", .address = f->spool };
	g_autofree char *path = g_build_filename (f->spool, "XN-000057_opened.mobile.json", NULL);
	g_autofree char *target = xn_delivery_target (&d, m);
	g_autofree char *content = NULL;
	g_autofree char *expected = g_strconcat (m->body_json, "\n", NULL);
	g_autoptr(GError) error = NULL;

	g_assert_cmpstr (target, ==, path);
	g_assert_false (xn_channel_spool_send (&d, m, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_IO);
	g_assert_true (g_str_has_prefix (error->message, f->spool));
	g_assert_nonnull (strstr (error->message, g_strerror (ENOENT)));
	g_clear_error (&error);

	g_assert_cmpint (g_mkdir (f->spool, 0755), ==, 0);
	g_assert_true (xn_channel_spool_send (&d, m, &error));
	g_assert_no_error (error);
	g_assert_true (g_file_get_contents (path, &content, NULL, NULL));
	g_assert_cmpstr (content, ==, expected);
	/* a resend writes the same name: still one file, no temporary left */
	g_free (m->body_json);
	m->body_json = g_strdup ("{\"event_id\":\"XN-000057#opened\",\"resent\":true}");
	g_assert_true (xn_channel_spool_send (&d, m, &error));
	g_clear_pointer (&content, g_free);
	g_assert_true (g_file_get_contents (path, &content, NULL, NULL));
	g_assert_cmpstr (content, ==, "{\"event_id\":\"XN-000057#opened\",\"resent\":true}\n");
	g_assert_cmpuint (count_files (f->spool), ==, 1);

	/* not writable (root may write anywhere: then nothing to check) */
	if (geteuid () != 0) {
		g_assert_cmpint (g_chmod (f->spool, 0555), ==, 0);
		g_assert_false (xn_channel_spool_send (&d, m, &error));
		g_assert_nonnull (strstr (error->message, g_strerror (EACCES)));
		g_assert_cmpint (g_chmod (f->spool, 0755), ==, 0);
	}
}

/* ---- the dispatcher's thread ---- */

static void
put (Fixture *f, const char *event_id, const char *carrier)
{
	g_autoptr(XnOutbox) outbox = xn_outbox_open (f->db, XN_OUTBOX_OPEN_CREATE, NULL);
	g_autoptr(XnOutboxMessage) m = message (event_id, carrier);
	g_autoptr(GError) error = NULL;

	g_assert_nonnull (outbox);
	g_assert_true (xn_outbox_insert (outbox, m, xn_time_now (), FALSE, NULL, &error));
	g_assert_no_error (error);
}

static GPtrArray *
attempts_of (Fixture *f, const char *event_id, const char *carrier)
{
	g_autoptr(XnOutbox) outbox = xn_outbox_open (f->db, XN_OUTBOX_OPEN_EXISTING, NULL);
	g_autoptr(GError) error = NULL;
	GPtrArray *list;

	g_assert_nonnull (outbox);
	list = xn_outbox_attempts (outbox, event_id, carrier, &error);
	g_assert_no_error (error);
	return list;
}

static guint
count_state (Fixture *f, XnOutboxState state)
{
	g_autoptr(XnOutbox) outbox = xn_outbox_open (f->db, XN_OUTBOX_OPEN_EXISTING, NULL);
	XnOutboxCounts counts;

	g_assert_nonnull (outbox);
	g_assert_true (xn_outbox_counts (outbox, &counts, NULL));
	return state == XN_OUTBOX_SENT ? counts.sent : state == XN_OUTBOX_PENDING ? counts.pending : counts.failed_attempts;
}

/* Polls `cond` for up to `seconds`. */
#define WAIT_FOR(seconds, cond) \
	G_STMT_START { \
		gint64 _until = g_get_monotonic_time () + (seconds) * G_USEC_PER_SEC; \
		while (!(cond) && g_get_monotonic_time () < _until) \
			g_usleep (20000); \
		g_assert_true (cond); \
	} G_STMT_END

static void
test_thread_spool (Fixture *f, gconstpointer data)
{
	g_autoptr(XnInventory) inventory = inventory_of (carrier_new ("mobile", XN_CHANNEL_SPOOL, f->spool, NULL), NULL);
	g_autoptr(XnDaemonConf) conf = conf_of ("");
	g_autoptr(XnDispatch) d = NULL;
	g_autoptr(GPtrArray) attempts = NULL;
	g_autoptr(GError) error = NULL;
	XnOutboxAttempt *a;

	g_assert_cmpint (g_mkdir (f->spool, 0755), ==, 0);
	put (f, "XN-000001#opened", "mobile");
	d = xn_dispatch_new (f->db, inventory, NULL, conf, &error);
	g_assert_no_error (error);
	WAIT_FOR (5, count_state (f, XN_OUTBOX_SENT) == 1);
	put (f, "XN-000001#closed", "mobile");
	put (f, "XN-000002#opened", "mobile");
	xn_dispatch_kick (d);
	WAIT_FOR (5, count_state (f, XN_OUTBOX_SENT) == 3);
	g_assert_cmpuint (count_files (f->spool), ==, 3);
	attempts = attempts_of (f, "XN-000001#closed", "mobile");
	g_assert_cmpuint (attempts->len, ==, 1);
	a = attempts->pdata[0];
	g_assert_true (a->ok);
	g_assert_cmpint (a->channel, ==, XN_OUTBOX_CHANNEL_SPOOL);
	g_assert_true (g_str_has_suffix (a->target, "/spool/XN-000001_closed.mobile.json"));
	g_assert_cmpint (a->started, <=, a->finished);
	xn_dispatch_stop (d);
	/* nothing failed: nothing said */
	g_assert_cmpuint (log_count ("fails"), ==, 0);
}

/* The spool directory appears after a few failed attempts: backoff from
 * 1 s, said once when failing and once when it works again. */
static void
test_thread_retry (Fixture *f, gconstpointer data)
{
	g_autoptr(XnInventory) inventory = inventory_of (carrier_new ("mobile", XN_CHANNEL_SPOOL, f->spool, NULL), NULL);
	g_autoptr(XnDaemonConf) conf = conf_of ("retry-first = 1\nretry-max = 2\n");
	g_autoptr(XnDispatch) d = NULL;
	g_autoptr(GPtrArray) attempts = NULL;
	g_autoptr(GError) error = NULL;
	XnOutboxAttempt *last;

	put (f, "XN-000003#opened", "mobile");
	put (f, "XN-000003#closed", "mobile");
	d = xn_dispatch_new (f->db, inventory, NULL, conf, &error);
	g_assert_no_error (error);
	WAIT_FOR (10, count_state (f, 99) >= 3);
	/* the second message waited behind the first: never tried */
	g_clear_pointer (&attempts, g_ptr_array_unref);
	attempts = attempts_of (f, "XN-000003#closed", "mobile");
	g_assert_cmpuint (attempts->len, ==, 0);
	g_assert_cmpint (g_mkdir (f->spool, 0755), ==, 0);
	WAIT_FOR (10, count_state (f, XN_OUTBOX_SENT) == 2);
	xn_dispatch_stop (d);

	g_clear_pointer (&attempts, g_ptr_array_unref);
	attempts = attempts_of (f, "XN-000003#opened", "mobile");
	g_assert_cmpuint (attempts->len, >=, 4);
	for (guint i = 0; i + 1 < attempts->len; i++) {
		XnOutboxAttempt *a = attempts->pdata[i], *b = attempts->pdata[i + 1];
		gint64 gap = b->started - a->finished;

		g_assert_false (a->ok);
		g_assert_cmpuint (a->n, ==, i + 1);
		g_assert_true (g_str_has_prefix (a->error, f->spool));
		/* 1 s, then 2 s (retry-max) */
		g_assert_cmpint (gap, >=, (i == 0 ? 1 : 2) * S - 50000);
	}
	last = attempts->pdata[attempts->len - 1];
	g_assert_true (last->ok);
	g_assert_cmpuint (log_count ("carrier mobile: delivery by spool ("), ==, 1);
	g_assert_cmpuint (log_count (" fails: "), ==, 1);
	g_assert_cmpuint (log_count ("messages queued for it: 2,"), ==, 1);
	g_assert_cmpuint (log_count ("carrier mobile: delivery by spool works again after"), ==, 1);
}

/* A reload that fixes the directory applies at once, not after the backoff. */
static void
test_thread_reload (Fixture *f, gconstpointer data)
{
	g_autofree char *wrong = g_build_filename (f->dir, "no-such-dir", NULL);
	g_autoptr(XnInventory) before = inventory_of (carrier_new ("mobile", XN_CHANNEL_SPOOL, wrong, NULL), NULL);
	g_autoptr(XnInventory) after = inventory_of (carrier_new ("mobile", XN_CHANNEL_SPOOL, f->spool, NULL), NULL);
	g_autoptr(XnDaemonConf) conf = conf_of ("retry-first = 3600\n");
	g_autoptr(XnDispatch) d = NULL;
	g_autoptr(GError) error = NULL;
	gint64 reloaded;

	g_assert_cmpint (g_mkdir (f->spool, 0755), ==, 0);
	put (f, "XN-000004#opened", "mobile");
	d = xn_dispatch_new (f->db, before, NULL, conf, &error);
	g_assert_no_error (error);
	WAIT_FOR (5, count_state (f, 99) == 1);
	reloaded = g_get_monotonic_time ();
	xn_dispatch_set_config (d, after, NULL, conf);
	/* the dispatcher holds nothing of the previous inventory */
	g_clear_pointer (&before, xn_inventory_free);
	WAIT_FOR (5, count_state (f, XN_OUTBOX_SENT) == 1);
	g_assert_cmpint (g_get_monotonic_time () - reloaded, <, 3 * S);
	g_assert_cmpuint (count_files (f->spool), ==, 1);
}

/* A listening socket that never accepts: a relay that never greets. */
static int
silent_listener (guint16 *port)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
	socklen_t len = sizeof addr;
	int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	g_assert_cmpint (fd, >=, 0);
	g_assert_cmpint (bind (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
	g_assert_cmpint (listen (fd, 4), ==, 0);
	g_assert_cmpint (getsockname (fd, (struct sockaddr *) &addr, &len), ==, 0);
	*port = ntohs (addr.sin_port);
	return fd;
}

static void
test_thread_stop (Fixture *f, gconstpointer data)
{
	guint16 port = 0;
	int fd = silent_listener (&port);
	g_autofree char *url = g_strdup_printf ("smtp://127.0.0.1:%u", port);
	g_autoptr(XnInventory) inventory = inventory_of (carrier_new ("telecom", XN_CHANNEL_SMTP, url, NULL), NULL);
	g_autoptr(XnDaemonConf) conf = conf_of ("smtp-from = noc@x.example\nsend-timeout = 600\n");
	g_autoptr(XnDispatch) d = NULL;
	g_autoptr(GPtrArray) attempts = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *target = g_strdup_printf ("smtp://127.0.0.1:%u to noc@carrier.example", port);
	XnOutboxAttempt *a;
	gint64 asked;

	put (f, "XN-000005#opened", "telecom");
	d = xn_dispatch_new (f->db, inventory, NULL, conf, &error);
	g_assert_no_error (error);
	/* connected, waiting for a greeting that never comes */
	g_usleep (500000);
	asked = g_get_monotonic_time ();
	xn_dispatch_stop (d);
	g_assert_cmpint (g_get_monotonic_time () - asked, <, 3 * S);
	close (fd);
	attempts = attempts_of (f, "XN-000005#opened", "telecom");
	g_assert_cmpuint (attempts->len, ==, 1);
	a = attempts->pdata[0];
	g_assert_false (a->ok);
	g_assert_cmpstr (a->target, ==, target);
	g_assert_cmpstr (a->error, ==, "stopped before it completed (the dispatcher was stopping)");
	g_assert_cmpuint (count_state (f, XN_OUTBOX_PENDING), ==, 1);
	/* a stop is not a failing channel */
	g_assert_cmpuint (log_count ("fails"), ==, 0);
}

static void
test_thread_refused (Fixture *f, gconstpointer data)
{
	guint16 port = 0;
	int fd = silent_listener (&port);
	g_autofree char *url = NULL;
	g_autoptr(XnInventory) inventory = NULL;
	g_autoptr(XnDaemonConf) conf = conf_of ("smtp-from = noc@x.example\nretry-first = 1\nretry-max = 1\n");
	g_autoptr(XnDispatch) d = NULL;
	g_autoptr(GPtrArray) attempts = NULL;
	g_autoptr(GError) error = NULL;

	/* a port just closed: connections are refused */
	close (fd);
	url = g_strdup_printf ("smtp://127.0.0.1:%u", port);
	inventory = inventory_of (carrier_new ("telecom", XN_CHANNEL_SMTP, url, NULL), NULL);
	put (f, "XN-000006#opened", "telecom");
	d = xn_dispatch_new (f->db, inventory, NULL, conf, &error);
	g_assert_no_error (error);
	WAIT_FOR (10, count_state (f, 99) >= 3);
	xn_dispatch_stop (d);
	attempts = attempts_of (f, "XN-000006#opened", "telecom");
	for (guint i = 0; i < attempts->len; i++) {
		XnOutboxAttempt *a = attempts->pdata[i];

		g_assert_false (a->ok);
		g_assert_true (g_str_has_prefix (a->error, "Failed to connect to 127.0.0.1 port "));
	}
	g_assert_cmpuint (log_count ("carrier telecom: delivery by smtp (smtp://127.0.0.1:"), ==, 1);
	g_assert_cmpuint (log_count ("messages queued for it: 1,"), ==, 1);
}

static void
test_new_fails (Fixture *f, gconstpointer data)
{
	g_autofree char *nowhere = g_build_filename (f->dir, "no-such-dir", "journal.db", NULL);
	g_autoptr(XnInventory) inventory = inventory_of (NULL);
	g_autoptr(XnDaemonConf) conf = conf_of ("");
	g_autoptr(GError) error = NULL;
	XnDispatch *d = xn_dispatch_new (nowhere, inventory, NULL, conf, &error);

	g_assert_null (d);
	g_assert_nonnull (error);
	g_assert_nonnull (strstr (error->message, nowhere));
}

#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	log_text = g_string_new (NULL);
	g_log_set_writer_func (capture, NULL, NULL);
	g_test_add_func ("/dispatch/backoff", test_backoff);
	g_test_add_func ("/dispatch/names", test_names);
	g_test_add_func ("/dispatch/redact", test_redact);
	g_test_add_func ("/dispatch/encode-header", test_encode_header);
	g_test_add_func ("/dispatch/date", test_date);
	g_test_add_func ("/dispatch/compose", test_compose);
	g_test_add_func ("/dispatch/check-config", test_check_config);
	g_test_add_func ("/dispatch/conf", test_conf);
	ADD ("/dispatch/spool-channel", test_spool_channel);
	ADD ("/dispatch/thread/spool", test_thread_spool);
	ADD ("/dispatch/thread/retry", test_thread_retry);
	ADD ("/dispatch/thread/reload", test_thread_reload);
	ADD ("/dispatch/thread/stop", test_thread_stop);
	ADD ("/dispatch/thread/refused", test_thread_refused);
	ADD ("/dispatch/thread/new-fails", test_new_fails);
	return g_test_run ();
}
