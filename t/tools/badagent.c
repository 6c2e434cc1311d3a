/* badagent.c — a tiny SNMPv2c agent on 127.0.0.1 that walks right with
 * GETNEXT and, on request, wrong with GETBULK: for the tests of the poller's
 * GETNEXT fallback (t/t2020-poll-getnext.sh, t/unit/test-snmp-poll.c).
 *
 *   badagent --port PORT [--address 127.X.Y.Z] [--community C] [--bulk MODE]
 *            [--alias-hex HEX] [--bad-hc-type] [--ready FILE]
 *
 * It serves a small fixed MIB — the system group, three interfaces in
 * ifTable/ifXTable (64-bit counters beyond 2^32, a 10 Gbit/s port whose
 * ifSpeed is saturated), two processors in hrProcessorLoad (10 and 30) and
 * hrStorage with a RAM row — and answers GET, GETNEXT and GETBULK. --bulk
 * picks how GETBULK goes: ok (correctly), missing (less than one row of
 * varbinds), toobig (error-status tooBig), types (Counter64 values sent as
 * Gauge32), nosuch (noSuchObject for every repeater), silent (no answer).
 * --bad-hc-type makes ifHCInOctets.2 an OCTET STRING for every request type.
 * It writes its pid to the --ready file once its socket is bound, and runs
 * until killed. A real UDP agent, deliberately minimal: BER just enough for
 * SNMPv2c, no SET, no v1/v3. It is a test tool, not part of extranoc. */
#include <arpa/inet.h>
#include <glib.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_OID 32

typedef struct {
	guint32 arcs[MAX_OID];
	guint   len;
} Oid;

typedef struct {
	Oid     oid;
	guint8  type;
	guint64 number;
	GBytes *bytes;      /* OCTET STRING, or the BER content of an OID value */
} Entry;

typedef enum { BULK_OK, BULK_MISSING, BULK_TOOBIG, BULK_TYPES, BULK_NOSUCH, BULK_SILENT } BulkMode;

typedef struct {
	GArray   *mib;       /* Entry, sorted by OID */
	BulkMode  bulk;
	gboolean  bad_hc;
	char     *community;
} Agent;

/* ---------------------------------------------------------------- BER out */

static void
put_len (GByteArray *out, gsize len)
{
	guint8 b[5];
	int n = 0;

	if (len < 0x80) {
		b[0] = (guint8) len;
		g_byte_array_append (out, b, 1);
		return;
	}
	for (gsize l = len; l > 0; l >>= 8)
		n++;
	b[0] = 0x80 | n;
	for (int i = 0; i < n; i++)
		b[1 + i] = (guint8) (len >> (8 * (n - 1 - i)));
	g_byte_array_append (out, b, n + 1);
}

static void
put_tlv (GByteArray *out, guint8 tag, const guint8 *data, gsize len)
{
	g_byte_array_append (out, &tag, 1);
	put_len (out, len);
	g_byte_array_append (out, data, len);
}

/* INTEGER (signed) or the unsigned application types: minimal two's complement. */
static void
put_number (GByteArray *out, guint8 tag, guint64 v, gboolean is_signed)
{
	guint8 b[9];
	int n = 0;

	for (int i = 7; i >= 0; i--)
		b[1 + 7 - i] = (guint8) (v >> (8 * i));
	n = 9;
	b[0] = (!is_signed || (gint64) v >= 0) ? 0 : 0xff;
	{
		int start = 0;

		while (start < n - 1 && ((b[start] == 0 && !(b[start + 1] & 0x80)) ||
					 (b[start] == 0xff && (b[start + 1] & 0x80))))
			start++;
		put_tlv (out, tag, b + start, n - start);
	}
}

static GByteArray *
oid_content (const Oid *oid)
{
	GByteArray *c = g_byte_array_new ();
	guint8 first = (guint8) (oid->arcs[0] * 40 + oid->arcs[1]);

	g_byte_array_append (c, &first, 1);
	for (guint i = 2; i < oid->len; i++) {
		guint8 tmp[5];
		int n = 0;
		guint32 v = oid->arcs[i];

		do {
			tmp[n++] = v & 0x7f;
			v >>= 7;
		} while (v > 0);
		for (int j = n - 1; j >= 0; j--) {
			guint8 b = tmp[j] | (j > 0 ? 0x80 : 0);

			g_byte_array_append (c, &b, 1);
		}
	}
	return c;
}

