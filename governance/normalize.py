"""Clean-up of what people type or paste from Excel: full-width characters, stray spaces."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

_SPACES = re.compile(r"\s+")


def clean_text(value) -> str:
    """NFKC folds full-width digits and letters (１２３ → 123); spaces inside are collapsed."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", str(value))).strip()


def clean_compact(value) -> str:
    """Like clean_text but without any spaces, for codes, phones and ID numbers."""
    return _SPACES.sub("", clean_text(value))


def normalize_id_number(value) -> str:
    """Validate an 18-digit resident ID number (with its check digit) and return it upper-case."""
    number = clean_compact(value).upper()
    if not number:
        return ""
    try:
        return ric.validate(number)
    except StdnumError:
        raise ValidationError(
            _("“%(value)s” is not a valid resident ID card number."),
            code="invalid_id_number", params={"value": number},
        ) from None


def birth_date_from_id(number: str):
    return ric.get_birth_date(number) if number else None


_PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{7,8})$")


def normalize_phone(value) -> str:
    phone = clean_compact(value).replace("－", "-")
    if phone.startswith("+86"):
        phone = phone[3:]
    if phone and not _PHONE.match(phone):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number."), code="invalid_phone",
            params={"value": phone},
        )
    return phone
