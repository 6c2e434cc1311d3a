/* agentsim-pdu.c — one SNMP request datagram in, one response datagram out,
 * in raw BER: SNMPv1 and v2c GET, GETNEXT and GETBULK (and a refusal for
 * SET), answered from the virtual MIB of agentsim-mib.c. Varbinds are
 * encoded forward after a reserved gap and the message headers are written
 * backwards in front of them once their lengths are known, so nothing is
 * encoded twice. A response never exceeds the configured size: GETBULK stops
 * adding varbinds before the datagram would, as RFC 3416 §4.2.3 lets an agent
 * do; GET and GETNEXT answer tooBig. What this file deliberately does not
 * do: SNMPv3, traps, informs, SETs that change anything, and answering
 * anything it cannot parse — a malformed or foreign datagram is dropped and
 * counted, as real agents do. */
#include "agentsim.h"

#include <string.h>

enum {
	PDU_GET = 0xa0, PDU_GETNEXT = 0xa1, PDU_RESPONSE = 0xa2,
	PDU_SET = 0xa3, PDU_GETBULK = 0xa5,
};
enum { ERR_TOO_BIG = 1, ERR_NO_SUCH_NAME = 2, ERR_NO_ACCESS = 6 };
enum { EXC_NO_SUCH_OBJECT = 0x80, EXC_NO_SUCH_INSTANCE = 0x81, EXC_END_OF_MIB = 0x82 };

/* Room kept before the varbinds for the headers: sequence, version,
 * community (≤ 64), PDU, request-id, error status and index, list. */
#define HEADER_RESERVE 160

typedef struct {
	guint         version;          /* 0: v1, 1: v2c */
	const guint8 *community;
	gsize         community_len;
	guint8        type;
	const guint8 *reqid;            /* request-id content octets, echoed verbatim */
	gsize         reqid_len;
	gint64        a, b;             /* error status / non-repeaters, index / max-repetitions */
	const guint8 *vbl;              /* varbind list content, for echoing in errors */
	gsize         vbl_len;
	guint         nvb;
	XnSimOid      oid[XN_SIM_VB_MAX];
} XnSimRequest;

typedef struct {
	const XnSimRequest *req;
	guint8 *buf;
	guint8 *p;                      /* next varbind goes here */
	guint8 *limit;
	gsize   max_msg;
	guint   count;
} XnSimResponse;

/* ---- reading ---- */

static gboolean
read_tl (const guint8 **p, const guint8 *end, guint8 tag, gsize *len)
{
	const guint8 *q = *p;
	gsize n;

	if (end - q < 2 || q[0] != tag)
		return FALSE;
	n = q[1];
	q += 2;
	if (n & 0x80) {
		guint k = n & 0x7f;

		if (k == 0 || k > 3 || (gsize) (end - q) < k)
			return FALSE;     /* indefinite lengths are not allowed in SNMP */
		n = 0;
		while (k-- > 0)
			n = (n << 8) | *q++;
	}
	if (n > (gsize) (end - q))
		return FALSE;
	*p = q;
	*len = n;
	return TRUE;
}

static gboolean
read_int (const guint8 **p, const guint8 *end, gint64 *value)
{
	gsize len;
	gint64 v;

	if (!read_tl (p, end, 0x02, &len) || len == 0 || len > 8)
		return FALSE;
	v = (gint8) (*p)[0];              /* sign-extend the first octet */
	for (gsize i = 1; i < len; i++)
		v = (gint64) ((guint64) v << 8) | (*p)[i];
	*p += len;
	*value = v;
	return TRUE;
}

static gboolean
read_varbinds (const guint8 *p, const guint8 *end, XnSimRequest *req)
{
	req->nvb = 0;
	while (p < end) {
		const guint8 *vb_end;
		gsize len;

		if (req->nvb == XN_SIM_VB_MAX || !read_tl (&p, end, 0x30, &len))
			return FALSE;
		vb_end = p + len;
		if (!read_tl (&p, vb_end, 0x06, &len) ||
		    !xn_sim_ber_decode_oid (p, len, &req->oid[req->nvb]))
			return FALSE;
		req->nvb++;
		p = vb_end;           /* the value (NULL in requests) is not ours to read */
	}
	return TRUE;
}

static gboolean
read_request (const guint8 *p, gsize n, XnSimRequest *req)
{
	const guint8 *end = p + n;
	gint64 version;
	gsize len;

	if (!read_tl (&p, end, 0x30, &len))
		return FALSE;
	end = p + len;
	if (!read_int (&p, end, &version) || (version != 0 && version != 1))
		return FALSE;
	req->version = (guint) version;
	if (!read_tl (&p, end, 0x04, &len))
		return FALSE;
	req->community = p;
	req->community_len = len;
	p += len;
	if (end - p < 2)
		return FALSE;
	req->type = p[0];
	if (!read_tl (&p, end, req->type, &len))
		return FALSE;
	end = p + len;
	if (end - p < 2 || p[0] != 0x02)
		return FALSE;
	req->reqid = p;
	if (!read_tl (&req->reqid, end, 0x02, &req->reqid_len) ||
	    req->reqid_len == 0 || req->reqid_len > 8)
		return FALSE;
	p = req->reqid + req->reqid_len;
	if (!read_int (&p, end, &req->a) || !read_int (&p, end, &req->b) ||
	    !read_tl (&p, end, 0x30, &req->vbl_len))
		return FALSE;
	req->vbl = p;
	return read_varbinds (p, p + req->vbl_len, req);
}