static void
put_varbind (GByteArray *out, const Oid *name, guint8 type, guint64 number, GBytes *bytes)
{
	g_autoptr(GByteArray) vb = g_byte_array_new ();
	g_autoptr(GByteArray) oc = oid_content (name);

	put_tlv (vb, 0x06, oc->data, oc->len);
	switch (type) {
	case 0x02:
		put_number (vb, type, number, TRUE);
		break;
	case 0x41: case 0x42: case 0x43: case 0x46:
		put_number (vb, type, number, FALSE);
		break;
	case 0x04: case 0x06: {
		gsize len;
		const guint8 *d = g_bytes_get_data (bytes, &len);

		put_tlv (vb, type, d, len);
		break;
	}
	default:
		put_tlv (vb, type, NULL, 0);
		break;
	}
	put_tlv (out, 0x30, vb->data, vb->len);
}

/* ---------------------------------------------------------------- BER in */

typedef struct {
	const guint8 *p, *end;
} Reader;

static gboolean
get_tlv (Reader *r, guint8 *tag, Reader *content)
{
	gsize len = 0;

	if (r->end - r->p < 2)
		return FALSE;
	*tag = *r->p++;
	if (*r->p & 0x80) {
		int n = *r->p++ & 0x7f;

		if (n > 4 || r->end - r->p < n)
			return FALSE;
		while (n-- > 0)
			len = (len << 8) | *r->p++;
	} else {
		len = *r->p++;
	}
	if ((gsize) (r->end - r->p) < len)
		return FALSE;
	content->p = r->p;
	content->end = r->p + len;
	r->p += len;
	return TRUE;
}

static gboolean
get_int (Reader *r, gint64 *v)
{
	guint8 tag;
	Reader c;

	if (!get_tlv (r, &tag, &c) || tag != 0x02 || c.p == c.end)
		return FALSE;
	*v = (gint8) *c.p++;
	while (c.p < c.end)
		*v = (*v << 8) | *c.p++;
	return TRUE;
}

static gboolean
get_oid (Reader *r, Oid *oid)
{
	guint8 tag;
	Reader c;
	guint32 v = 0;

	if (!get_tlv (r, &tag, &c) || tag != 0x06 || c.p == c.end)
		return FALSE;
	oid->arcs[0] = *c.p / 40;
	oid->arcs[1] = *c.p % 40;
	oid->len = 2;
	for (c.p++; c.p < c.end; c.p++) {
		v = (v << 7) | (*c.p & 0x7f);
		if (!(*c.p & 0x80)) {
			if (oid->len == MAX_OID)
				return FALSE;
			oid->arcs[oid->len++] = v;
			v = 0;
		}
	}
	return TRUE;
}

/* ---------------------------------------------------------------- the MIB */

static int
oid_cmp (const Oid *a, const Oid *b)
{
	for (guint i = 0; i < a->len && i < b->len; i++)
		if (a->arcs[i] != b->arcs[i])
			return a->arcs[i] < b->arcs[i] ? -1 : 1;
	return a->len < b->len ? -1 : a->len > b->len ? 1 : 0;
}

static int
entry_cmp (gconstpointer a, gconstpointer b)
{
	return oid_cmp (&((const Entry *) a)->oid, &((const Entry *) b)->oid);
}

static void
add (Agent *agent, const char *dotted, guint8 type, guint64 number, const char *text, gssize text_len)
{
	Entry e = { .type = type, .number = number };
	g_auto(GStrv) parts = g_strsplit (dotted, ".", -1);

	for (guint i = 0; parts[i] != NULL; i++)
		e.oid.arcs[e.oid.len++] = (guint32) g_ascii_strtoull (parts[i], NULL, 10);
	if (type == 0x04) {
		e.bytes = g_bytes_new (text, text_len < 0 ? strlen (text) : (gsize) text_len);
	} else if (type == 0x06) {
		Oid value = { .len = 0 };
		g_auto(GStrv) arcs = g_strsplit (text, ".", -1);
		GByteArray *c;

		for (guint i = 0; arcs[i] != NULL; i++)
			value.arcs[value.len++] = (guint32) g_ascii_strtoull (arcs[i], NULL, 10);
		c = oid_content (&value);
		e.bytes = g_byte_array_free_to_bytes (c);
	}
	g_array_append_val (agent->mib, e);
}

