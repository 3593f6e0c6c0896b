"""After a committed step, `next` sends the user back only to one of our own pages."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from governance.models import LedgerItem, Status
from governance.redirects import next_url
from governance.tests.factories import make_item

pytestmark = pytest.mark.django_db

NOT_OURS = [
    "foo",
    "governance:home",
    "//evil.example/x",
    "https://evil.example/",
    "/nowhere/x/",
    "",
]


@pytest.mark.parametrize("target", NOT_OURS)
def test_anything_but_a_resolved_local_url_falls_back(target):
    request = RequestFactory().post("/", {"next": target})
    assert next_url(request, "/fallback/") == "/fallback/"


def test_a_local_page_is_kept_with_its_query():
    target = reverse("ledger:item-list") + "?status=open"
    request = RequestFactory().post("/", {"next": target})
    assert next_url(request, "/fallback/") == target


@pytest.mark.parametrize("target", ["foo", "https://evil.example/"])
def test_a_ledger_step_with_a_bad_next_lands_on_the_item(client, ledger_world, target):
    w = ledger_world
    item = make_item(w)
    client.force_login(w.secretary_a)
    url = reverse("ledger:item-step", args=[item.pk, "accept"])
    response = client.post(url, {"version": item.version, "next": target})
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert LedgerItem.objects.get(pk=item.pk).status == Status.ACCEPTED
