"""The ledger item filters, shared by the list page, its htmx partial and the .xlsx export, so an
export contains exactly the rows the list shows."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance import access
from governance.models import Ledger, LedgerItem, MatterCategory, Source, Status, Unit

LIGHTS = [("green", _("Green")), ("yellow", _("Yellow")), ("red", _("Red (overdue)"))]
ORDERINGS = (
    ("received_at", "received"),
    ("due_at", "due"),
    ("number", "number"),
    ("status", "status"),
)


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    ledger = django_filters.ModelChoiceFilter(label=_("Ledger"), queryset=Ledger.objects.none())
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=Status.choices)
    open = django_filters.BooleanFilter(label=_("Open only"), method="only_open")
    light = django_filters.ChoiceFilter(label=_("Light"), choices=LIGHTS, method="by_light")
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=Unit.objects.none(), method="within_unit"
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=MatterCategory.objects.none()
    )
    handler = django_filters.NumberFilter(label=_("Handler"), field_name="handler_id")
    responsible = django_filters.ModelChoiceFilter(
        label=_("Responsible unit"), queryset=Unit.objects.none(), field_name="responsible_unit"
    )
    source = django_filters.ChoiceFilter(label=_("Source"), choices=Source.choices)
    received_from = django_filters.DateFilter(
        label=_("Received from"), field_name="received_at", lookup_expr="date__gte"
    )
    received_to = django_filters.DateFilter(
        label=_("Received until"), field_name="received_at", lookup_expr="date__lte"
    )
    overdue_from = django_filters.DateFilter(label=_("Overdue"), method="overdue_since")
    ordering = django_filters.OrderingFilter(label=_("Sort by"), fields=ORDERINGS)

    class Meta:
        model = LedgerItem
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        user = request.user
        self.filters["ledger"].queryset = Ledger.objects.for_user(user)
        self.filters["unit"].queryset = Unit.objects.for_user(user).territory()
        self.filters["responsible"].queryset = Unit.objects.for_user(user)
        roots = [m.unit.path[: m.unit.steplen] for m in access.memberships(user)]
        categories = MatterCategory.objects.all()
        if not user.is_superuser:
            categories = categories.filter(district__path__in=roots)
        self.filters["category"].queryset = categories

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value) | Q(title__contains=value) | Q(description__contains=value)
        )

    def only_open(self, queryset, name, value):
        return queryset.open() if value else queryset

    def by_light(self, queryset, name, value):
        now = timezone.now()
        return {"green": queryset.green(now), "yellow": queryset.yellow(now),
                "red": queryset.overdue(now)}.get(value, queryset)

    def within_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path)

    def overdue_since(self, queryset, name, value):
        """Open items whose deadline passed on or before that day (for dashboards' drill-down)."""
        return queryset.open().filter(due_at__date__lte=value, due_at__lt=timezone.now())
