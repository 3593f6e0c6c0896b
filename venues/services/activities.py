"""Writes of the activities part: activities and series, registrations with a waiting list,
attendance, and publishing the weekly preview.

Rules
- Who may: staff holding "handle_items" over the activity's unit (the venue's unit) or above:
  community secretaries and cadres, township staff, district administrators.
- An activity's unit is its venue's unit; its category comes from the venue's district list.
- A series creates every dated activity in one transaction: on the chosen ISO weekdays from the
  first to the last day, skipping public holidays when asked (a day the working-day calendar
  records as a holiday, or a weekend day the official schedule names as part of one).
- Registration (public page or staff): one live registration per phone and activity (a unique
  constraint); confirmed while places are left, else on the waiting list when the activity
  keeps one, else refused. The activity row is locked (select_for_update) while a place is
  taken or given back, so concurrent registrations never overfill it. A cancellation of a
  confirmed registration promotes the first person waiting.
- Attendance (person-times) and the short report are recorded only once an activity has
  started, never for a cancelled one; recording again corrects the figures.
- A cancelled activity stays (the preview shows it as cancelled) and cannot be edited; only
  activities not yet started can be cancelled.
"""

import datetime
from collections.abc import Iterable

import chinese_calendar
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import access
from governance.models import CalendarDay, Unit
from governance.normalize import clean_text, normalize_phone
from venues.models import (
    Activity,
    ActivityCategory,
    ActivityPhoto,
    ActivitySeries,
    ActivityStatus,
    PublicBoard,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    Venue,
    WeekPreview,
    WeekStatus,
)

ONE_DAY = datetime.timedelta(days=1)
MAX_SERIES = 200
MAX_ATTENDANCE = 100_000
MANAGE = "handle_items"

#: The common categories every district starts with (code, name).
DEFAULT_CATEGORIES = (
    ("policy", "政策宣讲"),
    ("training", "技能培训"),
    ("course", "兴趣课堂（点亮空房子）"),
    ("market", "睦邻市集"),
    ("clinic", "义诊"),
    ("salon", "沙龙"),
    ("livestream", "直播带岗"),
    ("volunteer", "志愿服务"),
    ("culture", "文体活动"),
    ("other", "其他"),
)
EDITABLE = (
    "title",
    "description",
    "category",
    "venue",
    "organiser",
    "partners",
    "target_group",
    "capacity",
    "registration_enabled",
    "waitlist_enabled",
    "starts_at",
    "ends_at",
)


