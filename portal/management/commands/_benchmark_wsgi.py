"""The portal with the benchmark's floor view, for gunicorn (`manage.py benchmark` starts it; not a command)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bastau.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  after the set-up

settings.ROOT_URLCONF = "portal.management.commands.benchmark"
# wrk is one client: the per-token API limit would refuse it (the counting itself still runs).
settings.RATELIMITS = {**settings.RATELIMITS, "api-token": "100000000/m"}
