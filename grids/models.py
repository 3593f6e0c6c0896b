"""Grids, grid workers, households and the visit logs grid workers file from a phone.

A grid is a governance Unit of kind "grid"; GridProfile adds what only grids have. Households
belong to a grid; their moves between grids (re-drawing, 网格优化调整) are kept as history,
and each visit log remembers the grid it was filed in, so visit history survives a re-draw.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.masking import mask_id_number, mask_name, mask_phone
from governance.models import LedgerItem, Person, Unit
from governance.querysets import ScopedQuerySet


def _public_token() -> str:
    return secrets.token_urlsafe(9)


class GridKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("Comprehensive grid")
    DEDICATED = "dedicated", _("Dedicated grid")


class GridProfile(models.Model):
    """What a grid has beyond being a unit: its kind, boundary and public page."""

    grid = models.OneToOneField(
        Unit,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="grid_profile",
        limit_choices_to={"kind": Unit.Kind.GRID},
    )
    kind = models.CharField(
        _("grid kind"), max_length=20, choices=GridKind.choices, default=GridKind.COMPREHENSIVE
    )
    dedicated_to = models.CharField(
        _("dedicated to"),
        max_length=100,
        blank=True,
        help_text=_("The enterprise, school or market a dedicated grid serves."),
    )
    boundary = models.TextField(
        _("boundary"), blank=True, help_text=_("Buildings, streets or village groups it covers.")
    )
    # The public page (亮身份) is reached by a QR code on the building entrance; the token keeps
    # grids from being enumerated by id.
    public_token = models.CharField(max_length=20, unique=True, default=_public_token)

    objects = ScopedQuerySet.with_scope("grid").as_manager()

    class Meta:
        verbose_name = _("grid profile")
        verbose_name_plural = _("grid profiles")

    def __str__(self):
        return self.grid.name

    def get_public_url(self):
        return reverse("grids:public-grid", args=[self.public_token])


class WorkerKind(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")


class GridWorker(models.Model):
    """A grid worker (网格员): a person who serves one or more grids."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="grid_worker"
    )
    kind = models.CharField(
        _("employment"), max_length=20, choices=WorkerKind.choices, default=WorkerKind.FULL_TIME
    )
    public_phone = models.CharField(
        _("public contact number"),
        max_length=20,
        blank=True,
        help_text=_("Shown on the public grid page; a work phone, not a private one."),
    )
    photo = models.ImageField(_("photo"), upload_to="grid_workers/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.with_scope("person__unit").as_manager()

    class Meta:
        verbose_name = _("grid worker")
        verbose_name_plural = _("grid workers")

    def __str__(self):
        return self.person.name


class GridAssignment(models.Model):
    """Which grids a worker serves, from when to when (history kept on reassignment)."""

    worker = models.ForeignKey(GridWorker, on_delete=models.CASCADE, related_name="assignments")
    grid = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="grid_assignments")
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    objects = ScopedQuerySet.with_scope("grid").as_manager()

    class Meta:
        verbose_name = _("grid assignment")
        verbose_name_plural = _("grid assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "grid"],
                condition=Q(ended_on__isnull=True),
                name="assignment_one_open",
            )
        ]

    def __str__(self):
        return f"{self.worker} · {self.grid}"


class CareTag(models.Model):
    """A group that needs care (独居老人, 残疾人, 低保户, 留守儿童, 退役军人 …), per district.

    A tag with `visit_every_days` gives its households a shorter round than the district's.
    """

    district = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        related_name="care_tags",
        limit_choices_to={"kind": Unit.Kind.DISTRICT},
    )
    name = models.CharField(_("name"), max_length=30)
    visit_every_days = models.PositiveSmallIntegerField(
        _("visit at least every (days)"), null=True, blank=True
    )

    objects = ScopedQuerySet.with_scope("district").as_manager()

    class Meta:
        verbose_name = _("care tag")
        verbose_name_plural = _("care tags")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="caretag_unique")]

    def __str__(self):
        return self.name


class HouseholdQuerySet(ScopedQuerySet):
    scope_fields = ("grid",)

    def active(self):
        return self.filter(is_active=True)


