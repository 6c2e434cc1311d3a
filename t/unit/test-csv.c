/* test-csv.c — the CSV reader (lib/csv.c) and the inventory import built on
 * it (lib/inventory-csv.c, lib/inventory-csv-columns.c).
 *
 * Reader cases are what spreadsheet programs write (BOM, CRLF, quoted
 * commas, doubled quotes, line breaks in cells) and what arrives broken
 * (truncated, GBK, UTF-16, stray quotes), each checked for the row and line
 * it reports. Cell cases are tables of text → JSON value or refusal. Import
 * cases feed small in-memory tables and check the JSON, or every problem
 * line, exactly. */
#include "csv.h"
#include "inventory-csv.h"
#include "inventory-csv-columns.h"
#include "xn-error.h"

#include <string.h>

/* Reads all of `data`; returns the records, or NULL with *error set. */
static GPtrArray *
read_all (const char *data, gssize length, GError **error)
{
	g_autoptr(XnCsvReader) reader = xn_csv_reader_new (data, length);
	g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_csv_record_free);

	for (;;) {
		XnCsvRecord *record;

		if (!xn_csv_reader_next (reader, &record, error))
			return NULL;
		if (record == NULL)
			return g_steal_pointer (&records);
		g_ptr_array_add (records, record);
	}
}

static void
assert_record (GPtrArray *records, guint i, guint row, guint line, const char *const *cells)
{
	XnCsvRecord *record;

	g_assert_cmpuint (i, <, records->len);
	record = records->pdata[i];
	g_assert_cmpuint (record->row, ==, row);
	g_assert_cmpuint (record->line, ==, line);
	g_assert_cmpstrv (record->cells, cells);
	g_assert_cmpuint (record->n_cells, ==, g_strv_length ((char **) cells));
}

static void
test_reader_plain (void)
{
	g_autoptr(GError) error = NULL;
	/* LF and CRLF mixed, no line end after the last record */
	g_autoptr(GPtrArray) records = read_all ("name,level\nsample-city,市\r\ndong,县", -1, &error);

	g_assert_no_error (error);
	g_assert_cmpuint (records->len, ==, 3);
	assert_record (records, 0, 1, 1, (const char *[]) { "name", "level", NULL });
	assert_record (records, 1, 2, 2, (const char *[]) { "sample-city", "市", NULL });
	assert_record (records, 2, 3, 3, (const char *[]) { "dong", "县", NULL });
}

static void
test_reader_bom (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) records = read_all ("\xEF\xBB\xBF名称,级别\r\n", -1, &error);

	g_assert_no_error (error);
	g_assert_cmpuint (records->len, ==, 1);
	assert_record (records, 0, 1, 1, (const char *[]) { "名称", "级别", NULL });
}

static void
test_reader_quoted (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) records = read_all (
		"a,b,c\r\n"
		"\"东县, 人民路\",\"say \"\"hi\"\"\",\"\"\r\n"
		"\"two\r\nlines\",\"three\nlines\nhere\",x\n"
		"after,,\n", -1, &error);

	g_assert_no_error (error);
	g_assert_cmpuint (records->len, ==, 4);
	assert_record (records, 1, 2, 2, (const char *[]) { "东县, 人民路", "say \"hi\"", "", NULL });
	assert_record (records, 2, 3, 3, (const char *[]) { "two\r\nlines", "three\nlines\nhere", "x", NULL });
	/* row 3 spans lines 3 to 6 (three line breaks in its cells) */
	assert_record (records, 3, 4, 7, (const char *[]) { "after", "", "", NULL });
}

static void
test_reader_blank (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) records = read_all ("a,b\n\n,\n\"\",\"\"\nx,\n", -1, &error);

	g_assert_no_error (error);
	g_assert_cmpuint (records->len, ==, 5);
	g_assert_false (xn_csv_record_is_blank (records->pdata[0]));
	g_assert_true (xn_csv_record_is_blank (records->pdata[1]));
	g_assert_true (xn_csv_record_is_blank (records->pdata[2]));
	g_assert_true (xn_csv_record_is_blank (records->pdata[3]));
	g_assert_false (xn_csv_record_is_blank (records->pdata[4]));
	assert_record (records, 4, 5, 5, (const char *[]) { "x", "", NULL });
}

