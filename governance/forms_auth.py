from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from governance.throttling import forget, hits, over_limit


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
