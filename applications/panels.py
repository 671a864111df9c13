"""What a later stage shows on the application's status page, through `signals.status_page_panels`."""

from dataclasses import dataclass, field

from applications import signals


@dataclass
class Panel:
    """A card on the status page: a template of the stage's own app, its context, and the
    next step the applicant must take, if any (shown above the timeline)."""

    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    next_step: dict | None = None  # {"title", "body", "url", "url_label"}


def panels_for(application, user) -> list[Panel]:
    responses = signals.status_page_panels.send(sender=type(application), application=application, user=user)
    return sorted((panel for _, panel in responses if panel is not None), key=lambda panel: panel.order)
