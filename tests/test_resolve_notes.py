"""notelint.resolve, the note side: the path helpers every resolver shares (`path_part`,
`normal_path`, `obsidian_lookup`), the links `note_refs` finds in a note, and where
`NoteIndex` says each one leads (dangling-link's verdicts). The exact returns are the contract:
they become the findings' messages, candidates and spans."""

import pytest

from helpers import write_files
from notelint.engine import RunOptions, prepare
from notelint.resolve import (FileIndex, NoteRef, image_refs, normal_path, note_refs, obsidian_lookup, path_part,
                             vault_notes)


def _ws(root, flavor="obsidian"):
    """The workspace of the vault at `root`; an Obsidian vault gets its `.obsidian` folder."""
    if flavor == "obsidian":
        write_files(root, {".obsidian/app.json": "{}"})
    workspaces, _ = prepare([str(root)], RunOptions(select=["ALL"]))
    return workspaces[0]


# --------------------------------------------------------------------------- path helpers


@pytest.mark.parametrize("raw, syntax, path", [
    # an embed's target is a vault path as written: no %-decoding, `?` is part of the name
    ("x%20y.png#frag", "embed", "x%20y.png"),
    (" a b.png?v=1 ", "embed", "a b.png?v=1"),
    ("a.png#x#y", "embed", "a.png"),
    # Markdown and HTML destinations: query and fragment dropped at the first `?`/`#`, then decoded
    ("a.png#x#y", "markdown", "a.png"),
    ("a.png?x?y", "markdown", "a.png"),
    ("a%20b.png?q#f", "inline", "a b.png"),
    (r"a\_b\(1\).png", "markdown", "a_b(1).png"),
    (r"a\_b.png", "inline", "a_b.png"),
    (r"a\_b.png", "reference", "a_b.png"),
    (r"a\_b%21.png", "html", r"a\_b!.png"),  # HTML has entities, not backslash escapes
    ("a&amp;b%20c.png", "html", "a&b c.png"),
    ("a%20b.png?x?y", "html", "a b.png"),  # the query starts at the first `?`, as a browser reads it
    ("a.png#x#y", "html", "a.png"),  # and the fragment at the first `#`
    ("a&amp;b.png", "markdown", "a&amp;b.png"),
])
def test_path_part_drops_query_and_fragment_and_decodes_per_syntax(raw, syntax, path):
    assert path_part(raw, syntax) == path


@pytest.mark.parametrize("folder, path, base, rel", [
    ("sub", "/Xa.png", "v1", "v1/Xa.png"),  # a leading `/` is the root of the note's vault
    ("sub", "/Xa.png", "", "Xa.png"),
    ("", "/", "", "."),
    ("", "", "", "."),
    ("", "..", "", None),
    ("sub", "../../a.png", "", None),
    ("v1/sub", "../../v2/a.png", "v1", None),  # into another vault
    ("v1/sub", "../a.png", "v1", "v1/a.png"),
])
def test_normal_path_joins_to_the_note_folder_and_refuses_to_climb_out(folder, path, base, rel):
    assert normal_path(folder, path, base) == rel


def test_a_destination_in_empty_angle_brackets_is_no_reference_and_a_trailing_gt_is_part_of_it(tmp_path):
    write_files(tmp_path, {"n.md": "![i](<>) [a](<>) ![j](pic.png>) ![k](<q.png>)\n"})
    note = _ws(tmp_path).note("n.md")
    assert [(r.raw, r.dest_start, r.dest_end, r.angle) for r in image_refs(note)] == [
        ("pic.png>", 22, 30, False), ("q.png", 38, 43, True)]
    assert note_refs(note) == []


# --------------------------------------------------------------------------- obsidian_lookup


def _files(tmp_path, rels, on_disk=False):
    if on_disk:
        write_files(tmp_path, {rel: "x" for rel in rels})
    return FileIndex(tmp_path, list(rels))


def test_obsidian_lookup_of_nothing_or_of_a_path_climbing_out_finds_nothing(tmp_path):
    files = _files(tmp_path, ["x.md", "sub/n.md"], on_disk=True)
    assert obsidian_lookup(files, "", " / ") == (None, False)
    assert obsidian_lookup(files, "sub", "../x.md") == (None, False)
    assert obsidian_lookup(files, "sub", "sub/../../x.md") == (None, False)
    assert obsidian_lookup(files, "", "nowhere.md") == (None, False)


