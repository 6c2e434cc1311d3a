/* inventory-csv-columns.c — what each inventory table's columns are called
 * and what their cells may hold.
 *
 * The tables below map headers (English YANG leaf names or the Chinese ones
 * operators write) to inventory leaves, and the cell checks repeat the
 * module's types (extranoc-types, ietf-inet-types) so that a bad value is
 * reported with its row and column, where a spreadsheet user can find it,
 * instead of as a path into the generated JSON. libyang remains the judge of
 * the result; these checks only have to be no looser than it on the cells
 * they pass through. The file holds no state and knows nothing of rows or
 * files: inventory-csv.c does the reading and the reporting. */
#include "inventory-csv-columns.h"
#include "xn-error.h"

#include <arpa/inet.h>
#include <string.h>

#define REQ XN_COLUMN_REQUIRED
#define KEY XN_COLUMN_KEY
#define CON XN_COLUMN_CONTACT

/* Designated initializers, so that every column says ref = -1 unless it is
 * a reference: 0 would silently mean "refers to regions". */
#define COL(n, j, a, k, f)       { .name = n, .json = j, .aliases = a, .kind = k, .flags = f, .ref = -1 }
#define TXT(n, j, a, k, f, m)    { .name = n, .json = j, .aliases = a, .kind = k, .flags = f, .max = m, .ref = -1 }
#define NUM(n, j, a, lo, hi)     { .name = n, .json = j, .aliases = a, .kind = XN_CELL_UINT, .min = lo, .max = hi, .ref = -1 }
#define ENU(n, j, a, k, f, v)    { .name = n, .json = j, .aliases = a, .kind = k, .flags = f, .values = v, .ref = -1 }
#define REF(n, j, a, f, t)       { .name = n, .json = j, .aliases = a, .kind = XN_CELL_NAME, .flags = f, .ref = t }

#define NAME_COLUMN(a)   COL ("name", "name", a, XN_CELL_NAME, REQ | KEY)
#define DISPLAY_NAME(f)  TXT ("display-name", "display-name", "显示名称|中文名称|中文名", XN_CELL_TEXT, f, 128)

static const XnEnumValue region_levels[] = {
	{ "city", "市|地级市" },
	{ "county", "县|区|县级市|县区" },
	{ "township", "乡镇|乡|镇|街道" },
	{ NULL, NULL },
};

static const XnEnumValue sla_classes[] = {
	{ "core-room", "核心机房" },
	{ "county-unit", "县直单位" },
	{ "township", "乡镇" },
	{ NULL, NULL },
};

static const XnEnumValue node_roles[] = {
	{ "backbone", "骨干|核心" },
	{ "aggregation", "汇聚" },
	{ "access", "接入" },
	{ NULL, NULL },
};

static const XnEnumValue snmp_versions[] = {
	{ "v1", "1" },
	{ "v2c", "2c" },
	{ "v3", "3" },
	{ NULL, NULL },
};

static const XnColumn region_columns[] = {
	NAME_COLUMN ("名称|标识|英文名"),
	DISPLAY_NAME (0),
	ENU ("level", "level", "级别|层级|行政级别", XN_CELL_ENUM, REQ, region_levels),
	REF ("parent", "parent", "上级|上级区域", 0, XN_INVENTORY_TABLE_REGIONS),
};

static const XnColumn site_columns[] = {
	NAME_COLUMN ("名称|标识|英文名"),
	DISPLAY_NAME (0),
	REF ("region", "region", "区域|所属区域|行政区域|行政区划", REQ, XN_INVENTORY_TABLE_REGIONS),
	ENU ("sla-class", "sla-class", "SLA等级|SLA类别|站点类别|站点等级", XN_CELL_IDENTITY, REQ, sla_classes),
	TXT ("address", "address", "地址|详细地址", XN_CELL_TEXT, 0, 128),
};

