"""Excel import and export of units and people, in the columns district staff keep.

Column headers, and the values of 类型, 性别 and 是否党员, are Chinese whatever the interface
language: they are the data Excel ledgers are built around, not UI text, and a file must read
back the same whoever exported it.

Every resource is made for one signed-in `user`. An export holds only the rows in that user's
scope and masks phones and ID numbers where their role may not see them; an import writes only
where their role manages, through the services. Both are recorded as AuditEvents. An import is
all or nothing: one bad row and no row is saved; each error names the spreadsheet row (the
header is row 1), the column and the reason.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.fields import Field
from import_export.formats import base_formats
from import_export.resources import Diff
from import_export.results import Result, RowResult

from governance import access, excel, importing, services
from governance.importing import whole
from governance.masking import mask_id_number, mask_phone
from governance.models import Area, AuditEvent, Person, Unit, WorkZone
from governance.normalize import clean_compact, clean_text, normalize_id_number, normalize_phone

KIND_LABELS = {
    Unit.Kind.DISTRICT: "区县",
    Unit.Kind.TOWNSHIP: "乡镇",
    Unit.Kind.STREET: "街道",
    Unit.Kind.VILLAGE: "村",
    Unit.Kind.COMMUNITY: "社区",
    Unit.Kind.GRID: "网格",
    Unit.Kind.DEPARTMENT: "职能部门",
}
# What people type instead of the label, and the stored values themselves.
KIND_BY_LABEL = {
    **{label: kind for kind, label in KIND_LABELS.items()},
    **{kind.value: kind for kind in Unit.Kind},
    "区": Unit.Kind.DISTRICT,
    "县": Unit.Kind.DISTRICT,
    "区/县": Unit.Kind.DISTRICT,
    "乡": Unit.Kind.TOWNSHIP,
    "镇": Unit.Kind.TOWNSHIP,
    "部门": Unit.Kind.DEPARTMENT,
}
GENDER_LABELS = {Person.Gender.MALE: "男", Person.Gender.FEMALE: "女"}
GENDER_BY_LABEL = {"": "", **{label: gender for gender, label in GENDER_LABELS.items()}}
YES_NO_LABELS = {True: "是", False: "否"}
YES_NO_BY_LABEL = {"": False, "是": True, "否": False}

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


class XLSX(base_formats.XLSX):
    """.xlsx, the one format offered, read and written the one way (governance.excel): read
    safely and at most SHANZHI_IMPORT_MAX_ROWS rows (the one row cap), text written as text,
    never as a formula."""

    def create_dataset(self, in_stream):
        return excel.read_table(in_stream, max_rows=importing.max_rows())

    def export_data(self, dataset, **kwargs):
        output, _count = excel.write_table(
            str(dataset.title or _("Sheet")), list(dataset.headers or []), dataset, default_width=16
        )
        with output:
            return output.read()


def in_scope(user, unit: Unit) -> bool:
    """Is the unit in the user's data scope? Pure Python over the cached memberships."""
    return user.is_superuser or any(unit.path.startswith(p) for p in access.scope_paths(user))


def row_errors(result) -> list[tuple[int, str, str]]:
    """(spreadsheet row, column, reason) for every validation error of an import."""
    return [
        (row.number, "" if column == NON_FIELD_ERRORS else column, message)
        for row in result.invalid_rows
        for column, messages in row.error_dict.items()
        for message in messages
    ]


class LabelWidget(widgets.Widget):
    """Writes a choice as its Chinese label (社区, 男, 是). Reading is done by the resource."""

    def __init__(self, labels: dict):
        super().__init__()
        self.labels = labels

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, "" if value is None else str(value))


class DateCellWidget(widgets.Widget):
    """A real date cell in .xlsx; ISO text where the format has no dates (the import preview)."""

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else value.isoformat()


def _text(value) -> str:
    return clean_text(whole(value))


def _compact(value) -> str:
    return clean_compact(whole(value))


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _compact(value)
    if not text:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(_("“%(value)s” is not a date such as 2021-07-01.") % {"value": text})


def _choice(text: str, choices: dict, labels: dict, errors: dict, column: str):
    if text in choices:
        return choices[text]
    errors.setdefault(column, []).append(
        _("“%(value)s” is not one of: %(choices)s.")
        % {"value": text, "choices": "、".join(labels.values())}
    )
    return None


def _outside(unit: Unit) -> str:
    return _("“%(unit)s” is outside the units you manage.") % {"unit": unit.name}


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


