# policy.jq — the demo's policy: data/policy-default.json with the
# regulation's hours read as minutes, so a whole ticket (opened, a response
# breach, acknowledged in time, restored, closed) plays out in a few
# minutes (scripts/demo, README.md). Targets in seconds; the escalation
# steps stay the default 100/150/200 %.
.["extranoc-policy:policy"] |= (
	."fault-repair" |= (
		."response-target" = 120
		| ."restore-target" = {
			"county-unit": 240,
			"core-room": 300,
			"township": 360,
			"complex": 600 }
		| .escalation = [100, 150, 200]
		| ."flap-grace" = 30
		| ."noc-contact" = {
			name: "示例市电子政务外网运维中心（演示）",
			phone: "0000-12345-00",
			email: "noc@gov.example" })
	| .outages."correlation-window" = 30
)
