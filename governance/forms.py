from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from governance.masking import MaskedFieldsMixin, mask_id_number, mask_phone
from governance.models import Area, Membership, Person, Role, Unit, WorkZone
from governance.normalize import normalize_id_number, normalize_phone
from governance.throttling import forget, hits, over_limit
from governance.widgets import DateInput


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "code", "address", "phone", "area", "work_zone", "is_active"]

    def __init__(self, *args, parent: Unit | None, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        level = (
            next(lvl for lvl, kinds in Unit.KINDS_BY_LEVEL.items() if kind in kinds)
            if kind != Unit.Kind.DEPARTMENT
            else 2
        )
        if level == 2 and kind != Unit.Kind.DEPARTMENT and parent is not None:
            self.fields["area"].queryset = Area.objects.filter(district=parent)
        else:
            del self.fields["area"]
        if level == 3 and parent is not None:
            self.fields["work_zone"].queryset = WorkZone.objects.filter(township=parent)
        else:
            del self.fields["work_zone"]


class UnitCreateForm(UnitForm):
    kind = forms.ChoiceField(label=_("kind"))

    class Meta(UnitForm.Meta):
        fields = ["kind", *UnitForm.Meta.fields]

    def __init__(self, *args, parent: Unit, **kwargs):
        kinds = parent.child_kinds
        kind = (args[0].get("kind") if args and args[0] else None) or kinds[0]
        super().__init__(*args, parent=parent, kind=kind if kind in kinds else kinds[0], **kwargs)
        self.fields["kind"].choices = [(k, Unit.Kind(k).label) for k in kinds]


class UnitMoveForm(forms.Form):
    new_parent = forms.ModelChoiceField(label=_("new parent unit"), queryset=Unit.objects.none())

    def __init__(self, *args, unit: Unit, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = (
            candidates.filter(kind__in=Unit.PARENT_KINDS[unit.kind])
            .exclude(path__startswith=unit.path)
            .exclude(pk=unit.parent_id)
            .select_related("parent")
        )
        self.fields["new_parent"].label_from_instance = lambda u: (
            f"{u.parent.name} / {u.name}" if u.parent_id else u.name
        )


class PersonForm(MaskedFieldsMixin, forms.ModelForm):
    masked_fields = {"phone": mask_phone, "id_number": mask_id_number}

    class Meta:
        model = Person
        fields = [
            "name",
            "gender",
            "phone",
            "id_number",
            "unit",
            "is_party_member",
            "party_joined_on",
            "posts",
            "note",
        ]
        widgets = {"party_joined_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.select_related("parent")
        self.fields["unit"].label_from_instance = lambda u: (
            f"{u.parent.name} / {u.name}" if u.parent_id else u.name
        )
        self.fields["id_number"].required = False
        if self.instance.pk:
            self.mask_stored_values()

    def clean_phone(self):
        return normalize_phone(self.cleaned_data.get("phone"))

    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data.get("id_number")) or None


class AccountForm(forms.Form):
    username = forms.CharField(label=_("username"), max_length=150)
    password = forms.CharField(
        label=_("initial password"), widget=forms.PasswordInput, min_length=8
    )
    email = forms.EmailField(label=_("e-mail"), required=False)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken."))
        return username

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class MembershipForm(forms.Form):
    user = forms.ModelChoiceField(label=_("account"), queryset=get_user_model().objects.none())
    role = forms.ChoiceField(label=_("role"))
    started_on = forms.DateField(label=_("from"), widget=DateInput())
    ended_on = forms.DateField(label=_("until"), widget=DateInput(), required=False)

    def __init__(self, *args, unit: Unit, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = accounts
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.person.name}（{u.username}）" if hasattr(u, "person") else u.username
        )
        self.fields["role"].choices = [
            (role.value, role.label)
            for role in Role
            if unit.kind in Membership.ROLE_UNIT_KINDS[role]
        ]

    def clean(self):
        data = super().clean()
        if (
            data.get("ended_on")
            and data.get("started_on")
            and data["ended_on"] < data["started_on"]
        ):
            raise ValidationError(_("The end date is before the start date."))
        return data


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """The password change form, with guessing of the old password limited like sign-ins: after
    PASSWORD_GUESSES wrong old passwords for an account, 15 minutes' pause (a session left open
    on a shared office computer must not become a way to find the password)."""

    PASSWORD_GUESSES = 5
    PAUSE = 15 * 60

    def clean_old_password(self):
        key = f"password-change:{self.user.pk}"
        if hits(key) >= self.PASSWORD_GUESSES:
            raise forms.ValidationError(
                _("Too many wrong passwords. Try again in 15 minutes."), code="throttled"
            )
        try:
            password = super().clean_old_password()
        except forms.ValidationError:
            over_limit(key, self.PASSWORD_GUESSES, self.PAUSE)
            raise
        forget(key)
        return password
