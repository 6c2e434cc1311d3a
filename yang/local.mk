# yang/: extranoc's own YANG modules, installed for the daemons and CLI.
yangdir = $(pkgdatadir)/yang
dist_yang_DATA = \
	yang/extranoc-types.yang \
	yang/extranoc-inventory.yang \
	yang/extranoc-policy.yang \
	yang/extranoc-secrets.yang
