"""Log in with a username, an e-mail address or a phone number."""

import phonenumbers
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def normalise_phone(value: str) -> str | None:
    """The E.164 form of a Kazakh phone number, or None when it is not one."""
    try:
        number = phonenumbers.parse(value, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def find_user(identifier: str):
    """The account an identifier names: an e-mail (any case), a phone (any spelling) or a username."""
    User = get_user_model()
    identifier = (identifier or "").strip()
    if "@" in identifier:
        return User.objects.filter(email__iexact=identifier).first()
    digits = identifier.lstrip("+").replace(" ", "").replace("-", "").replace("(", "").replace(")", "")
    if digits.isascii() and digits.isdigit() and (phone := normalise_phone(identifier)):
        return User.objects.filter(phone=phone).first()
    return User.objects.filter(username=identifier).first()


def lockout_username(request, credentials) -> str:
    """What django-axes counts failures against: the account, however its login was spelt, so
    "A@x.kz", "a@x.kz" and "8 701 …" share one counter."""
    identifier = (credentials or {}).get("username", "")
    user = find_user(identifier)
    return f"user-{user.pk}" if user else identifier.strip().lower()


class PhoneOrEmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = find_user(username)
        if user is None:
            get_user_model()().set_password(password)  # same work as a real check: no timing hint
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
