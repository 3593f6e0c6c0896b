"""Masking of personal data for display (PIPL): phone 138****1234, ID 3701**********1234."""


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