static void
test_reader_empty (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) none = read_all ("", 0, &error);
	g_autoptr(GPtrArray) bom_only = read_all ("\xEF\xBB\xBF", 3, &error);

	g_assert_no_error (error);
	g_assert_cmpuint (none->len, ==, 0);
	g_assert_cmpuint (bom_only->len, ==, 0);
}

typedef struct {
	const char *data;
	gssize length;
	const char *message;    /* the error's beginning */
} BrokenCase;

static const BrokenCase broken_cases[] = {
	{ "a,b\nx,\"never closed\nat all", -1,
	  "row 2 (line 2): the quote opened on line 2 is never closed" },
	{ "a,b\n\"one\n\ntwo\",ok\nx,\"y", -1,
	  "row 3 (line 5): the quote opened on line 5 is never closed" },
	{ "a,b\nx,ab\"c\n", -1, "row 2 (line 2): quote inside an unquoted cell on line 2" },
	{ "a,b\n\"x\"y,z\n", -1, "row 2 (line 2): text after the closing quote on line 2" },
	{ "a,b\rx,y\r", -1, "row 1 (line 1): carriage return without line feed" },
	/* 东 in GBK is B6 AB */
	{ "name,display-name\ndong,\xB6\xAB\xCF\xD8\n", -1,
	  "row 2 (line 2): cell 2 is not valid UTF-8 (byte 0xB6 at offset 0)" },
	{ "a\nb\n\"multi\nline \xFF\",c\n", -1,
	  "row 3 (line 3): cell 1 is not valid UTF-8 (byte 0xFF at offset 11)" },
	{ "a,\0b\n", 5, "row 1 (line 1): cell 2 is not valid UTF-8 (byte 0x00" },
	{ "\xFF\xFEn\0a\0", 6, "row 1 (line 1): the file is UTF-16" },
};

static void
test_reader_broken (gconstpointer data)
{
	const BrokenCase *c = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) records = read_all (c->data, c->length, &error);

	g_assert_null (records);
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	if (!g_str_has_prefix (error->message, c->message))
		g_error ("expected '%s…', got '%s'", c->message, error->message);
}

