"""`core.models.choice_display`: the label of a stored choice in the active language, as Django's own
get_<field>_display gives it, and the stored value when it is not one of the choices."""

from django.utils import translation

from applications.models import Application, Channel, Status


def test_the_label_follows_the_language_and_matches_djangos_own():
    application = Application(status=Status.SUBMITTED, channel=Channel.ONLINE)
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            ours = application.get_status_display(), application.get_channel_display()
            django = (
                application._get_FIELD_display(Application._meta.get_field("status")),
                application._get_FIELD_display(Application._meta.get_field("channel")),
            )
            assert ours == django
    with translation.override("kk"):
        kazakh = application.get_status_display()
    with translation.override("en"):
        assert application.get_status_display() == "Awaiting the eligibility decision" != kazakh


def test_a_value_that_is_not_a_choice_is_shown_as_stored():
    assert Application(status="archived").get_status_display() == "archived"