def test_obsidian_lookup_takes_a_leading_slash_as_the_vault_root(tmp_path):
    files = _files(tmp_path, ["x.png", "sub/x.png"])
    assert obsidian_lookup(files, "sub", "/x.png") == ("x.png", True)
    assert obsidian_lookup(files, "", "  /sub/x.png") == ("sub/x.png", True)


def test_obsidian_lookup_tries_the_vault_path_before_the_note_folder(tmp_path):
    files = _files(tmp_path, ["v1/x.png", "v1/sub/x.png", "x.png"])
    assert obsidian_lookup(files, "v1/sub", "x.png", "v1") == ("v1/x.png", True)
    assert obsidian_lookup(files, "v1/sub", "x.png") == ("x.png", True)
    # a note at the workspace root of a vault-less lookup has no folder to try
    assert obsidian_lookup(_files(tmp_path, ["x.png"]), "", "x.png", "v1") == (None, False)


def test_obsidian_lookup_takes_a_case_variant_in_the_note_folder_before_a_shorter_path(tmp_path):
    files = _files(tmp_path, ["f/A.png", "g/a.png"])
    assert obsidian_lookup(files, "f", "a.png") == ("f/A.png", True)
    # without the note's folder the exact spelling wins among equally short paths
    assert obsidian_lookup(files, "", "a.png") == ("g/a.png", True)


def test_obsidian_lookup_matches_whole_path_segments_within_the_notes_vault(tmp_path):
    assert obsidian_lookup(_files(tmp_path, ["yx/a.png"]), "", "x/a.png") == (None, False)
    assert obsidian_lookup(_files(tmp_path, ["y/x/a.png"]), "", "x/a.png") == ("y/x/a.png", True)
    assert obsidian_lookup(_files(tmp_path, ["Xsub/a.png"]), "", "sub/a.png") == (None, False)
    assert obsidian_lookup(_files(tmp_path, [" x/a.png"]), "", "x/a.png") == (None, False)
    # the vault's own folder name is not part of a path inside it
    assert obsidian_lookup(_files(tmp_path, ["v1/a.png"]), "v1/n", "v1/a.png", "v1") == (None, False)
    assert obsidian_lookup(_files(tmp_path, ["v1/s/a.png"]), "v1/n", "s/a.png", "v1") == ("v1/s/a.png", True)


def test_obsidian_lookup_says_when_the_shortest_match_is_ambiguous(tmp_path):
    # several equally short paths differing by more than case: the first, and it is unambiguous
    files = _files(tmp_path, ["a/x.png", "b/x.png", "c/x.png"])
    assert obsidian_lookup(files, "", "X.png") == ("a/x.png", True)
    # paths differing only in letter case tie
    files = _files(tmp_path, ["a/X.png", "a/x.PNG", "long/x.png"])
    assert obsidian_lookup(files, "", "x.png") == ("a/X.png", False)
    assert obsidian_lookup(files, "a", "x.png") == ("a/X.png", False)


# --------------------------------------------------------------------------- note_refs


def test_note_refs_lists_links_to_notes_and_files_with_exact_target_and_heading_offsets(tmp_path):
    text = ("[[https://x.com/a]] [[Note#Head|alias]] ![[Emb]] [[doc.pdf]] ![[pic.png]]\n\n"
            "<foo@bar.md> [n](noext) [p](page.html) [q](?q) [b](#Local) [s](Other.md?x=1?y#a#b)\n"
            "[z](\\.md) [h](Sub/Other%20Note.md#a\\_b) [f](<f i.pdf>)\n")
    write_files(tmp_path, {"d/n.md": text})
    note = _ws(tmp_path).note("d/n.md")
    assert note_refs(note) == [
        NoteRef("d/n.md", "wikilink", "Note", "Head", 20, 39, 22, 26, False, 27),
        NoteRef("d/n.md", "embed", "Emb", None, 40, 48, 43, 46, False, -1),
        NoteRef("d/n.md", "wikilink", "doc.pdf", None, 49, 60, 51, 58, True, -1),
        # an e-mail autolink, a page of the published site, a path without extension, a bare
        # `?query` and a file named only `.md` (a hidden file) are no links to notes
        NoteRef("d/n.md", "markdown", "", "Local", 122, 133, 126, 126, False, 127),
        # query dropped at the first `?`, heading split at the first `#`
        NoteRef("d/n.md", "markdown", "Other.md", "a#b", 134, 157, 138, 146, False, 153),
        # a heading decoded from what is written has no position of its own
        NoteRef("d/n.md", "markdown", "Sub/Other%20Note.md", "a_b", 168, 197, 172, 191, False, -1),
        NoteRef("d/n.md", "markdown", "f i.pdf", None, 198, 212, 203, 210, True, -1),
    ]
    assert text[127:132] == "Local" and text[153:156] == "a#b" and text[22:26] == "Note"


