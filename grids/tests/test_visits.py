import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from governance import access
from governance.models import (
    AuditEvent,
    LedgerItem,
    Source,
    Status,
)
from governance.testing import moment
from grids.home import worker_panel
from grids.models import Household, ReviewStatus, VisitKind, VisitLog
from grids.services.visits import visit_file, visit_raise_problem, visit_review
from grids.tests.factories import make_household

NOW = moment(2026, 3, 18, 18)  # 10:00 UTC: the clock of every test here (visit_clock)

pytestmark = pytest.mark.usefixtures("visit_clock")


# visit_file


def test_visit_file_moves_last_visit_forward_never_back(visits_world):
    w = visits_world
    visit = visit_file(household=w.household, worker=w.worker_a, kind=VisitKind.DOOR, all_well=True)
    assert visit.grid == w.grid_a and visit.visited_at == NOW
    w.household.refresh_from_db()
    assert w.household.last_visited_at == NOW

    earlier = NOW - datetime.timedelta(days=3)
    visit_file(
        household=w.household,
        worker=w.worker_a,
        kind=VisitKind.PHONE,
        observed="电话回访",
        visited_at=earlier,
    )
    w.household.refresh_from_db()
    assert w.household.last_visited_at == NOW
    assert w.household.visits.count() == 2


def test_visit_file_refuses_the_future_and_outsiders(visits_world):
    w = visits_world
    with pytest.raises(ValidationError):
        visit_file(
            household=w.household,
            worker=w.worker_a,
            kind=VisitKind.DOOR,
            all_well=True,
            visited_at=NOW + datetime.timedelta(minutes=5),
        )
    with pytest.raises(PermissionDenied):
        visit_file(household=w.household_b, worker=w.worker_a, kind=VisitKind.DOOR, all_well=True)
    with pytest.raises(ValidationError):
        visit_file(household=w.household, worker=w.worker_a, kind=VisitKind.DOOR)
    assert not VisitLog.objects.exists()


def test_visit_file_keeps_the_grid_at_the_time(visits_world):
    w = visits_world
    visit = visit_file(household=w.household, worker=w.secretary_a, kind="door", all_well=True)
    Household.objects.filter(pk=w.household.pk).update(grid=w.grid_a2)
    visit.refresh_from_db()
    assert visit.grid == w.grid_a


# visit_raise_problem


