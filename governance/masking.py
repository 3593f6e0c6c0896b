"""Masking of personal data for display (PIPL): phone 138****1234, ID 3701**********1234."""

from django.utils.translation import gettext_lazy as _


def mask_phone(phone: str) -> str:
    digits = (phone or "").strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_id_number(number: str) -> str:
    value = (number or "").strip()
    if len(value) < 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def mask_name(name: str) -> str:
    value = (name or "").strip()
    if len(value) <= 1:
        return value
    return value[0] + "*" * (len(value) - 1)


class MaskedFieldsMixin:
    """Form mixin: the personal fields of a stored object are rendered masked.

    Submitting the mask back keeps the stored value; typing a new value replaces it. The full
    value reaches the page only through `reveal()`, which the view calls after recording the
    reveal (an edit page is a GET like any other: it must not show full numbers unrecorded).
    """

    masked_fields: dict = {}

    def mask_stored_values(self) -> None:
        self.masked = {}
        for name, mask in self.masked_fields.items():
            stored = getattr(self.instance, name, "") or ""
            if name not in self.fields or not stored:
                continue
            self.masked[name] = stored
            shown = mask(stored)
            self.initial[name] = shown
            field = self.fields[name]
            field.help_text = _("Shown masked: leave it to keep the number, or type a new one.")
            field.clean = lambda value, clean=field.clean, shown=shown, stored=stored: clean(
                stored if value == shown else value
            )

    def reveal(self) -> None:
        self.initial.update(self.masked)