# --------------------------------------------------------------------------- NoteIndex (Obsidian)


def _resolved(ws, rel, how="resolve"):
    index = vault_notes(ws)
    return [(ref.raw, *(lambda r: (r.status, r.target, r.candidates, r.detail))(getattr(index, how)(ref)))
            for ref in note_refs(ws.note(rel))]


def test_obsidian_markdown_links_and_wikilinks_resolve_as_the_app_does(tmp_path):
    text = ("[a](Other.md) [b](A\\_B.md) [c](x.md) [d](dup.md) [e](../../out.md) [f](C:/x.md) [g](/far.md)"
            " [h](nope/far.md)\n\n[[Other.md]] [[Both]] [[x]] [[data.xyz]] [[gone.pdf]] [[nope/far]]\n")
    write_files(tmp_path, {"sub/n.md": text, "sub/Other.md": "", "Other.md": "", "A_B.md": "", "a/x.md": "",
                           "sub/X.md": "", "m/Dup.md": "", "m/dup.MD": "", "Both.md": "", "Both.MD": "",
                           "data.xyz": "", "q/far.md": ""})
    assert _resolved(_ws(tmp_path), "sub/n.md") == [
        ("Other.md", "ok", "sub/Other.md", (), ""),  # relative to the note's folder first
        ("A\\_B.md", "ok", "A_B.md", (), ""),  # backslash escapes decoded, then looked up vault-wide
        ("x.md", "case", "sub/X.md", (), ""),  # the note's folder before a shorter path elsewhere
        # equally short paths differing only in case: no guess, both offered
        ("dup.md", "missing", None, ("m/Dup.md", "m/dup.MD"), "sub/dup.md"),
        ("../../out.md", "outside", None, (), "../../out.md"),
        ("C:/x.md", "outside", None, (), "C:/x.md"),
        # a path from the vault root is not looked up elsewhere, only suggested
        ("/far.md", "missing", None, ("q/far.md",), "far.md"),
        ("nope/far.md", "missing", None, ("q/far.md",), "sub/nope/far.md"),
        ("Other.md", "ok", "Other.md", (), ""),  # a wikilink: the vault path first
        ("Both", "ok", "Both.md", (), ""),
        ("x", "ok", "sub/X.md", (), ""),
        ("data.xyz", "skip", None, (), ""),  # an existing file that is no note
        ("gone.pdf", "skip", None, (), ""),  # an attachment: dangling-link's file check, not a note
        ("nope/far", "missing", None, ("q/far.md",), "nope/far"),
    ]


def test_links_to_files_other_than_notes_resolve_by_path_then_vault_wide(tmp_path):
    text = ("[p](doc\\_one.pdf) [u](../top.pdf) [w](C:/x.pdf) [o](../../x.pdf) [[y.pdf]] [[../x.pdf]]"
            " [[../../x.pdf]] [[a%20b.pdf]] [[dendron://v/top.pdf]] [[gone.pdf]] [v](one\\_two.pdf)\n")
    write_files(tmp_path, {"sub/n.md": text, "sub/doc_one.pdf": "", "doc_one.pdf": "", "top.pdf": "",
                           "sub/y.pdf": "", "a/y.pdf": "", "a%20b.pdf": "",
                           "a/one_two.pdf": ""})
    assert _resolved(_ws(tmp_path), "sub/n.md", "resolve_reference") == [
        ("doc\\_one.pdf", "ok", "sub/doc_one.pdf", (), ""),  # decoded, from the note's folder
        ("../top.pdf", "ok", "top.pdf", (), ""),
        ("C:/x.pdf", "outside", None, (), "C:/x.pdf"),
        ("../../x.pdf", "outside", None, (), "../../x.pdf"),
        ("y.pdf", "ok", "sub/y.pdf", (), ""),  # the note's folder before a shorter path
        ("../x.pdf", "missing", None, (), "../x.pdf"),  # a wikilink path is no relative path
        ("../../x.pdf", "outside", None, (), "../../x.pdf"),
        ("a%20b.pdf", "ok", "a%20b.pdf", (), ""),  # a wikilink is not %-decoded
        ("dendron://v/top.pdf", "ok", "top.pdf", (), ""),
        ("gone.pdf", "missing", None, (), "gone.pdf"),
        ("one\\_two.pdf", "ok", "a/one_two.pdf", (), ""),  # decoded, then looked up vault-wide
    ]


