"""Forms of the teams pages. Unit and person choices are limited to the user's scope."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Person, Unit
from governance.normalize import clean_compact, clean_text
from governance.uploads import validate_document, validate_image
from governance.widgets import DateInput
from teams.models import (
    BrandTheme,
    Education,
    JobPosting,
    PartyBrand,
    QuotaKind,
    Salon,
    Secondment,
    Talent,
    TalentRequest,
    TeamsPolicy,
    Topic,
    TrainingSession,
    VillageLeader,
)


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


class TrainingForm(ScopedModelForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("organised by"))

    class Meta:
        model = TrainingSession
        fields = [
            "unit",
            "title",
            "topic",
            "trainer",
            "held_on",
            "place",
            "materials",
            "materials_note",
        ]
        widgets = {"held_on": DateInput(), "materials_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["materials"].validators.append(validate_document)


class AttendForm(forms.Form):
    people = forms.CharField(
        label=_("Add to the sign-in list"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names or ID card numbers, separated by commas or new lines."),
    )


class LeaderForm(ScopedForm):
    unit_field = "village"
    unit_levels = (3,)
    village = UnitChoiceField(queryset=Unit.objects.none(), label=_("village / community"))
    person = PersonField()
    post = forms.ChoiceField(label=_("post"), choices=VillageLeader.Post.choices)
    term_start = forms.DateField(label=_("term from"), widget=DateInput())
    term_end = forms.DateField(label=_("term until"), widget=DateInput(), required=False)
    education = forms.ChoiceField(
        label=_("education"), choices=[("", "—"), *Education.choices], required=False
    )
    profile = forms.CharField(
        label=_("profile"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class ReserveForm(ScopedForm):
    unit_field = "village"
    unit_levels = (3,)
    village = UnitChoiceField(queryset=Unit.objects.none(), label=_("village / community"))
    person = PersonField()
    education = forms.ChoiceField(label=_("education"), choices=Education.choices)
    source = forms.ChoiceField(label=_("source"), choices=[])
    added_on = forms.DateField(label=_("added on"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        from teams.models import ReserveSource

        super().__init__(*args, **kwargs)
        self.fields["source"].choices = ReserveSource.choices


class ToReserveForm(forms.Form):
    education = forms.ChoiceField(label=_("education"), choices=Education.choices)


class PolicyForm(forms.ModelForm):
    class Meta:
        model = TeamsPolicy
        fields = ["reserve_minimum", "secondment_max_months", "score_due_day"]


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("criterion"), max_length=100)
    max_points = forms.DecimalField(
        label=_("full marks"), min_value=0.5, max_digits=5, decimal_places=1
    )
    order = forms.IntegerField(label=_("order"), min_value=0, initial=0)
    is_active = forms.BooleanField(label=_("in use"), required=False, initial=True)


class WorkerForm(ScopedForm):
    unit_field = "community"
    unit_levels = (3,)
    community = UnitChoiceField(queryset=Unit.objects.none(), label=_("community"))
    person = PersonField()
    post = forms.CharField(label=_("post"), max_length=100, required=False)
    started_on = forms.DateField(label=_("worker since"), widget=DateInput())


class SecondmentForm(ScopedModelForm):
    class Meta:
        model = Secondment
        fields = [
            "worker",
            "to_office",
            "reason",
            "started_on",
            "planned_end_on",
            "returned_on",
            "approval_document",
            "approved_on",
        ]
        widgets = {
            "started_on": DateInput(),
            "planned_end_on": DateInput(),
            "returned_on": DateInput(),
            "approved_on": DateInput(),
        }

    def __init__(self, *args, user, **kwargs):
        from teams.models import CommunityWorker

        super().__init__(*args, user=user, **kwargs)
        self.fields["worker"].queryset = (
            CommunityWorker.objects.for_user(user)
            .select_related("person", "community")
            .order_by("community__path", "person__name")
        )
        self.fields["worker"].label_from_instance = lambda w: (
            f"{w.community.name} · {w.person.name}"
        )

    def _post_clean(self):
        # The service validates and saves; the model's own clean needs limit_on first.
        pass


class QuotaForm(ScopedForm):
    unit_field = "township"
    unit_levels = (2,)
    township = UnitChoiceField(queryset=Unit.objects.none(), label=_("township"))
    kind = forms.ChoiceField(label=_("kind"), choices=QuotaKind.choices)
    allocated = forms.IntegerField(label=_("allocated"), min_value=0)
    filled = forms.IntegerField(label=_("filled"), min_value=0)


class QuotaAdditionForm(forms.Form):
    posts = forms.IntegerField(label=_("posts added"), min_value=1)
    approved_on = forms.DateField(
        label=_("approved on"), widget=DateInput(), initial=timezone.localdate
    )
    document = forms.CharField(label=_("document"), max_length=200, required=False)


class BrandForm(ScopedModelForm):
    unit_field = "community"
    unit_levels = (3,)
    community = UnitChoiceField(queryset=Unit.objects.none(), label=_("community"))

    class Meta:
        model = PartyBrand
        fields = ["community", "name", "theme", "description", "year"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def _post_clean(self):
        pass


class PhotoForm(forms.Form):
    image = forms.ImageField(label=_("photo"), validators=[validate_image])
    caption = forms.CharField(label=_("caption"), max_length=100, required=False)


class ModelCommunityForm(ScopedForm):
    unit_field = "community"
    unit_levels = (3,)
    community = UnitChoiceField(queryset=Unit.objects.none(), label=_("community"))
    year = forms.IntegerField(
        label=_("year"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )
    citation = forms.CharField(label=_("citation"), max_length=200, required=False)


class TalentForm(ScopedForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("registered at"))
    person = PersonField()
    category = forms.ChoiceField(label=_("category"), choices=Talent.Category.choices)
    specialty = forms.CharField(label=_("specialty"), max_length=100, required=False)
    employer = forms.CharField(label=_("employer"), max_length=100, required=False)
    registered_on = forms.DateField(
        label=_("registered on"), widget=DateInput(), initial=timezone.localdate
    )


class TalentRequestForm(forms.Form):
    talent = forms.ModelChoiceField(queryset=Talent.objects.none(), label=_("talent"))
    kind = forms.ChoiceField(label=_("request"), choices=TalentRequest.Kind.choices)
    amount = forms.DecimalField(
        label=_("amount (yuan)"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    submitted_on = forms.DateField(
        label=_("submitted on"), widget=DateInput(), initial=timezone.localdate
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talent"].queryset = (
            Talent.objects.for_user(user).select_related("person").order_by("person__name")
        )


class SalonForm(ScopedModelForm):
    class Meta:
        model = Salon
        fields = ["unit", "kind", "title", "held_on", "place", "participants", "summary"]
        widgets = {"held_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 4})}

    def _post_clean(self):
        pass


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("project idea"), max_length=200)
    proposer = forms.CharField(label=_("proposed by"), max_length=100, required=False)


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=[])
    note = forms.CharField(label=_("follow-up"), max_length=300)

    def __init__(self, *args, idea, **kwargs):
        super().__init__(*args, **kwargs)
        from teams.models import ProjectIdea

        self.fields["status"].choices = [
            (s, ProjectIdea.Status(s).label) for s in ProjectIdea.TRANSITIONS[idea.status]
        ]


class GigWorkerForm(ScopedForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("registered at"))
    person = PersonField()
    skills = forms.CharField(label=_("skills"), max_length=200, required=False)
    registered_on = forms.DateField(
        label=_("registered on"), widget=DateInput(), initial=timezone.localdate
    )


class PostingForm(ScopedModelForm):
    class Meta:
        model = JobPosting
        fields = ["unit", "employer", "title", "positions", "wage", "posted_on", "closes_on"]
        widgets = {"posted_on": DateInput(), "closes_on": DateInput()}

    def _post_clean(self):
        pass


class MatchForm(forms.Form):
    worker = PersonField(label=_("gig worker"))


THEMES = BrandTheme
TOPICS = Topic
