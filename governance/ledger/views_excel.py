"""Excel pages of the ledger: import into one ledger (upload, preview, confirm) and the export of
the filtered item list.

Between the preview and the confirmation the uploaded file waits on the server as
MEDIA_ROOT/imports/<random UUID>.xlsx (media are not served by URL). The confirmation form
carries a token the server signed, naming that UUID, the user, the ledger and the file's name;
the server builds the path from the UUID alone, so a client cannot point it at another file,
another user's upload or another ledger. Confirming claims the file by renaming it, so a
double submit imports once. Files of abandoned previews are removed a day later, when the
next upload arrives.
"""

import time
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from governance import access, excel
from governance.excel import MAX_FILE_MB, XLSX_TYPE
from governance.ledger.dates import as_deadline_cell
from governance.ledger.filters import ItemFilter
from governance.ledger.resources import (
    MAX_ROWS,
    REQUIRED_COLUMNS,
    LedgerItemResource,
    SheetError,
    blank_workbook,
    read_sheet,
    row_problems,
)
from governance.models import Ledger, LedgerItem

TEMPLATE = "ledger/import.html"
TOKEN_SALT = "governance.ledger.item-import"
TOKEN_MAX_AGE = 2 * 3600  # seconds a preview may be confirmed
STALE_AFTER = 24 * 3600  # seconds after which a left-behind upload is removed
PREVIEW_ROWS = 200


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX_TYPE}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB; split it into smaller files.")
                % {"size": MAX_FILE_MB}
            )
        return upload


class PreviewExpired(Exception):
    pass


def _import_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _keep(data: bytes, user, ledger: Ledger, name: str) -> str:
    """Store the upload until it is confirmed; return the signed token that names it."""
    folder = _import_dir()
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - STALE_AFTER
    for old in folder.iterdir():
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except FileNotFoundError:
            pass  # claimed or removed by another request meanwhile
    key = uuid.uuid4().hex
    (folder / f"{key}.xlsx").write_bytes(data)
    return signing.dumps(
        {"user": user.pk, "ledger": ledger.pk, "file": key, "name": name[:200]}, salt=TOKEN_SALT
    )


def _claim(token: str, user, ledger: Ledger) -> tuple[bytes, str]:
    """The bytes and name of the upload a token names, removed from the server: only one
    confirmation can claim it."""
    try:
        kept = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        key = uuid.UUID(hex=kept["file"]).hex
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise PreviewExpired from None
    if kept.get("user") != user.pk or kept.get("ledger") != ledger.pk:
        raise PreviewExpired
    source = _import_dir() / f"{key}.xlsx"
    claimed = source.with_suffix(f".{uuid.uuid4().hex}.claimed")
    try:
        source.rename(claimed)
    except FileNotFoundError:
        raise PreviewExpired from None
    try:
        return claimed.read_bytes(), kept.get("name", "")
    finally:
        claimed.unlink(missing_ok=True)


def _outcome(resource: LedgerItemResource, result) -> dict:
    created = resource.created
    return {
        "problems": row_problems(result),
        "created": [
            {"row": row, "item": item, "numbered": numbered, "due": as_deadline_cell(item.due_at)}
            for row, item, numbered in created[:PREVIEW_ROWS]
        ],
        "created_count": len(created),
        "more_rows": max(0, len(created) - PREVIEW_ROWS),
        "ignored_columns": resource.ignored_columns,
        "history_rows": resource.history_rows,
    }


def _context(ledger: Ledger, form: ImportForm, **extra) -> dict:
    return {
        "ledger": ledger,
        "form": form,
        "columns": LedgerItemResource.headers(),
        "required_columns": REQUIRED_COLUMNS,
        "max_rows": MAX_ROWS,
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def item_import(request, ledger_pk: int):
    """Upload → preview (a dry run: every row checked, nothing kept) → confirm (the import)."""
    ledger = get_object_or_404(
        Ledger.objects.for_user(request.user).select_related("unit"), pk=ledger_pk
    )
    if not access.can(request.user, "create_items", ledger.unit):
        raise PermissionDenied
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, ledger)
    if request.method == "POST":
        return _preview(request, ledger)
    if request.GET.get("template"):
        return excel.response(
            blank_workbook(), _("%(name)s (template).xlsx") % {"name": ledger.name}
        )
    return render(request, TEMPLATE, _context(ledger, ImportForm()))


def _preview(request, ledger: Ledger):
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, TEMPLATE, _context(ledger, form), status=400)
    upload = form.cleaned_data["file"]
    data = upload.read()
    try:
        dataset = read_sheet(data)
    except SheetError as error:
        form.add_error("file", str(error))
        return render(request, TEMPLATE, _context(ledger, form), status=400)
    resource = LedgerItemResource(user=request.user, ledger=ledger)
    result = resource.import_data(dataset, dry_run=True, file_name=upload.name)
    outcome = _outcome(resource, result)
    if not outcome["problems"]:
        outcome["token"] = _keep(data, request.user, ledger, upload.name)
    return render(
        request,
        TEMPLATE,
        _context(ledger, ImportForm(), file_name=upload.name, **outcome),
        status=400 if outcome["problems"] else 200,
    )


def _confirm(request, ledger: Ledger):
    try:
        data, name = _claim(request.POST["token"], request.user, ledger)
    except PreviewExpired:
        messages.error(
            request,
            _(
                "This preview can no longer be confirmed: it was confirmed already, or it is "
                "older than two hours. Upload the file again."
            ),
        )
        return redirect("ledger:item-import", ledger_pk=ledger.pk)
    resource = LedgerItemResource(user=request.user, ledger=ledger)
    result = resource.import_data(read_sheet(data), dry_run=False, file_name=name)
    outcome = _outcome(resource, result)
    if outcome["problems"]:
        # The data changed since the preview (e.g. someone took a number): all rolled back.
        return render(
            request,
            TEMPLATE,
            _context(ledger, ImportForm(), file_name=name, confirmed=True, **outcome),
            status=400,
        )
    count = outcome["created_count"]
    messages.success(
        request,
        ngettext(
            "%(count)s item was imported into “%(ledger)s”.",
            "%(count)s items were imported into “%(ledger)s”.",
            count,
        )
        % {"count": count, "ledger": ledger.name},
    )
    return redirect(ledger.get_absolute_url())


@login_required
@require_GET
def item_export(request):
    """The item list as filtered by the same query string, as .xlsx; recorded as an export."""
    if not access.can(request.user, "export"):
        raise PermissionDenied
    filterset = ItemFilter(
        request.GET, queryset=LedgerItem.objects.for_user(request.user), request=request
    )
    if "unit" in filterset.errors:  # a unit outside the user's scope, as on the list
        raise Http404
    filters = {key: request.GET.getlist(key) for key in request.GET if key != "page"}
    resource = LedgerItemResource(user=request.user)
    output = resource.export_workbook(filterset.qs, detail={"filters": filters})
    return excel.response(output, excel.file_name(_("Ledger items")))
