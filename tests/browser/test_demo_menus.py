"""Every menu entry of every demo account opens a page (issue 14, item 8).

`tests/test_menus.py` walks the menus of one account per role on small fixtures in `make test`;
this walks the real demo accounts on the seeded demo, which the browser step has seeded anyway.
It needs no browser: the test client follows each entry, redirects included.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_ACCOUNTS = (
    "admin",
    "laiwu_admin",
    "laiwu_leader",
    "fengcheng_staff",
    "shequ_shuji",
    "wanggeyuan",
    "wanggeyuan2",
    "zhujianju",
    "zhenghe_admin",
)


def test_every_menu_entry_of_every_demo_account_opens_a_page(demo):
    walked = {}
    for username in DEMO_ACCOUNTS:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        page = client.get(reverse("governance:home")).content.decode()
        nav = re.search(r'<nav class="mainnav".*?</nav>', page, re.S).group(0)
        entries = re.findall(r'<a href="([^"]+)"', nav)
        assert entries, username
        for url in entries:
            response = client.get(url, follow=True)
            assert response.status_code == 200, (username, url, response.status_code)
        walked[username] = len(entries)
    # A grid worker and a department handler see a short menu; nobody sees the 24+ of before.
    assert walked["wanggeyuan"] <= 6 and walked["zhujianju"] <= 6
    assert max(walked.values()) <= 27
