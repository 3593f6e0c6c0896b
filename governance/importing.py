"""The one importer: every .xlsx import in the product is a subclass of `Importer` shown by
`import_page`, with one user flow:

1. upload: the file is read (governance.excel: size, zip bomb and row cap checked first);
2. preview: every row is written inside a transaction that is then rolled back, so the preview
   shows exactly what the confirmation will do, with each row's problems (row as Excel numbers
   it, column, reason in Chinese); nothing is kept;
3. confirm: the same file (kept on the server under a signed token naming the user and the
   importer's purpose; see `keep_upload`) is written again, all or nothing.

Each page also offers a blank template whose headers are exactly the columns the importer
reads. One row cap for every import: `SHANZHI_IMPORT_MAX_ROWS` (settings).

An importer says what it reads (`columns`, `required`) and how to write one checked row
(`write_row`); it raises `RowProblem` (or Django's ValidationError) for a row it cannot take.
"""

import time
import uuid
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from governance import access, excel
from governance.excel import MAX_FILE_MB, XLSX_TYPE, SheetError
from governance.models import AuditEvent
from governance.services import audit_record

TOKEN_SALT = "governance.importing"
TOKEN_MAX_AGE = 2 * 3600  # seconds a preview may be confirmed
STALE_AFTER = 24 * 3600  # seconds after which a left-behind upload is removed
PREVIEW_ROWS = 200
TEMPLATE = "governance/import.html"


def max_rows() -> int:
    return settings.SHANZHI_IMPORT_MAX_ROWS


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


# Keeping an upload between preview and confirmation ----------------------------------------


class PreviewExpired(Exception):
    pass


def _import_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def keep_upload(data: bytes, user, purpose: str, name: str) -> str:
    """Store an upload until it is confirmed; return the signed token that names it.

    The file waits as MEDIA_ROOT/imports/<random UUID>.xlsx (media are not served by URL). The
    token names that UUID, the user and the `purpose` (the importer and what it imports into,
    e.g. "ledger.items:12"); the server builds the path from the UUID alone, so a client cannot
    point it at another file, another user's upload or another import. Files of abandoned
    previews are removed a day later, when the next upload arrives."""
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
        {"user": user.pk, "purpose": purpose, "file": key, "name": name[:200]}, salt=TOKEN_SALT
    )


def claim_upload(token: str, user, purpose: str) -> tuple[bytes, str]:
    """The bytes and name of the upload a token names, removed from the server: only one
    confirmation can claim it. PreviewExpired when the token is not this user's for this
    purpose, is older than TOKEN_MAX_AGE, or was claimed already."""
    try:
        kept = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        key = uuid.UUID(hex=kept["file"]).hex
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise PreviewExpired from None
    if kept.get("user") != user.pk or kept.get("purpose") != purpose:
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


# The importer -------------------------------------------------------------------------------


class RowProblem(Exception):
    """A row the importer cannot take: `column` is the header it concerns ("" for the row)."""

    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column
        self.reason = str(reason)


@dataclass
class Outcome:
    #: (row as Excel numbers it or None, column header or "", reason), in row order.
    problems: list[tuple] = field(default_factory=list)
    #: What the rows became, for the preview: one list of cells per row (`Importer.preview`).
    rows: list[list] = field(default_factory=list)
    count: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class Importer:
    """One kind of sheet. Subclasses set `label`, `columns`, `required`, `preview_columns`
    and implement `write_row`; `purpose` must name what the import goes into when that depends
    on the page (a ledger, a venue)."""

    #: The sheet's name: the template's file name and the page's title.
    label = ""
    #: Headers, exactly as the template writes them and the reader looks them up.
    columns: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    #: Headers of the preview table (default: the sheet's columns).
    preview_columns: tuple[str, ...] = ()
    #: Where the page goes after a confirmed import (URL name), and its help lines' template.
    done_url = ""
    help_template = ""
    #: The model the rows become: the target of the audit record a confirmed import leaves.
    model = None
    #: The upload's name (set by `import_page`), kept in that audit record.
    file_name = ""
    #: Each row in its own savepoint, so a row the database refuses leaves the others usable.
    #: An importer whose `write_row` only checks (and writes in bulk in `finish`) turns it off:
    #: two queries a row fewer.
    row_savepoints = True
    #: The page: governance/import.html, or a template extending it (`{% block preview_help %}`).
    template = TEMPLATE

    def __init__(self, user, **scope):
        self.user = user
        self.scope = scope

    @property
    def purpose(self) -> str:
        keys = ",".join(f"{k}={getattr(v, 'pk', v)}" for k, v in sorted(self.scope.items()))
        return f"{type(self).__module__}.{type(self).__qualname__}:{keys}"

    # -- subclasses ---------------------------------------------------------------------------

    def prepare(self, dataset) -> None:
        """Look up, once per file, what the rows refer to (units, catalogues, …)."""

    def write_row(self, number: int, row: dict) -> list | None:
        """Write one row (a dict header → trimmed text or None); return its preview cells.
        Raise RowProblem or ValidationError when the row cannot be taken."""
        raise NotImplementedError

    def finish(self) -> list[tuple]:
        """Checks over the whole file after every row (e.g. duplicates); returns problems."""
        return []

    def audit_target(self) -> str:
        return self.model._meta.label_lower if self.model is not None else str(self.label)

    def audit_unit(self):
        """The unit the audit record is filed under: the user's own."""
        return access.primary_unit(self.user)

    def audit_detail(self, outcome: "Outcome") -> dict:
        return {"new": outcome.count}

    # -- the flow -----------------------------------------------------------------------------

    def blank(self) -> bytes:
        return excel.blank_table(str(self.label), [str(c) for c in self.columns])

    def read(self, data: bytes):
        return excel.read_table(data, max_rows=max_rows(), header=str(self.columns[0]))

    def run(self, data: bytes, *, dry_run: bool) -> Outcome:
        """Check and write every row in one transaction; roll it back on a dry run or when any
        row has a problem. SheetError when the file itself cannot be read."""
        dataset = self.read(data)
        outcome = Outcome()
        headers = [h or "" for h in (dataset.headers or [])]
        missing = [c for c in self.required if c not in headers]
        if missing:
            outcome.problems.append(
                (None, "、".join(missing), _("The sheet has no column with this header."))
            )
            return outcome
        with transaction.atomic():
            self.prepare(dataset)
            for index, values in enumerate(dataset):
                cells = {h: _text(v) for h, v in zip(headers, values, strict=False) if h}
                if not any(cells.values()):
                    continue
                number = index + 2
                try:
                    with transaction.atomic() if self.row_savepoints else nullcontext():
                        preview = self.write_row(number, cells)
                except RowProblem as problem:
                    outcome.problems.append((number, problem.column, problem.reason))
                except ValidationError as error:
                    for column, reason in _validation_messages(error):
                        outcome.problems.append((number, column, reason))
                else:
                    outcome.count += 1
                    if preview is not None and len(outcome.rows) < PREVIEW_ROWS:
                        outcome.rows.append([number, *preview])
            outcome.problems.extend(self.finish())
            if dry_run or outcome.problems:
                transaction.set_rollback(True)
            elif self.user is not None:
                # Every confirmed import leaves one audit record, written with its rows.
                audit_record(
                    actor=self.user,
                    action=AuditEvent.Action.IMPORT,
                    target=self.audit_target(),
                    unit=self.audit_unit(),
                    row_count=outcome.count,
                    detail={"file": self.file_name, **self.audit_detail(outcome)},
                )
        return outcome