# Weeks


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the week holding `day`."""
    return day - datetime.timedelta(days=day.weekday())


def next_week(now: datetime.datetime | None = None) -> datetime.date:
    """The Monday of the week after the current one (Asia/Shanghai)."""
    return week_of(timezone.localdate(now)) + datetime.timedelta(days=7)


def week_days(week_start: datetime.date) -> list[datetime.date]:
    return [week_start + ONE_DAY * i for i in range(7)]


# Categories and boards


def categories_ensure(district: Unit) -> int:
    """Give a district the common categories when its list is empty; returns how many were added."""
    if ActivityCategory.objects.filter(district=district).exists():
        return 0
    ActivityCategory.objects.bulk_create(
        [
            ActivityCategory(district=district, code=code, name=name, order=10 * (i + 1))
            for i, (code, name) in enumerate(DEFAULT_CATEGORIES)
        ],
        ignore_conflicts=True,
    )
    return len(DEFAULT_CATEGORIES)


def board_for(unit: Unit) -> PublicBoard:
    return PublicBoard.objects.get_or_create(unit=unit)[0]


# Activities


def _require(actor, unit: Unit) -> None:
    if actor is not None and not access.can(actor, MANAGE, unit):
        raise PermissionDenied(_("Your role does not allow this."))


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment)


def clean_activity_values(values: dict) -> dict:
    """Check one activity's values (also used by the import, row by row)."""
    errors: dict[str, list[str]] = {}
    values = dict(values)
    for name in ("title", "organiser", "partners", "target_group"):
        if name in values:
            values[name] = clean_text(values[name])
    if "title" in values and not values["title"]:
        errors.setdefault("title", []).append(_("This field is required."))
    venue, category = values.get("venue"), values.get("category")
    if venue is not None and not venue.is_active:
        errors.setdefault("venue", []).append(_("This venue is no longer active."))
    if (
        venue is not None
        and category is not None
        and not venue.unit.path.startswith(category.district.path)
    ):
        errors.setdefault("category", []).append(_("This category belongs to another district."))
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts is not None and ends is not None and ends <= starts:
        errors.setdefault("ends_at", []).append(_("The end must be after the start."))
    if starts is not None and ends is not None and ends - starts > datetime.timedelta(days=7):
        errors.setdefault("ends_at", []).append(_("An activity lasts at most seven days."))
    capacity = values.get("capacity")
    if capacity is not None and capacity < 1:
        errors.setdefault("capacity", []).append(_("The capacity is at least 1, or empty."))
    if values.get("registration_enabled") and capacity is None:
        values["waitlist_enabled"] = False
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def activity_create(
    *,
    venue: Venue,
    category: ActivityCategory,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    actor,
    series: ActivitySeries | None = None,
    **fields,
) -> Activity:
    _require(actor, venue.unit)
    values = clean_activity_values(
        {
            "venue": venue,
            "category": category,
            "title": title,
            "starts_at": starts_at,
            "ends_at": ends_at,
            **fields,
        }
    )
    return Activity.objects.create(
        unit=venue.unit,
        series=series,
        week_start=week_of(_local(values["starts_at"]).date()),
        created_by=actor,
        **values,
    )


def series_dates(
    weekdays: Iterable[int],
    first_day: datetime.date,
    last_day: datetime.date,
    *,
    skip_holidays: bool,
) -> list[datetime.date]:
    """The days of a series: ISO weekdays (1 = Monday) from first_day to last_day."""
    wanted = set(weekdays)
    days = [
        first_day + ONE_DAY * i
        for i in range((last_day - first_day).days + 1)
        if (first_day + ONE_DAY * i).isoweekday() in wanted
    ]
    if skip_holidays and days:
        recorded = dict(
            CalendarDay.objects.filter(date__gte=days[0], date__lte=days[-1]).values_list(
                "date", "kind"
            )
        )
        days = [d for d in days if not _holiday(d, recorded)]
    return days


def _holiday(day: datetime.date, recorded: dict) -> bool:
    kind = recorded.get(day)
    if kind is not None:
        return kind == CalendarDay.Kind.HOLIDAY
    if day.weekday() < 5:
        return False
    # Weekend days inside a holiday (the calendar table keeps only weekday exceptions).
    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:  # a year the package does not know
        return False
    return bool(is_holiday and name)


