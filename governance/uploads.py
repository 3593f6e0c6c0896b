"""Uploaded files: what may be uploaded, and handing a stored file to whoever may see it.

Nothing under MEDIA_ROOT is served by URL. Each app serves its uploads through a view that
looks the row up in the user's scope (404 otherwise) — or, for a public page, by the page's
token — and returns `file_response(row.field)`.

One size limit for every upload, `SHANZHI_UPLOAD_MAX_MB` (settings). Photos must be images
Pillow can read in one of the formats browsers show (a photo is verified, not trusted by its
name); documents are checked by extension. Images are shown inline; everything else is sent
as a download, so an uploaded page can never run in the site's origin.
"""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

# The formats phones and browsers produce and show: Pillow name → file extensions.
IMAGE_FORMATS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "GIF": (".gif",), "WEBP": (".webp",)}
IMAGE_EXTENSIONS = tuple(ext for exts in IMAGE_FORMATS.values() for ext in exts)
DOCUMENT_EXTENSIONS = (
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".txt",
    ".zip",
    *IMAGE_EXTENSIONS,
)


def max_bytes() -> int:
    return settings.SHANZHI_UPLOAD_MAX_MB * 1024 * 1024


def _check_size(upload) -> None:
    if upload.size > max_bytes():
        raise ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": settings.SHANZHI_UPLOAD_MAX_MB},
            code="file_too_large",
        )


def validate_image(upload) -> None:
    """A photo: within the size limit, and a JPEG, PNG, GIF or WebP that Pillow can verify."""
    from PIL import Image

    _check_size(upload)
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except Exception:  # Pillow raises many kinds for a file that is not a readable image
        kind = None
    finally:
        upload.seek(0)
    if kind not in IMAGE_FORMATS:
        raise ValidationError(
            _("Please upload a photo (.jpg, .png, .gif or .webp)."), code="not_an_image"
        )


def validate_document(upload) -> None:
    """A document or photo: within the size limit, with an extension from the known list."""
    _check_size(upload)
    if PurePath(upload.name or "").suffix.lower() not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            _("Documents (.pdf, .doc(x), .xls(x), .ppt(x), .txt, .zip) and photos only."),
            code="file_type",
        )


def file_response(field_file, *, filename: str = "", download: bool | None = None):
    """The stored file, or 404 when the row has none or the file is gone. Images are shown
    inline unless `download`; any other file is always a download."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    name = filename or PurePath(field_file.name).name
    is_image = PurePath(field_file.name).suffix.lower() in IMAGE_EXTENSIONS
    return FileResponse(handle, as_attachment=bool(download) or not is_image, filename=name)
