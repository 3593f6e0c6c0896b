"""Excel (.xlsx) import of the household register and exports of households and visit logs.

Column headers and the labels of 走访方式 and 审核状态 are Chinese whatever the interface
language: they are data, and a file must read back the same whoever exported it.

Import (户籍台账 of a community, in the columns below): all or nothing. Every row is checked
before anything is written: the grid code (known, a grid, active, one the importer manages
people of), the head's name, the phone and ID number (when present), the number of members,
the care tags (names from the grid's district list, separated by 、 or commas) and duplicates,
in the file or already registered: the same grid + building + entrance + room (without a room,
the same grid + address) or the same head's ID number. Full-width digits and letters and stray
spaces are folded first. Each problem names the spreadsheet row (the header is row 1), the
column and the reason. The import is recorded as an AuditEvent. The page, its preview and its
blank template are governance.importing's.

Exports hold the rows in the user's scope; the head's name, phone and ID number are in full
only where the user may see personal data over the household's grid (view_personal_data),
masked otherwise. Every export is recorded with the number of rows shown in full.
"""

import re

import tablib
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import access, excel, services
from governance.importing import Importer
from governance.masking import mask_id_number, mask_name, mask_phone
from governance.models import AuditEvent, Unit
from governance.normalize import clean_compact, clean_text
from governance.resources import in_scope
from grids.models import CareTag, Household, ReviewStatus, VisitKind, VisitLog
from grids.services.households import (
    clean_household_values,
    households_import,
    place_key,
)

COLUMNS = {
    "grid": "网格代码",
    "building": "楼栋/村民小组",
    "entrance": "单元",
    "room": "房号",
    "address": "地址",
    "head_name": "户主姓名",
    "head_phone": "联系电话",
    "head_id_number": "身份证号",
    "members": "家庭人数",
    "tags": "关注标签",
}
REQUIRED_COLUMNS = ("网格代码", "户主姓名")
# Headers people write instead of ours.
COLUMN_ALIASES = {"楼栋": "楼栋/村民小组", "村民小组": "楼栋/村民小组", "楼栋号": "楼栋/村民小组",
                  "单元号": "单元", "户主": "户主姓名", "手机号": "联系电话", "电话": "联系电话",
                  "人口数": "家庭人数", "标签": "关注标签"}  # fmt: skip
MAX_MEMBERS = 30
_TAG_SEPARATORS = re.compile(r"[,，、;；/\s]+")

VISIT_KIND_LABELS = {
    VisitKind.DOOR: "入户走访",
    VisitKind.PHONE: "电话",
    VisitKind.WECHAT: "微信",
    VisitKind.VENUE: "阵地接待",
}
REVIEW_LABELS = {
    ReviewStatus.PENDING: "未审核",
    ReviewStatus.APPROVED: "通过",
    ReviewStatus.REJECTED: "不通过",
    ReviewStatus.ON_HOLD: "暂缓",
}


