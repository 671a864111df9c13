"""Middleware of our own."""

from django.conf import settings


class PrivateNoStoreMiddleware:
    """`Cache-Control: private, no-store` on every response that may carry personal data: every
    response to a logged-in user, every answer to a POST (a form echoes what was typed), and every
    file (PDFs, spreadsheets, documents). Static files are served before this (WhiteNoise) and the
    public pages of a visitor stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.static_prefix):
            return response
        user = getattr(request, "user", None)
        if (
            (user is not None and user.is_authenticated)
            or request.method == "POST"
            or response.has_header("Content-Disposition")
        ):
            response["Cache-Control"] = "private, no-store"
        return response