def test_a_missing_heading_is_reported_at_its_anchor_or_at_the_whole_link(tmp_path):
    text = "[[Other#Exists]] [[Other#*#Nope]] [h](Other.md#a\\_b) [k](Other.md#Gone)\n"
    write_files(tmp_path, {"n.md": text, "Other.md": "# Exists\n"})
    index = vault_notes(_ws(tmp_path))
    got = [index.resolve(ref) for ref in note_refs(index.ws.note("n.md"))]
    assert [(r.status, r.target, r.detail, r.span) for r in got] == [
        ("ok", "Other.md", "", None),
        ("heading", "Other.md", "#Nope", (26, 31)),  # a wildcard anchor is no missing heading
        ("heading", "Other.md", "#a_b", (34, 52)),  # decoded: its text is not where it is written
        ("heading", "Other.md", "#Gone", (65, 70)),
    ]
    assert text[26:31] == "#Nope" and text[34:52] == "[h](Other.md#a\\_b)" and text[65:70] == "#Gone"


def test_files_like_a_missing_note_are_files_named_so_plus_an_extension(tmp_path):
    text = "[[/docs/MIPS Set]] [[XMips]] [[dendron://v/MIPS Set]] [[ / ]] [[other/MIPS Set]]\n"
    write_files(tmp_path, {"n.md": text, "docs/MIPS Set.pdf": "", "XMips.pdf": "", "docs/mips set.txt": ""})
    index = vault_notes(_ws(tmp_path))
    assert [index.files_like(ref) for ref in note_refs(index.ws.note("n.md"))] == [
        ["docs/MIPS Set.pdf", "docs/mips set.txt"], ["XMips.pdf"], ["docs/MIPS Set.pdf", "docs/mips set.txt"],
        [], []]


# --------------------------------------------------------------------------- NoteIndex (Dendron)


def test_dendron_wikilinks_find_notes_by_hierarchy_name_then_files_by_path(tmp_path):
    text = "[[Foobar.md]] [[note]] [[SOLO]] [[x.pdf]] [[docs/x.xyz]] [[nope]] [c](deep.md)\n"
    write_files(tmp_path, {"dendron.yml": "version: 5\n", "n.md": text, "Foobar.md": "", "Note.md": "", "note.md": "",
                           "sub/deep.md": "",
                           "solo.md": "", "x.pdf": "", "docs/x.xyz": "", "sub/n2.md": "[[y.pdf]]\n", "sub/y.pdf": ""})
    ws = _ws(tmp_path, "dendron")
    assert _resolved(ws, "n.md") == [
        ("Foobar.md", "ok", "Foobar.md", (), ""),
        ("note", "ok", "note.md", (), ""),  # the exact spelling among names differing in case
        ("SOLO", "ok", "solo.md", (), ""),  # a single note of that name in another case
        ("x.pdf", "ok", "x.pdf", (), ""),  # a file by its path
        ("docs/x.xyz", "ok", "docs/x.xyz", (), ""),
        ("nope", "missing", None, (), "nope"),
        # a Markdown link is a path: Dendron does not look for the file elsewhere, only suggests it
        ("deep.md", "missing", None, ("sub/deep.md",), "deep.md"),
    ]
    assert _resolved(ws, "sub/n2.md") == [("y.pdf", "ok", "sub/y.pdf", (), "")]  # the note's own folder


