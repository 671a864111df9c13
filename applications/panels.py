"""What a later stage shows on the application's status page, through `signals.status_page_panels`."""

from dataclasses import dataclass, field

from django.utils.functional import Promise

from applications import signals
from applications.pathway import Step


@dataclass
class Panel:
    """A card on the status page: a template of the stage's own app, its context, and the
    next step the applicant must take, if any (shown above the timeline)."""

    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    next_step: dict | None = None  # {"title", "body", "url", "url_label"}
    # Events of the stage that are not status changes (a move between groups), for the timeline:
    # each goes after the step of the same key, in the order given.
    timeline: list[Step] = field(default_factory=list)
    # What withdrawing the application now ends at this stage, in its words (the withdraw page lists it).
    withdrawal_ends: list[str | Promise] = field(default_factory=list)


def with_events(steps: list[Step], panels: list[Panel]) -> list[Step]:
    """The timeline's steps with the panels' events, each after the step (and the events) of its key;
    an event whose step is not on the timeline is left out."""
    result = list(steps)
    for panel in panels:
        for event in panel.timeline:
            at = [i for i, step in enumerate(result) if step.key == event.key]
            if at:
                result.insert(at[-1] + 1, event)
    return result


def panels_for(application, user) -> list[Panel]:
    responses = signals.status_page_panels.send(sender=type(application), application=application, user=user)
    return sorted((panel for _, panel in responses if panel is not None), key=lambda panel: panel.order)