/* ---- writing ---- */

static gsize
len_octets (gsize n)
{
	return n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 4;
}

static gsize
int_tlv (gint64 v)
{
	gsize n = 1;

	while (n < 8 && (v >= 0 ? v > (G_MAXINT64 >> (64 - 8 * n)) : v < (G_MININT64 >> (64 - 8 * n))))
		n++;
	return 2 + n;
}

/* The whole datagram's size for a varbind list of vbl_len octets. */
static gsize
message_size (const XnSimRequest *req, gsize vbl_len, gint64 status, gint64 index)
{
	gsize pdu = 1 + len_octets (vbl_len) + vbl_len + int_tlv (status) + int_tlv (index) +
		2 + req->reqid_len;
	gsize msg = 3 + 1 + len_octets (req->community_len) + req->community_len +
		1 + len_octets (pdu) + pdu;

	return 1 + len_octets (msg) + msg;
}

static guint8 *
prepend_len (guint8 *p, gsize n)
{
	guint k = 0;

	if (n < 0x80) {
		*--p = (guint8) n;
		return p;
	}
	for (gsize m = n; m != 0; m >>= 8, k++)
		*--p = m & 0xff;
	*--p = 0x80 | k;
	return p;
}

static guint8 *
prepend_int (guint8 *p, gint64 v)
{
	gsize n = int_tlv (v) - 2;

	for (gsize i = 0; i < n; i++, v >>= 8)
		*--p = v & 0xff;
	*--p = (guint8) n;
	*--p = 0x02;
	return p;
}

/* Write the headers in front of the varbinds and move the datagram to the
 * start of the buffer; returns its size. */
static gsize
finish (XnSimResponse *r, gint64 status, gint64 index)
{
	const XnSimRequest *req = r->req;
	guint8 *vb = r->buf + HEADER_RESERVE;
	guint8 *end = r->p, *p = vb;
	gsize n;

	p = prepend_len (p, end - vb);
	*--p = 0x30;
	p = prepend_int (p, index);
	p = prepend_int (p, status);
	p -= req->reqid_len;
	memcpy (p, req->reqid, req->reqid_len);
	p = prepend_len (p, req->reqid_len);
	*--p = 0x02;
	p = prepend_len (p, end - p);
	*--p = PDU_RESPONSE;
	p -= req->community_len;
	memcpy (p, req->community, req->community_len);
	p = prepend_len (p, req->community_len);
	*--p = 0x04;
	p = prepend_int (p, req->version);
	p = prepend_len (p, end - p);
	*--p = 0x30;
	n = end - p;
	memmove (r->buf, p, n);
	return n;
}

static gboolean
fits (XnSimResponse *r, gsize add)
{
	return message_size (r->req, (r->p - (r->buf + HEADER_RESERVE)) + add, 0, 0) <= r->max_msg;
}

static gboolean
add_obj (XnSimResponse *r, const XnSimView *v, const XnSimObj *obj)
{
	gsize n = xn_sim_mib_encode (v, obj, r->p, r->limit - r->p);

	if (n == 0 || !fits (r, n))
		return FALSE;
	r->p += n;
	r->count++;
	return TRUE;
}

static gboolean
add_exception (XnSimResponse *r, const XnSimOid *oid, guint8 tag)
{
	gsize n = xn_sim_ber_oid_vb (oid, tag, r->p, r->limit - r->p);

	if (n == 0 || !fits (r, n))
		return FALSE;
	r->p += n;
	r->count++;
	return TRUE;
}

/* An error response carries the request's varbinds unchanged (RFC 3416
 * §4.2.1), except tooBig, whose list is empty. */
static gsize
error_response (XnSimResponse *r, gint64 status, gint64 index)
{
	r->p = r->buf + HEADER_RESERVE;
	r->count = 0;
	if (status != ERR_TOO_BIG &&
	    message_size (r->req, r->req->vbl_len, status, index) <= r->max_msg &&
	    (gsize) (r->limit - r->p) >= r->req->vbl_len) {
		memcpy (r->p, r->req->vbl, r->req->vbl_len);
		r->p += r->req->vbl_len;
		return finish (r, status, index);
	}
	return finish (r, ERR_TOO_BIG, 0);
}

/* ---- the operations ---- */