def whole(value):
    """Excel hands numbers over as floats: a phone typed as a number arrives as 13800138000.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _text(value):
    if value is None:
        return None
    value = whole(value)
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value
    text = str(value).strip()
    return text or None


def _validation_messages(error: ValidationError):
    if hasattr(error, "error_dict"):
        for name, reasons in error.message_dict.items():
            for reason in reasons:
                yield ("" if name == "__all__" else name), reason
    else:
        for reason in error.messages:
            yield "", reason


# The page -----------------------------------------------------------------------------------


def import_page(request, importer: Importer, *, title, back_url: str, done_url: str = ""):
    """GET: the upload form (`?template=1`: the blank template); POST with a file: the
    preview; POST with a token: the confirmation. The caller has checked scope and role."""
    context = {
        "importer": importer,
        "title": title,
        "back_url": back_url,
        "columns": [str(c) for c in importer.columns],
        "required_columns": [str(c) for c in importer.required],
        "preview_columns": [str(c) for c in (importer.preview_columns or importer.columns)],
        "max_rows": max_rows(),
    }
    if request.method == "GET":
        if request.GET.get("template"):
            return excel.response(
                importer.blank(), _("%(name)s (template).xlsx") % {"name": importer.label}
            )
        return render(request, importer.template, {**context, "form": ImportForm()})
    if "token" in request.POST:
        try:
            data, name = claim_upload(request.POST["token"], request.user, importer.purpose)
        except PreviewExpired:
            messages.error(
                request,
                _(
                    "This preview can no longer be confirmed: it was confirmed already, or it "
                    "is older than two hours. Upload the file again."
                ),
            )
            return redirect(request.get_full_path())
        importer.file_name = name
        try:
            outcome = importer.run(data, dry_run=False)
        except SheetError as error:  # the same file read at preview: only if settings changed
            messages.error(request, str(error))
            return redirect(request.get_full_path())
        if not outcome.ok:  # the data changed since the preview: all rolled back
            return render(
                request,
                importer.template,
                {
                    **context,
                    "form": ImportForm(),
                    "outcome": outcome,
                    "confirmed": True,
                    "file_name": name,
                },
                status=400,
            )
        messages.success(
            request,
            ngettext("%(count)s row was imported.", "%(count)s rows were imported.", outcome.count)
            % {"count": outcome.count},
        )
        return redirect(done_url or back_url)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, importer.template, {**context, "form": form}, status=400)
    upload = form.cleaned_data["file"]
    data = upload.read()
    importer.file_name = upload.name
    try:
        outcome = importer.run(data, dry_run=True)
    except SheetError as error:
        form.add_error("file", str(error))
        return render(request, importer.template, {**context, "form": form}, status=400)
    token = keep_upload(data, request.user, importer.purpose, upload.name) if outcome.ok else ""
    labels = [_("Row"), *context["preview_columns"]]
    return render(
        request,
        importer.template,
        {
            **context,
            "form": ImportForm(),
            "outcome": outcome,
            "preview_rows": [list(zip(labels, cells, strict=False)) for cells in outcome.rows],
            "token": token,
            "file_name": upload.name,
        },
        status=200 if outcome.ok else 400,
    )
