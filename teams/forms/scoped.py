"""What every teams form shares: unit choices within the user's scope, the person a name or
an ID card number names there, and the base forms that take the user."""

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import Person, Unit
from governance.normalize import clean_compact, clean_text


def units_for(user, levels=(1, 2, 3)):
    kinds = [k for level in levels for k in Unit.KINDS_BY_LEVEL[level]]
    return (
        Unit.objects.for_user(user)
        .filter(kind__in=kinds, is_active=True)
        .select_related("parent")
        .order_by("path")
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        if unit.parent_id and unit.level == 3:
            return f"{unit.parent.name} · {unit.name}"
        return unit.name


class PersonField(forms.CharField):
    """A person of the user's scope, typed as a name or an ID card number.

    A scope holds thousands of people: a select would not do. A name must be unique in the
    scope (or in the unit chosen on the same form); otherwise the ID card number tells them apart.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("person"))
        kwargs.setdefault(
            "help_text",
            _("Name or ID card number of a person already registered under People."),
        )
        kwargs.setdefault("max_length", 50)
        super().__init__(*args, **kwargs)


def resolve_person(user, text: str, unit: Unit | None = None) -> Person:
    value = clean_compact(text).upper()
    people = Person.objects.for_user(user).select_related("unit")
    if len(value) == 18 and value[:17].isdigit():
        person = people.filter(id_number=value).first()
        if person is None:
            raise forms.ValidationError(_("No one in your scope has this ID card number."))
        return person
    name = clean_text(text)
    matches = list(people.filter(name=name)[:20])
    if unit is not None and len(matches) > 1:
        matches = [p for p in matches if p.unit.path.startswith(unit.path)] or matches
    if not matches:
        raise forms.ValidationError(
            _("No one named %(name)s is registered in your scope; add them under People first.")
            % {"name": name}
        )
    if len(matches) > 1:
        raise forms.ValidationError(
            _("Several people are named %(name)s; enter the ID card number instead.")
            % {"name": name}
        )
    return matches[0]


class ScopedForm(forms.Form):
    unit_levels: tuple = (1, 2, 3)
    unit_field = "unit"

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.unit_field in self.fields:
            self.fields[self.unit_field].queryset = units_for(user, self.unit_levels)

    def clean(self):
        data = super().clean()
        if "person" in self.fields and data.get("person"):
            try:
                data["person"] = resolve_person(
                    self.user, data["person"], data.get(self.unit_field)
                )
            except forms.ValidationError as error:
                self.add_error("person", error)
        return data


class ScopedModelForm(forms.ModelForm):
    unit_levels: tuple = (1, 2, 3)
    unit_field = "unit"

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.unit_field in self.fields:
            self.fields[self.unit_field].queryset = units_for(user, self.unit_levels)
