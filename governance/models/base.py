"""The ground floor: the administrative tree, people, roles, data scope, notifications, audit."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from governance.masking import mask_id_number, mask_phone
from governance.querysets import ScopedQuerySet


class UnitQuerySet(MP_NodeQuerySet, ScopedQuerySet):
    scope_fields = ("",)

    def territory(self):
        return self.exclude(kind=Unit.Kind.DEPARTMENT)

    def departments(self):
        return self.filter(kind=Unit.Kind.DEPARTMENT)

    def of_level(self, level: int):
        return self.filter(kind__in=Unit.KINDS_BY_LEVEL[level])

    def subtree_of(self, unit: "Unit", include_self: bool = True):
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)


class UnitManager(MP_NodeManager.from_queryset(UnitQuerySet)):
    def get_queryset(self):
        return UnitQuerySet(self.model).order_by("path")


class Unit(MP_Node):
    """A node of the administrative tree: district → township/street → village/community → grid.

    Functional departments hang under their district so that memberships, scope and hand-over
    work the same way for them, but they are not territory.
    """

    class Kind(models.TextChoices):
        DISTRICT = "district", _("District / county")
        TOWNSHIP = "township", _("Township")
        STREET = "street", _("Street")
        VILLAGE = "village", _("Village")
        COMMUNITY = "community", _("Community")
        GRID = "grid", _("Grid")
        DEPARTMENT = "department", _("Functional department")

    KINDS_BY_LEVEL = {
        1: (Kind.DISTRICT,),
        2: (Kind.TOWNSHIP, Kind.STREET),
        3: (Kind.VILLAGE, Kind.COMMUNITY),
        4: (Kind.GRID,),
    }
    PARENT_KINDS = {
        Kind.DISTRICT: (),
        Kind.TOWNSHIP: (Kind.DISTRICT,),
        Kind.STREET: (Kind.DISTRICT,),
        Kind.VILLAGE: (Kind.TOWNSHIP, Kind.STREET),
        Kind.COMMUNITY: (Kind.TOWNSHIP, Kind.STREET),
        Kind.GRID: (Kind.VILLAGE, Kind.COMMUNITY),
        Kind.DEPARTMENT: (Kind.DISTRICT,),
    }

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(
        _("official code"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Statistical division code or the district's own code; optional."),
    )
    # Kept by the services next to treebeard's path so that lists can show a unit's parent
    # with select_related instead of one query per row.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children_units",
        editable=False,
    )
    area = models.ForeignKey(
        "Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="townships",
    )
    work_zone = models.ForeignKey(
        "WorkZone",
        verbose_name=_("Party-building work zone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="units",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitManager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [models.Index(fields=["kind", "path"], name="unit_kind_path")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("governance:unit-detail", args=[self.pk])

    @property
    def level(self) -> int:
        for level, kinds in self.KINDS_BY_LEVEL.items():
            if self.kind in kinds:
                return level
        return 2  # departments sit beside townships

    @property
    def is_territory(self) -> bool:
        return self.kind != self.Kind.DEPARTMENT

    @property
    def child_kinds(self) -> list[str]:
        return [kind for kind, parents in self.PARENT_KINDS.items() if self.kind in parents]

    def ancestor_paths(self) -> list[str]:
        return [self.path[: i * self.steplen] for i in range(1, self.depth + 1)]

    @cached_property
    def district(self) -> "Unit":
        """The district this unit lies in (itself for a district): one query, then cached."""
        if self.depth == 1:
            return self
        return Unit.objects.get(path=self.path[: self.steplen])

    def is_within(self, other: "Unit") -> bool:
        return self.path.startswith(other.path)


class Area(models.Model):
    """片区: a grouping of townships inside a district (Laiwu: 15 townships in 3 areas)."""

    district = models.ForeignKey(
        Unit,
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        related_name="areas",
        limit_choices_to={"kind": Unit.Kind.DISTRICT},
    )
    name = models.CharField(_("name"), max_length=100)

    objects = ScopedQuerySet.with_scope("district").as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="area_unique_name")
        ]

    def __str__(self):
        return self.name


class WorkZone(models.Model):
    """党建工作区: a grouping of villages and communities inside a township."""

    township = models.ForeignKey(
        Unit,
        verbose_name=_("township"),
        on_delete=models.CASCADE,
        related_name="work_zones",
        limit_choices_to={"kind__in": Unit.KINDS_BY_LEVEL[2]},
    )
    name = models.CharField(_("name"), max_length=100)

    objects = ScopedQuerySet.with_scope("township").as_manager()

    class Meta:
        verbose_name = _("Party-building work zone")
        verbose_name_plural = _("Party-building work zones")
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="workzone_unique_name")
        ]

    def __str__(self):
        return self.name


class Person(models.Model):
    """A person known to the system: a cadre, a grid worker, a leader. Not a login account."""

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    id_number = models.CharField(
        _("ID card number"),
        max_length=18,
        blank=True,
        null=True,
        unique=True,
        help_text=_("18-digit resident identity card number; shown masked."),
    )
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people"
    )
    is_party_member = models.BooleanField(_("Party member"), default=False)
    party_joined_on = models.DateField(_("joined the Party on"), null=True, blank=True)
    posts = models.CharField(
        _("posts held"),
        max_length=200,
        blank=True,
        help_text=_("For example: community Party committee secretary, grid worker."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.with_scope("unit").as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["name"], name="person_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("governance:person-detail", args=[self.pk])

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number or "")


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("District administrator")
    LEADER = "leader", _("Leader")
    TOWNSHIP_STAFF = "township_staff", _("Township staff")
    COMMUNITY_SECRETARY = "community_secretary", _("Community secretary")
    VILLAGE_CADRE = "village_cadre", _("Village / community cadre")
    GRID_WORKER = "grid_worker", _("Grid worker")
    DEPARTMENT_HANDLER = "department_handler", _("Department handler")


class MembershipQuerySet(ScopedQuerySet):
    scope_fields = ("unit",)

    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(started_on__lte=on), Q(ended_on__isnull=True) | Q(ended_on__gte=on))


class Membership(models.Model):
    """A role held by a login account at a unit. It grants that role over the unit's subtree."""

    # Which unit kinds each role may be held at.
    ROLE_UNIT_KINDS = {
        Role.DISTRICT_ADMIN: (Unit.Kind.DISTRICT,),
        Role.LEADER: (Unit.Kind.DISTRICT, Unit.Kind.TOWNSHIP, Unit.Kind.STREET),
        Role.TOWNSHIP_STAFF: (Unit.Kind.TOWNSHIP, Unit.Kind.STREET),
        Role.COMMUNITY_SECRETARY: (Unit.Kind.COMMUNITY, Unit.Kind.VILLAGE),
        Role.VILLAGE_CADRE: (Unit.Kind.COMMUNITY, Unit.Kind.VILLAGE),
        Role.GRID_WORKER: (Unit.Kind.GRID,),
        Role.DEPARTMENT_HANDLER: (Unit.Kind.DEPARTMENT,),
    }

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_open_per_role",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class Notification(models.Model):
    """One message in a user's inbox, usually a reminder produced by a sweep.

    The unique constraint on (recipient, kind, subject, day) is the claim: two sweeps running at
    once both try to insert, one wins, so a reminder goes out at most once per day.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=60)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    day = models.DateField(_("day"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    claim = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_type", "subject_id", "day"],
                name="notification_once_per_day",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_inbox"),
            models.Index(fields=["claim"], name="notification_claim"),
            models.Index(
                fields=["created_at"],
                condition=Q(mailed_at__isnull=True),
                name="notification_unmailed",
            ),
        ]

    def __str__(self):
        return self.title


class AuditEvent(models.Model):
    """Who saw or took personal data out of the system: reveals and exports (PIPL)."""

    class Action(models.TextChoices):
        REVEAL = "reveal", _("Revealed personal data")
        EXPORT = "export", _("Exported")
        IMPORT = "import", _("Imported")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL
    )
    target = models.CharField(_("what"), max_length=200)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = ScopedQuerySet.with_scope("unit").as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.actor} {self.get_action_display()} {self.target}"


class CalendarSource(models.TextChoices):
    LIBRARY = "library", _("Holiday library")
    MANUAL = "manual", _("Entered by hand")


class CalendarDay(models.Model):
    """A day that breaks the Monday–Friday rule, as the State Council's holiday notice sets it.

    Only the exceptions are stored: a weekday that is off (法定节假日) or a weekend day that is
    worked (调休上班日). Every other day is a working day exactly when it is Monday to Friday.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday (weekday off)")
        WORKDAY = "workday", _("Make-up working day (weekend worked)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(
        _("name"), max_length=50, blank=True, help_text=_("For example: 国庆节, 春节.")
    )
    source = models.CharField(
        _("source"), max_length=10, choices=CalendarSource.choices, default=CalendarSource.MANUAL
    )

    class Meta:
        verbose_name = _("holiday or make-up working day")
        verbose_name_plural = _("holidays and make-up working days")
        ordering = ["date"]

    def __str__(self):
        return " · ".join(
            filter(None, [f"{self.date:%Y-%m-%d}", self.get_kind_display(), self.name])
        )

    def clean(self):
        # A row that agrees with Monday–Friday changes nothing; it is almost always a slip.
        if self.date is None:
            return
        weekend = self.date.weekday() >= 5
        if self.kind == self.Kind.HOLIDAY and weekend:
            raise ValidationError(
                {"kind": _("A weekend is off anyway: record holidays that fall on weekdays.")}
            )
        if self.kind == self.Kind.WORKDAY and not weekend:
            raise ValidationError({"kind": _("A make-up working day is a Saturday or a Sunday.")})


class CalendarYear(models.Model):
    """A year whose official holiday schedule is recorded in full.

    In a year without a row here, deadlines fall back to Monday–Friday (plus whatever days are
    recorded) and are shown with a warning.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(
        _("source"), max_length=10, choices=CalendarSource.choices, default=CalendarSource.MANUAL
    )
    loaded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("year with a known holiday schedule")
        verbose_name_plural = _("years with a known holiday schedule")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)
