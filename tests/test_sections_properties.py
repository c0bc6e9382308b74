"""Properties of required-sections and section-label over generated templated notes: checking
never raises, section-label's fix is idempotent, keeps every line ending and the number of
lines, changes only lines that start with a known label, and never changes which sections
required-sections finds."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from helpers import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notelint.config import Config
from notelint.engine import fix_note
from notelint.note import Note
from notelint.registry import lookup
from notelint.vault import Vault

SCHEMA = {"paths": ["*"], "level": 2, "sections": ["研究背景", "研究动机", "Method"], "optional": ["相关工作"]}
KNOWN = ("研究背景", "研究动机", "Method", "method", "相关工作", "ＭＥＴＨＯＤ")
PIECES = [
    "## Entry", "# Title", "### 研究背景", "### Method:", "```", "~~~", "    code: x", "%%", "<!--", "-->",
    "> ", "- ", "  - ", "1. ", "* ", "**", "__", "：", ":", ": ", " ", "text", "研究动力", "http://x.org",
    "#tag", "[[link]]", "`", "\t", "*", "_", "相关工作", "Method", "研究背景", "研究动机", "ＭＥＴＨＯＤ",
]
NOISE = st.lists(st.sampled_from(PIECES), max_size=6).map("".join)
LABELLED = st.tuples(
    st.sampled_from(["", "- ", "  - ", "    - ", "1. ", "> ", "> - ", "### ", "    "]),
    st.sampled_from(["", "**", "__", "*"]),
    st.sampled_from([*KNOWN, "研究动力", "Other", " 研究背景 "]),
    st.sampled_from(["", "**", "__"]),
    st.sampled_from(["", " ", "\t"]),
    st.sampled_from([":", "：", "", ":**", "：**"]),
    st.sampled_from(["", " ", "text", " text", "//x", "**x**", "  "]),
).map("".join)
LINE = st.one_of(NOISE, LABELLED, LABELLED, st.just("## Entry"), st.just(""))
NOTE = st.tuples(st.lists(LINE, min_size=1, max_size=14), st.sampled_from(["\n", "\r\n"]))
DEFAULT = settings(max_examples=examples(150), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
VAULT = Vault(root=Path("."), flavor="obsidian", config=Config(rule_settings={"required-sections": {"schemas": [SCHEMA]}}))


def label_rule(style: str, colon: str):
    rule = lookup("section-label")({"style": style, "colon": colon})
    rule.prepare(SimpleNamespace(vault=VAULT))
    return rule


def present_sections(text: str) -> list[tuple[int, str]]:
    rule = lookup("required-sections")({"schemas": [SCHEMA], "strict": True, "order": True, "allow-empty": False})
    return sorted((f.line, f.message) for f in rule.check(Note.from_text(text)) if "lacks" in f.message)


@DEFAULT
@given(NOTE, st.sampled_from(["bold", "plain", "heading"]), st.sampled_from(["keep", "fullwidth", "ascii"]))
def test_section_label_fix_touches_only_label_lines_and_is_idempotent(case, style, colon):
    lines, newline = case
    text = newline.join(lines) + newline
    rule = label_rule(style, colon)
    before_sections = present_sections(text)
    note = Note.from_text(text)
    outcome = fix_note(note, [rule], VAULT)
    assert outcome.problem is None
    fixed = outcome.text
    old, new = re.split(r"\r\n|\n", text), re.split(r"\r\n|\n", fixed)
    assert len(old) == len(new) and fixed.count("\r\n") == text.count("\r\n")
    for a, b in zip(old, new):
        if a != b:
            assert any(k in a for k in KNOWN), (a, b)
    again = fix_note(Note.from_text(fixed), [rule], VAULT)
    assert again.text == fixed, "a second fix changed the note"
    assert present_sections(fixed) == before_sections


@DEFAULT
@given(NOTE, st.integers(min_value=0, max_value=3))
def test_required_sections_never_raises_and_points_inside_the_note(case, level):
    lines, newline = case
    text = newline.join(lines)
    note = Note.from_text(text)
    rule = lookup("required-sections")({"schemas": [{**SCHEMA, "level": level}], "strict": True, "order": True,
                                        "allow-empty": False})
    for f in rule.check(note):
        assert 1 <= f.line <= len(note.lines) and f.column >= 1
