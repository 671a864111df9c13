from django.utils import translation


class UserLanguageMiddleware:
    """Speak the language a logged-in user chose, on any device they log in from."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class SessionExpiryMiddleware:
    """Log a user out after a time without requests: staff after a working day (9 h), citizens
    sooner (2 h: they often use shared or public computers). Each request starts the time again
    (the session is saved on every request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            idle = (
                settings.STAFF_SESSION_IDLE_SECONDS
                if user.is_programme_staff
                else settings.CITIZEN_SESSION_IDLE_SECONDS
            )
            request.session.set_expiry(idle)
        return self.get_response(request)
