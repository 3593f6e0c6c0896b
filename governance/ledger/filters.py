"""The ledger item filters, shared by the list page, its htmx partial and the .xlsx export, so an
export contains exactly the rows the list shows."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance import access
from governance.ledger import figures
from governance.models import (
    Ledger,
    LedgerItem,
    MatterCategory,
    Satisfaction,
    Source,
    Status,
    Unit,
    UnitQuerySet,
)
from governance.params import DayField, IdField

LIGHTS = [("green", _("Green")), ("yellow", _("Yellow")), ("red", _("Red (overdue)"))]
REPLIED_CHOICES = [("1", _("Replied")), ("0", _("Not replied"))]
OUTCOMES = [
    ("resolved", _("Resolved")),
    ("on_time", _("Resolved on time")),
    ("late", _("Resolved late")),
    ("explained", _("Closed with an explanation")),
]
RESPONSES = [
    ("on_time", _("Acknowledged in time")),
    ("late", _("Acknowledged late")),
    ("none", _("Not acknowledged")),
]
SATISFACTIONS = [
    *Satisfaction.choices,
    ("content", _("Satisfied or basically satisfied")),
    ("rated", _("Satisfaction recorded")),
]
ORDERINGS = (
    ("received_at", "received"),
    ("due_at", "due"),
    ("number", "number"),
    ("status", "status"),
)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def work_queue_q(user) -> Q:
    if user.is_superuser:
        return Q()
    condition = Q(handler=user)
    for unit in access.units_where(user, "handle_items"):
        condition |= Q(responsible_unit__path__startswith=unit.path)
    return condition


class DayFilter(django_filters.DateFilter):
    field_class = DayField


class IdFilter(django_filters.NumberFilter):
    field_class = IdField


class _StatusField(django_filters.fields.MultipleChoiceField):
    """Ignores the empty choice ("any status") that a single select sends."""

    def to_python(self, value):
        return [v for v in super().to_python(value) if v]


class StatusFilter(django_filters.MultipleChoiceFilter):
    field_class = _StatusField


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorts by the chosen column, then by primary key: many items share a deadline (working-day
    deadlines all end at midnight), and without a tie-breaker pages would repeat or skip rows."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "-pk" if value[-1].startswith("-") else "pk")
        return qs


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    ledger = django_filters.ModelChoiceFilter(label=_("Ledger"), queryset=Ledger.objects.none())
    status = StatusFilter(label=_("Status"), choices=Status.choices)
    open = django_filters.BooleanFilter(label=_("Open only"), method="only_open")
    queue = django_filters.BooleanFilter(label=_("My work queue"), method="work_queue")
    light = django_filters.ChoiceFilter(label=_("Light"), choices=LIGHTS, method="by_light")
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=Unit.objects.none(), method="within_unit"
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=MatterCategory.objects.none()
    )
    handler = IdFilter(label=_("Handler"), field_name="handler_id")
    responsible = django_filters.ModelChoiceFilter(
        label=_("Responsible unit"), queryset=Unit.objects.none(), field_name="responsible_unit"
    )
    source = django_filters.ChoiceFilter(label=_("Source"), choices=Source.choices)
    received_from = DayFilter(label=_("Received from"), method="received_since")
    received_to = DayFilter(label=_("Received until"), method="received_until")
    overdue_from = DayFilter(label=_("Overdue"), method="overdue_since")
    # Drill-downs of the figures (governance/ledger/figures.py defines what each selects).
    replied = django_filters.ChoiceFilter(
        label=_("Replied"), choices=REPLIED_CHOICES, method="by_reply"
    )
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), choices=OUTCOMES, method="by_outcome")
    responded = django_filters.ChoiceFilter(
        label=_("Acknowledged"), choices=RESPONSES, method="by_response"
    )
    satisfaction = django_filters.ChoiceFilter(
        label=_("Satisfaction"), choices=SATISFACTIONS, method="by_satisfaction"
    )
    ordering = StableOrderingFilter(label=_("Sort by"), fields=ORDERINGS)

    class Meta:
        model = LedgerItem
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        user = request.user
        self.filters["ledger"].queryset = Ledger.objects.for_user(user)
        self.filters["unit"].queryset = Unit.objects.for_user(user).territory()
        roots = [m.unit.path[: m.unit.steplen] for m in access.memberships(user)]
        # Items are handed to the district's departments, which lie outside a township's scope.
        responsible = Unit.objects.all()
        if not user.is_superuser:
            paths = access.scope_paths(user)
            within = UnitQuerySet.scope_q(paths) if paths else Q(pk__in=[])
            for root in roots:
                within |= Q(kind=Unit.Kind.DEPARTMENT, path__startswith=root)
            responsible = responsible.filter(within)
        self.filters["responsible"].queryset = responsible
        categories = MatterCategory.objects.all()
        if not user.is_superuser:
            categories = categories.filter(district__path__in=roots)
        self.filters["category"].queryset = categories

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(title__contains=value)
            | Q(description__contains=value)
            | Q(hotline_ticket__icontains=value)
        )

    def only_open(self, queryset, name, value):
        return queryset.open() if value else queryset

    def work_queue(self, queryset, name, value):
        """Items the user must act on: responsible unit within a unit where they handle items,
        or the user is the handler. The home page's work-queue figures use the same rule."""
        return queryset.filter(work_queue_q(self.request.user)) if value else queryset

    def by_light(self, queryset, name, value):
        now = timezone.now()
        return {
            "green": queryset.green(now),
            "yellow": queryset.yellow(now),
            "red": queryset.overdue(now),
        }.get(value, queryset)

    # Bounds as instants (local midnight) rather than received_at__date, which PostgreSQL can
    # only answer by converting every row: the instants use the index on received_at.
    def received_since(self, queryset, name, value):
        return queryset.filter(received_at__gte=_day_start(value))

    def received_until(self, queryset, name, value):
        return queryset.filter(received_at__lt=_day_start(value + datetime.timedelta(days=1)))

    def within_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path)

    def overdue_since(self, queryset, name, value):
        """Open items whose deadline passed on or before that day (for dashboards' drill-down)."""
        return queryset.open().filter(due_at__date__lte=value, due_at__lt=timezone.now())

    def by_reply(self, queryset, name, value):
        return (
            queryset.filter(figures.REPLIED) if value == "1" else queryset.exclude(figures.REPLIED)
        )

    def by_outcome(self, queryset, name, value):
        return queryset.filter(
            {
                "resolved": figures.RESOLVED,
                "on_time": figures.RESOLVED_ON_TIME,
                "late": figures.RESOLVED_LATE,
                "explained": figures.EXPLAINED,
            }[value]
        )

    def by_response(self, queryset, name, value):
        return queryset.filter(
            {
                "on_time": figures.RESPONDED_ON_TIME,
                "late": figures.RESPONDED_LATE,
                "none": figures.NOT_RESPONDED,
            }[value]
        )

    def by_satisfaction(self, queryset, name, value):
        conditions = {"content": figures.CONTENT, "rated": figures.RATED}
        return queryset.filter(conditions.get(value) or Q(satisfaction=value))
