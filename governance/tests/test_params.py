"""The one reader of query parameters: bad input gives a Chinese message and the default."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.utils import translation

from governance.params import date_param, id_param, month_param, number_param, week_param

DEFAULT = datetime.date(2026, 10, 1)


def _request(**params):
    request = RequestFactory().get("/", params)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize("value", ["2026-13-45", "2026-02-30", "9999-12-31", "0001-01-01", "x"])
def test_a_bad_date_is_the_default_with_a_message(value):
    request = _request(start=value)
    with translation.override("zh-hans"):
        assert date_param(request, "start", DEFAULT) == DEFAULT
        shown = [str(m) for m in get_messages(request)]
    assert shown == [f"链接中的日期“{value}”无效。 已改为显示默认内容。"]


def test_good_values_are_read_and_blank_is_the_default_silently():
    request = _request(start="2026-02-28", week="2026-10-21", month="2026-10", id="12", q="")
    assert date_param(request, "start") == datetime.date(2026, 2, 28)
    assert week_param(request) == datetime.date(2026, 10, 19)
    assert month_param(request) == datetime.date(2026, 10, 1)
    assert id_param(request, "id") == 12
    assert date_param(request, "q", DEFAULT) == DEFAULT
    assert not list(get_messages(request))


@pytest.mark.parametrize(
    "reader, value",
    [
        (week_param, "2026-W99"),
        (week_param, "9999-12-31"),
        (month_param, "2026-13"),
        (month_param, "9999-12"),
        (id_param, "1" * 20),
        (id_param, "-1"),
        (id_param, "0"),
    ],
)
def test_bad_weeks_months_and_ids_fall_back(reader, value):
    request = _request(p=value)
    assert reader(request, "p", "default") == "default"
    assert len(list(get_messages(request))) == 1


def test_numbers_keep_to_their_range():
    assert number_param(_request(quarter="5"), "quarter", 1, low=1, high=4) == 1
    assert number_param(_request(quarter="3"), "quarter", 1, low=1, high=4) == 3
