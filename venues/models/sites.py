"""Venues: Party-mass service centres, red stations, heart-to-heart homes and the like.

A venue belongs to a unit (a township's centre, a community's centre or station) and is seen by
whoever holds a role over that unit. Its public page is reached by an unguessable token, like a
grid's 亮身份 page, so venues cannot be enumerated by id.
"""

import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from governance.models import Unit
from governance.querysets import ScopedQuerySet

__all__ = ["Venue", "VenueKind"]


def _public_token() -> str:
    return secrets.token_urlsafe(9)


class VenueKind(models.Model):
    """A kind of venue in a district's list: the three built in and any a district adds."""

    district = models.ForeignKey(
        Unit,
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        related_name="venue_kinds",
        limit_choices_to={"kind": Unit.Kind.DISTRICT},
    )
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.with_scope("district").as_manager()

    class Meta:
        verbose_name = _("venue kind")
        verbose_name_plural = _("venue kinds")
        ordering = ["district", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="venuekind_unique_code"),
            models.UniqueConstraint(fields=["district", "name"], name="venuekind_unique_name"),
        ]

    def __str__(self):
        return self.name


class Venue(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("belongs to"), on_delete=models.PROTECT, related_name="venues"
    )
    kind = models.ForeignKey(
        VenueKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="venues"
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    public_token = models.CharField(max_length=20, unique=True, default=_public_token)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.with_scope("unit").as_manager()

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["unit__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="venue_unique_name"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("venues:venue-detail", args=[self.pk])
