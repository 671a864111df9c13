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


TOUCH_KEY = "_idle_touched"
TOUCH_EVERY = 300  # seconds: the session is written at most this often, not on every request


def idle_seconds(user) -> int:
    from django.conf import settings

    return settings.STAFF_SESSION_IDLE_SECONDS if user.is_programme_staff else settings.CITIZEN_SESSION_IDLE_SECONDS


def touch_session(request, user) -> None:
    """Start the idle time again: the session now expires `idle_seconds` from now."""
    import time

    request.session.set_expiry(idle_seconds(user))
    request.session[TOUCH_KEY] = int(time.time())


class SessionExpiryMiddleware:
    """Log a user out after a time without requests: staff after a working day (9 h), citizens
    sooner (2 h: they often use shared or public computers). A request starts the time again;
    to spare a database write per request the session is rewritten at most every TOUCH_EVERY
    seconds, so the idle time is exact to within 5 minutes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            touched = request.session.get(TOUCH_KEY, 0)
            if time.time() - touched >= TOUCH_EVERY:
                touch_session(request, user)
        return self.get_response(request)
