"""unused-suppression (NL005): a suppression that silences nothing, judged only for the rules
that ran on the note, the same from the cache as without it, and removed by `fix`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run_cli
from test_baseline import make, workspace

from notelint import engine, registry

UNUSED = "unused-suppression"


def reported(root: Path, select=("whitespace", UNUSED)) -> list[tuple[str, int, str, bool | None]]:
    """(path, line, message, fix is safe / None) of every unused-suppression finding."""
    out = []
    for f in engine.check(workspace(root, select)):
        if f.rule == UNUSED:
            out.append((f.path, f.line, f.message, None if f.fix is None else f.fix.safe))
    return out


def lines_of(root: Path, select=("whitespace", UNUSED)) -> list[tuple[int, str]]:
    return sorted((f.line, f.rule) for f in engine.check(workspace(root, select)))


# --------------------------------------------------------------------------- what is unused


def test_every_form_is_reported_when_it_silences_nothing(tmp_path):
    text = ("---\nnotelint: {ignore: [tag-style]}\n---\n"
            "<!-- notelint-disable-next-line whitespace -->\nclean\n"
            "%% notelint-disable-next-line whitespace %%\nclean\n"
            "<!-- notelint-disable whitespace -->\nclean\n<!-- notelint-enable whitespace -->\n"
            "<!-- notelint-disable-file whitespace -->\n")
    root = make(tmp_path / "v", {"n.md": text})
    found = reported(root, ("whitespace", "tag-style", UNUSED))
    assert [(line, msg.split(";")[0]) for _p, line, msg, _s in found] == [
        (2, "suppression of `tag-style` silences nothing in this note"),
        (4, "suppression of `whitespace` silences nothing on the next line"),
        (6, "suppression of `whitespace` silences nothing on the next line"),
        (8, "suppression of `whitespace` silences nothing in its range"),
        (11, "suppression of `whitespace` silences nothing in this note"),
    ]


def test_a_used_suppression_is_not_reported_and_keeps_working(tmp_path):
    text = ("<!-- notelint-disable-next-line whitespace -->\ntrailing \n"
            "<!-- notelint-disable whitespace -->\nx \n<!-- notelint-enable whitespace -->\ny\n")
    root = make(tmp_path / "v", {"n.md": text})
    assert lines_of(root) == []


def test_only_unused_names_of_a_list_are_reported_and_removed(tmp_path):
    root = make(tmp_path / "v", {"n.md": "<!-- notelint-disable-next-line whitespace, tag-style -->\ntrailing \n"})
    found = reported(root, ("whitespace", "tag-style", UNUSED))
    assert [(line, msg) for _p, line, msg, _s in found] == [
        (1, "suppression of `tag-style` silences nothing on the next line; remove the unused name")]
    assert run_cli("fix", "--select", f"whitespace,tag-style,{UNUSED}", ".", cwd=root).returncode == 0
    assert (root / "n.md").read_text() == "<!-- notelint-disable-next-line whitespace -->\ntrailing \n"


def test_the_wider_suppression_counts_and_the_narrower_one_is_reported(tmp_path):
    text = "<!-- notelint-disable-file whitespace -->\n<!-- notelint-disable-next-line whitespace -->\ntrailing \n"
    root = make(tmp_path / "v", {"n.md": text})
    assert [line for _p, line, _m, _s in reported(root)] == [2]


def test_an_enable_that_closes_nothing_is_reported(tmp_path):
    root = make(tmp_path / "v", {"n.md": "<!-- notelint-enable whitespace -->\ntext\n"})
    assert [(line, msg) for _p, line, msg, _s in reported(root)] == [
        (1, "`notelint-enable whitespace` re-enables nothing: no range above disables it; remove it")]


def test_a_rule_about_image_files_is_never_used_in_a_note(tmp_path):
    root = make(tmp_path / "v", {"n.md": "<!-- notelint-disable-file duplicate-image -->\ntext\n"})
    (_p, _line, message, _safe), = reported(root, ("duplicate-image", UNUSED))
    assert "reports image files, which no note can suppress: use per-file-ignores" in message


# --------------------------------------------------------------------------- what is never judged


def test_rules_that_did_not_run_are_not_judged(tmp_path):
    """As rumdl's MD087 and unlike ruff's RUF100 (which reports "non-enabled" codes): a run with
    `--select` must not call every other suppression unused, nor `fix` remove them."""
    text = ("<!-- notelint-disable-next-line tag-style -->\nclean\n"
            "<!-- notelint-disable-next-line whitespace -->\nclean\n")
    root = make(tmp_path / "v", {"n.md": text}, config='[per-file-ignores]\n"n.md" = ["tag-style"]\n')
    assert [line for _p, line, _m, _s in reported(root, ("whitespace", "tag-style", UNUSED))] == [3]
    assert reported(root, ("tag-style", UNUSED)) == []
    assert reported(root, (UNUSED,)) == []  # alone, it judges nothing but enables that close nothing


def test_blanket_suppressions_and_self_suppression_are_never_judged(tmp_path):
    text = ("<!-- notelint-disable-next-line -->\nclean\n"
            "<!-- notelint-disable-next-line unused-suppression, whitespace -->\n"
            "<!-- notelint-disable-next-line whitespace -->\nclean\n")
    root = make(tmp_path / "v", {"n.md": text})
    # line 4's comment silences nothing, but line 3 silences unused-suppression on line 4; line 3's own
    # `whitespace` is unused
    assert [(line, msg.split(";")[0]) for _p, line, msg, _s in reported(root)] == [
        (3, "suppression of `whitespace` silences nothing on the next line")]
    root = make(tmp_path / "w", {"n.md": "---\nnotelint: {ignore: [unused-suppression]}\n---\n"
                                         "<!-- notelint-disable-next-line whitespace -->\nclean\n"})
    assert reported(root) == []


def test_off_by_default_like_ruff_and_rumdl():
    rule = registry.lookup(UNUSED)
    assert rule.code == "NL005" and rule.default is False and rule.fix == "safe"


def test_the_docs_examples_behave_as_documented(tmp_path):
    rule = registry.lookup(UNUSED)
    assert [r for _p, _l, _m, r in reported(make(tmp_path / "bad", {"n.md": rule.bad}))] == [True]
    assert reported(make(tmp_path / "good", {"n.md": rule.good})) == []


# --------------------------------------------------------------------------- the fix


def test_fix_removes_the_line_and_is_safe_when_the_rendering_stays(tmp_path):
    text = "a\n\n<!-- notelint-disable-next-line tag-style -->\n\nb\n"
    root = make(tmp_path / "v", {"n.md": text})
    (_p, _line, _m, safe), = reported(root, ("tag-style", UNUSED))
    assert safe is True
    assert run_cli("fix", "--select", f"tag-style,{UNUSED}", ".", cwd=root).returncode == 0
    assert (root / "n.md").read_text() == "a\n\nb\n"  # with one of the blank lines around it: no blank run left


def test_a_comment_that_separates_two_paragraphs_is_an_unsafe_fix(tmp_path):
    text = "first\n<!-- notelint-disable-next-line whitespace -->\nsecond\n"
    root = make(tmp_path / "v", {"n.md": text})
    (_p, _line, _m, safe), = reported(root)
    assert safe is False  # removing it would join the paragraphs
    assert run_cli("fix", "--select", f"whitespace,{UNUSED}", ".", cwd=root).returncode == 1
    assert (root / "n.md").read_text() == text
    assert run_cli("fix", "--unsafe-fixes", "--select", f"whitespace,{UNUSED}", ".", cwd=root).returncode == 0
    assert (root / "n.md").read_text() == "first\nsecond\n"


def test_two_comment_lines_between_paragraphs_are_not_both_removed_as_safe(tmp_path):
    text = ("first\n<!-- notelint-disable-next-line whitespace -->\n"
            "<!-- notelint-disable-next-line tag-style -->\nsecond\n")
    root = make(tmp_path / "v", {"n.md": text})
    run_cli("fix", "--select", f"whitespace,tag-style,{UNUSED}", ".", cwd=root)
    # one goes (the other still keeps the paragraphs apart); the last one needs --unsafe-fixes
    assert (root / "n.md").read_text().count("<!--") == 1


@pytest.mark.parametrize("before, after", [
    ("notelint: {ignore: [whitespace, tag-style]}\n", "notelint: {ignore: [whitespace]}\n"),
    ("notelint:\n  ignore:\n    - tag-style\n    - whitespace\n", "notelint:\n  ignore:\n    - whitespace\n"),
    ("notelint: {ignore: [tag-style]}\ntitle: x\n", "title: x\n"),
    ("notelint:\n  ignore: tag-style\n  other: 1\n", "notelint:\n  other: 1\n"),
])
def test_fix_removes_frontmatter_items_and_then_the_key(tmp_path, before, after):
    root = make(tmp_path / "v", {"n.md": f"---\n{before}---\ntrailing \n"})
    select = f"whitespace,tag-style,{UNUSED}"
    run_cli("fix", "--select", select, ".", cwd=root)
    body = "trailing \n" if "whitespace" in after else "trailing\n"  # fixed once nothing suppresses it
    assert (root / "n.md").read_text() == f"---\n{after}---\n{body}"


# --------------------------------------------------------------------------- the cache


def test_warm_runs_report_what_no_cache_runs_do(tmp_path):
    """The cache keeps findings before suppressions and each note's suppression entries, so a warm
    run judges them exactly as a cold one, also when only the suppressed finding's cause changes."""
    files = {
        "a.md": "<!-- notelint-disable-next-line whitespace -->\ntrailing \n",
        "b.md": "<!-- notelint-disable-next-line whitespace -->\nclean\n",
        "c.md": "![x](missing.png)\n<!-- notelint-disable-next-line dangling-image -->\n![y](gone.png)\n",
    }
    root = make(tmp_path / "v", files, config='extend-select = ["unused-suppression"]\n')

    def runs():
        cold = run_cli("check", "--format", "json", "--no-cache", ".", cwd=root)
        first = run_cli("check", "--format", "json", ".", cwd=root)
        warm = run_cli("check", "--format", "json", ".", cwd=root)  # whole run from the cache
        assert cold.stdout == first.stdout == warm.stdout
        return [(f["path"], f["line"], f["rule"]) for f in json.loads(warm.stdout)]

    assert runs() == [("b.md", 1, UNUSED), ("c.md", 1, "dangling-image")]
    (root / "a.md").write_text("<!-- notelint-disable-next-line whitespace -->\ntrailing\n")
    (root / "gone.png").write_bytes(b"")  # the image exists now (an empty one)
    assert runs() == [("a.md", 1, UNUSED), ("b.md", 1, UNUSED), ("c.md", 1, "dangling-image"),
                      ("c.md", 2, UNUSED), ("gone.png", 1, "unreadable-image")]


