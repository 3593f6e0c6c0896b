"""The problem ledgers (问题台账): everything of them lives in this package.

models (imported by governance.models), admin (imported by governance/admin.py), services and
rules (the lifecycle), views/ and forms/ (items; figures and review meetings), one urls.py,
resources (Excel export and `ItemImporter`), figures, reviews, reminders, notices, home (the
home panels; nav items and panels are registered in governance/apps.py), demo, templatetags/,
templates/ledger/ and tests/.

A package inside the governance app, not an app of its own: its models keep the app label
`governance` (same tables, content types, permissions and admin URLs, no migration), which an
own app would have to move by a data migration, and the ledger is governance's core workflow,
built on its units, roles and calendar. The cost is two settings lines: TEMPLATES' DIRS names
templates/ here and its "libraries" name the tag libraries (`{% load ledger %}`,
`{% load ledger_figures %}`), which Django finds by itself only in an installed app; and
governance/tests/harness.py adds tests/harness.py's cases to the URL harness.
"""