static void
build_mib (Agent *agent, const guint8 *alias, gsize alias_len)
{
	static const char *const names[] = { "lo", "ge-0/0/1", "ge-0/0/2" };
	static const guint oper[] = { 1, 1, 2 };
	static const guint64 speed[] = { 10000000, 4294967295u, 100000000 };
	static const guint64 high[] = { 10, 10000, 100 };

	add (agent, "1.3.6.1.2.1.1.1.0", 0x04, 0, "badagent: GETNEXT right, GETBULK as told", -1);
	add (agent, "1.3.6.1.2.1.1.3.0", 0x43, 12345, NULL, 0);
	add (agent, "1.3.6.1.2.1.1.5.0", 0x04, 0, "badagent", -1);
	for (guint i = 0; i < 3; i++) {
		guint idx = i + 1;
		g_autofree char *p = NULL;
#define COL(tbl, col) (g_free (p), p = g_strdup_printf ("%s.%u.%u", tbl, col, idx))
		const char *ift = "1.3.6.1.2.1.2.2.1", *ifx = "1.3.6.1.2.1.31.1.1.1";

		add (agent, COL (ift, 5), 0x42, speed[i], NULL, 0);
		add (agent, COL (ift, 7), 0x02, 1, NULL, 0);
		add (agent, COL (ift, 8), 0x02, oper[i], NULL, 0);
		add (agent, COL (ift, 10), 0x41, (1000 * idx) & 0xffffffff, NULL, 0);
		add (agent, COL (ift, 11), 0x41, 10 * idx, NULL, 0);
		add (agent, COL (ift, 13), 0x41, idx, NULL, 0);
		add (agent, COL (ift, 14), 0x41, 2 * idx, NULL, 0);
		add (agent, COL (ift, 16), 0x41, (2000 * idx) & 0xffffffff, NULL, 0);
		add (agent, COL (ift, 17), 0x41, 20 * idx, NULL, 0);
		add (agent, COL (ift, 19), 0x41, 3 * idx, NULL, 0);
		add (agent, COL (ift, 20), 0x41, 4 * idx, NULL, 0);
		add (agent, COL (ifx, 1), 0x04, 0, names[i], -1);
		if (agent->bad_hc && idx == 2)
			add (agent, COL (ifx, 6), 0x04, 0, "not a counter", -1);
		else
			add (agent, COL (ifx, 6), 0x46, 5000000000000ull + idx, NULL, 0);
		add (agent, COL (ifx, 7), 0x46, 7000000000ull + idx, NULL, 0);
		add (agent, COL (ifx, 10), 0x46, 6000000000000ull + idx, NULL, 0);
		add (agent, COL (ifx, 11), 0x46, 8000000000ull + idx, NULL, 0);
		add (agent, COL (ifx, 15), 0x42, high[i], NULL, 0);
		if (idx == 2 && alias != NULL)
			add (agent, COL (ifx, 18), 0x04, 0, (const char *) alias, (gssize) alias_len);
		else
			add (agent, COL (ifx, 18), 0x04, 0, idx == 3 ? "到东城区 L-2" : "", -1);
#undef COL
	}
	add (agent, "1.3.6.1.2.1.25.2.3.1.2.1", 0x06, 0, "1.3.6.1.2.1.25.2.1.2", 0);
	add (agent, "1.3.6.1.2.1.25.2.3.1.2.3", 0x06, 0, "1.3.6.1.2.1.25.2.1.4", 0);
	add (agent, "1.3.6.1.2.1.25.2.3.1.4.1", 0x02, 1024, NULL, 0);
	add (agent, "1.3.6.1.2.1.25.2.3.1.4.3", 0x02, 4096, NULL, 0);
	add (agent, "1.3.6.1.2.1.25.2.3.1.5.1", 0x02, 2048000, NULL, 0);
	add (agent, "1.3.6.1.2.1.25.2.3.1.5.3", 0x02, 100000, NULL, 0);
	add (agent, "1.3.6.1.2.1.25.2.3.1.6.1", 0x02, 512000, NULL, 0);
	add (agent, "1.3.6.1.2.1.25.2.3.1.6.3", 0x02, 50000, NULL, 0);
	add (agent, "1.3.6.1.2.1.25.3.3.1.2.196608", 0x02, 10, NULL, 0);
	add (agent, "1.3.6.1.2.1.25.3.3.1.2.196609", 0x02, 30, NULL, 0);
	g_array_sort (agent->mib, entry_cmp);
}

