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


class PhoneOrEmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        User = get_user_model()
        identifier = username.strip()
        if "@" in identifier:
            lookup = {"email__iexact": identifier}
        elif identifier.lstrip("+").replace(" ", "").replace("-", "").isdigit() and (
            phone := normalise_phone(identifier)
        ):
            lookup = {"phone": phone}
        else:
            lookup = {"username": identifier}
        user = User.objects.filter(**lookup).first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing hint
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