def test_workers_report_what_one_process_does(tmp_path):
    files = {f"n{i}.md": ("<!-- notelint-disable-next-line whitespace -->\n" + ("x \n" if i % 2 else "x\n"))
             for i in range(12)}
    # only rules that read nothing but the note: the workers check them (and read the suppressions)
    root = make(tmp_path / "v", files, config='select = ["whitespace", "unused-suppression"]\n')
    serial = run_cli("check", "--format", "json", "--no-cache", ".", cwd=root, env={"NOTELINT_JOBS": "1"})
    forked = run_cli("check", "--format", "json", ".", cwd=root, env={"NOTELINT_JOBS": "2", "NOTELINT_PARALLEL_MIN": "1"})
    warm = run_cli("check", "--format", "json", ".", cwd=root, env={"NOTELINT_JOBS": "1"})
    assert serial.stdout == forked.stdout == warm.stdout
    assert len(json.loads(serial.stdout)) == 6


def test_an_unused_disable_line_is_reported_and_fix_removes_only_the_comment(tmp_path):
    root = make(tmp_path / "v", {"n.md": "clean <!-- notelint-disable-line whitespace -->\nnext \n"})
    [(_p, line, message, safe)] = reported(root)
    assert (line, message.split(";")[0], safe) == (1, "suppression of `whitespace` silences nothing on its line", True)
    assert run_cli("fix", "--select", f"whitespace,{UNUSED}", ".", cwd=root).returncode == 0
    assert (root / "n.md").read_text() == "clean\nnext\n"