static gsize
answer_get (XnSimResponse *r, const XnSimView *v, XnSimStats *stats)
{
	const XnSimRequest *req = r->req;

	for (guint i = 0; i < req->nvb; i++) {
		XnSimObj obj;
		XnSimLookup found = xn_sim_mib_get (v, &req->oid[i], &obj);
		gboolean ok;

		if (found != XN_SIM_FOUND && v->v1)
			return error_response (r, ERR_NO_SUCH_NAME, i + 1);
		if (found == XN_SIM_FOUND)
			ok = add_obj (r, v, &obj);
		else
			ok = add_exception (r, &req->oid[i], found == XN_SIM_NO_SUCH_OBJECT ?
					    EXC_NO_SUCH_OBJECT : EXC_NO_SUCH_INSTANCE);
		if (!ok) {
			stats->too_big++;
			return error_response (r, ERR_TOO_BIG, 0);
		}
	}
	return finish (r, 0, 0);
}

static gsize
answer_getnext (XnSimResponse *r, const XnSimView *v, XnSimStats *stats)
{
	const XnSimRequest *req = r->req;

	for (guint i = 0; i < req->nvb; i++) {
		XnSimObj obj;
		gboolean ok;

		if (xn_sim_mib_next (v, &req->oid[i], &obj))
			ok = add_obj (r, v, &obj);
		else if (v->v1)
			return error_response (r, ERR_NO_SUCH_NAME, i + 1);
		else
			ok = add_exception (r, &req->oid[i], EXC_END_OF_MIB);
		if (!ok) {
			stats->too_big++;
			return error_response (r, ERR_TOO_BIG, 0);
		}
	}
	return finish (r, 0, 0);
}

/* One repetition for every repeater; FALSE once the datagram is full or
 * every repeater has run off the end of the MIB. */
static gboolean
bulk_row (XnSimResponse *r, const XnSimView *v, guint first, gboolean initial,
	  XnSimObj *cur, XnSimOid *end_name, gboolean *ended)
{
	const XnSimRequest *req = r->req;
	gboolean any = FALSE;

	for (guint k = 0; k + first < req->nvb; k++) {
		gboolean found = FALSE;

		if (!ended[k]) {
			found = initial ? xn_sim_mib_next (v, &req->oid[first + k], &cur[k])
					: xn_sim_mib_next_obj (v, &cur[k]);
			if (!found) {
				/* endOfMibView keeps the last name the walk reached. */
				ended[k] = TRUE;
				if (initial)
					end_name[k] = req->oid[first + k];
				else
					xn_sim_mib_obj_oid (&cur[k], &end_name[k]);
			}
		}
		if (found ? !add_obj (r, v, &cur[k]) : !add_exception (r, &end_name[k], EXC_END_OF_MIB))
			return FALSE;
		any |= found;
	}
	return any;
}

static gsize
answer_getbulk (XnSimResponse *r, const XnSimView *v)
{
	const XnSimRequest *req = r->req;
	guint non_rep = (guint) CLAMP (req->a, 0, (gint64) req->nvb);
	gint64 max_rep = MAX (req->b, 0);
	XnSimObj cur[XN_SIM_VB_MAX];
	XnSimOid end_name[XN_SIM_VB_MAX];
	gboolean ended[XN_SIM_VB_MAX] = { FALSE };

	for (guint i = 0; i < non_rep; i++) {
		XnSimObj obj;

		if (xn_sim_mib_next (v, &req->oid[i], &obj) ? !add_obj (r, v, &obj)
		    : !add_exception (r, &req->oid[i], EXC_END_OF_MIB))
			return finish (r, 0, 0);
	}
	if (non_rep == req->nvb)
		return finish (r, 0, 0);
	for (gint64 j = 0; j < max_rep; j++)
		if (!bulk_row (r, v, non_rep, j == 0, cur, end_name, ended))
			break;
	return finish (r, 0, 0);
}

gsize
xn_sim_answer (const XnSimView *view, const guint8 *data, gsize len,
	       guint8 *resp, gsize resp_cap, XnSimStats *stats)
{
	XnSimRequest req;
	XnSimResponse r;
	XnSimView v = *view;
	gsize n;

	if (!read_request (data, len, &req)) {
		stats->malformed++;
		return 0;
	}
	if (req.community_len != v.cfg->community_len ||
	    memcmp (req.community, v.cfg->community, req.community_len) != 0) {
		stats->bad_community++;
		return 0;
	}
	v.v1 = req.version == 0;
	r.req = &req;
	r.buf = resp;
	r.p = resp + HEADER_RESERVE;
	r.limit = resp + resp_cap;
	r.max_msg = MIN (v.cfg->max_size, resp_cap);
	r.count = 0;
	switch (req.type) {
	case PDU_GET: n = answer_get (&r, &v, stats); break;
	case PDU_GETNEXT: n = answer_getnext (&r, &v, stats); break;
	case PDU_GETBULK:
		if (v.v1) {
			stats->malformed++;       /* no GETBULK in SNMPv1 */
			return 0;
		}
		n = answer_getbulk (&r, &v);
		break;
	case PDU_SET:
		n = error_response (&r, v.v1 ? ERR_NO_SUCH_NAME : ERR_NO_ACCESS, req.nvb > 0 ? 1 : 0);
		break;
	default:
		stats->malformed++;
		return 0;
	}
	stats->requests++;
	stats->responses++;
	stats->varbinds += r.count;
	return n;
}