@transaction.atomic
def series_create(
    *,
    venue: Venue,
    category: ActivityCategory,
    title: str,
    weekdays: Iterable[int],
    first_day: datetime.date,
    last_day: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    skip_holidays: bool = True,
    actor,
    **fields,
) -> ActivitySeries:
    """A term of classes: one ActivitySeries and one Activity per day, all or none."""
    _require(actor, venue.unit)
    weekdays = sorted({int(d) for d in weekdays})
    errors: dict[str, list[str]] = {}
    if not weekdays or not all(1 <= d <= 7 for d in weekdays):
        errors["weekdays"] = [_("Choose at least one weekday.")]
    if last_day < first_day:
        errors["last_day"] = [_("The last day must not be before the first.")]
    if end_time <= start_time:
        errors["end_time"] = [_("The end must be after the start.")]
    if errors:
        raise ValidationError(errors)
    days = series_dates(weekdays, first_day, last_day, skip_holidays=skip_holidays)
    if not days:
        raise ValidationError({"weekdays": [_("No day of the series falls in this period.")]})
    if len(days) > MAX_SERIES:
        raise ValidationError(
            {"last_day": [_("A series holds at most %(max)s activities.") % {"max": MAX_SERIES}]}
        )
    tz = timezone.get_current_timezone()
    first = clean_activity_values(
        {
            "venue": venue,
            "category": category,
            "title": title,
            "starts_at": datetime.datetime.combine(days[0], start_time, tzinfo=tz),
            "ends_at": datetime.datetime.combine(days[0], end_time, tzinfo=tz),
            **fields,
        }
    )
    series = ActivitySeries.objects.create(
        unit=venue.unit,
        venue=venue,
        title=first["title"],
        weekdays=",".join(str(d) for d in weekdays),
        first_day=first_day,
        last_day=last_day,
        skip_holidays=skip_holidays,
        created_by=actor,
    )
    common = {k: v for k, v in first.items() if k not in ("starts_at", "ends_at")}
    Activity.objects.bulk_create(
        [
            Activity(
                unit=venue.unit,
                series=series,
                starts_at=datetime.datetime.combine(day, start_time, tzinfo=tz),
                ends_at=datetime.datetime.combine(day, end_time, tzinfo=tz),
                week_start=week_of(day),
                created_by=actor,
                **common,
            )
            for day in days
        ]
    )
    return series


def _following(activity: Activity, now: datetime.datetime):
    """This activity and the later ones of its series not cancelled and not started."""
    return (
        Activity.objects.select_for_update()
        .filter(series=activity.series_id, starts_at__gte=activity.starts_at)
        .exclude(status=ActivityStatus.CANCELLED)
        .filter(starts_at__gt=now)
        .order_by("starts_at", "pk")
    )


@transaction.atomic
def activity_update(
    *, activity: Activity, actor, scope: str = "one", now=None, **changes
) -> list[Activity]:
    """Change one activity, or (scope="following") it and the later ones of its series: the
    same values, and the new times of day applied to each one's own date."""
    now = now or timezone.now()
    activity = (
        Activity.objects.select_for_update().select_related("venue__unit").get(pk=activity.pk)
    )
    _require(actor, activity.unit)
    if activity.is_cancelled:
        raise ValidationError(_("A cancelled activity cannot be edited."))
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    if "venue" in changes:
        _require(actor, changes["venue"].unit)
    targets = [activity]
    if scope == "following" and activity.series_id:
        targets = [activity] + [a for a in _following(activity, now) if a.pk != activity.pk]
    new_start = changes.get("starts_at", activity.starts_at)
    new_end = changes.get("ends_at", activity.ends_at)
    clock_changed = new_start != activity.starts_at or new_end != activity.ends_at
    start_local, duration = _local(new_start), new_end - new_start
    for target in targets:
        values = {k: v for k, v in changes.items() if k not in ("starts_at", "ends_at")}
        if target.pk == activity.pk:
            values["starts_at"], values["ends_at"] = new_start, new_end
        elif clock_changed:
            begin = datetime.datetime.combine(
                _local(target.starts_at).date(), start_local.timetz()
            ).replace(tzinfo=start_local.tzinfo)
            values["starts_at"], values["ends_at"] = begin, begin + duration
        merged = {
            name: values.get(name, getattr(target, name))
            for name in ("venue", "category", "title", "starts_at", "ends_at", "capacity")
        }
        merged.update({k: v for k, v in values.items() if k not in merged})
        cleaned = clean_activity_values(merged)
        capacity = cleaned.get("capacity")
        if capacity is not None and capacity < target.confirmed_count:
            raise ValidationError(
                {
                    "capacity": [
                        _("%(count)s people are already confirmed; the capacity cannot be lower.")
                        % {"count": target.confirmed_count}
                    ]
                }
            )
        for name, value in cleaned.items():
            setattr(target, name, value)
        target.unit = target.venue.unit
        target.week_start = week_of(_local(target.starts_at).date())
        target.save()
        _promote(target, now)
    return targets


