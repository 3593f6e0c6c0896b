from tests.harness import Case
from venues.models import ActivityCategory


def _category(district):
    def kwargs(w):
        row = ActivityCategory.objects.create(
            district=getattr(w, district), code="yizhen", name="义诊"
        )
        return {"pk": row.pk}

    return kwargs


CASES = [
    Case("venues:activity-category-list", viewer="district_admin"),
    Case("venues:activity-category-create", viewer="district_admin"),
    Case(
        "venues:activity-category-edit",
        _category("district"),
        _category("other_district"),
        viewer="district_admin",
    ),
]