static const XnColumn carrier_columns[] = {
	NAME_COLUMN ("名称|标识|英文名"),
	DISPLAY_NAME (0),
	COL ("smtp-to", "ticket-channel/smtp-to", "工单邮箱|工单收件人", XN_CELL_EMAILS, 0),
	TXT ("smtp-server", "ticket-channel/smtp-server", "邮件服务器|SMTP服务器", XN_CELL_TEXT, 0, 255),
	COL ("smtp-credential", "ticket-channel/smtp-credential", "邮件凭据|SMTP凭据", XN_CELL_NAME, 0),
	COL ("webhook-url", "ticket-channel/webhook-url", "工单接口|Webhook地址", XN_CELL_URL, 0),
	COL ("webhook-credential", "ticket-channel/webhook-credential", "工单接口凭据|Webhook凭据", XN_CELL_NAME, 0),
	COL ("spool-directory", "ticket-channel/spool-directory", "工单目录|投递目录", XN_CELL_PATH, 0),
	TXT ("contact-name", "contact/name", "联系人|联系人姓名", XN_CELL_TEXT, CON, 128),
	COL ("contact-phone", "contact/phone", "联系电话|联系人电话", XN_CELL_PHONE, CON),
	COL ("contact-email", "contact/email", "联系人邮箱|联系邮箱", XN_CELL_EMAIL, CON),
	TXT ("contact-role", "contact/role", "联系人角色|角色|职责", XN_CELL_TEXT, CON, 64),
};

static const XnColumn node_columns[] = {
	NAME_COLUMN ("名称|标识|英文名|设备标识"),
	TXT ("display-name", "display-name", "显示名称|中文名称|中文名|设备名称", XN_CELL_TEXT, 0, 128),
	ENU ("role", "role", "角色|层级|网络层级|设备层级", XN_CELL_ENUM, REQ, node_roles),
	REF ("site", "site", "站点|所在站点|机房", REQ, XN_INVENTORY_TABLE_SITES),
	COL ("management-address", "management-address", "管理地址|管理IP|管理IP地址", XN_CELL_IP, REQ),
	REF ("parent", "parent", "上级|上级设备", 0, XN_INVENTORY_TABLE_NODES),
	COL ("poller-group", "poller-group", "轮询组|采集组", XN_CELL_NAME, 0),
	REF ("maintained-by", "maintained-by", "维护运营商|维护单位|代维单位", 0, XN_INVENTORY_TABLE_CARRIERS),
	ENU ("snmp-version", "snmp/version", "SNMP版本", XN_CELL_ENUM, 0, snmp_versions),
	NUM ("snmp-port", "snmp/port", "SNMP端口", 0, 65535),
	COL ("snmp-credential", "snmp/credential", "SNMP凭据", XN_CELL_NAME, 0),
	NUM ("snmp-timeout", "snmp/timeout", "SNMP超时", 100, 60000),
	NUM ("snmp-retries", "snmp/retries", "SNMP重试次数|SNMP重试", 0, 10),
	NUM ("snmp-poll-interval", "snmp/poll-interval", "SNMP轮询间隔", 10, 86400),
	NUM ("netconf-port", "netconf/port", "NETCONF端口", 0, 65535),
	COL ("netconf-credential", "netconf/credential", "NETCONF凭据", XN_CELL_NAME, 0),
	NUM ("netconf-poll-interval", "netconf/poll-interval", "NETCONF轮询间隔", 10, 86400),
};

static const XnColumn link_columns[] = {
	COL ("id", "id", "编号|链路编号|标识", XN_CELL_NAME, REQ | KEY),
	REF ("carrier", "carrier", "运营商", 0, XN_INVENTORY_TABLE_CARRIERS),
	TXT ("circuit-id", "circuit-id", "电路编号|电路代号", XN_CELL_TEXT, 0, 64),
	COL ("bandwidth", "bandwidth", "带宽", XN_CELL_BANDWIDTH, REQ),
	REF ("a-end-node", "a-end/node", "A端设备|A端节点", REQ, XN_INVENTORY_TABLE_NODES),
	TXT ("a-end-interface", "a-end/interface", "A端接口|A端端口", XN_CELL_TOKEN, REQ, 64),
	REF ("z-end-node", "z-end/node", "Z端设备|Z端节点", 0, XN_INVENTORY_TABLE_NODES),
	TXT ("z-end-interface", "z-end/interface", "Z端接口|Z端端口", XN_CELL_TOKEN, REQ, 64),
	REF ("sla-site", "sla-site", "SLA站点|考核站点", REQ, XN_INVENTORY_TABLE_SITES),
};

