"""Hooks of the application stage that later stages plug into (STYLE.md "The spine").

The applications app sends these and never imports the apps that receive them; a later stage
connects its receivers in its AppConfig.ready().
"""

from django.dispatch import Signal

# After every move of the path, inside its transaction, on the locked application.
# kwargs: application, change (StatusChange), move (pathway.Move), actor (User or None).
status_changed = Signal()

# Before an application is taken in. kwargs: iin. A receiver returns a message (the refusal, on
# the IIN field) or None. Certificates plug in "one certificate per person, ever" here.
submission_check = Signal()

# The status page asks each later stage for its panel. kwargs: application, user.
# A receiver returns a `Panel` (applications.panels) or None.
status_page_panels = Signal()
