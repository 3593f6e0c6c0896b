from django.conf import settings
from django.utils import translation


class ChineseFirstLocaleMiddleware:
    """Simplified Chinese unless the user picked another language in the footer.

    Django's LocaleMiddleware follows the browser's Accept-Language; an office PC or a phone
    set to English would then show English to staff who expect Chinese, so only the
    explicit choice (the language cookie) is honoured.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class ProductErrorPagesMiddleware:
    """With DEBUG on, show the product's own (Chinese) 404 and 500 pages instead of Django's
    English debug pages; installed by the settings unless SHANZHI_DEBUG_PAGES asks for them.

    Django renders its debug pages itself, below every middleware, so they are recognised by
    what they say and replaced; the exception has already been logged to the console.
    """

    DEBUG_PAGE_MARK = b"DEBUG = True"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code in (404, 500)
            and not response.streaming
            and self.DEBUG_PAGE_MARK in response.content
        ):
            from django.http import Http404
            from django.views import defaults

            if response.status_code == 404:
                return defaults.page_not_found(request, Http404())
            return defaults.server_error(request)
        return response


class SecurityHeadersMiddleware:
    """A Content-Security-Policy and a Permissions-Policy on every response (every asset is
    served by the app itself, and no template runs inline script), and `Cache-Control: private,
    no-store` on the pages of signed-in users, which show personal data: a shared office computer
    or a proxy must not keep them.

    Styles may still be inline (`style` attributes and `<style>` blocks in about 80 places)."""

    CONTENT_SECURITY_POLICY = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )
    #: The visit form asks for the position (geolocation); nothing else is used.
    PERMISSIONS_POLICY = (
        "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), "
        "magnetometer=(), gyroscope=(), accelerometer=()"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response.headers["Cache-Control"] = "private, no-store"
        return response