static const XnColumn unit_columns[] = {
	NAME_COLUMN ("名称|标识|英文名|单位标识"),
	TXT ("display-name", "display-name", "显示名称|中文名称|中文名|单位名称", XN_CELL_TEXT, REQ, 128),
	REF ("site", "site", "站点|所在站点", REQ, XN_INVENTORY_TABLE_SITES),
	REF ("uplink", "uplink", "上联链路|接入链路", REQ, XN_INVENTORY_TABLE_LINKS),
	TXT ("network-admin-name", "network-admin/name", "网络管理员|网管", XN_CELL_TEXT, REQ, 128),
	COL ("network-admin-phone", "network-admin/phone", "网络管理员电话|网管电话", XN_CELL_PHONE, REQ),
	COL ("network-admin-email", "network-admin/email", "网络管理员邮箱|网管邮箱", XN_CELL_EMAIL, 0),
	TXT ("security-contact-name", "security-contact/name", "安全责任人", XN_CELL_TEXT, REQ, 128),
	COL ("security-contact-phone", "security-contact/phone", "安全责任人电话", XN_CELL_PHONE, REQ),
	COL ("security-contact-email", "security-contact/email", "安全责任人邮箱", XN_CELL_EMAIL, 0),
};

#define TABLE(f, l, w, r, c) { f, l, w, r, c, G_N_ELEMENTS (c) }

/* A row notes its filled cells in a guint32 (XnInvRow.filled). */
G_STATIC_ASSERT (G_N_ELEMENTS (node_columns) <= 32);

static const XnTableSpec table_specs[XN_INVENTORY_N_TABLES] = {
	[XN_INVENTORY_TABLE_REGIONS]  = TABLE ("regions.csv", "region", "region", TRUE, region_columns),
	[XN_INVENTORY_TABLE_SITES]    = TABLE ("sites.csv", "site", "site", TRUE, site_columns),
	[XN_INVENTORY_TABLE_CARRIERS] = TABLE ("carriers.csv", "carrier", "carrier", FALSE, carrier_columns),
	[XN_INVENTORY_TABLE_NODES]    = TABLE ("nodes.csv", "node", "node", TRUE, node_columns),
	[XN_INVENTORY_TABLE_LINKS]    = TABLE ("links.csv", "link", "link", FALSE, link_columns),
	[XN_INVENTORY_TABLE_UNITS]    = TABLE ("units.csv", "access-unit", "access unit", FALSE, unit_columns),
};

const XnTableSpec *
xn_inventory_table_spec (XnInventoryTable table)
{
	g_return_val_if_fail (table < XN_INVENTORY_N_TABLES, NULL);
	return &table_specs[table];
}

const char *
xn_inventory_table_file_name (XnInventoryTable table)
{
	return xn_inventory_table_spec (table)->file;
}

gboolean
xn_inventory_table_from_file_name (const char *name, XnInventoryTable *table)
{
	for (guint i = 0; i < XN_INVENTORY_N_TABLES; i++) {
		if (g_str_equal (name, table_specs[i].file)) {
			*table = (XnInventoryTable) i;
			return TRUE;
		}
	}
	return FALSE;
}

gboolean
xn_inventory_table_is_required (XnInventoryTable table)
{
	return xn_inventory_table_spec (table)->required;
}

/* Is `word` one of the '|'-separated `list`? ASCII case does not matter
 * ("snmp凭据" is "SNMP凭据"); Chinese has no case to fold. */
static gboolean
in_alias_list (const char *list, const char *word)
{
	g_auto(GStrv) aliases = g_strsplit (list, "|", -1);

	for (guint i = 0; aliases[i] != NULL; i++) {
		if (g_ascii_strcasecmp (aliases[i], word) == 0)
			return TRUE;
	}
	return FALSE;
}

int
xn_inventory_column_find (const XnTableSpec *spec, const char *header)
{
	g_autofree char *english = g_strdup (header);

	g_strdelimit (english, "_ ", '-');
	for (guint i = 0; i < spec->n_columns; i++) {
		if (g_ascii_strcasecmp (english, spec->columns[i].name) == 0 ||
		    in_alias_list (spec->columns[i].aliases, header))
			return (int) i;
	}
	return -1;
}

guint
xn_inventory_column_index (const XnTableSpec *spec, const char *name)
{
	for (guint i = 0; i < spec->n_columns; i++) {
		if (g_str_equal (spec->columns[i].name, name))
			return i;
	}
	g_return_val_if_reached (0);
}

char *
xn_inventory_column_describe (const XnColumn *column)
{
	const char *bar = strchr (column->aliases, '|');
	int first = bar != NULL ? (int) (bar - column->aliases) : (int) strlen (column->aliases);

	return g_strdup_printf ("%s (%.*s)", column->name, first, column->aliases);
}