static const Entry *
lookup (const Agent *agent, const Oid *oid, gboolean next)
{
	for (guint i = 0; i < agent->mib->len; i++) {
		const Entry *e = &g_array_index (agent->mib, Entry, i);
		int c = oid_cmp (&e->oid, oid);

		if ((next && c > 0) || (!next && c == 0))
			return e;
	}
	return NULL;
}

/* ---------------------------------------------------------------- answers */

static void
answer_one (const Agent *agent, GByteArray *vbs, const Oid *oid, gboolean next, gboolean bulk, Oid *advanced)
{
	const Entry *e = lookup (agent, oid, next);

	if (e == NULL) {
		put_varbind (vbs, oid, next ? 0x82 : 0x80, 0, NULL);
		if (advanced != NULL)
			*advanced = *oid;
		return;
	}
	if (advanced != NULL)
		*advanced = e->oid;
	if (bulk && agent->bulk == BULK_TYPES && e->type == 0x46)
		put_varbind (vbs, &e->oid, 0x42, e->number & 0xffffffff, NULL);
	else
		put_varbind (vbs, &e->oid, e->type, e->number, e->bytes);
}

static gboolean
answer (const Agent *agent, guint8 command, gint64 a, gint64 b, Oid *oids, guint n,
	GByteArray *vbs, gint64 *status, gint64 *index)
{
	*status = *index = 0;
	if (command != 0xa5) {
		for (guint i = 0; i < n; i++)
			answer_one (agent, vbs, &oids[i], command == 0xa1, FALSE, NULL);
		return TRUE;
	}
	switch (agent->bulk) {
	case BULK_SILENT:
		return FALSE;
	case BULK_TOOBIG:
		*status = 1;
		for (guint i = 0; i < n; i++)
			put_varbind (vbs, &oids[i], 0x05, 0, NULL);
		return TRUE;
	default:
		break;
	}
	a = CLAMP (a, 0, (gint64) n);
	for (guint i = 0; i < a; i++)
		answer_one (agent, vbs, &oids[i], TRUE, TRUE, NULL);
	for (gint64 r = 0; r < MIN (b, 100); r++) {
		for (guint i = (guint) a; i < n; i++) {
			if (agent->bulk == BULK_NOSUCH)
				put_varbind (vbs, &oids[i], 0x80, 0, NULL);
			else
				answer_one (agent, vbs, &oids[i], TRUE, TRUE, &oids[i]);
			if (agent->bulk == BULK_MISSING)
				return TRUE;
		}
	}
	return TRUE;
}

static void
serve_one (const Agent *agent, int fd, const guint8 *buf, gsize len, const struct sockaddr_in *from)
{
	Reader msg = { buf, buf + len }, top, pdu, list;
	guint8 tag, command;
	gint64 version, reqid, a, b, status, index;
	Reader community;
	Oid oids[64];
	guint n = 0;
	g_autoptr(GByteArray) vbs = g_byte_array_new ();
	g_autoptr(GByteArray) body = g_byte_array_new ();
	g_autoptr(GByteArray) pdu_out = g_byte_array_new ();
	g_autoptr(GByteArray) out = g_byte_array_new ();

	if (!get_tlv (&msg, &tag, &top) || tag != 0x30 || !get_int (&top, &version) || version != 1 ||
	    !get_tlv (&top, &tag, &community) || tag != 0x04 ||
	    (gsize) (community.end - community.p) != strlen (agent->community) ||
	    memcmp (community.p, agent->community, community.end - community.p) != 0 ||
	    !get_tlv (&top, &command, &pdu) || (command != 0xa0 && command != 0xa1 && command != 0xa5) ||
	    !get_int (&pdu, &reqid) || !get_int (&pdu, &a) || !get_int (&pdu, &b) ||
	    !get_tlv (&pdu, &tag, &list) || tag != 0x30)
		return;
	while (list.p < list.end && n < G_N_ELEMENTS (oids)) {
		Reader vb;

		if (!get_tlv (&list, &tag, &vb) || tag != 0x30 || !get_oid (&vb, &oids[n]))
			return;
		n++;
	}
	if (!answer (agent, command, a, b, oids, n, vbs, &status, &index))
		return;
	put_number (body, 0x02, (guint64) reqid, TRUE);
	put_number (body, 0x02, (guint64) status, TRUE);
	put_number (body, 0x02, (guint64) index, TRUE);
	put_tlv (body, 0x30, vbs->data, vbs->len);
	put_tlv (pdu_out, 0xa2, body->data, body->len);
	g_byte_array_set_size (body, 0);
	put_number (body, 0x02, 1, TRUE);
	put_tlv (body, 0x04, (const guint8 *) agent->community, strlen (agent->community));
	g_byte_array_append (body, pdu_out->data, pdu_out->len);
	put_tlv (out, 0x30, body->data, body->len);
	sendto (fd, out->data, out->len, 0, (const struct sockaddr *) from, sizeof *from);
}

