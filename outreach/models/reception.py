"""Community secretary reception day (书记接待日).

- ReceptionSchedule: a community's fixed reception day (a weekday Monday–Friday, start and end
  time, place, the secretary who sits in). A change ends the current row (`valid_until`) and
  starts a new one, so the history of schedules is kept; one current row per community.
- ReceptionSession: one reception day as held (community, date, who held it, how many residents
  came). One per community and date.
- ReceptionDemand: a demand received at a session. The demand itself is a LedgerItem of the
  community's reception-day ledger (source RECEPTION_DAY, source_record = the session); this row
  ties it to the session and says whether it was answered on the spot.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from governance.models import LedgerItem, Person, Unit
from governance.querysets import ScopedQuerySet


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")


class ReceptionScheduleQuerySet(ScopedQuerySet):
    scope_fields = ("community",)

    def current(self):
        return self.filter(valid_until__isnull=True)

    def valid_on(self, day):
        return self.filter(
            Q(valid_from__lte=day), Q(valid_until__isnull=True) | Q(valid_until__gt=day)
        )


class ReceptionSchedule(models.Model):
    community = models.ForeignKey(
        Unit,
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="reception_schedules",
    )
    weekday = models.PositiveSmallIntegerField(_("reception day"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    place = models.CharField(_("place"), max_length=200)
    secretary = models.ForeignKey(
        Person,
        verbose_name=_("secretary"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    valid_from = models.DateField(_("valid from"))
    #: The day the next schedule took over (excluded); empty for the current one.
    valid_until = models.DateField(_("replaced on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReceptionScheduleQuerySet.as_manager()

    class Meta:
        verbose_name = _("reception-day schedule")
        verbose_name_plural = _("reception-day schedules")
        ordering = ["community__path", "-valid_from", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community"],
                condition=Q(valid_until__isnull=True),
                name="reception_schedule_one_current",
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="reception_schedule_times"
            ),
            models.CheckConstraint(condition=Q(weekday__lte=4), name="reception_schedule_weekday"),
        ]

    def __str__(self):
        return f"{self.community} · {self.get_weekday_display()} {self.start_time:%H:%M}"


class ReceptionSession(models.Model):
    community = models.ForeignKey(
        Unit, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    schedule = models.ForeignKey(
        ReceptionSchedule,
        verbose_name=_("schedule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    held_by = models.ForeignKey(
        Person,
        verbose_name=_("held by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attendance = models.PositiveIntegerField(_("residents received"), default=0)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.with_scope("community").as_manager()

    class Meta:
        verbose_name = _("reception session")
        verbose_name_plural = _("reception sessions")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "date"], name="reception_session_once_a_day"
            )
        ]
        indexes = [models.Index(fields=["date"], name="reception_session_date")]

    def __str__(self):
        return f"{self.community} · {self.date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("outreach:reception-session-detail", args=[self.pk])


class ReceptionDemand(models.Model):
    session = models.ForeignKey(
        ReceptionSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="demands",
    )
    item = models.OneToOneField(
        LedgerItem,
        verbose_name=_("ledger item"),
        on_delete=models.CASCADE,
        related_name="reception_demand",
    )
    answered_on_spot = models.BooleanField(_("answered on the spot"), default=False)

    objects = ScopedQuerySet.with_scope("session__community").as_manager()

    class Meta:
        verbose_name = _("reception-day demand")
        verbose_name_plural = _("reception-day demands")
        ordering = ["-session__date", "-pk"]

    def __str__(self):
        return str(self.item)