static gboolean
is_trimmed_away (gunichar c)
{
	return g_unichar_isspace (c) || c == 0xFEFF;
}

char *
xn_inventory_cell_trim (const char *text)
{
	const char *start = text;
	const char *end = text + strlen (text);

	while (*start != '\0' && is_trimmed_away (g_utf8_get_char (start)))
		start = g_utf8_next_char (start);
	while (end > start) {
		const char *prev = g_utf8_prev_char (end);

		if (!is_trimmed_away (g_utf8_get_char (prev)))
			break;
		end = prev;
	}
	return g_strndup (start, (gsize) (end - start));
}

static gboolean G_GNUC_PRINTF (2, 3)
invalid (GError **error, const char *format, ...)
{
	g_autofree char *message = NULL;
	va_list args;

	va_start (args, format);
	message = g_strdup_vprintf (format, args);
	va_end (args);
	g_set_error_literal (error, XN_ERROR, XN_ERROR_INVALID, message);
	return FALSE;
}

/* xnt:display-name and its relatives: \p{Cc} is refused by the module, and
 * a line break is the one a spreadsheet user can put in (Alt+Enter). */
static gboolean
check_text (const XnColumn *column, const char *text, gboolean no_space, GError **error)
{
	glong length = g_utf8_strlen (text, -1);

	for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);

		if (c == '\n' || c == '\r')
			return invalid (error, "'%s' has a line break (inventory values are one line)", text);
		if (g_unichar_type (c) == G_UNICODE_CONTROL)
			return invalid (error, "'%s' has a control character (U+%04X)", text, c);
		if (no_space && g_unichar_isspace (c))
			return invalid (error, "'%s' has a space (an interface name has none)", text);
	}
	if (column->max > 0 && (guint64) length > column->max)
		return invalid (error, "'%s' is %ld characters long (at most %" G_GUINT64_FORMAT ")",
				text, length, column->max);
	return TRUE;
}

/* xnt:object-name: names end up in journal subjects, file names and ticket
 * IDs, so they are ASCII; the usual mistake is a Chinese name in the wrong
 * column, which deserves a hint rather than a regular expression. */
static gboolean
check_name (const char *text, GError **error)
{
	gsize length = strlen (text);

	if (!g_str_is_ascii (text))
		return invalid (error, "'%s' is not a machine name: names are ASCII letters, digits, "
				"'.', '_' and '-'; the Chinese name goes in display-name (显示名称)", text);
	if (length > 63)
		return invalid (error, "'%s' is longer than 63 characters", text);
	if (!g_ascii_isalnum (text[0]))
		return invalid (error, "'%s' does not start with a letter or digit", text);
	for (gsize i = 0; i < length; i++) {
		if (!g_ascii_isalnum (text[i]) && strchr ("._-", text[i]) == NULL)
			return invalid (error, "'%s' has '%c': names hold only letters, digits, '.', '_' and '-'",
					text, text[i]);
	}
	return TRUE;
}

static char *
describe_values (const XnEnumValue *values)
{
	g_autoptr(GString) all = g_string_new (NULL);

	for (guint i = 0; values[i].value != NULL; i++) {
		g_autofree char *chinese = g_strdup (values[i].aliases);

		g_strdelimit (chinese, "|", '/');
		g_string_append_printf (all, "%s%s (%s)", i > 0 ? ", " : "", values[i].value, chinese);
	}
	return g_string_free (g_steal_pointer (&all), FALSE);
}

static gboolean
is_yang_identifier (const char *text, gsize length)
{
	if (length == 0 || !(g_ascii_isalpha (text[0]) || text[0] == '_'))
		return FALSE;
	for (gsize i = 1; i < length; i++) {
		if (!g_ascii_isalnum (text[i]) && strchr ("_.-", text[i]) == NULL)
			return FALSE;
	}
	return TRUE;
}

static gboolean
parse_enum (const XnColumn *column, const char *text, char **value, GError **error)
{
	g_autofree char *known = NULL;
	const char *colon;

	for (guint i = 0; column->values[i].value != NULL; i++) {
		if (g_ascii_strcasecmp (text, column->values[i].value) == 0 ||
		    in_alias_list (column->values[i].aliases, text)) {
			*value = g_strdup (column->values[i].value);
			return TRUE;
		}
	}
	/* A class that a deployment derives in its own module is written
	 * qualified, as RFC 7951 wants it; libyang checks that it exists. */
	colon = strchr (text, ':');
	if (column->kind == XN_CELL_IDENTITY && colon != NULL &&
	    is_yang_identifier (text, (gsize) (colon - text)) &&
	    is_yang_identifier (colon + 1, strlen (colon + 1))) {
		*value = g_strdup (text);
		return TRUE;
	}
	known = describe_values (column->values);
	return invalid (error, "'%s' is not one of %s", text, known);
}

