"""Uploads: every stored file is served through a view that checks who may see it (public only
where its page is public), and every upload is limited in size and type (governance.uploads)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from economy.forms import AttachmentForm
from governance.tests.factories import make_person
from grids.forms.visits import VisitForm
from grids.models import GridWorker
from grids.services.grids import grid_profile_for
from grids.services.workers import grid_worker_assign, grid_worker_register
from teams.forms.brands import PhotoForm
from teams.forms.training import TrainingForm
from teams.models import BrandPhoto, PartyBrand, TrainingSession
from venues.forms.sites import PhotoForm as VenuePhotoForm
from venues.models import VenuePhoto
from venues.tests.factories import make_venue

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def photo(name="现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def files(world):
    w = world
    w.session = TrainingSession.objects.create(
        unit=w.community_a, title="党史学习", topic="party", held_on=datetime.date(2026, 5, 1)
    )
    w.session.materials.save("课件.pdf", ContentFile(b"%PDF-1.4 slides"))
    w.brand = PartyBrand.objects.create(
        community=w.community_a, name="红色管家", theme="elderly", year=2026
    )
    w.brand_photo = BrandPhoto(brand=w.brand)
    w.brand_photo.image.save("brand.png", ContentFile(png_bytes()))
    w.venue = make_venue(w.community_a)
    w.venue_photo = VenuePhoto(venue=w.venue)
    w.venue_photo.image.save("venue.png", ContentFile(png_bytes()))
    w.grid_worker = grid_worker_register(person=make_person(w.grid_a, "吴桂英"))
    w.grid_worker.photo.save("worker.png", ContentFile(png_bytes()))
    grid_worker_assign(worker=w.grid_worker, grid=w.grid_a, started_on=datetime.date(2025, 1, 1))
    w.profile = grid_profile_for(w.grid_a)
    return w


def staff_urls(w) -> list[str]:
    return [
        reverse("teams:training-materials", args=[w.session.pk]),
        reverse("teams:brand-photo-file", args=[w.brand_photo.pk]),
        reverse("venues:photo-file", args=[w.venue_photo.pk]),
    ]


def test_uploads_are_served_to_users_in_scope(client, files):
    client.force_login(files.staff_a)
    for url in staff_urls(files):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"".join(response.streaming_content)
    materials = client.get(staff_urls(files)[0])
    assert materials["Content-Disposition"].startswith("attachment")


def test_uploads_outside_the_scope_are_404(client, files):
    client.force_login(files.staff_b)
    for url in staff_urls(files):
        assert client.get(url).status_code == 404, url


def test_anonymous_users_are_sent_to_sign_in(client, files):
    for url in staff_urls(files):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


def test_pages_link_to_the_served_files(client, files):
    client.force_login(files.staff_a)
    training = client.get(reverse("teams:training-detail", args=[files.session.pk]))
    assert reverse("teams:training-materials", args=[files.session.pk]) in training.text
    brand = client.get(reverse("teams:brand-detail", args=[files.brand.pk]))
    assert reverse("teams:brand-photo-file", args=[files.brand_photo.pk]) in brand.text
    assert "/media/" not in training.text + brand.text


def test_the_public_grid_page_shows_the_worker_photo_without_sign_in(client, files):
    page = client.get(reverse("grids:public-grid", args=[files.profile.public_token]))
    url = reverse(
        "grids:public-worker-photo", args=[files.profile.public_token, files.grid_worker.pk]
    )
    assert url in page.text
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_the_public_photo_url_serves_only_workers_on_duty_in_that_grid(client, files):
    other = grid_worker_register(person=make_person(files.grid_b, "他人"))
    other.photo.save("other.png", ContentFile(png_bytes()))
    grid_worker_assign(worker=other, grid=files.grid_b, started_on=datetime.date(2025, 1, 1))
    token = files.profile.public_token
    assert (
        client.get(reverse("grids:public-worker-photo", args=[token, other.pk])).status_code == 404
    )
    GridWorker.objects.filter(pk=files.grid_worker.pk).update(is_active=False)
    url = reverse("grids:public-worker-photo", args=[token, files.grid_worker.pk])
    assert client.get(url).status_code == 404


def test_the_public_venue_page_shows_its_photos_without_sign_in(client, files):
    token = files.venue.public_token
    page = client.get(reverse("venues:public-venue", args=[token]))
    url = reverse("venues:public-photo", args=[token, files.venue_photo.pk])
    assert url in page.text
    assert client.get(url).status_code == 200
    other = make_venue(files.community_b)
    assert (
        client.get(
            reverse("venues:public-photo", args=[other.public_token, files.venue_photo.pk])
        ).status_code
        == 404
    )


def test_an_oversize_photo_is_refused_in_chinese(settings):
    settings.SHANZHI_UPLOAD_MAX_MB = 1
    big = SimpleUploadedFile("big.png", png_bytes() + b"\0" * (1024 * 1024), "image/png")
    form = PhotoForm(data={}, files={"image": big})
    assert not form.is_valid()
    assert form.errors["image"] == ["文件超过 1 MB。"]


@pytest.mark.parametrize(
    ("form_class", "field"),
    [(PhotoForm, "image"), (VenuePhotoForm, "image"), (VisitForm, "photo")],
)
def test_a_photo_that_is_not_an_image_is_refused(form_class, field):
    clean = form_class.base_fields[field].clean
    with pytest.raises(ValidationError):
        clean(SimpleUploadedFile("photo.jpg", b"<html>not a photo</html>", "image/jpeg"))
    bmp = io.BytesIO()
    Image.new("RGB", (4, 4)).save(bmp, "BMP")
    with pytest.raises(ValidationError) as refused:
        clean(SimpleUploadedFile("photo.bmp", bmp.getvalue()))
    assert refused.value.messages == ["请上传照片（.jpg、.png、.gif 或 .webp）。"]
    assert clean(photo())


def test_training_materials_of_an_unknown_type_are_refused(world):
    form = TrainingForm(
        data={"unit": world.community_a.pk, "title": "培训", "topic": "party"},
        files={"materials": SimpleUploadedFile("run.exe", b"MZ")},
        user=world.staff_a,
    )
    assert not form.is_valid()
    assert "materials" in form.errors
    assert "仅限" in form.errors["materials"][0]


def test_an_economy_photo_must_be_an_image():
    data = {"kind": "photo", "title": "现场"}
    fake = SimpleUploadedFile("site.jpg", b"not an image")
    form = AttachmentForm(data=data, files={"file": fake})
    assert not form.is_valid()
    assert form.errors["file"] == ["请上传照片（.jpg、.png、.gif 或 .webp）。"]
    assert AttachmentForm(data=data, files={"file": photo()}).is_valid()
    document = {"kind": "document", "title": "合同"}
    pdf = SimpleUploadedFile("合同.pdf", b"%PDF-1.4")
    assert AttachmentForm(data=document, files={"file": pdf}).is_valid(), "documents stay allowed"