# --------------------------------------------------------------------------- ranges, positions, fixes


def test_an_enable_ending_a_blanket_range_is_used_and_one_ending_nothing_is_reported(tmp_path):
    root = make(tmp_path / "v", {"n.md": "<!-- notelint-disable -->\na \n<!-- notelint-enable -->\n"})
    assert lines_of(root) == []
    root = make(tmp_path / "w", {"n.md": "<!-- notelint-enable -->\ntext\n"})
    assert [(line, msg) for _p, line, msg, _s in reported(root)] == [
        (1, "`notelint-enable` re-enables nothing: no range above disables it; remove it")]


def test_an_enable_repeated_inside_a_blanket_range_is_the_one_reported(tmp_path):
    text = ("<!-- notelint-disable -->\n<!-- notelint-enable whitespace, unused-suppression -->\n"
            "<!-- notelint-enable whitespace -->\na \n")
    root = make(tmp_path / "v", {"n.md": text})
    assert lines_of(root) == [(3, UNUSED), (4, "whitespace")]
    [(_p, line, message, _safe)] = reported(root)
    assert (line, message) == (3, "`notelint-enable whitespace` re-enables nothing: no range above disables it; remove it")


def test_a_rule_disabled_again_inside_a_blanket_range_is_silenced_by_that_disable(tmp_path):
    """After `enable whitespace` inside a blanket range, a later `disable whitespace` is what keeps
    whitespace silent: it is used (it was reported unused, and `fix` removed it and then the
    trailing space it was there to keep)."""
    text = ("<!-- notelint-disable -->\n<!-- notelint-enable whitespace, unused-suppression -->\n"
            "<!-- notelint-disable whitespace -->\ntrailing \n")
    root = make(tmp_path / "v", {"n.md": text})
    assert lines_of(root) == []
    assert run_cli("fix", "--select", f"whitespace,{UNUSED}", ".", cwd=root).returncode == 0
    assert (root / "n.md").read_text() == text