static gboolean
parse_ip (const char *text, char **value, GError **error)
{
	guchar address[16];
	char canonical[INET6_ADDRSTRLEN];
	int family = strchr (text, ':') != NULL ? AF_INET6 : AF_INET;

	/* inet_pton refuses what ietf-inet-types refuses: zones, leading zeros
	 * in IPv4, short forms like 10.1. inet_ntop gives the RFC 5952 text
	 * libyang stores for IPv6. */
	if (inet_pton (family, text, address) != 1 ||
	    inet_ntop (family, address, canonical, sizeof canonical) == NULL)
		return invalid (error, "'%s' is not an IP address", text);
	*value = g_strdup (canonical);
	return TRUE;
}

/* xnt:phone: \+?[0-9][0-9 ()-]{2,30} */
static gboolean
check_phone (const char *text, GError **error)
{
	const char *p = text[0] == '+' ? text + 1 : text;
	gsize rest = strlen (p);

	if (!g_ascii_isdigit (p[0]) || rest < 3 || rest > 31)
		goto bad;
	for (gsize i = 1; i < rest; i++) {
		if (!g_ascii_isdigit (p[i]) && strchr (" ()-", p[i]) == NULL)
			goto bad;
	}
	return TRUE;
bad:
	return invalid (error, "'%s' is not a telephone number (digits, spaces, '-', "
			"parentheses and an optional leading '+'; 3 to 31 of them)", text);
}

/* xnt:email: [^@\s]+@[^@\s]+, 3 to 254 characters. */
static gboolean
check_email (const char *text, GError **error)
{
	const char *at = strchr (text, '@');
	glong length = g_utf8_strlen (text, -1);

	if (at == NULL || at == text || at[1] == '\0' || strchr (at + 1, '@') != NULL ||
	    strpbrk (text, " \t\r\n") != NULL || length < 3 || length > 254)
		return invalid (error, "'%s' is not an e-mail address", text);
	return TRUE;
}

/* Operators list several recipients in one cell; the full-width '；' is what
 * a Chinese input method types. */
static gboolean
parse_emails (const char *text, char **value, GError **error)
{
	g_auto(GStrv) halves = g_strsplit (text, "；", -1);
	g_autofree char *ascii = g_strjoinv (";", halves);
	g_auto(GStrv) parts = g_strsplit (ascii, ";", -1);
	g_autoptr(GPtrArray) emails = g_ptr_array_new_with_free_func (g_free);

	for (guint i = 0; parts[i] != NULL; i++) {
		g_autofree char *email = xn_inventory_cell_trim (parts[i]);

		if (*email == '\0')
			continue;
		if (!check_email (email, error))
			return FALSE;
		/* A leaf-list holds each value once. */
		if (g_ptr_array_find_with_equal_func (emails, email, g_str_equal, NULL))
			return invalid (error, "'%s' lists %s twice", text, email);
		g_ptr_array_add (emails, g_steal_pointer (&email));
	}
	if (emails->len == 0)
		return invalid (error, "'%s' holds no e-mail address", text);
	g_ptr_array_add (emails, NULL);
	*value = g_strjoinv (";", (char **) emails->pdata);
	return TRUE;
}

static gboolean
parse_uint (const XnColumn *column, const char *text, char **value, GError **error)
{
	guint64 number;

	if (!g_ascii_isdigit (text[0]) ||
	    !g_ascii_string_to_unsigned (text, 10, column->min, column->max, &number, NULL))
		return invalid (error, "'%s' is not a whole number from %" G_GUINT64_FORMAT
				" to %" G_GUINT64_FORMAT, text, column->min, column->max);
	*value = g_strdup_printf ("%" G_GUINT64_FORMAT, number);
	return TRUE;
}

/* The unit after a bandwidth's K, M or G: "100M", "100Mb", "100Mbps",
 * "100Mbit/s". A capital B would be bytes, which nobody contracts in. */
