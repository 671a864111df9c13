"""How an attempt is scored: single choice, several answers with a penalty for wrong ones, percent."""

from decimal import Decimal

import pytest

from aptitude.scoring import question_points, score_attempt


def single(qid, correct, category=None):
    return {"id": qid, "kind": "single", "category": category, "correct": set(correct)}


def multiple(qid, correct, category=None):
    return {"id": qid, "kind": "multiple", "category": category, "correct": set(correct)}


def test_the_right_single_answer_earns_a_point():
    assert question_points("single", {2}, {2}) == Decimal(1)


@pytest.mark.parametrize("selected", [{3}, set(), {2, 3}], ids=["wrong", "blank", "the right one and another"])
def test_a_wrong_blank_or_doubled_single_answer_earns_nothing(selected):
    assert question_points("single", {2}, selected) == Decimal(0)


def test_every_right_answer_of_a_multiple_choice_question_earns_a_whole_point():
    assert question_points("multiple", {1, 2}, {1, 2}) == Decimal(1)


def test_one_of_two_right_answers_earns_half_a_point():
    assert question_points("multiple", {1, 2}, {1}) == Decimal("0.5")


def test_a_wrong_extra_choice_takes_away_what_a_right_one_earns():
    # (right − wrong) / number of right answers
    assert question_points("multiple", {1, 2, 3}, {1, 2, 4}) == Decimal(1) / Decimal(3)
    assert question_points("multiple", {1, 2}, {1, 3}) == Decimal(0)
    assert question_points("multiple", {1, 2, 3, 4}, {1, 2, 3, 5}) == Decimal("0.5")


@pytest.mark.parametrize("selected", [{3, 4}, {1, 3, 4}, {3}], ids=["only wrong", "more wrong than right", "one wrong"])
def test_wrong_choices_never_take_a_question_below_zero(selected):
    assert question_points("multiple", {1, 2}, selected) == Decimal(0)


def test_a_question_without_a_right_answer_earns_nothing_whatever_is_chosen():
    assert question_points("single", set(), {1}) == Decimal(0)
    assert question_points("multiple", set(), set()) == Decimal(0)


def test_the_percent_is_rounded_half_up_to_one_decimal():
    questions = [single(n, {10 * n}) for n in range(1, 17)]
    score = score_attempt(questions, {1: {10}})  # 1 of 16 = 6.25 %
    assert score.percent == Decimal("6.3")
    assert score.points == Decimal("1.00")
    assert score.max_points == 16


def test_two_of_three_is_sixty_six_point_seven_percent():
    questions = [single(1, {10}), single(2, {20}), single(3, {30})]
    score = score_attempt(questions, {1: {10}, 2: {20}, 3: {31}})
    assert score.percent == Decimal("66.7")
    assert score.points == Decimal("2.00")


def test_partial_points_add_up_into_the_percent():
    questions = [single(1, {10}), multiple(2, {20, 21}), single(3, {30}), single(4, {40})]
    score = score_attempt(questions, {1: {10}, 2: {20}, 3: {39}})  # 1 + 0.5 + 0 + 0 of 4
    assert score.points == Decimal("1.50")
    assert score.percent == Decimal("37.5")


def test_an_answer_to_a_question_not_in_the_test_earns_nothing():
    score = score_attempt([single(1, {10})], {2: {20}})
    assert score.percent == Decimal("0.0")


def test_nothing_answered_is_zero_percent():
    score = score_attempt([single(1, {10}), multiple(2, {20, 21})], {})
    assert (score.points, score.percent) == (Decimal("0.00"), Decimal("0.0"))


def test_every_category_gets_its_own_points_and_maximum():
    questions = [
        single(1, {10}, category=7),
        multiple(2, {20, 21}, category=7),
        single(3, {30}, category=8),
        single(4, {40}),
    ]
    score = score_attempt(questions, {1: {10}, 2: {21}, 3: {31}, 4: {40}})
    assert score.by_category == {
        "7": {"points": 1.5, "max": 2},
        "8": {"points": 0.0, "max": 1},
        "": {"points": 1.0, "max": 1},
    }
    assert score.percent == Decimal("62.5")
