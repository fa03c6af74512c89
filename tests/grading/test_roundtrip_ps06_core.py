"""The round trip of this problem set through nbgrader (the tests and what they check: roundtrip.py)."""

from roundtrip import (  # noqa: F401  (the tests, collected here for this set)
    MARKS,
    graded_fixture,
    test_every_answer_cell_has_a_wrong_answer,
    test_solution_scores_full_marks_blank_and_wrong_score_zero,
    test_wrong_answers_get_messages_that_are_not_tracebacks,
)

pytestmark = MARKS
graded = graded_fixture("ps06_core")
