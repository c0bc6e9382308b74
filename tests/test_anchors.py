"""Anchors (notelint.anchors): Dendron's note-reference grammar, Obsidian heading chains, the
github-slugger slugs of rendered headings, block ids per flavor, and where dangling-link
reports a missing anchor. The fixture vaults refs-dendron and headings-obsidian pin the whole
matrix through the CLI (golden files); these pin the pieces."""

import json

import pytest

from helpers import run_cli
from notelint.anchors import AnchorFacts, Slugger, github_slug, github_slug_legacy, heading_key, parse_fragment
from notelint.note import Note


def _kinds(fragment, note_ref=False):
    return [(a.kind, a.name, a.written, fragment[a.start + 1:a.end] if a.start >= 0 else None)
            for a in parse_fragment(fragment, note_ref)]


# --------------------------------------------------------------------------- reference grammar


@pytest.mark.parametrize("fragment, expected", [
    # Dendron docs (dendron.topic.note-reference.md) and LinkUtils.parseNoteRefRaw
    ("summary,1:#*", [("heading", "summary", "#summary"), ("wildcard", "*", "#*")]),
    ("summary:#*", [("heading", "summary", "#summary"), ("wildcard", "*", "#*")]),
    ("^blk:#*", [("block", "blk", "#^blk"), ("wildcard", "*", "#*")]),
    ("^begin:#^end", [("block", "begin", "#^begin"), ("block", "end", "#^end")]),
    ("head1:#head3", [("heading", "head1", "#head1"), ("heading", "head3", "#head3")]),
    ("head1,1", [("heading", "head1", "#head1")]),
    ("^second-item:#^second-item", [("block", "second-item", "#^second-item")] * 2),
    ("copy-note-ref:#*", [("heading", "copy-note-ref", "#copy-note-ref"), ("wildcard", "*", "#*")]),
    ("^abc_def", [("block", "abc_def", "#^abc_def")]),
    ("a#b", [("heading", "a", "#a")]),  # the start anchor stops at `#`; the rest names nothing
    (":#x", []),  # no start anchor: Dendron's optional group fails as a whole
])
def test_dendron_note_reference_grammar(fragment, expected):
    assert [k[:3] for k in _kinds(fragment, note_ref=True)] == expected


def test_obsidian_chains_headings_and_keeps_commas_and_colons():
    assert [k[:3] for k in _kinds("H1#H2#^blk")] == [
        ("heading", "H1", "#H1"), ("heading", "H2", "#H2"), ("block", "blk", "#^blk")]
    # outside a Dendron note reference `summary,1:` is a heading text like any other
    assert [k[:3] for k in _kinds("summary,1:#*")] == [("heading", "summary,1:", "#summary,1:"),
                                                        ("wildcard", "*", "#*")]


def test_anchor_offsets_cover_the_anchor_as_written_from_its_hash():
    fragment = "summary,1:#nowhere"
    first, end = parse_fragment(fragment, note_ref=True)
    assert (first.start, first.end) == (-1, len("summary"))  # the link's own `#` is just before the fragment
    assert ("#" + fragment)[first.start + 1:first.end + 1] == "#summary"
    assert fragment[end.start:end.end] == "#nowhere"
    [part1, part2] = parse_fragment("A #  B ")
    assert "A #  B "[part2.start:part2.end] == "#  B"


# --------------------------------------------------------------------------- slugs

