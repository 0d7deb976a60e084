"""SLAs on the business calendar (issue 27.13): first-response and resolution targets per team,
counted only in that team's hours, never on its holidays or shutdowns.

clock.py counts business time on a team calendar (bot/shared/calendar.py), targets.py reads the
targets (company.yml `sla`, an admin's override in sla_targets), status.py says where one handoff
stands, store.py reads the handoffs, service.py puts it together for the console, the reports and
/metrics.
"""
