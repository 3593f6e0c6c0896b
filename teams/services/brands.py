"""Party-building brands and model communities."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.models import Unit
from teams.models import (
    BrandPhoto,
    ModelCommunity,
    PartyBrand,
)
from teams.services.checks import allow, require_level


@transaction.atomic
def brand_save(*, actor, brand: PartyBrand | None = None, **fields) -> PartyBrand:
    if brand is not None:
        allow(actor, brand.community)
    brand = brand or PartyBrand()
    for name in ("community", "name", "theme", "description", "year"):
        if name in fields:
            setattr(brand, name, fields[name])
    allow(actor, brand.community)
    require_level(brand.community, (3,), "community")
    brand.full_clean()
    brand.save()
    return brand


def brand_photo_add(*, actor, brand: PartyBrand, image, caption: str = "") -> BrandPhoto:
    allow(actor, brand.community)
    return BrandPhoto.objects.create(brand=brand, image=image, caption=caption)


@transaction.atomic
def model_community_add(*, actor, community: Unit, year: int, citation: str = "") -> ModelCommunity:
    allow(actor, community, strictly_above=True)
    require_level(community, (3,), "community")
    if ModelCommunity.objects.filter(community=community, year=year).exists():
        raise ValidationError(
            _("%(community)s is already a model community of %(year)s.")
            % {"community": community.name, "year": year}
        )
    return ModelCommunity.objects.create(community=community, year=year, citation=citation)
