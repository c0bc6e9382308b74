"""Choosing and splicing fixes (`notelint.edits`): which fixes of one pass are applied together,
and the exact text `apply` makes of them.

Edits are half-open ranges `[start, end)` of the note's text. Two edits conflict when they
replace a common character, when an insertion falls strictly inside a replaced range, or when
two insertions are at the same point (their order would be a guess). An insertion at either end
of a replaced range, and ranges that only touch, do not conflict. A fix is applied whole or not
at all: a fix conflicting with one chosen before it waits for the next pass, and a fix whose own
edits conflict (a rule's bug) is never applied.
"""

import random

import pytest

from helpers import examples
from notelint.edits import apply, choose
from notelint.finding import Edit, Fix


def fix(*edits: tuple[int, int, str]) -> Fix:
    return Fix(tuple(Edit(s, e, r) for s, e, r in edits))


def applied(text: str, *fixes: tuple[str, Fix]) -> tuple[list[Fix], str]:
    chosen = choose(list(fixes))
    return chosen, apply(text, chosen)


# --------------------------------------------------------------------------- which fixes are chosen


def test_two_insertions_at_one_point_only_the_lowest_rule_code_is_applied():
    first, second = fix((3, 3, "<a>")), fix((3, 3, "<b>"))
    for order in ([("NL002", second), ("NL001", first)], [("NL001", first), ("NL002", second)]):
        chosen, text = applied("abcdef", *order)
        assert chosen == [first]
        assert text == "abc<a>def"


def test_insertions_at_different_points_are_all_applied():
    a, b, c = fix((1, 1, "1")), fix((2, 2, "2")), fix((6, 6, "6"))
    chosen, text = applied("abcdef", ("NL001", c), ("NL001", a), ("NL001", b))
    assert chosen == [a, b, c]
    assert text == "a1b2cdef6"


def test_an_insertion_strictly_inside_a_replaced_range_waits_for_the_next_pass():
    replace, insert = fix((2, 6, "X")), fix((4, 4, "+"))
    chosen, text = applied("0123456789", ("NL002", insert), ("NL001", replace))
    assert chosen == [replace]
    assert text == "01X6789"


def test_a_replaced_range_around_an_insertion_chosen_before_it_waits_for_the_next_pass():
    """The insertion belongs to a fix that starts earlier, so it is taken first."""
    earlier = fix((0, 1, "A"), (4, 4, "+"))
    replace = fix((2, 6, "X"))
    chosen, text = applied("0123456789", ("NL001", replace), ("NL002", earlier))
    assert chosen == [earlier]
    assert text == "A123+456789"


def test_insertions_at_either_end_of_a_replaced_range_are_applied_with_it():
    before, replace, after = fix((2, 2, "<")), fix((2, 6, "X")), fix((6, 6, ">"))
    chosen, text = applied("0123456789", ("NL003", after), ("NL001", replace), ("NL002", before))
    assert chosen == [before, replace, after]
    assert text == "01<X>6789"


def test_ranges_that_only_touch_are_both_applied():
    left, right = fix((0, 2, "L")), fix((2, 4, "R"))
    chosen, text = applied("abcdef", ("NL001", right), ("NL001", left))
    assert chosen == [left, right]
    assert text == "LRef"


def test_a_range_ending_where_an_earlier_fixs_later_edit_starts_is_applied():
    spread = fix((0, 1, "A"), (5, 6, "F"))
    middle = fix((3, 5, "de"))
    chosen, text = applied("abcdefgh", ("NL001", middle), ("NL001", spread))
    assert chosen == [spread, middle]
    assert text == "AbcdeFgh"


@pytest.mark.parametrize("spread", [fix((0, 1, "A"), (3, 8, "Z")), fix((0, 1, "A"), (3, 4, "Z"))])
def test_a_fix_overlapping_any_edit_of_an_earlier_multi_edit_fix_waits_for_the_next_pass(spread):
    """The later fix starts between the earlier fix's edits and overlaps the second one (which
    ends after it, or inside it)."""
    middle = fix((2, 6, "m"))
    chosen, text = applied("0123456789", ("NL001", middle), ("NL002", spread))
    assert chosen == [spread]
    assert text == apply("0123456789", [spread])


def test_a_fix_whose_own_edits_overlap_is_never_applied():
    for broken in (fix((0, 5, "a"), (3, 8, "b")),
                   fix((0, 5, "a"), (10, 12, "b"), (3, 4, "c")),  # listed out of order
                   fix((4, 4, "a"), (9, 9, "b"), (4, 4, "c"))):
        ok = fix((20, 21, "z"))
        chosen, text = applied("x" * 30, ("NL001", broken), ("NL002", ok))
        assert chosen == [ok], broken
        assert text == "x" * 20 + "z" + "x" * 9


def test_a_fix_with_edits_listed_in_any_order_is_applied_whole():
    whole = fix((8, 9, "I"), (0, 1, "A"), (4, 4, "+"), (2, 4, "CD"), (9, 9, "!"))
    chosen, text = applied("abcdefghij", ("NL001", whole))
    assert chosen == [whole]
    assert text == "AbCD+efghI!j"


def conflict(a: Edit, b: Edit) -> bool:
    """The definition in the module docstring, character by character."""
    if a.start == a.end and b.start == b.end:
        return a.start == b.start
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return bool(set(range(a.start, a.end)) & set(range(b.start, b.end)))


def splice(text: str, edits: list[Edit]) -> str:
    """Left to right; at one point an insertion goes before the range replaced from there."""
    out, at = [], 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        out += [text[at:e.start], e.replacement]
        at = e.end
    return "".join(out) + text[at:]


def test_chosen_fixes_and_the_text_agree_with_the_definition_on_random_fixes():
    rng = random.Random(7)
    text = "".join(chr(ord("a") + i % 26) for i in range(40))
    for _ in range(examples(3000)):
        fixes = []
        for _ in range(rng.randint(0, 7)):
            edits = []
            for _ in range(rng.randint(1, 4)):
                s = rng.randrange(0, 41)
                e = min(40, s + rng.choice([0, 0, 1, 2, 3, 5, 9]))
                edits.append((s, e, rng.choice(["", "X", "YY"])))
            fixes.append((rng.choice(["NL001", "NL002", "NL003"]), fix(*edits)))
        expected, taken = [], []
        for _, f in sorted(fixes, key=lambda cf: (cf[1].start, cf[1].end, cf[0])):
            own = list(f.edits)
            if any(conflict(a, b) for i, a in enumerate(own) for b in own[i + 1:]):
                continue
            if any(conflict(a, b) for a in own for b in taken):
                continue
            expected.append(f)
            taken += own
        chosen = choose(fixes)
        assert chosen == expected, fixes
        assert apply(text, chosen) == splice(text, taken), fixes


# --------------------------------------------------------------------------- apply


def test_apply_refuses_overlapping_edits_instead_of_garbling_the_text():
    with pytest.raises(ValueError) as refused:
        apply("abcdef", [fix((0, 3, "x")), fix((2, 4, "y"))])
    assert str(refused.value) == "overlapping edits"