class HouseholdImporter(Importer):
    """户籍台账: checks every row (see the module's docstring), then adds the checked rows in
    one bulk write (grids.services.households.households_import) and records the import."""

    label = "户籍台账"
    columns = tuple(COLUMNS.values())
    required = REQUIRED_COLUMNS
    preview_columns = ("网格", "楼栋/单元/房号", "地址", "户主姓名", "联系电话", "身份证号",
                       "家庭人数", "关注标签")  # fmt: skip
    help_template = "grids/_import_help.html"
    model = Household
    row_savepoints = False  # rows are checked one by one and written at once in finish()

    def read(self, data: bytes) -> tablib.Dataset:
        dataset = super().read(data)
        if dataset.headers:
            dataset.headers = [COLUMN_ALIASES.get(h, h) for h in dataset.headers]
        return dataset

    def prepare(self, dataset: tablib.Dataset) -> None:
        headers = dataset.headers or []

        def column(name) -> list:
            if name not in headers:
                return []
            return [_text(value) for value in dataset.get_col(headers.index(name))]

        self.grids = {
            u.code: u
            for u in Unit.objects.filter(
                code__in={clean_compact(c) for c in column(COLUMNS["grid"])} - {""}
            )
        }
        self.tags = _tags(self.grids.values())
        self.places = _existing_places(self.grids.values())
        numbers = {clean_compact(n).upper() for n in column(COLUMNS["head_id_number"])} - {""}
        self.ids = set(
            Household.objects.active()
            .filter(head_id_number__in=numbers)
            .values_list("head_id_number", flat=True)
        )
        self.seen_places: dict[tuple, int] = {}
        self.seen_ids: dict[str, int] = {}
        self.rows: list[dict] = []
        self.read_rows = 0
        self.refused_rows = 0

    def write_row(self, number: int, row: dict) -> list:
        self.read_rows += 1
        errors: dict[str, list[str]] = {}
        values = self._read(row, errors)
        grid = values.get("grid")
        key = place_key(grid.pk, values) if grid is not None else None
        column = COLUMNS["room"] if key is not None and len(key) == 4 else COLUMNS["address"]
        if key is not None and key in self.seen_places:
            errors.setdefault(column, []).append(
                _("The same household as row %(row)s of this file.")
                % {"row": self.seen_places[key]}
            )
        elif key is not None and key in self.places:
            errors.setdefault(column, []).append(
                _("A household at this address is already registered in %(grid)s.")
                % {"grid": grid.name}
            )
        elif key is not None:
            self.seen_places[key] = number
        number_id = values.get("head_id_number")
        id_column = COLUMNS["head_id_number"]
        if number_id and number_id in self.seen_ids:
            errors.setdefault(id_column, []).append(
                _("The same ID card number as row %(row)s of this file.")
                % {"row": self.seen_ids[number_id]}
            )
        elif number_id and number_id in self.ids:
            errors.setdefault(id_column, []).append(
                _("A household whose head has this ID card number is already registered.")
            )
        elif number_id:
            self.seen_ids[number_id] = number
        if errors:
            self.refused_rows += 1
            raise ValidationError(errors)
        self.rows.append(values)
        # The preview masks personal data, as the list does.
        place = "-".join(p for p in (values["building"], values["entrance"], values["room"]) if p)
        return [
            grid.name,
            place or "—",
            values["address"],
            mask_name(values["head_name"]),
            mask_phone(values["head_phone"]),
            mask_id_number(values["head_id_number"]),
            values["members"],
            "、".join(tag.name for tag in values["tags"]),
        ]

    def finish(self) -> list[tuple]:
        """Write the checked rows at once (one bulk insert beats a query per row for a
        community's thousands), and record the import."""
        if not self.read_rows:
            return [(None, "", _("The file has no data rows below the column headers."))]
        if self.refused_rows or not self.rows:
            return []  # nothing will be kept: no need to write the good rows
        households_import(rows=self.rows, actor=self.user)
        return []

    # Reading one row

    def _read(self, record: dict, errors: dict) -> dict:
        def text(key):
            return clean_text(record.get(COLUMNS[key]))

        code = clean_compact(record.get(COLUMNS["grid"]))
        grid = self.grids.get(code)
        if not code:
            errors[COLUMNS["grid"]] = [_("This field is required.")]
        elif grid is None or grid.kind != Unit.Kind.GRID:
            errors[COLUMNS["grid"]] = [
                _("There is no grid with the code “%(code)s”.") % {"code": code}
            ]
            grid = None
        elif not in_scope(self.user, grid) or not access.can(self.user, "manage_households", grid):
            errors[COLUMNS["grid"]] = [
                _("The grid “%(code)s” is outside the grids you manage.") % {"code": code}
            ]
            grid = None
        elif not grid.is_active:
            errors[COLUMNS["grid"]] = [
                _("The grid %(grid)s is no longer active (re-drawn).") % {"grid": grid.name}
            ]
            grid = None

        raw = {key: text(key) for key in ("building", "entrance", "room", "address", "head_name")}
        raw["head_phone"] = clean_compact(record.get(COLUMNS["head_phone"]))
        raw["head_id_number"] = clean_compact(record.get(COLUMNS["head_id_number"]))
        raw["members"] = _members(record.get(COLUMNS["members"]), errors)
        try:
            values = clean_household_values(raw)
        except ValidationError as error:
            values = raw
            for name, messages in error.message_dict.items():
                # One error per cell: "3人" is not a number; that it is missing too is noise.
                errors.setdefault(COLUMNS[name], messages[:1])
        for name in ("building", "entrance", "room", "address", "head_name"):
            limit = Household._meta.get_field(name).max_length
            if len(values[name]) > limit:
                errors.setdefault(COLUMNS[name], []).append(
                    _("At most %(max)s characters.") % {"max": limit}
                )
        values["tags"] = _read_tags(text("tags"), grid, self.tags, errors)
        values["grid"] = grid
        return values


def _text(value):
    # Excel hands numbers over as floats: a phone typed as a number arrives as 13800138000.0.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value)


def _tags(grids) -> dict[tuple[str, str], CareTag]:
    districts = {g.district.path for g in grids}
    return {
        (tag.district.path, tag.name): tag
        for tag in CareTag.objects.filter(district__path__in=districts).select_related("district")
    }


def _existing_places(grids) -> set[tuple]:
    """Places already on the register (active households) in the file's grids, in one query."""
    grid_ids = [g.pk for g in grids if g.kind == Unit.Kind.GRID]
    places = set()
    for values in (
        Household.objects.active()
        .filter(grid_id__in=grid_ids)
        .values("grid_id", "building", "entrance", "room", "address")
    ):
        key = place_key(values["grid_id"], values)
        if key is not None:
            places.add(key)
    return places