int
main (int argc, char **argv)
{
	int port = 0;
	g_autofree char *community = NULL, *bulk = NULL, *alias_hex = NULL, *ready = NULL, *address = NULL;
	gboolean bad_hc = FALSE;
	GOptionEntry entries[] = {
		{ "port", 0, 0, G_OPTION_ARG_INT, &port, "UDP port", "PORT" },
		{ "address", 0, 0, G_OPTION_ARG_STRING, &address, "Loopback address (default 127.0.0.1)", "ADDR" },
		{ "community", 0, 0, G_OPTION_ARG_STRING, &community, "Community (default public)", "C" },
		{ "bulk", 0, 0, G_OPTION_ARG_STRING, &bulk, "ok|missing|toobig|types|nosuch|silent", "MODE" },
		{ "alias-hex", 0, 0, G_OPTION_ARG_STRING, &alias_hex, "ifAlias.2 as hex bytes", "HEX" },
		{ "bad-hc-type", 0, 0, G_OPTION_ARG_NONE, &bad_hc, "ifHCInOctets.2 as OCTET STRING", NULL },
		{ "ready", 0, 0, G_OPTION_ARG_FILENAME, &ready, "Write the pid here once listening", "FILE" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	static const char *const modes[] = { "ok", "missing", "toobig", "types", "nosuch", "silent" };
	g_autoptr(GOptionContext) options = g_option_context_new ("");
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *alias = NULL;
	gsize alias_len = 0;
	Agent agent = { .bulk = BULK_OK };
	struct sockaddr_in addr = { .sin_family = AF_INET };
	int fd;

	g_option_context_add_main_entries (options, entries, NULL);
	if (!g_option_context_parse (options, &argc, &argv, &error) || port <= 0 || port > 65535) {
		fprintf (stderr, "badagent: %s\n", error != NULL ? error->message : "--port PORT is required");
		return 2;
	}
	for (guint i = 0; bulk != NULL && i <= G_N_ELEMENTS (modes); i++) {
		if (i == G_N_ELEMENTS (modes)) {
			fprintf (stderr, "badagent: unknown --bulk mode '%s'\n", bulk);
			return 2;
		}
		if (strcmp (bulk, modes[i]) == 0) {
			agent.bulk = (BulkMode) i;
			break;
		}
	}
	if (alias_hex != NULL) {
		alias_len = strlen (alias_hex) / 2;
		alias = g_malloc (alias_len + 1);
		for (gsize i = 0; i < alias_len; i++)
			alias[i] = (guint8) ((g_ascii_xdigit_value (alias_hex[2 * i]) << 4) |
					     g_ascii_xdigit_value (alias_hex[2 * i + 1]));
	}
	agent.community = community != NULL ? g_strdup (community) : g_strdup ("public");
	agent.bad_hc = bad_hc;
	agent.mib = g_array_new (FALSE, TRUE, sizeof (Entry));
	build_mib (&agent, alias, alias_len);

	fd = socket (AF_INET, SOCK_DGRAM, 0);
	addr.sin_port = htons ((guint16) port);
	addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
	/* loopback only: a test agent must not answer anything else */
	if (address != NULL && (inet_pton (AF_INET, address, &addr.sin_addr) != 1 ||
				(ntohl (addr.sin_addr.s_addr) >> 24) != 127)) {
		fprintf (stderr, "badagent: --address must be an IPv4 address in 127.0.0.0/8\n");
		return 2;
	}
	if (fd < 0 || bind (fd, (struct sockaddr *) &addr, sizeof addr) < 0) {
		perror ("badagent: bind");
		return 1;
	}
	if (ready != NULL) {
		g_autofree char *pid = g_strdup_printf ("%d\n", (int) getpid ());

		g_file_set_contents (ready, pid, -1, NULL);
	}
	for (;;) {
		guint8 buf[65536];
		struct sockaddr_in from;
		socklen_t fromlen = sizeof from;
		ssize_t n = recvfrom (fd, buf, sizeof buf, 0, (struct sockaddr *) &from, &fromlen);

		if (n > 0)
			serve_one (&agent, fd, buf, (gsize) n, &from);
	}
}