@transaction.atomic
def activity_cancel(
    *, activity: Activity, actor, reason: str = "", scope: str = "one", now=None
) -> int:
    """Cancel one activity (or it and the rest of its series); returns how many."""
    now = now or timezone.now()
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _require(actor, activity.unit)
    if activity.is_cancelled:
        raise ValidationError(_("This activity is already cancelled."))
    if activity.has_started(now):
        raise ValidationError(_("An activity that has started cannot be cancelled."))
    reason = clean_text(reason)[:200]
    ids = (
        [a.pk for a in _following(activity, now)]
        if scope == "following" and activity.series_id
        else [activity.pk]
    )
    return (
        Activity.objects.filter(pk__in=ids)
        .exclude(status=ActivityStatus.CANCELLED)
        .update(status=ActivityStatus.CANCELLED, cancel_reason=reason, updated_at=now)
    )


@transaction.atomic
def attendance_record(
    *,
    activity: Activity,
    attendance: int,
    report: str = "",
    photos: Iterable = (),
    actor,
    now=None,
) -> Activity:
    now = now or timezone.now()
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _require(actor, activity.unit)
    if activity.is_cancelled:
        raise ValidationError(_("A cancelled activity has no attendance."))
    if not activity.has_started(now):
        raise ValidationError(_("Attendance can be recorded once the activity has started."))
    if attendance is None or not 0 <= attendance <= MAX_ATTENDANCE:
        raise ValidationError(
            {
                "attendance": [
                    _("Enter a number of person-times from 0 to %(max)s.") % {"max": MAX_ATTENDANCE}
                ]
            }
        )
    activity.attendance = attendance
    activity.report = (report or "").strip()
    activity.attendance_recorded_at = now
    activity.attendance_recorded_by = actor
    activity.save(
        update_fields=[
            "attendance",
            "report",
            "attendance_recorded_at",
            "attendance_recorded_by",
            "updated_at",
        ]
    )
    for image in photos:
        ActivityPhoto.objects.create(activity=activity, image=image, uploaded_by=actor)
    return activity


# Registrations


@transaction.atomic
def registration_create(
    *,
    activity: Activity,
    name: str,
    phone: str,
    source: str = RegistrationSource.PUBLIC,
    actor=None,
    now=None,
) -> Registration:
    """Take a place (or a place on the waiting list) under the activity's row lock."""
    now = now or timezone.now()
    if source == RegistrationSource.STAFF:
        if actor is None:
            raise PermissionDenied(_("Your role does not allow this."))
        _require(actor, activity.unit)
    name = clean_text(name)
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("This field is required.")]
    elif len(name) > 50:
        errors["name"] = [_("At most %(max)s characters.") % {"max": 50}]
    try:
        phone = normalize_phone(phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    else:
        if not phone:
            errors["phone"] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.is_cancelled:
        raise ValidationError(_("This activity has been cancelled."))
    if not activity.registration_enabled:
        raise ValidationError(_("This activity takes no registrations."))
    if activity.has_started(now):
        raise ValidationError(_("Registration has closed: the activity has started."))
    if (
        Registration.objects.filter(activity=activity, phone=phone)
        .exclude(status=RegistrationStatus.CANCELLED)
        .exists()
    ):
        raise ValidationError({"phone": [_("This phone number is already registered.")]})
    if activity.capacity is None or activity.confirmed_count < activity.capacity:
        status = RegistrationStatus.CONFIRMED
    elif activity.waitlist_enabled:
        status = RegistrationStatus.WAITING
    else:
        raise ValidationError(_("This activity is full."))
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                activity=activity,
                name=name,
                phone=phone,
                status=status,
                source=source,
                created_by=actor if source == RegistrationSource.STAFF else None,
            )
    except IntegrityError:
        raise ValidationError({"phone": [_("This phone number is already registered.")]}) from None
    if status == RegistrationStatus.CONFIRMED:
        Activity.objects.filter(pk=activity.pk).update(confirmed_count=F("confirmed_count") + 1)
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, actor, now=None) -> Registration | None:
    """Cancel a registration; a confirmed place goes to the first person waiting, who is
    returned (None when nobody was promoted)."""
    now = now or timezone.now()
    activity = Activity.objects.select_for_update().get(pk=registration.activity_id)
    _require(actor, activity.unit)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError(_("This registration is already cancelled."))
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    if not was_confirmed:
        return None
    activity.confirmed_count -= 1
    Activity.objects.filter(pk=activity.pk).update(confirmed_count=F("confirmed_count") - 1)
    promoted = _promote(activity, now)
    return promoted[0] if promoted else None