static void
test_reader_stays_failed (void)
{
	g_autoptr(XnCsvReader) reader = xn_csv_reader_new ("a\"b\nc\n", -1);
	g_autoptr(GError) error = NULL;
	XnCsvRecord *record = NULL;

	g_assert_false (xn_csv_reader_next (reader, &record, &error));
	g_assert_null (record);
	g_clear_error (&error);
	g_assert_false (xn_csv_reader_next (reader, &record, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_assert_null (record);
}

typedef struct {
	XnInventoryTable table;
	const char *column;
	const char *text;
	const char *value;      /* NULL: refused */
} CellCase;

#define R XN_INVENTORY_TABLE_REGIONS
#define S XN_INVENTORY_TABLE_SITES
#define C XN_INVENTORY_TABLE_CARRIERS
#define N XN_INVENTORY_TABLE_NODES
#define L XN_INVENTORY_TABLE_LINKS
#define U XN_INVENTORY_TABLE_UNITS

static const CellCase cell_cases[] = {
	{ L, "bandwidth", "100M", "100000" },
	{ L, "bandwidth", "1G", "1000000" },
	{ L, "bandwidth", "2048K", "2048" },
	{ L, "bandwidth", "2M", "2000" },
	{ L, "bandwidth", "e1", "2048" },
	{ L, "bandwidth", "1.5G", "1500000" },
	{ L, "bandwidth", "100 Mbps", "100000" },
	{ L, "bandwidth", "10Gbit/s", "10000000" },
	{ L, "bandwidth", "512k", "512" },
	{ L, "bandwidth", "64", "64" },
	{ L, "bandwidth", "4294967295", "4294967295" },
	{ L, "bandwidth", "4294967296", NULL },
	{ L, "bandwidth", "5000G", NULL },
	{ L, "bandwidth", "0", NULL },
	{ L, "bandwidth", "1.5", NULL },        /* kbit/s are whole */
	{ L, "bandwidth", "1.0005M", NULL },
	{ L, "bandwidth", "100MB", NULL },      /* bytes */
	{ L, "bandwidth", "百兆", NULL },
	{ L, "bandwidth", "M", NULL },
	{ L, "bandwidth", "1.G", NULL },
	{ N, "management-address", "10.0.0.1", "10.0.0.1" },
	{ N, "management-address", "10.0.0.300", NULL },
	{ N, "management-address", "010.0.0.1", NULL },
	{ N, "management-address", "10.0.1", NULL },
	{ N, "management-address", "2001:DB8:0:0::1", "2001:db8::1" },
	{ N, "management-address", "fe80::1%eth0", NULL },
	{ N, "role", "骨干", "backbone" },
	{ N, "role", "汇聚", "aggregation" },
	{ N, "role", "Access", "access" },
	{ N, "role", "边缘", NULL },
	{ N, "snmp-version", "2c", "v2c" },
	{ N, "snmp-port", "161", "161" },
	{ N, "snmp-port", "65536", NULL },
	{ N, "snmp-port", "-1", NULL },
	{ N, "snmp-port", "+161", NULL },
	{ N, "snmp-timeout", "99", NULL },
	{ N, "snmp-retries", "10", "10" },
	{ N, "name", "dong-core_1.a", "dong-core_1.a" },
	{ N, "name", "东县核心", NULL },
	{ N, "name", "-core", NULL },
	{ N, "name", "core router", NULL },
	{ N, "name", "a234567890123456789012345678901234567890123456789012345678901234", NULL },
	{ N, "display-name", "东县核心路由器", "东县核心路由器" },
	{ N, "display-name", "东县\n核心", NULL },
	{ N, "display-name", "tab\there", NULL },
	{ R, "level", "市", "city" },
	{ R, "level", "区", "county" },
	{ R, "level", "街道", "township" },
	{ R, "level", "省", NULL },
	{ S, "sla-class", "核心机房", "core-room" },
	{ S, "sla-class", "县直单位", "county-unit" },
	{ S, "sla-class", "乡镇", "township" },
	{ S, "sla-class", "my-policy:hospital", "my-policy:hospital" },
	{ S, "sla-class", "hospital", NULL },
	{ U, "network-admin-phone", "0000-5000-01", "0000-5000-01" },
	{ U, "network-admin-phone", "+86 (571) 8888-0000", "+86 (571) 8888-0000" },
	{ U, "network-admin-phone", "12", NULL },
	{ U, "network-admin-phone", "电话0571", NULL },
	{ U, "network-admin-phone", "0571/8888", NULL },
	{ U, "network-admin-email", "it@gov.example", "it@gov.example" },
	{ U, "network-admin-email", "it.gov.example", NULL },
	{ U, "network-admin-email", "it@gov@example", NULL },
	{ U, "network-admin-email", "i t@gov.example", NULL },
	{ C, "smtp-to", "a@x.example; b@x.example；c@x.example;", "a@x.example;b@x.example;c@x.example" },
	{ C, "smtp-to", "a@x.example;a@x.example", NULL },
	{ C, "smtp-to", ";", NULL },
	{ C, "webhook-url", "https://t.example/api", "https://t.example/api" },
	{ C, "webhook-url", "ftp://t.example/", NULL },
	{ C, "webhook-url", "https://", NULL },
	{ C, "spool-directory", "/var/spool/x", "/var/spool/x" },
	{ C, "spool-directory", "var/spool/x", NULL },
	{ L, "a-end-interface", "GigabitEthernet0/0/1", "GigabitEthernet0/0/1" },
	{ L, "a-end-interface", "Gi 0/1", NULL },
	{ L, "circuit-id", "DX,0001 甲", "DX,0001 甲" },
	{ L, "circuit-id", "12345678901234567890123456789012345678901234567890123456789012345", NULL },
};

static void
test_cell (gconstpointer data)
{
	const CellCase *c = data;
	const XnTableSpec *spec = xn_inventory_table_spec (c->table);
	const XnColumn *column = &spec->columns[xn_inventory_column_index (spec, c->column)];
	g_autoptr(GError) error = NULL;
	g_autofree char *value = NULL;
	gboolean ok = xn_inventory_cell_parse (column, c->text, &value, &error);

	if (c->value != NULL) {
		g_assert_no_error (error);
		g_assert_true (ok);
		g_assert_cmpstr (value, ==, c->value);
	} else {
		g_assert_false (ok);
		g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
		g_assert_null (value);
		/* the message quotes the cell so the operator can find it */
		g_assert_nonnull (strstr (error->message, c->text));
	}
}

static void
test_trim (void)
{
	g_autofree char *a = xn_inventory_cell_trim ("  \t东县\u3000");
	g_autofree char *b = xn_inventory_cell_trim ("\u00a0\ufeff");
	g_autofree char *c = xn_inventory_cell_trim ("a b");

	g_assert_cmpstr (a, ==, "东县");
	g_assert_cmpstr (b, ==, "");
	g_assert_cmpstr (c, ==, "a b");
}

/* Within a table no header may mean two columns, and every Chinese header
 * must find its own column. */
static void
test_headers_unambiguous (void)
{
	for (guint t = 0; t < XN_INVENTORY_N_TABLES; t++) {
		const XnTableSpec *spec = xn_inventory_table_spec ((XnInventoryTable) t);

		for (guint c = 0; c < spec->n_columns; c++) {
			g_auto(GStrv) aliases = g_strsplit (spec->columns[c].aliases, "|", -1);
			g_autofree char *upper = g_ascii_strup (spec->columns[c].name, -1);

			g_assert_cmpint (xn_inventory_column_find (spec, spec->columns[c].name), ==, (int) c);
			g_assert_cmpint (xn_inventory_column_find (spec, upper), ==, (int) c);
			for (guint a = 0; aliases[a] != NULL; a++) {
				for (guint other = 0; other < spec->n_columns; other++) {
					if (other != c)
						g_assert_false (g_str_equal (spec->columns[other].name, aliases[a]));
				}
				g_assert_cmpint (xn_inventory_column_find (spec, aliases[a]), ==, (int) c);
			}
		}
	}
	g_assert_cmpint (xn_inventory_column_find (xn_inventory_table_spec (L), "a_end_node"), ==, 4);
	g_assert_cmpint (xn_inventory_column_find (xn_inventory_table_spec (L), "A End Node"), ==, 4);
}

static const char *const base_tables[XN_INVENTORY_N_TABLES] = {
	[R] = "name,level\ncity,city\n",
	[S] = "name,region,sla-class\nroom,city,core-room\n",
	[C] = "-",
	[N] = "name,role,site,management-address,snmp-credential\ncore,backbone,room,10.0.0.1,ro\n",
	[L] = "-",
	[U] = "-",
};

/* Adds the tables, `tables[i]` replacing the base table i when not NULL;
 * "-" leaves a table out. */
static XnInventoryCsv *
importer_with (const char *const *tables)
{
	XnInventoryCsv *importer = xn_inventory_csv_new ();

	for (guint i = 0; i < XN_INVENTORY_N_TABLES; i++) {
		const char *text = tables[i] != NULL ? tables[i] : base_tables[i];

		if (!g_str_equal (text, "-"))
			xn_inventory_csv_add_data (importer, (XnInventoryTable) i,
						   xn_inventory_table_file_name ((XnInventoryTable) i), text, -1);
	}
	return importer;
}

static void
assert_json (JsonNode *inventory, const char *expected)
{
	g_autoptr(JsonNode) want = json_from_string (expected, NULL);
	g_autofree char *got = xn_inventory_csv_to_json (inventory);

	g_assert_nonnull (want);
	if (!json_node_equal (inventory, want))
		g_error ("expected %s\ngot %s", expected, got);
}

static void
test_import_minimal (void)
{
	g_autoptr(XnInventoryCsv) importer = importer_with ((const char *[XN_INVENTORY_N_TABLES]) {
		[L] = "id,bandwidth,a-end-node,a-end-interface,z-end-interface,sla-site\n",
	});
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) inventory = xn_inventory_csv_build (importer, &error);
	g_auto(GStrv) problems = xn_inventory_csv_dup_problems (importer);
	g_autofree char *text = NULL;

	g_assert_no_error (error);
	g_assert_cmpuint (g_strv_length (problems), ==, 0);
	/* a header-only links table is an empty list, which RFC 7951 leaves out */
	assert_json (inventory, "{\"extranoc-inventory:inventory\": {"
		     "\"region\": [{\"name\": \"city\", \"level\": \"city\"}],"
		     "\"site\": [{\"name\": \"room\", \"region\": \"city\", \"sla-class\": \"core-room\"}],"
		     "\"node\": [{\"name\": \"core\", \"role\": \"backbone\", \"site\": \"room\","
		     " \"management-address\": \"10.0.0.1\", \"snmp\": {\"credential\": \"ro\"}}]}}");
	text = xn_inventory_csv_to_json (inventory);
	g_assert_true (g_str_has_suffix (text, "}\n"));
	g_assert_nonnull (strstr (text, "\n  \"extranoc-inventory:inventory\""));
}

static void
test_import_carrier_contacts (void)
{
	g_autoptr(XnInventoryCsv) importer = importer_with ((const char *[XN_INVENTORY_N_TABLES]) {
		[C] = "名称,显示名称,工单目录,联系人,联系电话,联系人角色\n"
		      "mobile,移动,/var/spool/m,值班台,0000-10086-01,值班台\n"
		      "telecom,电信,/var/spool/t,,,\n"
		      "mobile,,,客户经理,0000-10086-02,\n"
		      "mobile,移动,/var/spool/m,网络部,0000-10086-03,维护\n",
	});
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) inventory = xn_inventory_csv_build (importer, &error);
	JsonObject *top;
	JsonArray *carriers;

	g_assert_no_error (error);
	top = json_object_get_object_member (json_node_get_object (inventory), "extranoc-inventory:inventory");
	carriers = json_object_get_array_member (top, "carrier");
	g_assert_cmpuint (json_array_get_length (carriers), ==, 2);
	{
		g_autoptr(JsonNode) want = json_from_string (
			"[{\"name\": \"mobile\", \"display-name\": \"移动\","
			"  \"ticket-channel\": {\"spool-directory\": \"/var/spool/m\"},"
			"  \"contact\": [{\"name\": \"值班台\", \"phone\": \"0000-10086-01\", \"role\": \"值班台\"},"
			"              {\"name\": \"客户经理\", \"phone\": \"0000-10086-02\"},"
			"              {\"name\": \"网络部\", \"phone\": \"0000-10086-03\", \"role\": \"维护\"}]},"
			" {\"name\": \"telecom\", \"display-name\": \"电信\","
			"  \"ticket-channel\": {\"spool-directory\": \"/var/spool/t\"}}]", NULL);

		g_assert_true (json_node_equal (json_object_get_member (top, "carrier"), want));
	}
}