class SheetResult(Result):
    """Rows numbered as the spreadsheet shows them: the header is row 1, data starts at row 2."""

    def append_invalid_row(self, number, row, validation_error):
        super().append_invalid_row(number + 1, row, validation_error)

    def append_error_row(self, number, row, errors):
        super().append_error_row(number + 1, row, errors)

    def row_errors(self):
        # The base class numbers these by position among the reported rows instead.
        return [(row.number, row.errors) for row in self.error_rows]


class SheetDiff(Diff):
    """The import preview shows each value as the export writes it, so personal data stays masked.

    import-export's Diff reads fields directly and would show full phone and ID numbers.
    """

    def __init__(self, resource, instance, new):
        self.left = self._values(resource, instance)
        self.right = []
        self.new = new

    def compare_with(self, resource, instance):
        self.right = self._values(resource, instance)

    @staticmethod
    def _values(resource, instance):
        return [resource.export_field(f, instance) for f in resource.get_import_fields()]


@dataclass
class _Row:
    """One spreadsheet row, read and checked; `changes` are the values its import writes."""

    blank: bool = False
    values: dict = field(default_factory=dict)
    changes: dict = field(default_factory=dict)


class ScopedResource(resources.ModelResource):
    """A resource for one user: scoped export, all-or-nothing import through the services.

    Subclasses read a row in `read_row` (format errors), find the existing object in
    `find_existing`, check rights and work out the changes in `check_row`, and write in `write`.
    Each raises ValidationError keyed by column header.
    """

    def __init__(self, *, user, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self._row = _Row(blank=True)

    @classmethod
    def get_result_class(cls):
        return SheetResult

    @classmethod
    def get_diff_class(cls):
        return SheetDiff

    def get_queryset(self):
        return self._meta.model.objects.for_user(self.user)

    def filter_export(self, queryset, **kwargs):
        return queryset.for_user(self.user)

    def after_export(self, queryset, dataset, **kwargs):
        self._audit(AuditEvent.Action.EXPORT, len(dataset), self.export_detail())

    def export_detail(self) -> dict:
        return {}

    def import_data(self, dataset, **kwargs):
        # All or nothing: a row that fails validation rolls back the others, as an exception does.
        kwargs.update(use_transactions=True, rollback_on_validation_errors=True)
        return super().import_data(dataset, **kwargs)

    def before_import(self, dataset, **kwargs):
        # Headers typed by hand carry stray spaces and full-width characters.
        dataset.headers = [clean_text(header) for header in dataset.headers or []]
        missing = [
            f.column_name for f in self.get_import_fields() if f.column_name not in dataset.headers
        ]
        if missing:
            raise ValueError(
                _("The file lacks the columns: %(columns)s.") % {"columns": "、".join(missing)}
            )

    def before_import_row(self, row, **kwargs):
        if all(_text(value) == "" for value in row.values()):
            self._row = _Row(blank=True)
        else:
            self._row = self.read_row(row)

    def get_instance(self, instance_loader, row):
        return None if self._row.blank else self.find_existing(self._row)

    def import_instance(self, instance, row, **kwargs):
        if not self._row.blank:
            self.check_row(instance, self._row)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        return self._row.blank or (instance.pk is not None and not self._row.changes)

    def do_instance_save(self, instance, is_create):
        try:
            saved = self.write(instance, is_create, self._row)
        except ValidationError as error:
            raise self._by_column(error) from None
        if is_create:
            # import-export keeps reporting on the instance it made; the service made another.
            instance.pk = saved.pk
            instance.refresh_from_db()

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        new = result.totals[RowResult.IMPORT_TYPE_NEW]
        updated = result.totals[RowResult.IMPORT_TYPE_UPDATE]
        self._audit(
            AuditEvent.Action.IMPORT,
            new + updated,
            {"file": kwargs.get("file_name") or "", "new": new, "updated": updated},
        )

    def read_row(self, row) -> _Row:
        raise NotImplementedError

    def find_existing(self, row: _Row):
        raise NotImplementedError

    def check_row(self, instance, row: _Row) -> None:
        raise NotImplementedError

    def write(self, instance, is_create: bool, row: _Row):
        raise NotImplementedError

    def _audit(self, action: str, row_count: int, detail: dict) -> None:
        services.audit_record(
            actor=self.user,
            action=action,
            target=self._meta.model._meta.label_lower,
            unit=access.primary_unit(self.user),
            row_count=row_count,
            detail=detail,
        )

    def _by_column(self, error: ValidationError) -> ValidationError:
        """A service's errors, keyed by model field, re-keyed by the column they came from."""
        if not hasattr(error, "error_dict"):
            return error
        columns = {f.attribute.split("__")[0]: f.column_name for f in self.get_import_fields()}
        errors: dict[str, list[str]] = {}
        for name, messages in error.message_dict.items():
            errors.setdefault(columns.get(name, NON_FIELD_ERRORS), []).extend(messages)
        return ValidationError(errors)


class UnitResource(ScopedResource):
    """名称 类型 代码 上级代码 片区 党建工作区; 代码 identifies a unit, 上级代码 places a new one.

    A parent must come before its children in the file (the export writes the tree top down).
    An import renames units and sets their groupings; it does not move them or change their type.
    """

    name = Field(attribute="name", column_name="名称")
    kind = Field(attribute="kind", column_name="类型", widget=LabelWidget(KIND_LABELS))
    code = Field(attribute="code", column_name="代码")
    parent_code = Field(attribute="parent__code", column_name="上级代码")
    area = Field(attribute="area__name", column_name="片区")
    work_zone = Field(attribute="work_zone__name", column_name="党建工作区")

    class Meta:
        model = Unit
        name = Unit._meta.verbose_name_plural
        fields = ("name", "kind", "code", "parent_code", "area", "work_zone")
        import_id_fields = ("code",)

    def filter_export(self, queryset, **kwargs):
        return (
            super()
            .filter_export(queryset, **kwargs)
            .select_related("parent", "area", "work_zone")
            .order_by("path")
        )

    def read_row(self, row) -> _Row:
        errors: dict[str, list[str]] = {}
        name = _text(row.get("名称"))
        if not name:
            errors["名称"] = [_("This field is required.")]
        kind = _choice(_text(row.get("类型")), KIND_BY_LABEL, KIND_LABELS, errors, "类型")
        _raise(errors)
        return _Row(
            values={
                "name": name,
                "kind": kind,
                "code": _compact(row.get("代码")) or None,
                "parent_code": _compact(row.get("上级代码")),
                "area": _text(row.get("片区")),
                "work_zone": _text(row.get("党建工作区")),
            }
        )

    def find_existing(self, row: _Row):
        values = row.values
        errors: dict[str, list[str]] = {}
        values["parent"] = None
        if values["parent_code"]:
            values["parent"] = Unit.objects.filter(code=values["parent_code"]).first()
            if values["parent"] is None:
                errors["上级代码"] = [
                    _(
                        "There is no unit with the code “%(code)s”; a parent unit must come "
                        "before its children."
                    )
                    % {"code": values["parent_code"]}
                ]
        _raise(errors)
        units = Unit.objects.select_related("parent", "area", "work_zone")
        if values["code"]:
            return units.filter(code=values["code"]).first()
        # Without a code, a unit is known by its name under its parent.
        if values["parent"] is not None:
            return units.filter(parent=values["parent"], name=values["name"], code=None).first()
        return None

    def check_row(self, unit: Unit, row: _Row) -> None:
        values = row.values
        errors: dict[str, list[str]] = {}
        if unit.pk is None:
            self._check_new(values, errors)
        else:
            self._check_existing(unit, values, errors)
        _raise(errors)
        self._find_groupings(values, values["parent"] if unit.pk is None else unit.parent, errors)
        _raise(errors)
        if unit.pk is None:
            row.changes = {k: values[k] for k in ("name", "kind", "code", "area", "work_zone")}
            return
        row.changes = {
            name: values[name]
            for name in ("name", "area", "work_zone")
            if values[name] != getattr(unit, name)
        }
        if row.changes and not access.can(self.user, "manage_units", unit, strictly_above=True):
            raise ValidationError({"代码": [_outside(unit)]})

    def _check_new(self, values: dict, errors: dict) -> None:
        parent = values["parent"]
        if parent is None and values["kind"] == Unit.Kind.DISTRICT:
            if not self.user.is_superuser:
                errors["上级代码"] = [_("Only a superuser may add a district.")]
            return
        try:
            services.unit_check_parent(values["kind"], parent)
        except ValidationError as error:
            errors["上级代码"] = error.messages
            return
        if not access.can(self.user, "manage_units", parent):
            errors["上级代码"] = [_outside(parent)]

    def _check_existing(self, unit: Unit, values: dict, errors: dict) -> None:
        if not in_scope(self.user, unit):
            errors["代码"] = [_outside(unit)]
            return
        if values["kind"] != unit.kind:
            errors["类型"] = [_("The type of an existing unit cannot be changed by import.")]
        if values["parent"] is not None and values["parent"].pk != unit.parent_id:
            errors["上级代码"] = [
                _("“%(unit)s” is under “%(parent)s”; move units in the unit tree, not by import.")
                % {"unit": unit.name, "parent": unit.parent.name if unit.parent else "—"}
            ]

    @staticmethod
    def _find_groupings(values: dict, parent: Unit | None, errors: dict) -> None:
        """Replace the names of area and work zone by the rows they name under the parent."""
        area, zone = values["area"], values["work_zone"]
        values["area"] = values["work_zone"] = None
        if area and (values["kind"] not in Unit.KINDS_BY_LEVEL[2] or parent is None):
            errors["片区"] = [_("Only townships and streets belong to an area.")]
        elif area:
            values["area"] = Area.objects.filter(district=parent, name=area).first()
            if values["area"] is None:
                errors["片区"] = [
                    _("%(unit)s has no area named “%(name)s”.")
                    % {"unit": parent.name, "name": area}
                ]
        if zone and (values["kind"] not in Unit.KINDS_BY_LEVEL[3] or parent is None):
            errors["党建工作区"] = [_("Only villages and communities belong to a work zone.")]
        elif zone:
            values["work_zone"] = WorkZone.objects.filter(township=parent, name=zone).first()
            if values["work_zone"] is None:
                errors["党建工作区"] = [
                    _("%(unit)s has no work zone named “%(name)s”.")
                    % {"unit": parent.name, "name": zone}
                ]

    def write(self, unit: Unit, is_create: bool, row: _Row) -> Unit:
        if is_create:
            return services.unit_create(parent=row.values["parent"], **row.changes)
        return services.unit_update(unit=unit, **row.changes)


class PersonResource(ScopedResource):
    """姓名 性别 手机号 身份证号 所属单位代码 是否党员 入党日期 职务.

    A person is known by the ID card number; without one, by name within the unit. A masked
    phone or ID number (as a masked export writes them) stands for the value already on file,
    so a masked file can be edited and imported back.
    """

    name = Field(attribute="name", column_name="姓名")
    gender = Field(attribute="gender", column_name="性别", widget=LabelWidget(GENDER_LABELS))
    phone = Field(attribute="phone", column_name="手机号")
    id_number = Field(attribute="id_number", column_name="身份证号")
    unit_code = Field(attribute="unit__code", column_name="所属单位代码")
    is_party_member = Field(
        attribute="is_party_member", column_name="是否党员", widget=LabelWidget(YES_NO_LABELS)
    )
    party_joined_on = Field(
        attribute="party_joined_on", column_name="入党日期", widget=DateCellWidget()
    )
    posts = Field(attribute="posts", column_name="职务")

    class Meta:
        model = Person
        name = Person._meta.verbose_name_plural
        fields = (
            "name",
            "gender",
            "phone",
            "id_number",
            "unit_code",
            "is_party_member",
            "party_joined_on",
            "posts",
        )
        import_id_fields = ("id_number",)

    def __init__(self, *, user, **kwargs):
        super().__init__(user=user, **kwargs)
        self._unmasked: set[int] = set()

    def filter_export(self, queryset, **kwargs):
        return (
            super()
            .filter_export(queryset, **kwargs)
            .select_related("unit")
            .order_by("unit__path", "name", "pk")
        )

    def dehydrate_phone(self, person: Person) -> str:
        return person.phone if self._may_see(person) else person.phone_masked

    def dehydrate_id_number(self, person: Person) -> str:
        return (person.id_number or "") if self._may_see(person) else person.id_number_masked

    def export_detail(self) -> dict:
        return {"unmasked_rows": len(self._unmasked)}

    def _may_see(self, person: Person) -> bool:
        if person.unit_id is None or not access.can(self.user, "view_personal_data", person.unit):
            return False
        if person.pk and (person.phone or person.id_number):
            self._unmasked.add(person.pk)
        return True

    def read_row(self, row) -> _Row:
        errors: dict[str, list[str]] = {}
        name = _text(row.get("姓名"))
        if not name:
            errors["姓名"] = [_("This field is required.")]
        unit_code = _compact(row.get("所属单位代码"))
        if not unit_code:
            errors["所属单位代码"] = [_("This field is required.")]
        values = {
            "name": name,
            "unit_code": unit_code,
            "gender": _choice(
                _text(row.get("性别")), GENDER_BY_LABEL, GENDER_LABELS, errors, "性别"
            ),
            "phone": _compact(row.get("手机号")),
            "id_number": _compact(row.get("身份证号")).upper(),
            "posts": _text(row.get("职务")),
        }
        party = whole(row.get("是否党员"))
        values["is_party_member"] = (
            party
            if isinstance(party, bool)
            else _choice(_text(party), YES_NO_BY_LABEL, YES_NO_LABELS, errors, "是否党员")
        )
        try:
            values["party_joined_on"] = _date(row.get("入党日期"))
        except ValidationError as error:
            errors["入党日期"] = error.messages
        for key, column, normalize in (
            ("phone", "手机号", normalize_phone),
            ("id_number", "身份证号", normalize_id_number),
        ):
            if "*" in values[key]:
                continue  # masked: checked against the person on file in check_row
            try:
                values[key] = normalize(values[key])
            except ValidationError as error:
                errors[column] = error.messages
        _raise(errors)
        return _Row(values=values)

    def find_existing(self, row: _Row):
        values = row.values
        values["unit"] = Unit.objects.filter(code=values["unit_code"]).first()
        if values["unit"] is None:
            raise ValidationError(
                {
                    "所属单位代码": [
                        _("There is no unit with the code “%(code)s”.")
                        % {"code": values["unit_code"]}
                    ]
                }
            )
        people = Person.objects.select_related("unit")
        number = values["id_number"]
        if number and "*" not in number:
            person = people.filter(id_number=number).first()
            if person is not None and not in_scope(self.user, person.unit):
                raise ValidationError(
                    {
                        "身份证号": [
                            _(
                                "A person with this ID card number is registered outside the units you "
                                "can see."
                            )
                        ]
                    }
                )
            return person
        if number:
            matches = [
                p
                for p in people.for_user(self.user)
                .filter(name=values["name"])
                .exclude(id_number=None)
                if mask_id_number(p.id_number) == number
            ]
            if len(matches) != 1:
                raise ValidationError(
                    {
                        "身份证号": [
                            _(
                                "No one in your scope named %(name)s has the ID card number %(number)s; "
                                "enter it in full."
                            )
                            % {"name": values["name"], "number": number}
                        ]
                    }
                )
            return matches[0]
        matches = list(
            people.for_user(self.user).filter(
                unit=values["unit"], name=values["name"], id_number=None
            )[:2]
        )
        if len(matches) > 1:
            raise ValidationError(
                {
                    "身份证号": [
                        _(
                            "Several people named %(name)s in %(unit)s have no ID card number; add their "
                            "ID card numbers to tell them apart."
                        )
                        % {"name": values["name"], "unit": values["unit"].name}
                    ]
                }
            )
        return matches[0] if matches else None

    def check_row(self, person: Person, row: _Row) -> None:
        values = row.values
        unit = values["unit"]
        errors: dict[str, list[str]] = {}
        for key, column, mask in (
            ("phone", "手机号", mask_phone),
            ("id_number", "身份证号", mask_id_number),
        ):
            if "*" not in values[key]:
                continue
            on_file = getattr(person, key) or ""
            if person.pk is None or mask(on_file) != values[key]:
                errors[column] = [
                    _("A masked value can only stand for the one on file; enter it in full.")
                ]
            else:
                values[key] = on_file
        _raise(errors)
        fields = (
            "name",
            "gender",
            "phone",
            "id_number",
            "unit",
            "is_party_member",
            "party_joined_on",
            "posts",
        )
        new = {name: values[name] for name in fields}
        new["id_number"] = new["id_number"] or None
        if person.pk is None:
            row.changes = new
        else:
            row.changes = {
                name: value for name, value in new.items() if value != getattr(person, name)
            }
        if not row.changes:
            return
        for where in {unit, person.unit if person.pk else unit}:
            if not access.can(self.user, "manage_people", where):
                raise ValidationError({"所属单位代码": [_outside(where)]})

    def write(self, person: Person, is_create: bool, row: _Row) -> Person:
        if is_create:
            return services.person_create(**row.changes)
        return services.person_update(person=person, **row.changes)
