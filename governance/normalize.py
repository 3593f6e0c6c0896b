"""Clean-up of what people type or paste from Excel: full-width characters, stray spaces."""

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SPACES = re.compile(r"\s+")


# Full-width digits and Latin letters (and the ideographic space) fold to ASCII; Chinese
# punctuation such as （）and ， stays as typed, since names are written with it.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}
_FULL_WIDTH.update({code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)})
_FULL_WIDTH.update({code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)})
_FULL_WIDTH[0x3000] = 0x20


def clean_text(value) -> str:
    """Fold full-width digits and letters (１２３ → 123); collapse and trim spaces."""
    if value is None:
        return ""
    return _SPACES.sub(" ", str(value).translate(_FULL_WIDTH)).strip()


def clean_compact(value) -> str:
    """NFKC-folded and without any spaces, for codes, phones and ID numbers."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(value or "")))


_ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# Province-level prefixes of GB/T 2260 (and 71/81/82 for Taiwan, Hong Kong, Macao).
_PROVINCES = {
    "11",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "50",
    "51",
    "52",
    "53",
    "54",
    "61",
    "62",
    "63",
    "64",
    "65",
    "71",
    "81",
    "82",
}


def normalize_id_number(value) -> str:
    """Validate an 18-digit resident ID number and return it upper-case.

    Checked: the form, the province, the date of birth and the check digit (GB 11643). The
    county code is not checked against the year of birth: a card carries the county where it
    was first issued, so a 1980-born resident of a county created in 1994 holds its code.
    """
    number = clean_compact(value).upper()
    if not number:
        return ""
    valid = (
        _ID_NUMBER.match(number)
        and number[:2] in _PROVINCES
        and _birth_date(number) is not None
        and _check_digit(number[:17]) == number[17]
    )
    if not valid:
        raise ValidationError(
            _("“%(value)s” is not a valid resident ID card number."),
            code="invalid_id_number",
            params={"value": number},
        )
    return number


def _check_digit(body: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


def _birth_date(number: str) -> date | None:
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    return born if date(1900, 1, 1) <= born <= date.today() else None


def birth_date_from_id(number: str) -> date | None:
    return _birth_date(number) if number else None


_PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{7,8})$")


def normalize_phone(value) -> str:
    phone = clean_compact(value).replace("－", "-")
    if phone.startswith("+86"):
        phone = phone[3:]
    if phone and not _PHONE.match(phone):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number."),
            code="invalid_phone",
            params={"value": phone},
        )
    return phone