typedef struct {
	const char *name;
	const char *tables[XN_INVENTORY_N_TABLES];      /* NULL: the base table; "-": left out */
	const char *problems[8];
} ProblemCase;

#define ROLES "backbone (骨干/核心), aggregation (汇聚), access (接入)"
#define NODE_HEADER "name,role,site,management-address,snmp-credential\n"

static const ProblemCase problem_cases[] = {
	{ "three-bad-rows", { [N] = NODE_HEADER
		"core,backbone,room,10.0.0.1,ro\n"
		"a1,边缘,room,10.0.0.2,ro\n"
		"a2,access,room,10.0.0.300,ro\n"
		"a3,access,room,10.0.0.4,\n" }, {
		"nodes.csv:row 3 (line 3): column role: '边缘' is not one of " ROLES,
		"nodes.csv:row 4 (line 4): column management-address: '10.0.0.300' is not an IP address",
		"nodes.csv:row 5 (line 5): no SNMP or NETCONF endpoint: fill snmp-credential or netconf-credential",
	} },
	{ "duplicate", { [R] = "名称,级别,上级\ncity,市,\ncity,县,city\n" }, {
		"regions.csv:row 3 (line 3): column 名称: duplicate region 'city' (first on row 2)",
	} },
	{ "header", { [N] = "名称,name,role,site,management-address,snmp-credential,机柜\n"
		"core,core,backbone,room,10.0.0.1,ro,A01\n" }, {
		"nodes.csv:row 1 (line 1): columns '名称' and 'name' are both name",
		"nodes.csv:row 1 (line 1): unknown column '机柜' (the columns of nodes.csv are name, "
		"display-name, role, site, management-address, parent, poller-group, maintained-by, "
		"snmp-version, snmp-port, snmp-credential, snmp-timeout, snmp-retries, snmp-poll-interval, "
		"netconf-port, netconf-credential, netconf-poll-interval, or their Chinese names)",
	} },
	{ "missing-column", { [S] = "name,sla-class\nroom,core-room\n" }, {
		"sites.csv:row 1 (line 1): missing column region (区域)",
	} },
	{ "cell-count", { [R] = "name,level\ncity,city\ntown\nx,county,extra\ny,city,,\n" }, {
		"regions.csv:row 3 (line 3): 1 cell, but the header has 2 (a comma missing or too many?)",
		"regions.csv:row 4 (line 4): 3 cells, but the header has 2 (a comma missing or too many?)",
	} },
	{ "unnamed-column", { [R] = "name,,level\ncity,x,city\n" }, {
		"regions.csv:row 2 (line 2): cell 2 ('x') is under a column with no name in the header",
	} },
	{ "empty-file", { [N] = "" }, {
		"nodes.csv: the file is empty (its first row must name the columns)",
	} },
	{ "blank-header", { [N] = ",,\n" NODE_HEADER }, {
		"nodes.csv:row 1 (line 1): the header row is blank (the first row must name the columns)",
	} },
	{ "truncated", { [N] = NODE_HEADER
		"core,backbone,room,10.0.0.1,ro\n"
		"bad,x,room,10.0.0.2,ro\n"
		"\"unfinished,access,room,10.0.0.3,ro\n" }, {
		"nodes.csv:row 3 (line 3): column role: 'x' is not one of " ROLES,
		"nodes.csv:row 4 (line 4): the quote opened on line 4 is never closed "
		"(the file ends inside a cell: is it truncated?)",
	} },
	{ "gbk", { [R] = "name,level\n\xB6\xAB,city\n" }, {
		"regions.csv:row 2 (line 2): cell 1 is not valid UTF-8 (byte 0xB6 at offset 0); "
		"if the file is in GBK, save it as \"CSV UTF-8\" or convert it with iconv -f GBK -t UTF-8",
		"sites.csv:row 2 (line 2): column region: no region 'city' in regions.csv",
	} },
	{ "missing-table", { [N] = "-" }, {
		"nodes.csv: missing (the tables regions.csv, sites.csv, nodes.csv are required)",
	} },
	{ "dangling", { [N] = "name,role,site,management-address,snmp-credential,maintained-by,parent\n"
		"core,backbone,room,10.0.0.1,ro,telecom,\n"
		"agg,aggregation,nowhere,10.0.0.2,ro,,ghost\n" }, {
		"nodes.csv:row 2 (line 2): column maintained-by: no carrier 'telecom' (carriers.csv was not given)",
		"nodes.csv:row 3 (line 3): column site: no site 'nowhere' in sites.csv",
		"nodes.csv:row 3 (line 3): column parent: no node 'ghost' in nodes.csv",
	} },
	{ "carriers", { [C] = "name,display-name,smtp-to,smtp-server,webhook-url,spool-directory,contact-name,contact-phone\n"
		"telecom,电信,a@t.example,,,,值班台,0000-1\n"
		"telecom,电信乙,,,,,客户经理,0000-2\n"
		"telecom,,,,,,,\n"
		"telecom,,,,,,值班台,0000-3\n"
		"mobile,移动,m@m.example,,https://m.example/t,,,\n"
		"unicom,联通,,smtp.example,,,张三,\n" }, {
		"carriers.csv:row 3 (line 3): column display-name: differs from row 2, which first gives "
		"carrier 'telecom' (leave it empty on rows that add a contact)",
		"carriers.csv:row 4 (line 4): column name: carrier 'telecom' is already on row 2 "
		"(a carrier's further rows each add a contact)",
		"carriers.csv:row 5 (line 5): column contact-name: carrier 'telecom' already has contact '值班台' (row 2)",
		"carriers.csv:row 6 (line 6): columns smtp-to and webhook-url: a carrier has one ticket channel",
		"carriers.csv:row 7 (line 7): no ticket channel: fill one of smtp-to, webhook-url or spool-directory",
		"carriers.csv:row 7 (line 7): column smtp-server: only for e-mail tickets, but smtp-to is empty",
		"carriers.csv:row 7 (line 7): column contact-phone: empty, but a contact needs a name and a phone",
	} },
	{ "endpoints", { [N] = "name,role,site,management-address,snmp-port,snmp-credential,netconf-port,netconf-credential,parent\n"
		"core,backbone,room,10.0.0.1,1161,,830,nc,\n"
		"self,access,room,10.0.0.2,,ro,,,self\n" }, {
		"nodes.csv:row 2 (line 2): column snmp-credential: empty, but other SNMP columns are filled",
		"nodes.csv:row 3 (line 3): column parent: a node cannot be its own parent",
	} },
	{ "region-parents", { [R] = "name,level,parent\ncity,city,\nc2,city,city\ncounty,county,\n" }, {
		"regions.csv:row 3 (line 3): column parent: a city has no parent region",
		"regions.csv:row 4 (line 4): column parent: empty, but a county needs its parent region",
	} },
	{ "line-break", { [S] = "name,region,sla-class,address\n"
		"room,city,core-room,\"a\nb\"\n"
		"bad,city,none,\n" }, {
		"sites.csv:row 2 (line 2): column address: 'a\\nb' has a line break (inventory values are one line)",
		"sites.csv:row 3 (line 4): column sla-class: 'none' is not one of core-room (核心机房), "
		"county-unit (县直单位), township (乡镇)",
	} },
	{ "links", { [L] = "id,carrier,circuit-id,bandwidth,a-end-node,a-end-interface,z-end-node,z-end-interface,sla-site\n"
		"L1,,DX-1,100M,core,ge-0/0/1,core,ge-0/0/2,room\n"
		"L2,,,fast,core,ge-0/0/3,,,room\n" }, {
		"links.csv:row 2 (line 2): columns a-end-node and z-end-node: both ends are on node 'core'",
		"links.csv:row 2 (line 2): column circuit-id: a circuit ID needs the carrier it belongs to (carrier)",
		"links.csv:row 3 (line 3): column bandwidth: 'fast' is not a bandwidth (e.g. 2048K, 100M, 1G, E1, "
		"or whole kbit/s from 1 to 4294967295)",
		"links.csv:row 3 (line 3): column z-end-interface: empty, but required",
	} },
};

