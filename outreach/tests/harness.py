"""Harness cases of the outreach pages (tests/test_url_harness.py runs them).

Duties and contact activities are made on the fly: staff A's village duty over community A
(inside) and staff B's over village B (outside).

Reception days, dual reporting and red property: staff_a (township A staff) works on
community A; community B's rows are outside. Work units and property companies belong to the
district, which staff_a does not cover: they are in scope only through a posting or an estate
in township A.
"""

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from outreach.models import (
    ActivityPhoto,
    ContactActivity,
    Estate,
    LiaisonDuty,
    PropertyCompany,
    PropertyContract,
    PropertyEvaluation,
    ReceptionSession,
    ServiceProject,
    UnitEvaluation,
    WorkUnit,
    WorkUnitPosting,
)
from tests.harness import Case

DAY = datetime.date(2026, 1, 6)
START = datetime.date(2026, 1, 1)


def _session(community):
    session, _ = ReceptionSession.objects.get_or_create(community=community, date=DAY)
    return {"pk": session.pk}


def _work_unit(w, community):
    unit, created = WorkUnit.objects.get_or_create(
        district=w.district, name=f"{community.name}共建单位", defaults={"kind": "office"}
    )
    if created:
        WorkUnitPosting.objects.create(work_unit=unit, community=community, started_on=DAY)
    return unit


def _evaluation(w, community):
    unit = _work_unit(w, community)
    evaluation, _ = UnitEvaluation.objects.get_or_create(
        work_unit=unit,
        community=community,
        period="2026-H1",
        defaults={"score": 90, "grade": "excellent", "feedback": "好"},
    )
    return {"pk": evaluation.pk}


def _project(community):
    project, _ = ServiceProject.objects.get_or_create(
        community=community, title="关爱独居老人", defaults={"starts_on": DAY, "ends_on": DAY}
    )
    return {"pk": project.pk}


def _estate(community):
    return Estate.objects.get_or_create(community=community, name=f"{community.name}小区")[0]


def _company(w, community):
    company, created = PropertyCompany.objects.get_or_create(
        district=w.district, name=f"{community.name}物业"
    )
    if created:
        PropertyContract.objects.create(company=company, estate=_estate(community), started_on=DAY)
    return company


def _property_evaluation(w, community):
    evaluation, _ = PropertyEvaluation.objects.get_or_create(
        company=_company(w, community),
        community=community,
        period="2026-Q1",
        defaults={"score": 80},
    )
    return {"pk": evaluation.pk}


def _duty(w, user, village):
    duty, _ = LiaisonDuty.objects.get_or_create(
        holder=user.person,
        target_unit=village,
        ends_on=None,
        defaults={"tier": "village", "scope_unit": village, "starts_on": START},
    )
    return {"pk": duty.pk}


def _activity(w, user, village):
    activity = ContactActivity.objects.create(
        system="talk", unit=village, leader=user.person, held_on=START, summary="谈心谈话"
    )
    return activity


def _photo(w, user, village):
    name = "activities/harness/photo.gif"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"GIF89a"))
    photo = ActivityPhoto.objects.create(activity=_activity(w, user, village), image=name)
    return {"pk": photo.pk}


duty_a = lambda w: _duty(w, w.staff_a, w.community_a)  # noqa: E731
duty_b = lambda w: _duty(w, w.staff_b, w.community_b)  # noqa: E731


community_a = lambda w: {"community_pk": w.community_a.pk}  # noqa: E731
community_b = lambda w: {"community_pk": w.community_b.pk}  # noqa: E731
unit_a = lambda w: {"pk": _work_unit(w, w.community_a).pk}  # noqa: E731
unit_b = lambda w: {"pk": _work_unit(w, w.community_b).pk}  # noqa: E731
company_a = lambda w: {"pk": _company(w, w.community_a).pk}  # noqa: E731
company_b = lambda w: {"pk": _company(w, w.community_b).pk}  # noqa: E731