# from github-slugger's own test/fixtures.json (one Slugger over the whole list)
SLUGGER_FIXTURES = [
    ("alpha", "alpha"), ("alpha", "alpha-1"), ("bravoCharlieDelta", "bravocharliedelta"),
    ("__proto__", "__proto__"), ("__proto__", "__proto__-1"), ("hasOwnProperty", "hasownproperty"),
    ("echo", "echo"), ("echo", "echo-1"), ("echo 1", "echo-1-1"), ("echo-1", "echo-1-2"), ("echo", "echo-2"),
    ("foxtrot-1", "foxtrot-1"), ("foxtrot", "foxtrot"), ("foxtrot", "foxtrot-2"),
    ("heading with a - dash", "heading-with-a---dash"),
    ("heading with an _ underscore", "heading-with-an-_-underscore"),
    ("heading with a period.txt", "heading-with-a-periodtxt"),
    ("exchange.bind_headers(exchange, routing [, bindCallback])", "exchangebind_headersexchange-routing--bindcallback"),
    (" a", "-a"), ("a ", "a-"), ("apostrophe\u2019s should be trimmed", "apostrophes-should-be-trimmed"),
    ("I \u2665 unicode", "i--unicode"), ("en\u2013dash", "endash"), ("\U0001F604 unicode emoji", "-unicode-emoji"),
    ("\U0001F604_\U0001F604 unicode emoji", "_-unicode-emoji"), (":smile: - a gemoji", "smile---a-gemoji"),
    ("\u041f\u0440\u0438\u0432\u0435\u0442 non-latin \u4f60\u597d",
     "\u043f\u0440\u0438\u0432\u0435\u0442-non-latin-\u4f60\u597d"),
    (":ok_hand: :hatched_chick: Two in a row", "ok_hand-hatched_chick-two-in-a-row"),
    ("a\u00bb \u2019 \u201d \u203ab", "a---b"), ("a\u00ab \u2018b", "a-b"),
    ("a_ \u203f \uff3fb", "a_-\u203f-\uff3fb"), ("a\u2028b", "ab"),
]


def test_slugger_matches_github_sluggers_own_fixtures():
    slugger = Slugger()
    assert [slugger.slug(text) for text, _ in SLUGGER_FIXTURES] == [want for _, want in SLUGGER_FIXTURES]


def test_slug_of_rendered_heading_text_and_cjk_punctuation_in_both_versions():
    assert github_slug("Markdown All in One") == "markdown-all-in-one"
    heading = "\u7814\u7a76\u80cc\u666f\uff1a\u65b9\u6cd5"  # 研究背景：方法
    assert github_slug(heading) == heading.replace("\uff1a", "")  # `：` is punctuation (1.4 and later)
    assert github_slug_legacy(heading) == heading  # 1.3 kept it
    assert github_slug("\u24b6 circled") == "\u24d0-circled"  # an alphabetic symbol stays
    assert github_slug_legacy("Hello \u2014 World \U0001F389") == "hello--world-"


def test_obsidian_heading_key_ignores_case_and_special_characters():
    assert heading_key("Links to [[Other|the other]] and #tag") == heading_key("links to  other the other and tag")
    assert heading_key("A: b") == "a b"


# --------------------------------------------------------------------------- what a note offers


def test_headings_are_slugged_as_rendered_and_repeats_numbered():
    text = ("# T\n\n## [Markdown All in One](https://x.example/y)\n\n## name\n\n## name\n\n"
            "## **Bold** and `code` with #tag\n\n## See [[a.b|the alias]]\n")
    facts = AnchorFacts.of(Note.from_text(text, flavor="dendron"))
    for slug in ("markdown-all-in-one", "name", "name-1", "bold-and-code-with-tag", "see-the-alias", "see-ab"):
        assert slug in facts.slugs, slug
    assert "name-2" not in facts.slugs
    assert heading_key("Markdown All in One") in facts.texts


@pytest.mark.parametrize("flavor, expected", [
    ("dendron", {"abc_def", "item-1", "para", "own-line", "table"}),
    ("obsidian", {"item-1", "para", "own-line", "table"}),  # `_` is not a block id character in Obsidian
])
def test_block_ids_per_flavor_outside_code_and_frontmatter(flavor, expected):
    text = ("---\nnote: x ^front\n---\n- item ^abc_def\n- item ^item-1\n\nA paragraph. ^para\n\n- a\n- b\n\n^own-line\n\n"
            "| a |\n|---|\n| 1 | ^table\n\n```\ncode ^in-code\n```\n\n    indented ^indented\n")
    assert set(AnchorFacts.of(Note.from_text(text, flavor=flavor)).blocks) == expected


# --------------------------------------------------------------------------- through the rule