class Household(models.Model):
    """户: the unit of door-to-door coverage."""

    grid = models.ForeignKey(
        Unit, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="households"
    )
    building = models.CharField(_("building or village group"), max_length=50, blank=True)
    entrance = models.CharField(_("entrance (单元)"), max_length=20, blank=True)
    room = models.CharField(_("room"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    head_name = models.CharField(_("head of household"), max_length=50)
    head_phone = models.CharField(_("phone"), max_length=20, blank=True)
    head_id_number = models.CharField(_("ID card number"), max_length=18, blank=True)
    members = models.PositiveSmallIntegerField(_("members"), default=1)
    tags = models.ManyToManyField(
        CareTag, verbose_name=_("care tags"), blank=True, related_name="households"
    )
    note = models.TextField(_("note"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    last_visited_at = models.DateTimeField(_("last visited"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["building", "entrance", "room", "pk"]
        indexes = [
            models.Index(fields=["grid", "building", "entrance", "room"], name="household_walk"),
            models.Index(fields=["grid", "last_visited_at"], name="household_last_visit"),
        ]

    def __str__(self):
        return f"{self.place} {self.head_name_masked}"

    def get_absolute_url(self):
        return reverse("grids:household-detail", args=[self.pk])

    @property
    def place(self) -> str:
        parts = [self.building, self.entrance, self.room]
        return "-".join(p for p in parts if p) or self.address

    @property
    def head_name_masked(self) -> str:
        return mask_name(self.head_name)

    @property
    def head_phone_masked(self) -> str:
        return mask_phone(self.head_phone)

    @property
    def head_id_number_masked(self) -> str:
        return mask_id_number(self.head_id_number)


class Redraw(models.Model):
    """A re-drawing of grids (split, merge, buildings moved), with its date and reason."""

    class Kind(models.TextChoices):
        SPLIT = "split", _("Split")
        MERGE = "merge", _("Merge")
        MOVE = "move", _("Households moved")

    community = models.ForeignKey(
        Unit, verbose_name=_("community"), on_delete=models.PROTECT, related_name="redraws"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    effective_on = models.DateField(_("effective on"))
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.with_scope("community").as_manager()

    class Meta:
        verbose_name = _("grid re-drawing")
        verbose_name_plural = _("grid re-drawings")
        ordering = ["-effective_on", "-pk"]

    def __str__(self):
        return f"{self.community} {self.get_kind_display()} {self.effective_on}"


class HouseholdMove(models.Model):
    """A household's move from one grid to another, as part of a re-drawing."""

    redraw = models.ForeignKey(Redraw, on_delete=models.CASCADE, related_name="moves")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="moves")
    from_grid = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    to_grid = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.with_scope("from_grid", "to_grid").as_manager()

    class Meta:
        verbose_name = _("household move")
        verbose_name_plural = _("household moves")

    def __str__(self):
        return f"{self.household_id}: {self.from_grid} → {self.to_grid}"


class VisitKind(models.TextChoices):
    DOOR = "door", _("Door visit")
    PHONE = "phone", _("Phone call")
    WECHAT = "wechat", _("WeChat")
    VENUE = "venue", _("At the venue")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Not reviewed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")
    ON_HOLD = "on_hold", _("On hold")


class VisitLogQuerySet(ScopedQuerySet):
    scope_fields = ("grid",)


class VisitLog(models.Model):
    """One visit to one household, filed by the grid worker, reviewed by the community."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="visits"
    )
    # The grid the household was in when visited: coverage counts it there even if the
    # household later moves.
    grid = models.ForeignKey(
        Unit, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="visits"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    kind = models.CharField(
        _("visit kind"), max_length=10, choices=VisitKind.choices, default=VisitKind.DOOR
    )
    all_well = models.BooleanField(_("visited, all well"), default=False)
    observed = models.TextField(_("what was observed (民情)"), blank=True)
    demands = models.TextField(_("residents' demands"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="visits/%Y/%m/", blank=True)
    visited_at = models.DateTimeField(_("visited at"), default=timezone.now)
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(null=True, blank=True)
    handled_on_spot = models.BooleanField(_("handled on the spot"), default=False)
    ledger_item = models.ForeignKey(
        LedgerItem,
        verbose_name=_("problem raised"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_status = models.CharField(
        _("review"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = VisitLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit log")
        verbose_name_plural = _("visit logs")
        ordering = ["-visited_at", "-pk"]
        indexes = [
            models.Index(fields=["grid", "visited_at"], name="visit_grid_time"),
            models.Index(fields=["household", "visited_at"], name="visit_household_time"),
            models.Index(fields=["worker", "-visited_at"], name="visit_worker_time"),
            models.Index(fields=["review_status", "grid"], name="visit_review"),
        ]

    def __str__(self):
        return f"{self.household} {self.visited_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("grids:visit-detail", args=[self.pk])


class RoundPolicy(models.Model):
    """The district's visiting round (入户走访): every household once a month, a quarter, …

    Rounds are calendar periods of `months` months starting in January, so a round always
    means the same dates for everybody.
    """

    district = models.OneToOneField(
        Unit,
        on_delete=models.CASCADE,
        related_name="round_policy",
        limit_choices_to={"kind": Unit.Kind.DISTRICT},
    )
    months = models.PositiveSmallIntegerField(
        _("round length (months)"),
        choices=[
            (1, _("Monthly")),
            (2, _("Every two months")),
            (3, _("Quarterly")),
            (6, _("Half-yearly")),
        ],
        default=1,
    )
    remind_days_before_end = models.PositiveSmallIntegerField(
        _("remind this many days before the round ends"), default=5
    )

    objects = ScopedQuerySet.with_scope("district").as_manager()

    class Meta:
        verbose_name = _("visiting round")
        verbose_name_plural = _("visiting rounds")

    def __str__(self):
        return f"{self.district} · {self.get_months_display()}"