def test_an_unused_frontmatter_item_is_reported_on_the_item_with_its_removal(tmp_path):
    root = make(tmp_path / "v", {"n.md": "---\nnotelint: {note: x, ignore: [tag-style]}\ntitle: x\n---\ntext\n"})
    result = run_cli("check", "--format", "json", "--no-cache", "--select", f"tag-style,{UNUSED}", ".", cwd=root)
    [f] = json.loads(result.stdout)
    assert (f["line"], f["column"], f["end_line"], f["end_column"]) == (2, 30, 2, 39)
    assert f["message"] == "suppression of `tag-style` silences nothing in this note; remove it"
    root = make(tmp_path / "w", {"n.md": "---\nnotelint: {ignore: [tag-style]}\ntitle: x\n---\ntext\n"})
    result = run_cli("check", "--format", "json", "--no-cache", "--select", f"tag-style,{UNUSED}", ".", cwd=root)
    [f] = json.loads(result.stdout)
    assert (f["line"], f["column"], f["end_line"], f["end_column"]) == (2, 21, 2, 30)
    assert f["fix"] == {"applicability": "safe", "message": "delete `notelint: {ignore: [tag-style]}\\n`",
                        "edits": [{"path": "n.md", "start": {"line": 2, "column": 1}, "end": {"line": 3, "column": 1},
                                   "content": ""}]}


def test_an_item_list_that_is_not_all_names_points_at_the_notelint_key(tmp_path):
    """A nested list among the items: the YAML nodes are not trusted, so the item is placed on the key."""
    root = make(tmp_path / "v", {"n.md": "---\nnotelint: {ignore: [tag-style, [x]]}\n---\ntext\n"})
    result = run_cli("check", "--format", "json", "--no-cache", "--select", f"tag-style,{UNUSED}", ".", cwd=root)
    [f] = [f for f in json.loads(result.stdout) if f["rule"] == UNUSED]
    assert (f["line"], f["column"], f["end_line"], f["end_column"], f["fixable"]) == (2, 1, 2, 9, False)


def test_fix_removes_an_unused_name_from_an_obsidian_comment(tmp_path):
    root = make(tmp_path / "v", {"n.md": "%% notelint-disable-next-line whitespace, tag-style %%\ntrailing \n"})
    assert run_cli("fix", "--select", f"whitespace,tag-style,{UNUSED}", ".", cwd=root).returncode == 0
    assert (root / "n.md").read_text() == "%% notelint-disable-next-line whitespace %%\ntrailing \n"


def test_add_suppressions_appends_to_the_names_of_a_comment_already_there(tmp_path):
    root = make(tmp_path / "v", {"n.md": "<!-- notelint-disable-next-line tag-style -->\ntrailing \n"})
    run_cli("check", "--add-suppressions", "--select", "whitespace,tag-style", ".", cwd=root)
    assert (root / "n.md").read_text() == "<!-- notelint-disable-next-line tag-style, whitespace -->\ntrailing \n"