static gboolean
is_bit_suffix (const char *text)
{
	return *text == '\0' || g_str_equal (text, "b") || g_str_equal (text, "bps") ||
	       g_str_equal (text, "bit") || g_str_equal (text, "bit/s");
}

/* Units are decimal, as carriers' contracts and Ethernet use them (100M is
 * 100000 kbit/s); an E1 is 2048 kbit/s, so "2M" is 2000 and an E1 that a
 * sheet calls "2M" is better written E1 or 2048K. A bare number is already
 * in kbit/s, the unit of the YANG leaf. */
static gboolean
parse_bandwidth (const char *text, char **value, GError **error)
{
	guint64 whole = 0, fraction = 0, scale = 1, multiplier = 1, kbits;
	const char *p = text;

	if (g_ascii_strcasecmp (text, "E1") == 0) {
		*value = g_strdup ("2048");
		return TRUE;
	}
	if (!g_ascii_isdigit (*p))
		goto bad;
	for (; g_ascii_isdigit (*p); p++) {
		if (whole > G_MAXUINT32)
			goto bad;
		whole = whole * 10 + (guint64) (*p - '0');
	}
	if (*p == '.') {
		if (!g_ascii_isdigit (*++p))
			goto bad;
		for (; g_ascii_isdigit (*p); p++) {
			if (scale >= 1000000)
				goto bad;
			fraction = fraction * 10 + (guint64) (*p - '0');
			scale *= 10;
		}
	}
	while (*p == ' ')
		p++;
	switch (g_ascii_toupper (*p)) {
	case 'K': multiplier = 1; p++; break;
	case 'M': multiplier = 1000; p++; break;
	case 'G': multiplier = 1000000; p++; break;
	default:
		if (*p != '\0')
			goto bad;
	}
	if (!is_bit_suffix (p) || (fraction * multiplier) % scale != 0)
		goto bad;
	kbits = whole * multiplier + fraction * multiplier / scale;
	if (kbits < 1 || kbits > G_MAXUINT32)
		goto bad;
	*value = g_strdup_printf ("%" G_GUINT64_FORMAT, kbits);
	return TRUE;
bad:
	return invalid (error, "'%s' is not a bandwidth (e.g. 2048K, 100M, 1G, E1, or whole kbit/s "
			"from 1 to 4294967295)", text);
}

static gboolean
check_url (const XnColumn *column, const char *text, GError **error)
{
	const char *rest = g_str_has_prefix (text, "https://") ? text + 8 :
			   g_str_has_prefix (text, "http://") ? text + 7 : NULL;

	if (rest == NULL || *rest == '\0')
		return invalid (error, "'%s' is not an http:// or https:// URL", text);
	return check_text (column, text, TRUE, error);
}

static gboolean
check_path (const XnColumn *column, const char *text, GError **error)
{
	if (text[0] != '/')
		return invalid (error, "'%s' is not an absolute directory (it must start with '/')", text);
	if (strlen (text) > 4095)
		return invalid (error, "'%.40s…' is longer than 4095 bytes", text);
	return check_text (column, text, FALSE, error);
}

gboolean
xn_inventory_cell_parse (const XnColumn *column, const char *text, char **value, GError **error)
{
	gboolean ok;

	switch (column->kind) {
	case XN_CELL_ENUM:
	case XN_CELL_IDENTITY:
		return parse_enum (column, text, value, error);
	case XN_CELL_IP:
		return parse_ip (text, value, error);
	case XN_CELL_EMAILS:
		return parse_emails (text, value, error);
	case XN_CELL_UINT:
		return parse_uint (column, text, value, error);
	case XN_CELL_BANDWIDTH:
		return parse_bandwidth (text, value, error);
	case XN_CELL_NAME:
		ok = check_name (text, error);
		break;
	case XN_CELL_TEXT:
		ok = check_text (column, text, FALSE, error);
		break;
	case XN_CELL_TOKEN:
		ok = check_text (column, text, TRUE, error);
		break;
	case XN_CELL_PHONE:
		ok = check_phone (text, error);
		break;
	case XN_CELL_EMAIL:
		ok = check_email (text, error);
		break;
	case XN_CELL_URL:
		ok = check_url (column, text, error);
		break;
	case XN_CELL_PATH:
		ok = check_path (column, text, error);
		break;
	default:
		g_return_val_if_reached (FALSE);
	}
	if (ok)
		*value = g_strdup (text);
	return ok;
}
