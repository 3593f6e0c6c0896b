from grids.models import CareTag, RoundPolicy
from tests.harness import Case


def _tag(district):
    return lambda w: {
        "pk": CareTag.objects.create(district=getattr(w, district), name="独居老人").pk
    }


def _round(district):
    return lambda w: {"pk": RoundPolicy.objects.create(district=getattr(w, district)).pk}


CASES = [
    Case("grids:care-tag-list", viewer="district_admin"),
    Case("grids:care-tag-create", viewer="district_admin"),
    Case("grids:care-tag-edit", _tag("district"), _tag("other_district"), viewer="district_admin"),
    Case(
        "grids:care-tag-delete",
        _tag("district"),
        _tag("other_district"),
        viewer="district_admin",
        post_only=True,
    ),
    Case("grids:visiting-round-list", viewer="district_admin"),
    Case("grids:visiting-round-create", viewer="district_admin"),
    Case(
        "grids:visiting-round-edit",
        _round("district"),
        _round("other_district"),
        viewer="district_admin",
    ),
]
