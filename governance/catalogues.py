"""In-app pages for the small catalogues a district keeps (care tags, visiting rounds, …).

Each catalogue is a model with a `district` foreign key. An app declares it once as a
`Catalogue` (model, form, the columns of its list) and adds `catalogue.urlpatterns()` to its
URLs: the list, create, edit (and, where rows may go, delete) pages then exist under that
app's namespace as `<noun>-list`, `<noun>-create`, `<noun>-edit` and `<noun>-delete`, with one
list template and one form template for all of them. Only the district's administrator
(capability `manage_catalogues`) opens them; a row of another district is a 404.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from governance import access
from governance.models import Unit

CAPABILITY = "manage_catalogues"


@dataclass(frozen=True)
class Catalogue:
    #: URL namespace of the app that owns the model ("grids").
    namespace: str
    #: Names the URLs: `grids:care-tag-list`, …
    noun: str
    #: The pages' path inside the app's URLs: "care-tags/".
    route: str
    model: type[models.Model]
    form_class: type["CatalogueForm"]
    #: Field names shown as the list's columns; the first links to the edit page.
    columns: tuple[str, ...]
    #: One sentence under the list's title: what the catalogue is for.
    description: str = ""
    #: When given, a row may be deleted while this says so (a care tag no household carries);
    #: catalogues whose rows other records point to are deactivated instead (`is_active`).
    deletable: Callable[[models.Model], bool] | None = None
    #: A district holds at most one row (its visiting round).
    one_per_district: bool = False

    def url(self, page: str, *args) -> str:
        return reverse(f"{self.namespace}:{self.noun}-{page}", args=args)

    def urlpatterns(self) -> list:
        kwargs = {"catalogue": self}
        route = self.route
        patterns = [
            path(route, catalogue_list, kwargs, name=f"{self.noun}-list"),
            path(f"{route}add/", catalogue_edit, kwargs, name=f"{self.noun}-create"),
            path(f"{route}<int:pk>/edit/", catalogue_edit, kwargs, name=f"{self.noun}-edit"),
        ]
        if self.deletable is not None:
            patterns.append(
                path(
                    f"{route}<int:pk>/delete/",
                    catalogue_delete,
                    kwargs,
                    name=f"{self.noun}-delete",
                )
            )
        return patterns


def managed_districts(user) -> list[Unit]:
    """The districts whose catalogues the user keeps."""
    if user.is_superuser:
        return list(Unit.objects.filter(kind=Unit.Kind.DISTRICT).order_by("path"))
    return [
        m.unit
        for m in access.memberships(user)
        if m.unit.kind == Unit.Kind.DISTRICT and CAPABILITY in access.CAPABILITIES.get(m.role, ())
    ]


class CatalogueForm(forms.ModelForm):
    """A catalogue row's form: the district is the user's (a choice only for several).

    Subclasses narrow their choices to `self.district` (None while a superuser has not chosen).
    """

    def __init__(self, *args, districts: list[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.district = self.instance.district
        elif len(districts) == 1:
            self.district = self.instance.district = districts[0]
        else:
            self.district = None
            self.fields = {
                "district": forms.ModelChoiceField(
                    label=gettext_lazy("district"),
                    queryset=Unit.objects.filter(pk__in=[d.pk for d in districts]),
                ),
                **self.fields,
            }

    def clean(self):
        data = super().clean()
        if "district" in self.fields and data.get("district"):
            self.district = self.instance.district = data["district"]
        return data

    def validate_unique(self):
        # The district is not an input of the form, yet (district, name) must stay unique:
        # check the constraints with it rather than letting the database refuse the save.
        exclude = self._get_validation_exclusions() - {"district"}
        try:
            self.instance.validate_unique(exclude=exclude)
            self.instance.validate_constraints(exclude=exclude)
        except ValidationError as error:
            self._update_errors(error)


def catalogue_save(*, form: CatalogueForm, actor) -> models.Model:
    """Save a valid catalogue form as `actor`, who must keep the row's district."""
    access.require(actor, CAPABILITY, form.instance.district)
    try:
        with transaction.atomic():
            return form.save()
    except IntegrityError as error:
        raise ValidationError(_("This entry already exists.")) from error


def catalogue_delete_row(*, catalogue: Catalogue, row: models.Model, actor) -> None:
    access.require(actor, CAPABILITY, row.district)
    if catalogue.deletable is None or not catalogue.deletable(row):
        raise ValidationError(_("“%(name)s” is in use and cannot be deleted.") % {"name": row})
    row.delete()


def _districts_or_403(user) -> list[Unit]:
    districts = managed_districts(user)
    if not districts:
        raise PermissionDenied(_("Only the district's administrator keeps its catalogues."))
    return districts


def _rows(catalogue: Catalogue, districts: list[Unit]):
    return catalogue.model.objects.filter(district__in=districts).select_related("district")


@login_required
def catalogue_list(request, catalogue: Catalogue):
    districts = _districts_or_403(request.user)
    fields = [catalogue.model._meta.get_field(name) for name in catalogue.columns]
    related = [field.name for field in fields if field.many_to_one]
    rows = list(_rows(catalogue, districts).select_related(*related))
    table = [
        {
            "row": row,
            "cells": [(field.verbose_name, _display(row, field)) for field in fields],
            "edit_url": catalogue.url("edit", row.pk),
            "delete_url": catalogue.url("delete", row.pk)
            if catalogue.deletable is not None and catalogue.deletable(row)
            else "",
        }
        for row in rows
    ]
    can_add = not (catalogue.one_per_district and len(rows) >= len(districts))
    return render(
        request,
        "governance/catalogue_list.html",
        {
            "catalogue": catalogue,
            "title": catalogue.model._meta.verbose_name_plural,
            "headers": [field.verbose_name for field in fields],
            "table": table,
            "show_district": len(districts) > 1,
            "create_url": catalogue.url("create") if can_add else "",
        },
    )


def _display(row, field) -> str:
    if field.choices:
        return getattr(row, f"get_{field.name}_display")()
    value = getattr(row, field.name)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return "" if value is None else str(value)


@login_required
def catalogue_edit(request, catalogue: Catalogue, pk: int | None = None):
    districts = _districts_or_403(request.user)
    row = get_object_or_404(_rows(catalogue, districts), pk=pk) if pk is not None else None
    if row is None and catalogue.one_per_district:
        taken = set(_rows(catalogue, districts).values_list("district", flat=True))
        districts = [d for d in districts if d.pk not in taken]
        if not districts:
            raise Http404(_("Every district already has one."))
    form = catalogue.form_class(request.POST or None, instance=row, districts=districts)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue_save(form=form, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Saved."))
            return redirect(catalogue.url("list"))
    return render(
        request,
        "governance/catalogue_form.html",
        {
            "catalogue": catalogue,
            "form": form,
            "row": row,
            "title": catalogue.model._meta.verbose_name_plural,
            "list_url": catalogue.url("list"),
        },
    )


@login_required
@require_POST
def catalogue_delete(request, catalogue: Catalogue, pk: int):
    row = get_object_or_404(_rows(catalogue, _districts_or_403(request.user)), pk=pk)
    try:
        catalogue_delete_row(catalogue=catalogue, row=row, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Deleted “%(name)s”.") % {"name": row})
    return redirect(catalogue.url("list"))