static void
test_import_problems (gconstpointer data)
{
	const ProblemCase *c = data;
	g_autoptr(XnInventoryCsv) importer = importer_with (c->tables);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) inventory = xn_inventory_csv_build (importer, &error);
	g_auto(GStrv) problems = xn_inventory_csv_dup_problems (importer);
	guint n = g_strv_length ((char **) c->problems);
	g_autofree char *summary = g_strdup_printf ("%u problem%s in the inventory tables",
						    n, n == 1 ? "" : "s");

	g_assert_null (inventory);
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_assert_cmpstr (error->message, ==, summary);
	g_assert_cmpstrv (problems, c->problems);
}

/* A node may be 12 hops below the top of its tree, not 13: what the
 * module's must on node/parent allows (yanglint agrees). */
static void
test_import_parent_depth (void)
{
	for (guint n = 13; n <= 14; n++) {
		g_autoptr(GString) nodes = g_string_new ("name,role,site,management-address,snmp-credential,parent\n");
		g_autoptr(XnInventoryCsv) importer = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) inventory = NULL;
		g_auto(GStrv) problems = NULL;

		for (guint i = 0; i < n; i++) {
			g_autofree char *parent = i > 0 ? g_strdup_printf ("n%u", i - 1) : g_strdup ("");

			g_string_append_printf (nodes, "n%u,access,room,10.0.0.%u,ro,%s\n", i, i + 1, parent);
		}
		importer = importer_with ((const char *[XN_INVENTORY_N_TABLES]) { [N] = nodes->str });
		inventory = xn_inventory_csv_build (importer, &error);
		problems = xn_inventory_csv_dup_problems (importer);
		if (n == 13) {
			g_assert_no_error (error);
			g_assert_nonnull (inventory);
		} else {
			g_assert_null (inventory);
			g_assert_cmpstrv (problems, ((const char *[]) {
				"nodes.csv:row 15 (line 15): column parent: the parent chain is longer than 12 hops (or loops)",
				NULL }));
		}
	}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/csv/reader/plain", test_reader_plain);
	g_test_add_func ("/csv/reader/bom", test_reader_bom);
	g_test_add_func ("/csv/reader/quoted", test_reader_quoted);
	g_test_add_func ("/csv/reader/blank", test_reader_blank);
	g_test_add_func ("/csv/reader/empty", test_reader_empty);
	g_test_add_func ("/csv/reader/stays-failed", test_reader_stays_failed);
	for (guint i = 0; i < G_N_ELEMENTS (broken_cases); i++) {
		g_autofree char *path = g_strdup_printf ("/csv/reader/broken/%u", i);

		g_test_add_data_func (path, &broken_cases[i], test_reader_broken);
	}
	for (guint i = 0; i < G_N_ELEMENTS (cell_cases); i++) {
		g_autofree char *path = g_strdup_printf ("/inventory-csv/cell/%s/%u", cell_cases[i].column, i);

		g_test_add_data_func (path, &cell_cases[i], test_cell);
	}
	g_test_add_func ("/inventory-csv/trim", test_trim);
	g_test_add_func ("/inventory-csv/headers-unambiguous", test_headers_unambiguous);
	g_test_add_func ("/inventory-csv/import/minimal", test_import_minimal);
	g_test_add_func ("/inventory-csv/import/carrier-contacts", test_import_carrier_contacts);
	g_test_add_func ("/inventory-csv/import/parent-depth", test_import_parent_depth);
	for (guint i = 0; i < G_N_ELEMENTS (problem_cases); i++) {
		g_autofree char *path = g_strdup_printf ("/inventory-csv/import/problems/%s", problem_cases[i].name);

		g_test_add_data_func (path, &problem_cases[i], test_import_problems);
	}
	return g_test_run ();
}