def _members(value, errors) -> int | None:
    text = clean_compact(value)
    if not text:
        return 1
    if not text.isdigit() or not 1 <= int(text) <= MAX_MEMBERS:
        errors[COLUMNS["members"]] = [
            _("“%(value)s” is not a number of members from 1 to %(max)s.")
            % {"value": text, "max": MAX_MEMBERS}
        ]
        return None
    return int(text)


def _read_tags(text: str, grid: Unit | None, tags: dict, errors: dict) -> list[CareTag]:
    names = [name for name in _TAG_SEPARATORS.split(text) if name]
    if not names or grid is None:
        return []
    district = grid.district.path
    found, unknown = [], []
    for name in dict.fromkeys(names):
        tag = tags.get((district, name))
        (found if tag else unknown).append(tag or name)
    if unknown:
        errors[COLUMNS["tags"]] = [
            _("Not in the district's list of care tags: %(names)s.") % {"names": "、".join(unknown)}
        ]
    return found


# Exports ------------------------------------------------------------------------------------


class _Masker:
    """Full personal data over the grids where the user may see it; counts the rows shown."""

    def __init__(self, user):
        self.user = user
        self.unmasked_rows = 0
        self._grids: dict[int, bool] = {}

    def may_see(self, grid: Unit) -> bool:
        if grid.pk not in self._grids:
            self._grids[grid.pk] = access.can(self.user, "view_personal_data", grid)
        return self._grids[grid.pk]


HOUSEHOLD_EXPORT_COLUMNS = [*COLUMNS.values(), "最近走访时间"]


def export_households(user, households, *, detail: dict):
    """The households (already scoped and filtered) as .xlsx, in the import's columns."""
    masker = _Masker(user)

    def rows():
        for h in (
            households.select_related("grid").prefetch_related("tags").iterator(chunk_size=2000)
        ):
            full = masker.may_see(h.grid)
            if full and (h.head_phone or h.head_id_number or h.head_name):
                masker.unmasked_rows += 1
            yield [
                h.grid.code or h.grid.name,
                h.building,
                h.entrance,
                h.room,
                h.address,
                h.head_name if full else mask_name(h.head_name),
                h.head_phone if full else mask_phone(h.head_phone),
                h.head_id_number if full else mask_id_number(h.head_id_number),
                h.members,
                "、".join(t.name for t in h.tags.all()),
                _moment(h.last_visited_at),
            ]

    output, count = excel.write_table(
        str(_("Households")), HOUSEHOLD_EXPORT_COLUMNS, rows(), {"地址": 30, "身份证号": 22}
    )
    _audit(
        user, Household._meta.label_lower, count, {**detail, "unmasked_rows": masker.unmasked_rows}
    )
    return output


VISIT_EXPORT_COLUMNS = ["走访时间", "网格代码", "网格", "楼栋/村民小组", "单元", "房号", "户主姓名",
                        "走访方式", "一切正常", "民情", "诉求", "当场办结", "走访人", "审核状态",
                        "审核意见"]  # fmt: skip


def export_visits(user, visits, *, detail: dict):
    """Visit logs (already scoped and filtered) as .xlsx; the grid is the one at visit time."""
    masker = _Masker(user)

    def rows():
        for v in visits.select_related("grid", "household", "worker", "worker__person").iterator(
            chunk_size=2000
        ):
            h = v.household
            full = masker.may_see(v.grid)
            if full:
                masker.unmasked_rows += 1
            person = getattr(v.worker, "person", None)
            yield [
                _moment(v.visited_at),
                v.grid.code or "",
                v.grid.name,
                h.building,
                h.entrance,
                h.room,
                h.head_name if full else mask_name(h.head_name),
                VISIT_KIND_LABELS.get(v.kind, v.kind),
                "是" if v.all_well else "否",
                v.observed,
                v.demands,
                "是" if v.handled_on_spot else "否",
                person.name if person is not None else v.worker.username,
                REVIEW_LABELS.get(v.review_status, v.review_status),
                v.review_note,
            ]

    output, count = excel.write_table(
        str(_("Visit logs")), VISIT_EXPORT_COLUMNS, rows(), {"走访时间": 18, "民情": 40, "诉求": 40}
    )
    _audit(
        user, VisitLog._meta.label_lower, count, {**detail, "unmasked_rows": masker.unmasked_rows}
    )
    return output


def _moment(value):
    # Excel has no time zones: local time, without the zone, as staff read it.
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _audit(user, target: str, count: int, detail: dict) -> None:
    services.audit_record(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        target=target,
        unit=access.primary_unit(user),
        row_count=count,
        detail=detail,
    )