def test_raising_a_problem_creates_a_linked_ledger_item(visits_world):
    w = visits_world
    visit = visit_file(household=w.household, worker=w.worker_a, kind="door", demands="违建")
    item = visit_raise_problem(visit=visit, actor=w.worker_a, title="楼顶违建", category=w.report)
    visit.refresh_from_db()
    assert visit.ledger_item == item and not visit.handled_on_spot
    assert item.ledger == w.problem_ledger
    assert item.unit == w.grid_a and item.responsible_unit == w.community_a
    assert item.category == w.report and item.source == Source.GRID_VISIT
    assert item.source_record == visit
    assert item.resident_name == "李四" and item.resident_phone == "13812341234"
    assert item.status == Status.RECEIVED and item.description == "违建"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_photo_of_a_problem_visit_reaches_the_item_which_links_back(
    visits_world, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    w = visits_world
    photo = SimpleUploadedFile("roof.png", png_bytes(), content_type="image/png")
    visit = visit_file(
        household=w.household, worker=w.worker_a, kind="door", demands="违建", photo=photo
    )
    item = visit_raise_problem(visit=visit, actor=w.worker_a, title="楼顶违建", category=w.report)
    attachment = item.attachments.get()
    assert attachment.file.name == visit.photo.name and attachment.name == "roof.png"
    assert item.events.filter(action="attach").count() == 1

    url = reverse("ledger:item-detail", args=[item.pk])
    visit_url = reverse("grids:visit-detail", args=[visit.pk])
    client.force_login(w.secretary_a)
    page = client.get(url).content.decode()
    assert f'href="{visit_url}"' in page
    assert reverse("ledger:item-attachment", args=[item.pk, attachment.pk]) in page
    download = client.get(reverse("ledger:item-attachment", args=[item.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == png_bytes()
    # Handed to a department: it sees the item and the photo, but the visit is not its to open.
    LedgerItem.objects.filter(pk=item.pk).update(responsible_unit=w.department)
    client.force_login(w.handler)
    response = client.get(url)
    assert response.status_code == 200 and visit_url not in response.content.decode()


def test_handle_directly_is_resolved_on_the_spot(visits_world):
    w = visits_world
    visit = visit_file(household=w.household, worker=w.worker_a, kind="door", observed="楼道堆物")
    item = visit_raise_problem(
        visit=visit,
        actor=w.worker_a,
        title="楼道堆物",
        category=w.handle,
        handled_on_spot=True,
        result="已劝导清理",
    )
    visit.refresh_from_db()
    assert visit.handled_on_spot
    assert item.status == Status.RESOLVED and item.result == "已劝导清理"
    assert item.resolved_at is not None and item.handler == w.worker_a


def test_report_matters_cannot_be_handled_on_the_spot(visits_world):
    w = visits_world
    visit = visit_file(household=w.household, worker=w.worker_a, kind="door", observed="违建")
    with pytest.raises(ValidationError):
        visit_raise_problem(
            visit=visit,
            actor=w.worker_a,
            title="违建",
            category=w.report,
            handled_on_spot=True,
            result="拆了",
        )
    visit.refresh_from_db()
    assert visit.ledger_item is None


def test_raising_needs_the_community_ledger_and_a_grid_matter(visits_world):
    w = visits_world
    visit = visit_file(household=w.household, worker=w.worker_a, kind="door", observed="x")
    with pytest.raises(ValidationError):  # not a grid matter
        visit_raise_problem(visit=visit, actor=w.worker_a, title="漏水", category=w.category)
    w.problem_ledger.delete()
    with pytest.raises(ValidationError, match="网格问题台账"):
        visit_raise_problem(visit=visit, actor=w.worker_a, title="违建", category=w.report)


# visit_review


def test_review_states_keep_the_visit(visits_world):
    w = visits_world
    visit = visit_file(household=w.household, worker=w.worker_a, kind="door", all_well=True)
    with pytest.raises(ValidationError):
        visit_review(visit=visit, actor=w.secretary_a, status=ReviewStatus.REJECTED)
    with pytest.raises(PermissionDenied):
        visit_review(visit=visit, actor=w.worker_a, status=ReviewStatus.APPROVED)
    with pytest.raises(PermissionDenied):
        visit_review(visit=visit, actor=w.secretary_b, status=ReviewStatus.APPROVED)
    for status in (ReviewStatus.ON_HOLD, ReviewStatus.REJECTED, ReviewStatus.APPROVED):
        visit = visit_review(visit=visit, actor=w.secretary_a, status=status, note="照片不清")
        assert visit.review_status == status
    visit.refresh_from_db()
    assert visit.reviewed_by == w.secretary_a and visit.reviewed_at == NOW
    assert VisitLog.objects.filter(pk=visit.pk).exists()


def test_a_rejected_visit_offers_its_worker_supplement_or_a_new_visit(client, visits_world):
    w = visits_world
    visit = visit_file(household=w.household, worker=w.worker_a, kind="door", observed="正常")
    url = reverse("grids:visit-detail", args=[visit.pk])
    supplement = reverse("grids:visit-supplement", args=[visit.pk])
    client.force_login(w.worker_a)
    assert 'data-testid="sent-back"' not in client.get(url).content.decode()
    assert client.post(supplement, {"text": "补"}).status_code == 403  # not rejected
    visit_review(visit=visit, actor=w.secretary_a, status=ReviewStatus.REJECTED, note="过于简单")

    page = client.get(url).content.decode()
    assert 'data-testid="sent-back"' in page
    assert reverse("grids:visit-form", args=[w.household.pk]) in page  # 重新走访
    response = client.post(supplement, {"text": ""})
    assert response.status_code == 400 and "此项为必填项" in response.content.decode()
    client.force_login(w.secretary_a)  # only the worker who filed it
    assert 'data-testid="sent-back"' not in client.get(url).content.decode()
    assert client.post(supplement, {"text": "补"}).status_code == 403
    client.force_login(w.worker_b)
    assert client.post(supplement, {"text": "补"}).status_code == 404

    client.force_login(w.worker_a)
    response = client.post(supplement, {"text": "老人独居，子女每周探望"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.review_status == ReviewStatus.PENDING and visit.reviewed_by is None
    assert visit.observed.startswith("正常\n\n【")
    assert "过于简单" in visit.observed and visit.observed.endswith("老人独居，子女每周探望")
    assert client.post(supplement, {"text": "再补"}).status_code == 403  # back with the reviewer


# Pages


def test_routine_visit_in_three_taps(client, visits_world):
    w = visits_world
    client.force_login(w.worker_a)
    home = client.get(reverse("governance:home"))
    file_url = reverse("grids:visit-new") + f"?grid={w.grid_a.pk}"
    assert file_url.replace("&", "&amp;") in home.content.decode()  # tap 1
    picker = client.get(file_url)
    form_url = reverse("grids:visit-form", args=[w.household.pk])
    assert form_url in picker.content.decode()  # tap 2
    page = client.get(form_url)
    assert 'data-testid="all-well"' in page.content.decode()
    response = client.post(  # tap 3: the routine form as the page sends it
        form_url, {"kind": "door", "all_well": "on", "latitude": "36.2", "longitude": "117.6"}
    )
    assert response.status_code == 302 and response["Location"] == file_url
    visit = VisitLog.objects.get()
    assert visit.all_well and visit.worker == w.worker_a and visit.latitude is not None
    w.household.refresh_from_db()
    assert w.household.last_visited_at == NOW


def test_full_form_raises_a_problem(client, visits_world):
    w = visits_world
    client.force_login(w.worker_a)
    response = client.post(
        reverse("grids:visit-form", args=[w.household.pk]),
        {
            "kind": "door",
            "observed": "楼道堆放杂物",
            "problem_title": "楼道堆物",
            "problem_category": w.handle.pk,
            "handled_on_spot": "on",
            "result": "已清理",
            "latitude": "bad",
        },
    )
    assert response.status_code == 302
    visit = VisitLog.objects.get()
    assert visit.ledger_item.status == Status.RESOLVED and visit.latitude is None
    assert "现场处置" in str(next(iter(response.wsgi_request._messages)))


def test_full_form_refuses_report_matters_on_the_spot(client, visits_world):
    w = visits_world
    client.force_login(w.worker_a)
    response = client.post(
        reverse("grids:visit-form", args=[w.household.pk]),
        {
            "kind": "door",
            "problem_title": "违建",
            "problem_category": w.report.pk,
            "handled_on_spot": "on",
            "result": "x",
        },
    )
    assert response.status_code == 400
    assert not VisitLog.objects.exists()


def test_problem_without_ledger_files_nothing(client, visits_world):
    w = visits_world
    w.problem_ledger.delete()
    client.force_login(w.worker_a)
    response = client.post(
        reverse("grids:visit-form", args=[w.household.pk]),
        {"kind": "door", "problem_title": "违建", "problem_category": w.report.pk},
    )
    assert response.status_code == 400 and "网格问题台账" in response.content.decode()
    assert not VisitLog.objects.exists()  # one transaction: the visit is not left behind


def test_scope_404s_for_worker_a_on_grid_b(client, visits_world):
    w = visits_world
    visit_b = visit_file(household=w.household_b, worker=w.worker_b, kind="door", all_well=True)
    client.force_login(w.worker_a)
    for url in (
        reverse("grids:household-detail", args=[w.household_b.pk]),
        reverse("grids:visit-form", args=[w.household_b.pk]),
        reverse("grids:visit-detail", args=[visit_b.pk]),
        reverse("grids:visit-new") + f"?grid={w.grid_b.pk}",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("grids:visit-form", args=[w.household_b.pk]), {"kind": "door", "all_well": "on"}
        ).status_code
        == 404
    )
    review = reverse("grids:visit-review", args=[visit_b.pk])
    assert client.post(review, {"status": "approved"}).status_code == 404
    assert not VisitLog.objects.filter(worker=w.worker_a).exists()


def test_inline_review_returns_the_row(client, visits_world):
    w = visits_world
    visit = visit_file(household=w.household, worker=w.worker_a, kind="door", all_well=True)
    client.force_login(w.secretary_a)
    url = reverse("grids:visit-review", args=[visit.pk])
    response = client.post(url, {"status": "rejected"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    response = client.post(
        url, {"status": "rejected", "note": "照片不清"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.strip().startswith("<li") and "照片不清" in body
    visit.refresh_from_db()
    assert visit.review_status == ReviewStatus.REJECTED
    client.force_login(w.worker_a)
    assert client.post(url, {"status": "approved"}).status_code == 403


def test_household_reveal_is_recorded(client, visits_world):
    w = visits_world
    client.force_login(w.worker_a)
    page = client.get(reverse("grids:household-detail", args=[w.household.pk])).content.decode()
    assert "13812341234" not in page and "138****1234" in page
    response = client.post(reverse("grids:household-reveal", args=[w.household.pk]))
    assert "13812341234" in response.content.decode()
    assert AuditEvent.objects.filter(actor=w.worker_a, action="reveal").count() == 1
    client.force_login(w.leader)
    assert client.post(reverse("grids:household-reveal", args=[w.household.pk])).status_code == 403


# Query counts


def test_worker_home_query_count(
    client, sixty_households, django_assert_max_num_queries, django_assert_num_queries
):
    w = sixty_households
    client.force_login(w.worker_a)
    # The whole page holds other apps' panels too (11 queries today); the visit panel itself
    # costs three: the round, the coverage of the worker's grids, the visits sent back.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("governance:home"))
    assert 'data-testid="worker-panel"' in response.content.decode()
    assert "已走访 30 / 61 户" in response.content.decode()
    request = RequestFactory().get("/")
    request.user = w.worker_a
    access.memberships(w.worker_a)
    with django_assert_num_queries(3):
        panel = worker_panel(request)
    assert panel["grid_rows"][0]["unvisited"] == 31


def test_household_picker_query_count(client, sixty_households, django_assert_max_num_queries):
    w = sixty_households
    client.force_login(w.worker_a)
    url = reverse("grids:visit-new")
    with django_assert_max_num_queries(11):
        response = client.get(url, {"grid": w.grid_a.pk})
    assert response.content.decode().count('data-testid="household-pick"') == 30
    with django_assert_max_num_queries(10):
        response = client.get(url, {"grid": w.grid_a.pk, "order": "recent", "todo": "1"})
    assert response.content.decode().count('data-testid="household-pick"') == 30
    with django_assert_max_num_queries(9):
        response = client.get(
            url, {"grid": w.grid_a.pk, "q": "2号楼 0"}, headers={"HX-Request": "true"}
        )
    assert "<html" not in response.content.decode()
    assert response.content.decode().count('data-testid="household-pick"') == 20


def test_picker_continues_after_the_last_visit(client, visits_world):
    w = visits_world
    rooms = [make_household(w.grid_a, room=r) for r in ("102", "103", "201")]
    visit_file(household=rooms[1], worker=w.worker_a, kind="door", all_well=True)
    client.force_login(w.worker_a)
    page = client.get(reverse("grids:visit-new"), {"grid": w.grid_a.pk}).content.decode()
    order = [page.index(reverse("grids:visit-form", args=[h.pk])) for h in (rooms[2], w.household)]
    assert order == sorted(order)  # 201 (next door) before 101 (wrapped round)


def test_visit_list_query_count_and_filters(
    client, sixty_households, django_assert_max_num_queries
):
    w = sixty_households
    client.force_login(w.secretary_a)
    url = reverse("grids:visit-list")
    with django_assert_max_num_queries(9):
        response = client.get(url)
    body = response.content.decode()
    assert body.count('data-testid="visit-row"') == 30 and 'data-testid="review-approved"' in body
    VisitLog.objects.filter(pk=VisitLog.objects.first().pk).update(
        review_status=ReviewStatus.REJECTED
    )
    response = client.get(url, {"status": "rejected", "grid": w.grid_a.pk, "worker": w.worker_a.pk})
    assert response.content.decode().count('data-testid="visit-row"') == 1
    today = timezone.localdate().isoformat()
    response = client.get(url, {"from": today, "to": today})
    assert 0 < response.content.decode().count('data-testid="visit-row"') < 30
    client.force_login(w.worker_b)
    assert 'data-testid="visit-row"' not in client.get(url).content.decode()


def test_picker_walks_rooms_in_natural_order(client, visits_world):
    w = visits_world
    high, low = make_household(w.grid_a, room="1101"), make_household(w.grid_a, room="201")
    client.force_login(w.worker_a)
    page = client.get(reverse("grids:visit-new"), {"grid": w.grid_a.pk}).content.decode()
    assert page.index(reverse("grids:visit-form", args=[low.pk])) < page.index(
        reverse("grids:visit-form", args=[high.pk])
    )