def test_dendron_wildcard_references_and_file_links_named_like_notes(tmp_path):
    text = "![[journal.*.md]] ![[Journal.2021.*]] ![[nothing.*]] [[lib.json#nope]]\n"
    write_files(tmp_path, {"dendron.yml": "version: 5\n", "n.md": text, "journal.2021.01.md": "", "lib.json.md": "# A\n"})
    assert _resolved(_ws(tmp_path, "dendron"), "n.md", "resolve_reference") == [
        ("journal.*.md", "ok", None, (), ""),
        ("Journal.2021.*", "ok", None, (), ""),
        ("nothing.*", "missing", None, (), "nothing.*"),
        ("lib.json", "ok", "lib.json.md", (), ""),  # a Dendron note `lib.json.md`; its anchors are not checked
    ]


TWO_VAULTS = "version: 5\nworkspace:\n  vaults:\n    - fsPath: main\n    - fsPath: vaults/team\n      name: team\n"


def test_in_a_workspace_a_leading_slash_and_lookups_stay_in_the_notes_vault(tmp_path):
    text = ("[a](/t.md) [m](/gone.md) [p](/doc.pdf) [[doc.pdf]] [[x.pdf]] [[../../x.pdf]]\n")
    write_files(tmp_path, {"dendron.yml": TWO_VAULTS, "main/sub/n.md": text, "main/t.md": "", "t.md": "",
                           "main/q/gone.md": "", "vaults/team/gone.md": "", "main/doc.pdf": "", "doc.pdf": "",
                           "main/x.pdf": "", "x.pdf": ""})
    ws = _ws(tmp_path, "dendron")
    assert _resolved(ws, "main/sub/n.md") == [
        ("/t.md", "ok", "main/t.md", (), ""),
        ("/gone.md", "missing", None, ("main/q/gone.md",), "main/gone.md"),
        ("/doc.pdf", "ok", "main/doc.pdf", (), ""),
        ("doc.pdf", "ok", "main/doc.pdf", (), ""),
        ("x.pdf", "ok", "main/x.pdf", (), ""),
        ("../../x.pdf", "missing", None, (), "../../x.pdf"),
    ]
    assert _resolved(ws, "main/sub/n.md", "resolve_reference")[2:] == [
        ("/doc.pdf", "ok", "main/doc.pdf", (), ""),
        ("doc.pdf", "ok", "main/doc.pdf", (), ""),
        ("x.pdf", "ok", "main/x.pdf", (), ""),
        ("../../x.pdf", "outside", None, (), "../../x.pdf"),  # out of the note's vault
    ]


def test_in_a_workspace_a_note_outside_every_vault_looks_in_the_vaults_in_dendron_yml_order(tmp_path):
    write_files(tmp_path, {"dendron.yml": TWO_VAULTS, "top.md": "[[x]]\n", "main/X.md": "", "vaults/team/x.md": ""})
    ws = _ws(tmp_path, "dendron")
    assert _resolved(ws, "top.md") == [("x", "ok", "main/X.md", (), "")]


# --------------------------------------------------------------------------- a fix pass's notes


def test_links_and_headings_of_a_rewritten_note_are_read_from_its_new_text(tmp_path):
    write_files(tmp_path, {"n.md": "[[Other#Old]]\n", "Other.md": "# Old\n"})
    ws = _ws(tmp_path)
    other = ws.note("Other.md")
    ws.replace_note("Other.md", other.derive("# New\n"))  # what a fix pass does
    index = vault_notes(ws)
    note = ws.note("n.md")
    assert [r.raw for r in index.refs_of(note)] == ["Other"]
    assert [r.raw for r in index.refs_of(note.derive("[[Other#New]] [[Other#Old]]\n"))] == ["Other", "Other"]
    assert [(r.status, r.detail) for r in map(index.resolve, index.refs_of(note.derive("[[Other#New]] [[Other#Old]]\n")))] == [
        ("ok", ""), ("heading", "#Old")]


def test_links_of_a_note_that_is_not_a_target_of_the_run_are_read_too(tmp_path):
    write_files(tmp_path, {"n.md": "[[Other]]\n", "Other.md": "[[n#Top]]\n"})
    _ws(tmp_path)  # writes .obsidian
    workspaces, _ = prepare([str(tmp_path / "n.md")], RunOptions(select=["ALL"]))
    ws = workspaces[0]
    assert ws.targets == ["n.md"]
    index = vault_notes(ws)
    assert [r.raw for r in index.refs_of(ws.note("n.md"))] == ["Other"]
    assert [(r.raw, r.heading) for r in index.refs_of(ws.note("Other.md"))] == [("n", "Top")]
