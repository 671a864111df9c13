"""Irreversible actions ask first, as withdrawing and submitting the test do: the action's form POSTs
as before; without `confirm=1` the view answers with a page that says what will happen and to whom,
and carries the posted fields on to its own "Yes" button (a page, no JavaScript needed). The rule
of who may and when stays in the service; the confirmation is only the question."""

from django.shortcuts import render

KEPT_OUT = frozenset({"csrfmiddlewaretoken", "confirm"})


def confirmed(request) -> bool:
    return request.POST.get("confirm") == "1"


def confirmation(
    request,
    *,
    title: str,
    action: str,
    consequences: list[str],
    confirm_label: str,
    cancel_url: str,
    cancel_label: str,
    names: list[str] | None = None,
    names_label: str = "",
    danger: bool = True,
):
    """The confirmation page: `title` asks, `consequences` say what happens (it cannot be undone),
    `names` (under `names_label`) say to whom; "Yes" posts the same fields to `action` with confirm=1."""
    fields = [(key, value) for key in request.POST if key not in KEPT_OUT for value in request.POST.getlist(key)]
    return render(
        request,
        "core/confirm.html",
        {
            "title": title,
            "action": action,
            "consequences": consequences,
            "names": names or [],
            "names_label": names_label,
            "fields": fields,
            "confirm_label": confirm_label,
            "cancel_url": cancel_url,
            "cancel_label": cancel_label,
            "danger": danger,
        },
    )
