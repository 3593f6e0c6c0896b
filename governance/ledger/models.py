"""Problem ledgers (台账): registers of items with an owner, measures and a deadline.

Every change of an item goes through governance.ledger.services, which writes a LedgerEvent
for it (who, when, from which status to which). The timestamps on the item (accepted_at,
replied_at, resolved_at, …) are set by those same services from the first event of each kind,
so figures read them from indexed columns and they agree with the history.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.masking import mask_name, mask_phone
from governance.models.base import Unit
from governance.querysets import ScopedQuerySet


class TimeUnit(models.TextChoices):
    WORKDAY = "workday", _("working days")
    HOUR = "hour", _("working hours")


class Level(models.TextChoices):
    """The level of the unit responsible for an item, for time limits per level."""

    COMMUNITY = "community", _("Village / community")
    TOWNSHIP = "township", _("Township / street")
    DEPARTMENT = "department", _("Functional department")

    @classmethod
    def of(cls, unit: Unit) -> "Level":
        if unit.kind == Unit.Kind.DEPARTMENT:
            return cls.DEPARTMENT
        if unit.kind in Unit.KINDS_BY_LEVEL[2] or unit.kind == Unit.Kind.DISTRICT:
            return cls.TOWNSHIP
        return cls.COMMUNITY


class GridAction(models.TextChoices):
    """What a grid worker does with a matter (网格事项清单)."""

    HANDLE = "handle", _("Handle directly")
    REPORT = "report", _("Report")


class MatterCategory(models.Model):
    """An entry of a district's matters catalogue (事项清单) with its default time limits.

    The grid matters catalogue is this same catalogue: `grid_action` marks the matters a grid
    worker handles directly or must report; blank ones are not grid matters.
    """

    district = models.ForeignKey(
        Unit,
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        related_name="categories",
        limit_choices_to={"kind": Unit.Kind.DISTRICT},
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    department = models.ForeignKey(
        Unit,
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": Unit.Kind.DEPARTMENT},
    )
    accept_limit = models.PositiveSmallIntegerField(_("time to accept"), default=1)
    handle_limit = models.PositiveSmallIntegerField(_("time to handle"), default=15)
    verify_limit = models.PositiveSmallIntegerField(_("time to verify"), default=5)
    limit_unit = models.CharField(
        _("counted in"), max_length=10, choices=TimeUnit.choices, default=TimeUnit.WORKDAY
    )
    grid_action = models.CharField(
        _("for grid workers"), max_length=10, choices=GridAction.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.with_scope("district").as_manager()

    class Meta:
        verbose_name = _("matter category")
        verbose_name_plural = _("matters catalogue")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="category_unique_code")
        ]

    def __str__(self):
        return self.name


class CategoryTimeLimit(models.Model):
    """A category's time limits at one level, overriding the category's defaults."""

    category = models.ForeignKey(
        MatterCategory, on_delete=models.CASCADE, related_name="time_limits"
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    accept_limit = models.PositiveSmallIntegerField(_("time to accept"))
    handle_limit = models.PositiveSmallIntegerField(_("time to handle"))
    verify_limit = models.PositiveSmallIntegerField(_("time to verify"))
    limit_unit = models.CharField(
        _("counted in"), max_length=10, choices=TimeUnit.choices, default=TimeUnit.WORKDAY
    )

    objects = ScopedQuerySet.with_scope("category__district").as_manager()

    class Meta:
        verbose_name = _("time limit per level")
        verbose_name_plural = _("time limits per level")
        constraints = [
            models.UniqueConstraint(fields=["category", "level"], name="timelimit_once_per_level")
        ]

    def __str__(self):
        return f"{self.category} · {self.get_level_display()}"


class LedgerKind(models.TextChoices):
    RECEPTION_DAY = "reception_day", _("Reception-day demands")
    GRID_PROBLEM = "grid_problem", _("Grid problems")
    RECTIFICATION = "rectification", _("Rectification list")
    HOTLINE = "hotline", _("12345 hotline transfers")
    GENERAL = "general", _("Other")


class Ledger(models.Model):
    """A named register owned by a unit: a community's reception-day ledger, a district's list."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="ledgers"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=LedgerKind.choices)
    prefix = models.CharField(
        _("number prefix"),
        max_length=12,
        help_text=_("Item numbers read PREFIX-YEAR-SEQUENCE, e.g. LW-2026-000123."),
    )
    default_category = models.ForeignKey(
        MatterCategory,
        verbose_name=_("default category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    default_handle_limit = models.PositiveSmallIntegerField(
        _("default time to handle"),
        null=True,
        blank=True,
        help_text=_("Used when an item has no category; empty means 15 working days."),
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.with_scope("unit").as_manager()

    class Meta:
        verbose_name = _("ledger")
        verbose_name_plural = _("ledgers")
        ordering = ["unit__path", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="ledger_unique_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("ledger:item-list") + f"?ledger={self.pk}"


class NumberSequence(models.Model):
    """The last number given out per prefix and year; incremented under a row lock."""

    prefix = models.CharField(max_length=12)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="sequence_once_per_year")
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"


class Source(models.TextChoices):
    RECEPTION_DAY = "reception_day", _("Reception day")
    GRID_VISIT = "grid_visit", _("Grid visit")
    CONTACT_ACTIVITY = "contact_activity", _("Contact activity")
    HOTLINE = "hotline", _("12345 hotline")
    RECTIFICATION = "rectification", _("Rectification list")
    PROPERTY = "property", _("Property complaint")
    WALK_IN = "walk_in", _("Walk-in")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    HANDED_OVER = "handed_over", _("Handed to a department")
    RESOLVED = "resolved", _("Resolved, awaiting verification")
    VERIFIED = "verified", _("Verified, awaiting call-back")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS, Status.HANDED_OVER)
DONE_STATUSES = (Status.RESOLVED, Status.VERIFIED, Status.CLOSED)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASIC = "basic", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class CloseReason(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    EXPLAINED = "explained", _("Closed with an explanation")


class LedgerItemQuerySet(ScopedQuerySet):
    # A row is in scope where it arose, and for the unit (e.g. a department) now responsible.
    scope_fields = ("unit", "responsible_unit")

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now=None):
        return self.open().filter(due_at__lt=now or timezone.now())

    def yellow(self, now=None):
        now = now or timezone.now()
        return self.open().filter(warn_at__lte=now, due_at__gte=now)

    def green(self, now=None):
        now = now or timezone.now()
        return self.open().filter(Q(warn_at__gt=now) | Q(due_at__isnull=True))

    def received_between(self, start, end):
        return self.filter(received_at__gte=start, received_at__lt=end)


class LedgerItem(models.Model):
    ledger = models.ForeignKey(
        Ledger, verbose_name=_("ledger"), on_delete=models.PROTECT, related_name="items"
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # The record this item came from (a visit, a contact activity, a reception session).
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_record = GenericForeignKey("source_type", "source_id")
    # A 12345 hotline transfer keeps the centre's ticket number and the centre's own deadline,
    # which may differ from the time limit counted here.
    hotline_ticket = models.CharField(
        _("12345 ticket number"), max_length=40, blank=True, db_index=True
    )
    hotline_due_at = models.DateTimeField(_("12345 centre's deadline"), null=True, blank=True)
    resident_name = models.CharField(_("raised by"), max_length=50, blank=True)
    resident_phone = models.CharField(_("resident's phone"), max_length=20, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("where it arose"), on_delete=models.PROTECT, related_name="items"
    )
    category = models.ForeignKey(
        MatterCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="responsible_items",
    )
    handed_over_from = models.ForeignKey(
        Unit,
        verbose_name=_("handed over by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_items",
    )
    measures = models.TextField(_("measures"), blank=True)
    long_term_mechanism = models.TextField(_("long-term mechanism"), blank=True)
    result = models.TextField(_("reply and result"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    close_reason = models.CharField(
        _("closed as"), max_length=20, choices=CloseReason.choices, blank=True
    )
    satisfaction = models.CharField(
        _("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True
    )

    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    # Deadlines are instants: a deadline in working days ends at 24:00 of its last day.
    accept_due_at = models.DateTimeField(_("accept by"), null=True, blank=True)
    due_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("first deadline"), null=True, blank=True)
    warn_at = models.DateTimeField(_("turns yellow at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # The department's own clock after a hand-over; accept_due_at/accepted_at stay the
    # first unit's, so its response rate is not rewritten by the hand-over.
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    department_accept_due_at = models.DateTimeField(
        _("department to accept by"), null=True, blank=True
    )
    department_accepted_at = models.DateTimeField(
        _("accepted by the department at"), null=True, blank=True
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("studied at the weekly review"), null=True, blank=True)
    supervised_at = models.DateTimeField(_("supervised (督办) since"), null=True, blank=True)
    yellow_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    # Incremented by every service write: a form submitted against an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LedgerItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger item")
        verbose_name_plural = _("ledger items")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["ledger", "-received_at"], name="item_ledger_received"),
            models.Index(fields=["unit", "received_at"], name="item_unit_received"),
            models.Index(fields=["responsible_unit", "status"], name="item_responsible_status"),
            models.Index(fields=["received_at"], name="item_received"),
            models.Index(
                fields=["due_at"], condition=Q(status__in=OPEN_STATUSES), name="item_open_due"
            ),
            models.Index(
                fields=["warn_at"], condition=Q(status__in=OPEN_STATUSES), name="item_open_warn"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("ledger:item-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def resident_phone_masked(self) -> str:
        return mask_phone(self.resident_phone)

    @property
    def resident_name_masked(self) -> str:
        return mask_name(self.resident_name)

    def light(self, now=None) -> str:
        """green / yellow / red from the stored thresholds; grey when done or without deadline."""
        now = now or timezone.now()
        if not self.is_open or self.due_at is None:
            return "grey"
        if now > self.due_at:
            return "red"
        if self.warn_at is not None and now >= self.warn_at:
            return "yellow"
        return "green"


class EventAction(models.TextChoices):
    CREATE = "create", _("Registered")
    EDIT = "edit", _("Edited")
    PLAN = "plan", _("Measures and deadline set")
    ACCEPT = "accept", _("Accepted")
    START = "start", _("Started")
    REPLY = "reply", _("Replied to the resident")
    HAND_OVER = "hand_over", _("Handed to a department")
    RETURN = "return", _("Returned by the department")
    RESOLVE = "resolve", _("Resolved")
    VERIFY = "verify", _("Verified")
    VERIFY_FAIL = "verify_fail", _("Verification failed")
    SATISFACTION = "satisfaction", _("Satisfaction recorded")
    REOPEN = "reopen", _("Reopened")
    CLOSE = "close", _("Closed")
    EXPLAIN = "explain", _("Closed with an explanation")
    EXTENSION_REQUEST = "extension_request", _("Extension requested")
    EXTENSION_APPROVE = "extension_approve", _("Extension approved")
    EXTENSION_REFUSE = "extension_refuse", _("Extension refused")
    SUPERVISE = "supervise", _("Supervised (督办)")
    URGE = "urge", _("Urged (催办)")
    WITHDRAW = "withdraw", _("Withdrawn from the department")
    ATTACH = "attach", _("Attachment added")
    REVIEW = "review", _("Studied at a review meeting")


class LedgerEvent(models.Model):
    item = models.ForeignKey(LedgerItem, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=30, choices=EventAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = ScopedQuerySet.with_scope("item__unit", "item__responsible_unit").as_manager()

    class Meta:
        verbose_name = _("ledger event")
        verbose_name_plural = _("ledger events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["item", "at"], name="event_item_at")]

    def __str__(self):
        return f"{self.item.number} {self.get_action_display()}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn: the item was finished first")


class ExtensionRequest(models.Model):
    """延期: the deadline moves only when the level above approves; both dates are kept."""

    item = models.ForeignKey(LedgerItem, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("reason"))
    previous_due_at = models.DateTimeField(_("deadline before"))
    requested_due_at = models.DateTimeField(_("deadline asked for"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    objects = ScopedQuerySet.with_scope("item__unit", "item__responsible_unit").as_manager()

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=Q(status="pending"), name="extension_one_pending"
            )
        ]

    def __str__(self):
        return f"{self.item.number} · {self.get_status_display()}"


class ItemAttachment(models.Model):
    item = models.ForeignKey(LedgerItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="ledger/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.with_scope("item__unit", "item__responsible_unit").as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class ReviewKind(models.TextChoices):
    WEEKLY = "weekly", _("Weekly community review")
    MONTHLY = "monthly", _("Monthly street review")


class ReviewMeeting(models.Model):
    """社区党组织每周研究 / 街道党工委会议固定议题: a meeting and the items it studied."""

    kind = models.CharField(_("kind"), max_length=10, choices=ReviewKind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="review_meetings"
    )
    held_on = models.DateField(_("held on"))
    attendees = models.TextField(_("attendees"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.with_scope("unit").as_manager()

    class Meta:
        verbose_name = _("review meeting")
        verbose_name_plural = _("review meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.unit} {self.get_kind_display()} {self.held_on}"


class ReviewDecision(models.Model):
    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="decisions")
    item = models.ForeignKey(LedgerItem, on_delete=models.CASCADE, related_name="decisions")
    decision = models.TextField(_("decision"), blank=True)

    objects = ScopedQuerySet.with_scope("meeting__unit").as_manager()

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "item"], name="decision_once_per_meeting")
        ]

    def __str__(self):
        return f"{self.meeting} · {self.item.number}"


class ReviewSchedule(models.Model):
    """The weekday a community holds its weekly review (reminders go out the day before)."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="review_schedule")
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=[
            (i, n)
            for i, n in enumerate(
                [
                    _("Monday"),
                    _("Tuesday"),
                    _("Wednesday"),
                    _("Thursday"),
                    _("Friday"),
                    _("Saturday"),
                    _("Sunday"),
                ]
            )
        ],
        default=4,
    )

    objects = ScopedQuerySet.with_scope("unit").as_manager()

    class Meta:
        verbose_name = _("weekly review day")
        verbose_name_plural = _("weekly review days")

    def __str__(self):
        return f"{self.unit} · {self.get_weekday_display()}"