CASES = [
    # Reception day. The unit of the figures and the drill-down list is a query parameter:
    # their scope is tested in outreach/tests/test_reception.py.
    Case("outreach:reception-session-list"),
    Case("outreach:reception-schedule-list"),
    Case("outreach:reception-schedule-edit", community_a, community_b),
    Case("outreach:reception-session-new", community_a, community_b),
    Case(
        "outreach:reception-session-detail",
        lambda w: _session(w.community_a),
        lambda w: _session(w.community_b),
    ),
    Case(
        "outreach:reception-demand-add",
        lambda w: {"session_pk": _session(w.community_a)["pk"]},
        lambda w: {"session_pk": _session(w.community_b)["pk"]},
        post_only=True,
    ),
    Case("outreach:reception-figures"),
    Case("outreach:reception-demand-list"),
    # Dual reporting.
    Case("outreach:dual-unit-list"),
    Case("outreach:dual-unit-new"),
    Case("outreach:dual-unit-detail", unit_a, unit_b),
    Case("outreach:dual-unit-reassign", unit_a, unit_b),
    Case("outreach:dual-evaluation-new", unit_a, unit_b),
    Case(
        "outreach:dual-evaluation-detail",
        lambda w: _evaluation(w, w.community_a),
        lambda w: _evaluation(w, w.community_b),
    ),
    Case("outreach:dual-member-list"),
    Case("outreach:dual-member-new"),
    Case("outreach:dual-project-list"),
    Case("outreach:dual-project-new"),
    Case(
        "outreach:dual-project-detail",
        lambda w: _project(w.community_a),
        lambda w: _project(w.community_b),
    ),
    Case(
        "outreach:dual-project-claim",
        lambda w: _project(w.community_a),
        lambda w: _project(w.community_b),
        post_only=True,
    ),
    Case(
        "outreach:dual-project-finish",
        lambda w: _project(w.community_a),
        lambda w: _project(w.community_b),
        post_only=True,
    ),
    Case(
        "outreach:dual-record-add",
        lambda w: _project(w.community_a),
        lambda w: _project(w.community_b),
        post_only=True,
    ),
    # Red property.
    Case("outreach:property-company-list"),
    Case("outreach:property-company-new", viewer="district_admin"),
    Case("outreach:property-company-detail", company_a, company_b),
    Case("outreach:property-evaluation-new", company_a, company_b),
    Case("outreach:property-complaint-new", company_a, company_b),
    Case(
        "outreach:property-evaluation-detail",
        lambda w: _property_evaluation(w, w.community_a),
        lambda w: _property_evaluation(w, w.community_b),
    ),
    Case("outreach:property-estate-list"),
    Case("outreach:property-estate-new"),
    Case(
        "outreach:property-contract-new",
        lambda w: {"estate_pk": _estate(w.community_a).pk},
        lambda w: {"estate_pk": _estate(w.community_b).pk},
    ),
    Case("outreach:property-criteria"),
    Case("outreach:property-ranking"),
    # Duties and contact activities. The unit of the matrix, figures, problem list and exports
    # is a query parameter: their scope is tested in outreach/tests/test_duties_views.py.
    Case("outreach:duty-matrix"),
    Case("outreach:duty-new"),
    Case("outreach:duty-policy", viewer="district_admin"),
    Case("outreach:duty-export"),
    Case("outreach:duty-import"),
    Case("outreach:duty-detail", duty_a, duty_b),
    Case("outreach:duty-reassign", duty_a, duty_b, post_only=True),
    Case("outreach:duty-end", duty_a, duty_b, post_only=True),
    Case("outreach:activity-list"),
    Case("outreach:activity-new"),
    Case("outreach:activity-figures"),
    Case("outreach:activity-problems"),
    Case("outreach:activity-export"),
    Case("outreach:activity-import"),
    Case(
        "outreach:activity-detail",
        lambda w: {"pk": _activity(w, w.staff_a, w.community_a).pk},
        lambda w: {"pk": _activity(w, w.staff_b, w.community_b).pk},
    ),
    Case(
        "outreach:activity-photo",
        lambda w: _photo(w, w.staff_a, w.community_a),
        lambda w: _photo(w, w.staff_b, w.community_b),
    ),
    # Excel import and export of the registers. Their unit is a query parameter: the scope
    # is tested in outreach/tests/test_dual_excel.py and test_property_excel.py.
    Case("outreach:dual-unit-import"),
    Case("outreach:dual-unit-export"),
    Case("outreach:dual-member-import"),
    Case("outreach:dual-member-export"),
    Case("outreach:dual-project-import"),
    Case("outreach:dual-project-export"),
    Case("outreach:property-company-import", viewer="district_admin"),
    Case("outreach:property-company-export"),
    Case("outreach:property-estate-import"),
    Case("outreach:property-estate-export"),
    Case("outreach:property-evaluation-import"),
    Case("outreach:property-evaluation-export"),
]
