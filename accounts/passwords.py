"""Password reset for every account, with answers that never say whether an account exists.

- by e-mail (citizens who gave one, and staff): Django's one-time reset link;
- by phone (citizens): a 6-digit one-time code by SMS, kept hashed in the cache for
  CODE_MINUTES, at most CODE_TRIES guesses.
The message is built and sent by a Celery task after commit (the code never travels through the
broker: the task makes it).
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import send_mail
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.backends import find_user, normalise_phone
from accounts.models import User
from core import outbox
from core.links import portal_link
from core.sms import send_sms

CODE_MINUTES = 15
CODE_TRIES = 5


def _code_key(user_id: int) -> str:
    return f"password-reset-code:{user_id}"


def _digest(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def account_for(identifier: str) -> User | None:
    user = find_user(identifier)
    return user if user is not None and user.is_active else None


def request_reset(identifier: str) -> None:
    """Queue the reset message for the account the identifier names, if there is one."""
    user = account_for(identifier)
    if user is None:
        return
    by_phone = "@" not in identifier and normalise_phone(identifier) is not None
    channel = "sms" if (by_phone and user.phone) or not user.email else "email"
    if channel == "sms" and not user.phone:
        return
    outbox.enqueue("accounts.tasks.send_password_reset_task", user.pk, channel)


def send_reset(user_id: int, channel: str) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    with translation.override(user.language or "kk"):
        if channel == "sms":
            code = f"{secrets.randbelow(1_000_000):06d}"
            cache.set(_code_key(user.pk), {"digest": _digest(code), "tries": 0}, CODE_MINUTES * 60)
            send_sms(
                str(user.phone),
                _("Bastau: your code to set a new password is %(code)s. It is valid for %(minutes)s minutes.")
                % {"code": code, "minutes": CODE_MINUTES},
            )
            return
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = portal_link("accounts:password_reset_confirm", uid, token)
        send_mail(
            _("Bastau: set a new password"),
            _(
                "Hello!\n\nSomebody (we hope you) asked to set a new password for your Bastau account. "
                "Open this link to do it; it works once:\n%(link)s\n\nIf it was not you, ignore this message."
            )
            % {"link": link},
            None,
            [user.email],
        )


def check_code(phone: str, code: str) -> User | None:
    """The account whose phone got this code, or None (wrong, expired or too many tries)."""
    user = account_for(phone)
    if user is None:
        return None
    key = _code_key(user.pk)
    stored = cache.get(key)
    if not stored:
        return None
    if not hmac.compare_digest(stored["digest"], _digest(code.strip())):
        stored["tries"] += 1
        if stored["tries"] >= CODE_TRIES:
            cache.delete(key)
        else:
            cache.set(key, stored, CODE_MINUTES * 60)
        return None
    cache.delete(key)  # one time only
    return user
