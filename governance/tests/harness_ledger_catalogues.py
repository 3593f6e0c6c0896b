from governance.models import MatterCategory
from tests.harness import Case


def _category(district):
    def kwargs(w):
        row = MatterCategory.objects.create(
            district=getattr(w, district), code="0101", name="房屋漏水", grid_action="report"
        )
        return {"pk": row.pk}

    return kwargs


CASES = [
    Case("ledger:category-list", viewer="district_admin"),
    Case("ledger:category-create", viewer="district_admin"),
    Case(
        "ledger:category-edit",
        _category("district"),
        _category("other_district"),
        viewer="district_admin",
    ),
]