def _promote(activity: Activity, now) -> list[Registration]:
    """Move the first people waiting into free places (the activity row is locked)."""
    activity.refresh_from_db(fields=["confirmed_count", "capacity", "status", "starts_at"])
    if activity.is_cancelled or activity.has_started(now):
        return []
    free = None if activity.capacity is None else activity.capacity - activity.confirmed_count
    waiting = Registration.objects.filter(
        activity=activity, status=RegistrationStatus.WAITING
    ).order_by("created_at", "pk")
    if free is not None:
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    if promoted:
        Registration.objects.filter(pk__in=[r.pk for r in promoted]).update(
            status=RegistrationStatus.CONFIRMED, promoted_at=now
        )
        Activity.objects.filter(pk=activity.pk).update(
            confirmed_count=F("confirmed_count") + len(promoted)
        )
        for r in promoted:
            r.status = RegistrationStatus.CONFIRMED
    return promoted


# The weekly preview


def preview_units(user) -> "list[Unit]":
    """Units holding active venues that the user may publish previews for."""
    unit_ids = Venue.objects.for_user(user).filter(is_active=True).values_list("unit_id", flat=True)
    return [
        u
        for u in Unit.objects.filter(pk__in=unit_ids).select_related("parent").order_by("path")
        if access.can(user, MANAGE, u)
    ]


def week_status(unit: Unit, week_start: datetime.date) -> WeekPreview | None:
    return WeekPreview.objects.filter(unit=unit, week_start=week_start).first()


@transaction.atomic
def week_publish(*, unit: Unit, week_start: datetime.date, actor, now=None) -> WeekPreview:
    """Publish a unit's activities of one week. Twice is refused, whoever came second."""
    now = now or timezone.now()
    _require(actor, unit)
    if week_start.weekday() != 0:
        raise ValidationError(_("A week starts on a Monday."))
    if week_start + datetime.timedelta(days=7) <= timezone.localdate(now):
        raise ValidationError(_("This week is over; it can no longer be published."))
    preview, _created = WeekPreview.objects.get_or_create(unit=unit, week_start=week_start)
    won = WeekPreview.objects.filter(pk=preview.pk, status=WeekStatus.DRAFT).update(
        status=WeekStatus.PUBLISHED, published_by=actor, published_at=now
    )
    if not won:
        raise ValidationError(_("This week's preview is already published."))
    preview.refresh_from_db()
    return preview


@transaction.atomic
def week_withdraw(*, unit: Unit, week_start: datetime.date, actor) -> WeekPreview:
    """Take a published preview off the public pages (to correct it before publishing again)."""
    _require(actor, unit)
    preview = WeekPreview.objects.filter(unit=unit, week_start=week_start).first()
    won = (
        WeekPreview.objects.filter(pk=preview.pk, status=WeekStatus.PUBLISHED).update(
            status=WeekStatus.DRAFT, published_by=None, published_at=None
        )
        if preview
        else 0
    )
    if not won:
        raise ValidationError(_("This week's preview is not published."))
    preview.refresh_from_db()
    return preview
