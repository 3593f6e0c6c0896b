"""Writes of the teams app. Keyword-only, validated, each inside one transaction.

Every service takes the acting user (`actor`) and refuses, with PermissionDenied, what the
actor's role may not do or what lies outside the actor's scope (`allow`): the pages check the
same before they call, but an import, an admin action or a task reaches the rows only through
here. Managing people needs manage_people at the row's unit; the district's rules need it at
the district; scoring, quotas and model communities need it strictly above the unit (a
community does not score its own workers, a township does not raise its own quota).

A service raises ValidationError (keyed by field where it can) for bad input or a refused
transition; nothing is half-saved. Concurrent edits: monthly scores carry a version and are
saved with a conditional update; status transitions are conditional updates on the status
they start from, so two people acting at once never both win.

One module per noun; import from the noun's module (teams.services.training, …)."""