def _vault(tmp_path, flavor, files):
    root = tmp_path / "v"
    root.mkdir()
    if flavor == "dendron":
        (root / "dendron.yml").write_text("version: 5\n")
    else:
        (root / ".obsidian").mkdir()
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _findings(root, tmp_path):
    result = run_cli("check", "--format", "json", "--select", "dangling-link", "--no-cache", str(root), cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_a_missing_anchor_is_reported_where_it_is_written(tmp_path):
    line = "x ![[t#summary,1:#nowhere]] ![[t#^gone:#*]] [[t#Summary#Nope]] [a](t.md#Nope%20Here)\n"
    root = _vault(tmp_path, "dendron", {"t.md": "# T\n\n## Summary\n\ntext ^kept\n", "n.md": line})
    found = [(f["line"], f["column"], f["end_column"], f["message"].split(": ", 1)[1])
             for f in _findings(root, tmp_path)]
    col = line.index
    assert found == [
        (1, col("#nowhere") + 1, col("#nowhere") + 9, "no heading `#nowhere` in `t.md` (a Dendron note reference "
                                                      "names a heading by its slug); correct the heading or the reference"),
        (1, col("#^gone") + 1, col("#^gone") + 7, "no block `#^gone` in `t.md` (a block id is written `^gone` at the "
                                                   "end of a paragraph or list item, or on its own line after a block); "
                                                   "correct the block id or the link"),
        (1, col("#Nope]]") + 1, col("#Nope]]") + 6, "no heading `#Nope` in `t.md` (headings match ignoring case); "
                                                     "correct the heading or the link"),
        # a %-encoded fragment is not the text the anchor was read from: the whole link is shown
        (1, col("[a]") + 1, len(line), "no heading `#Nope Here` in `t.md` (headings match ignoring case); "
                                       "correct the heading or the link"),
    ]


def test_dendron_reference_heading_must_be_a_slug_and_the_message_gives_it(tmp_path):
    line = "![[t#Copy Note Ref]] ![[t#copy-note-ref:#*]] [[t#Copy Note Ref]]\n"
    root = _vault(tmp_path, "dendron", {"t.md": "## Copy Note Ref\n", "n.md": line})
    [f] = _findings(root, tmp_path)
    assert f["column"] == 5
    assert f["message"].endswith("(a Dendron note reference names a heading by its slug); write `#copy-note-ref`")


def test_dendron_wildcard_reference_and_special_block_anchors(tmp_path):
    line = "![[j.2021.*]] ![[j.2022.*]] ![[t#^begin:#^end]] [[t#^begin]]\n"
    root = _vault(tmp_path, "dendron", {"j.2021.01.md": "a\n", "t.md": "text\n", "n.md": line})
    found = [(f["column"], f["message"]) for f in _findings(root, tmp_path)]
    assert [c for c, _ in found] == [line.index("![[j.2022") + 1, line.index("#^begin]]") + 1]
    assert "no note matches `j.2022.*`" in found[0][1]
    assert "no block `#^begin`" in found[1][1]  # `^begin` is special in note references only


def test_non_image_files_and_the_extension_hint(tmp_path):
    root = _vault(tmp_path, "obsidian", {
        "n.md": ("![[clip.mp4]] ![[doc.pdf#page=3]] [[MIPS Instruction Set]] [[papers/Spec]] [[lib.json]] "
                 "![[pic.png]]\n"),
        "media/doc.pdf": "%PDF", "MIPS Instruction Set.pdf": "%PDF", "papers/Spec.docx": "x", "lib.json.md": "# lib\n"})
    messages = [f["message"] for f in _findings(root, tmp_path)]
    assert messages == [
        "link `![[clip.mp4]]`: no file `clip.mp4` in the vault; restore the file or correct the link",
        "link `[[MIPS Instruction Set]]`: no note `MIPS Instruction Set` in the vault; a file "
        "`MIPS Instruction Set.pdf` exists; link it with its extension",
        "link `[[papers/Spec]]`: no note `papers/Spec` in the vault; a file `papers/Spec.docx` exists; "
        "link it with its extension",
    ]  # `![[pic.png]]` is dangling-image's; `[[lib.json]]` is the note `lib.json.md`


def test_anchor_position_counts_code_points_after_cjk_and_crlf(tmp_path):
    root = _vault(tmp_path, "obsidian", {"t.md": "# 标题\r\n"})
    (root / "n.md").write_bytes("第一行\r\n研究 [[t#标题]] 和 [[t#不存在]]\r\n".encode())
    [f] = _findings(root, tmp_path)
    line = "研究 [[t#标题]] 和 [[t#不存在]]"
    assert (f["line"], f["column"], f["end_column"]) == (2, line.index("#不存在") + 1, line.index("#不存在") + 5)
    assert "no heading `#不存在` in `t.md`" in f["message"]
