/* link-verify-get.c — the GET that checks a link trap: its OIDs, and what
 * an agent's reply to it says (see link-verify.h).
 *
 * One GET asks ifOperStatus.N and ifAdminStatus.N of IF-MIB's ifTable
 * and, but of SNMPv1 agents, ifName.N of ifXTable, N being the ifIndex
 * the trap or the poller gave: the name tells whether N is still the
 * interface of the inventory (ifIndex values may be renumbered at a
 * reboot), and an agent without ifXTable answers noSuchObject for it,
 * which is no objection. SNMPv1 has no per-varbind exceptions: one unknown
 * column there fails the whole request with noSuchName, so it is not
 * asked. Pure: XnSnmpReply is snmp-session.h's plain view of an answer;
 * nothing here sends or includes Net-SNMP. */
#include "link-verify.h"

#include <string.h>

/* IF-MIB: ifTable columns (RFC 2863) and ifXTable's ifName, without the
 * ifIndex. */
static const XnSubid if_oper_status[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 8 };
static const XnSubid if_admin_status[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 7 };
static const XnSubid if_name_column[] = { 1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1 };

/* RFC 3416 error-status noSuchName: how SNMPv1 says "no such row". */
#define ERROR_NO_SUCH_NAME 2

void
xn_link_answer_clear (XnLinkAnswer *answer)
{
	g_clear_pointer (&answer->reason, g_free);
}

static guint
column_oid (XnSubid arcs[16], const XnSubid *column, guint len, gint64 index, XnOid *oid)
{
	memcpy (arcs, column, len * sizeof (XnSubid));
	arcs[len] = (XnSubid) index;
	oid->arcs = arcs;
	oid->len = len + 1;
	return 1;
}

guint
xn_link_check_request (const XnLinkCheck *check, XnSnmpVersion version, XnSubid arcs[3][16], XnOid oids[3])
{
	guint n = 0;

	n += column_oid (arcs[n], if_oper_status, G_N_ELEMENTS (if_oper_status), check->if_index, &oids[n]);
	n += column_oid (arcs[n], if_admin_status, G_N_ELEMENTS (if_admin_status), check->if_index, &oids[n]);
	if (version != XN_SNMP_V1)
		n += column_oid (arcs[n], if_name_column, G_N_ELEMENTS (if_name_column), check->if_index, &oids[n]);
	return n;
}

static gboolean
is_column (const XnOid *name, const XnSubid *column, guint len, gint64 index)
{
	return name->len == len + 1 && memcmp (name->arcs, column, len * sizeof (XnSubid)) == 0 &&
	       name->arcs[len] == (XnSubid) index;
}

/* An INTEGER status in 1..7, else 0 (noSuchInstance and the like). */
static guint
status_of (const XnVarbind *vb)
{
	return vb->type == XN_ASN_INTEGER && vb->integer >= 1 && vb->integer <= 7 ? (guint) vb->integer : 0;
}

static void
read_varbinds (XnLinkAnswer *answer, const XnLinkCheck *check, const XnSnmpReply *reply)
{
	for (guint i = 0; i < reply->n_varbinds; i++) {
		const XnVarbind *vb = &reply->varbinds[i];
		g_autofree char *name = NULL;

		if (is_column (&vb->name, if_oper_status, G_N_ELEMENTS (if_oper_status), check->if_index)) {
			answer->oper_status = status_of (vb);
		} else if (is_column (&vb->name, if_admin_status, G_N_ELEMENTS (if_admin_status), check->if_index)) {
			answer->admin_status = status_of (vb);
		} else if (is_column (&vb->name, if_name_column, G_N_ELEMENTS (if_name_column), check->if_index) &&
			   vb->type == XN_ASN_OCTET_STRING &&
			   (vb->octets_len != strlen (check->if_name) ||
			    memcmp (vb->octets, check->if_name, vb->octets_len) != 0)) {
			name = g_utf8_make_valid ((const char *) vb->octets, (gssize) MIN (vb->octets_len, 64));
			answer->kind = XN_LINK_ANSWER_ELSEWHERE;
			answer->reason = g_strdup_printf ("ifIndex %" G_GINT64_FORMAT " is '%s' on the agent now, not %s",
							  check->if_index, name, check->if_name);
		}
	}
}

void
xn_link_answer_read (XnLinkAnswer *answer, const XnLinkCheck *check, const XnSnmpReply *reply)
{
	answer->admin_status = answer->oper_status = 0;
	g_clear_pointer (&answer->reason, g_free);
	answer->kind = XN_LINK_ANSWER_STATUS;
	switch (reply->kind) {
	case XN_SNMP_REPLY_TIMEOUT:
	case XN_SNMP_REPLY_FAILED:
		answer->kind = XN_LINK_ANSWER_SILENT;
		answer->reason = g_strdup (reply->reason != NULL ? reply->reason : "no answer");
		return;
	case XN_SNMP_REPLY_AUTH_FAILED:
		answer->kind = XN_LINK_ANSWER_REFUSED;
		answer->reason = g_strdup (reply->reason != NULL ? reply->reason : "authentication failed");
		return;
	case XN_SNMP_REPLY_RESPONSE:
		break;
	}
	if (reply->error_status == ERROR_NO_SUCH_NAME) {
		answer->kind = XN_LINK_ANSWER_ELSEWHERE;
		answer->reason = g_strdup_printf ("the agent has no ifIndex %" G_GINT64_FORMAT " (noSuchName)",
						  check->if_index);
		return;
	}
	if (reply->error_status != 0) {
		answer->kind = XN_LINK_ANSWER_REFUSED;
		answer->reason = g_strdup_printf ("the agent answered error-status %u (varbind %u)", reply->error_status,
						  reply->error_index);
		return;
	}
	read_varbinds (answer, check, reply);
	if (answer->kind == XN_LINK_ANSWER_STATUS && answer->oper_status == 0) {
		answer->kind = XN_LINK_ANSWER_ELSEWHERE;
		answer->reason = g_strdup_printf ("the agent has no ifOperStatus.%" G_GINT64_FORMAT " (no such interface)",
						  check->if_index);
	}
}
