import pytest
from django.core.exceptions import ValidationError

from governance.masking import mask_id_number, mask_name, mask_phone
from governance.normalize import clean_text, normalize_id_number, normalize_phone


def test_masks():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_id_number("37010219800101123X") == "3701**********123X"
    assert mask_name("张三丰") == "张**"
    assert mask_phone("") == ""


def test_full_width_and_spaces_are_folded():
    assert clean_text("  花园　社区 ") == "花园 社区"
    assert normalize_phone("１３８ １２３４ １２３４") == "13812341234"
    assert normalize_id_number(" 11010519491231002x ") == "11010519491231002X"


def test_a_county_code_newer_than_the_holder_is_accepted():
    # 350725 (Zhenghe) dates from 1994; people born before carry it on cards issued later.
    assert normalize_id_number("350725198001010019") == "350725198001010019"


@pytest.mark.parametrize(
    "value",
    [
        "110105194912310021",
        "12345",
        "1101051949123100",
        "990105194912310023",
        "110105194913310021",
        "11010519491231002Y",
    ],
)
def test_bad_id_numbers_are_refused(value):
    with pytest.raises(ValidationError):
        normalize_id_number(value)


@pytest.mark.parametrize("value", ["1381234123", "abc", "23812341234"])
def test_bad_phones_are_refused(value):
    with pytest.raises(ValidationError):
        normalize_phone(value)


@pytest.mark.django_db
def test_person_stores_full_values_and_derives_birth_date(world):
    person = world.resident_a
    assert person.id_number == "11010519491231002X"
    assert str(person.birth_date) == "1949-12-31"
    assert person.phone_masked == "138****1234"


def test_chinese_punctuation_in_names_is_kept():
    assert clean_text("花园社区（新） ") == "花园社区（新）"
    assert clean_text("ＡＢ栋１单元") == "AB栋1单元"
