"""The citizen's path as declared by the stages' apps (applications/pathway.py)."""

from applications import pathway
from applications.models import ENDED_STATUSES, Status

LAST = {Status.PARTICIPATION_CERTIFIED, Status.LOAN_APPROVED}  # where a finished path rests


def test_every_state_but_the_first_is_reached_by_a_declared_move():
    targets = {move.target for move in pathway.moves()}
    assert set(Status) - targets == {Status.SUBMITTED}


def test_every_state_that_goes_on_has_a_move_out_and_ended_ones_have_none():
    sources = set().union(*(move.source for move in pathway.moves()))
    going_on = set(Status) - set(ENDED_STATUSES) - LAST - {Status.LOAN_DECLINED}
    assert going_on - sources == set()
    assert sources & set(ENDED_STATUSES) == set()


def test_the_path_runs_from_the_application_to_the_loan():
    """Walking the moves from the application, every state is reachable."""
    reached, frontier = {Status.SUBMITTED}, [Status.SUBMITTED]
    while frontier:
        status = frontier.pop()
        for move in pathway.moves():
            if status in move.source and move.target not in reached:
                reached.add(move.target)
                frontier.append(move.target)
    assert reached == set(Status)


def test_each_stage_declares_its_own_moves_and_steps():
    stages = {move.stage for move in pathway.moves()}
    assert stages == {"applications", "aptitude", "training", "commissions", "certificates", "financing"}
    assert [spec.key for spec in pathway.steps()] == [
        "submitted",
        "eligibility",
        "listed",
        "accepted",
        "test",
        "placed",
        "training",
        "defence",
        "certificate",
        "loan",
    ]


def test_a_person_may_make_a_move_only_through_a_named_rule():
    for move in pathway.moves():
        assert move.action or move.system, move.name
