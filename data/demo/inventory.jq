# inventory.jq — the demo's inventory: data/sample-county.json as it is,
# but for what a run on one machine needs (scripts/demo, README.md).
#   $spool    spool directory of mobile's tickets (L-xi-hongqiao's carrier)
#   $net      first three octets of the management /24 (the sample's own
#             198.18.0 by default; another one lets two simnets coexist)
# telecom (L-dong-qingshan's carrier) keeps its SMTP channel with no server
# of its own, so its mail goes through the deployment's relay, which the
# demo's extranoc.conf points at a local SMTP sink. Every node is polled
# every 10 s, the shortest interval the inventory allows, so a link taken
# down is seen within seconds rather than minutes.
.["extranoc-inventory:inventory"] |= (
	.carrier |= map(
		if .name == "telecom" then ."ticket-channel" = { "smtp-to": ."ticket-channel"."smtp-to" }
		elif .name == "mobile" then ."ticket-channel" = { "spool-directory": $spool }
		else . end)
	| .node |= map(
		."management-address" = ($net + "." + (."management-address" | split(".")[3]))
		| if .snmp != null then .snmp."poll-interval" = 10 else . end)
)
