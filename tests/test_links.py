"""The resolver (notelint.resolve) and the rules built on it: dangling-image, dangling-link,
unreadable-image, orphan-image. Golden files of tests/fixtures/links-* cover the full matrix;
these pin the behaviours one by one."""

import json
import os

import pytest
from PIL import Image

from helpers import REPO, run_cli
from notelint.engine import RunOptions, prepare
from notelint.resolve import image_refs, note_refs, vault_images, vault_notes


def _png(path, color=(10, 20, 30)):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (4, 4), color).save(path)


def _vault(tmp_path, files: dict[str, str], flavor="obsidian"):
    root = tmp_path / "v"
    root.mkdir(parents=True)
    if flavor == "obsidian":
        (root / ".obsidian").mkdir()
        (root / ".obsidian" / "app.json").write_text("{}")
    else:
        (root / "dendron.yml").write_text("version: 5\n")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel.endswith(".png"):
            _png(path, (len(rel), 3 * len(rel) % 256, 7))
        else:
            path.write_text(text, encoding="utf-8")
    return root


def _ws(root):
    workspaces, _ = prepare([str(root)], RunOptions(select=["ALL"]))
    return workspaces[0]


def _json(*args, cwd):
    result = run_cli("check", "--format", "json", *args, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


# --------------------------------------------------------------------------- done-when


def test_sample_note_in_a_dendron_vault_gives_exactly_twelve_dangling_images():
    findings = _json("--no-cache", "--select", "dangling-image", "examples/sample-vault/daily.journal.2023.11.29.md", cwd=REPO)
    assert [f["line"] for f in findings] == [13, 30, 48, 63, 83, 112, 136, 158, 183, 201, 223, 239]
    assert {f["rule"] for f in findings} == {"dangling-image"}
    assert all(f["column"] == 1 and not f["fixable"] for f in findings)
    assert "assets/images/78628c47" in findings[0]["message"]


# --------------------------------------------------------------------------- extraction


def test_image_refs_cover_every_syntax_with_exact_destination_offsets(tmp_path):
    text = ("# T\n\n![a](<my pic.png> \"t\") ![b](x%20y.png 'tt') ![c][r] <img src=\"q.png\" width=3>\n"
            "![[e.png|300]] ![[Note]] ![r](https://x/y.png) ![n](Other.md)\n\n[r]: <ref one.png> \"title\"\n")
    root = _vault(tmp_path, {"n.md": text})
    note = _ws(root).note("n.md")
    refs = image_refs(note)
    assert [(r.syntax, r.raw) for r in refs] == [
        ("markdown", "my pic.png"), ("markdown", "x%20y.png"), ("reference", "ref one.png"),
        ("html", "q.png"), ("embed", "e.png")]
    for r in refs:
        assert note.text[r.dest_start:r.dest_end] == r.raw
    assert [r.angle for r in refs] == [True, False, True, False, False]


def test_nothing_in_code_or_comments_is_a_reference(tmp_path):
    text = ("`![a](a.png)` <!-- ![b](b.png) [[B]] --> %% ![[c.png]] [[C]] %%\n\n```\n![d](d.png) [[D]]\n```\n\n"
            "    ![e](e.png)\n")
    note = _ws(_vault(tmp_path, {"n.md": text})).note("n.md")
    assert image_refs(note) == [] and note_refs(note) == []


# --------------------------------------------------------------------------- resolution


def test_obsidian_embed_prefers_exact_path_then_own_folder_then_shortest_path(tmp_path):
    root = _vault(tmp_path, {"a/b/x.png": "", "zzzz/x.png": "", "x.png": "", "zzzz/n.md": "![[x.png]]\n",
                             "q/n.md": "![[x.png]] ![[zzzz/x.png]]\n", "r/y.png": "", "r/s/y.png": "",
                             "t/n.md": "![[y.png]]\n"})
    ws = _ws(root)
    index = vault_images(ws)

    def targets(rel):
        return [index.resolve(r).target for r in image_refs(ws.note(rel))]

    assert targets("zzzz/n.md") == ["x.png"]  # exact vault path first
    assert targets("q/n.md") == ["x.png", "zzzz/x.png"]
    assert targets("t/n.md") == ["r/y.png"]  # shortest path string wins
    (root / "x.png").unlink()
    ws = _ws(root)
    index = vault_images(ws)
    assert [index.resolve(r).target for r in image_refs(ws.note("zzzz/n.md"))] == ["zzzz/x.png"]  # own folder
    assert [index.resolve(r).target for r in image_refs(ws.note("q/n.md"))][0] == "a/b/x.png"  # 9 < 10 chars


def test_markdown_destination_is_relative_then_vault_wide_only_in_obsidian(tmp_path):
    files = {"Projects/inline.png": "", "n.md": "![x](inline.png) ![y](/Projects/inline.png)\n"}
    ws = _ws(_vault(tmp_path / "o", files))
    index = vault_images(ws)
    assert [index.resolve(r).status for r in image_refs(ws.note("n.md"))] == ["ok", "ok"]
    ws = _ws(_vault(tmp_path / "d", files, flavor="dendron"))
    index = vault_images(ws)
    res = [index.resolve(r) for r in image_refs(ws.note("n.md"))]
    assert [r.status for r in res] == ["missing", "ok"]
    assert res[0].candidates == ("Projects/inline.png",)


def test_wrong_case_outside_and_missing_statuses(tmp_path):
    root = _vault(tmp_path, {"img/Pic.png": "", "sub/n.md": "![a](../img/pic.png) ![b](../../etc/x.png) "
                             "![c](nothere.png) <img src=\"/img/PIC.png\">\n"}, flavor="dendron")
    index = vault_images(_ws(root))
    res = [index.resolve(r) for r in image_refs(_ws(root).note("sub/n.md"))]
    assert [(r.status, r.target) for r in res] == [
        ("case", "img/Pic.png"), ("outside", None), ("missing", None), ("case", "img/Pic.png")]


def test_a_symlink_out_of_the_vault_is_outside_and_never_probed(tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"")  # would be an unreadable image if it were opened
    root = _vault(tmp_path, {"n.md": "![a](link.png)\n"})
    os.symlink(outside, root / "link.png")
    findings = _json("--select", "dangling-image,unreadable-image", str(root), cwd=tmp_path)
    assert [(f["rule"], f["line"]) for f in findings] == [("dangling-image", 1)]
    assert "outside the vault" in findings[0]["message"]


def test_references_counts_only_resolving_refs_per_image(tmp_path):
    root = _vault(tmp_path, {"a.png": "", "b.png": "", "n.md": "![[a.png]] ![x](a.png) ![y](c.png)\n",
                             "m.md": "<img src='a.png'>\n"})
    refs = vault_images(_ws(root)).references()
    assert {k: sorted(r.note for r in v) for k, v in refs.items()} == {"a.png": ["m.md", "n.md", "n.md"]}


@pytest.mark.parametrize("dest, target, expected", [
    ("old/my%20pic.png", "new dir/my pic.png", "../new%20dir/my%20pic.png"),
    ("<old/my pic.png>", "new dir/my pic.png", "../new dir/my pic.png"),
    ("/old/pic.png", "new/pic.png", "/new/pic.png"),
    ("../old/pic.png", "new/pic (1).png", "../new/pic%20%281%29.png"),
])
def test_link_text_keeps_the_written_style_and_resolves_back(tmp_path, dest, target, expected):
    root = _vault(tmp_path, {"sub/n.md": f"![x]({dest} \"title\")\n", target: ""})
    ws = _ws(root)
    index = vault_images(ws)
    [ref] = image_refs(ws.note("sub/n.md"))
    text = index.link_text("sub/n.md", ref, target)
    assert text == expected
    note = ws.note("sub/n.md")
    fixed = note.text[:ref.dest_start] + text + note.text[ref.dest_end:]
    (root / "sub/n.md").write_text(fixed, encoding="utf-8")
    ws2 = _ws(root)
    [ref2] = image_refs(ws2.note("sub/n.md"))
    assert vault_images(ws2).resolve(ref2).target == target
    assert fixed.endswith(' "title")\n')


def test_link_text_for_embeds_and_html(tmp_path):
    root = _vault(tmp_path, {"n.md": "![[old.png|300]] ![[x/old.png]] <img src=\"old.png\">\n",
                             "pics/new one.png": "", "other/dup.png": "", "more/dup.png": ""})
    ws = _ws(root)
    index = vault_images(ws)
    embed, folder_embed, img = image_refs(ws.note("n.md"))
    assert index.link_text("n.md", embed, "pics/new one.png") == "new one.png"  # unique name: shortest form
    assert index.link_text("n.md", embed, "other/dup.png") == "other/dup.png"  # not unique: full path
    assert index.link_text("n.md", folder_embed, "pics/new one.png") == "pics/new one.png"
    assert index.link_text("n.md", img, "pics/new one.png") == "pics/new%20one.png"


# --------------------------------------------------------------------------- rules through the CLI


def test_fix_relinks_only_the_destination_and_a_second_fix_changes_nothing(tmp_path):
    text = "Intro ![a](Pics/photo.PNG \"Title here\") tail\r\n![[gone/photo.png|300]] end\r\n"
    root = _vault(tmp_path, {"n.md": text, "pics/photo.png": ""})
    first = run_cli("fix", str(root), cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    fixed = (root / "n.md").read_bytes()
    assert fixed == b"Intro ![a](pics/photo.png \"Title here\") tail\r\n![[pics/photo.png|300]] end\r\n"
    run_cli("fix", str(root), cwd=tmp_path)
    assert (root / "n.md").read_bytes() == fixed


def test_two_same_name_candidates_are_reported_not_fixed(tmp_path):
    root = _vault(tmp_path, {"n.md": "![a](gone/p.png)\n", "x/p.png": "", "y/p.png": ""})
    [f] = _json("--select", "dangling-image", str(root), cwd=tmp_path)
    assert not f["fixable"] and "`x/p.png`, `y/p.png`" in f["message"]


def test_unreadable_image_is_one_finding_on_the_file_and_not_dangling(tmp_path):
    root = _vault(tmp_path, {"n.md": "![a](e.png) ![[e.png]]\n", "m.md": "![b](e.png)\n"})
    (root / "e.png").write_bytes(b"")
    findings = _json(str(root), "--select", "dangling-image,unreadable-image", cwd=tmp_path)
    assert [(f["path"], f["line"], f["column"], f["rule"]) for f in findings] == [("v/e.png", 1, 1, "unreadable-image")]
    assert findings[0]["related"] == ["v/m.md", "v/n.md"]


def test_unreadable_image_is_reported_when_only_a_referencing_note_is_given(tmp_path):
    root = _vault(tmp_path, {"n.md": "![a](e.png)\n", "m.md": "nothing\n"})
    (root / "e.png").write_bytes(b"")
    assert [f["rule"] for f in _json("--select", "unreadable-image", str(root / "n.md"), cwd=tmp_path)] == ["unreadable-image"]
    assert _json("--select", "unreadable-image", str(root / "m.md"), cwd=tmp_path) == []


def test_an_image_a_note_links_rather_than_embeds_is_no_orphan(tmp_path):
    # Excalidraw drawings and notes that open an image link it (`[[d.png]]`, `[x](e.png)`)
    root = _vault(tmp_path, {"n.md": "[[d.png]] and [x](att/e.png) and [[gone.png]]\n", "att/d.png": "",
                             "att/e.png": "", "att/f.png": ""})
    findings = _json("--select", "orphan-image,dangling-link", str(root), cwd=tmp_path)
    assert [(f["path"], f["rule"]) for f in findings] == [("v/att/f.png", "orphan-image"), ("v/n.md", "dangling-link")]


def test_orphan_image_is_off_by_default_and_honours_exclusions(tmp_path):
    root = _vault(tmp_path, {"n.md": "![[used.png]]\n", "used.png": "", "lost.png": "", "Templates/t.png": "",
                             "archive/a.png": "", "drafts/d.png": "", "x/scratch-1.png": ""})
    (root / ".obsidian" / "app.json").write_text(json.dumps({"userIgnoreFilters": ["Templates/", "/scratch-\\d/"]}))
    (root / ".notelint.toml").write_text('exclude = ["archive/**"]\n[rules.orphan-image]\nignore = ["drafts/*"]\n')
    assert _json(str(root), cwd=tmp_path) == []
    findings = _json("--select", "orphan-image", str(root), cwd=tmp_path)
    assert [(f["path"], f["severity"]) for f in findings] == [("v/lost.png", "warning")]


def test_dangling_link_headings_blocks_and_dendron_alias_order(tmp_path):
    text = ("[[x|a.b]] [[a.b#sub-heading]] [[a.b#Sub Heading]] [[a.b#nope]] [[a.b#^blk]] [[a.c]] "
            "[[dendron://v/a.b]] [[A.B]]\n")
    root = _vault(tmp_path, {"a.b.md": "# Top\n\n## Sub Heading\n\npara ^blk\n", "n.md": text}, flavor="dendron")
    findings = _json("--select", "dangling-link", str(root), cwd=tmp_path)
    # a missing anchor is reported where it is written, `#nope`, not at the link's start
    # `[[A.B]]` is fine: Dendron looks hierarchy names up lower-cased (`NoteDictsUtils.findByFname`
    # -> `cleanName`), in the editor, the preview and publishing alike, on any file system
    expected = [(text.index("#nope") + 1, False), (text.index("[[a.c]]") + 1, False)]
    assert [(f["column"], f["fixable"]) for f in findings] == expected
    assert findings[0]["end_column"] == text.index("#nope") + 6
    assert "no heading `#nope` in `a.b.md`" in findings[0]["message"]
    run_cli("fix", "--select", "dangling-link", str(root), cwd=tmp_path)
    assert (root / "n.md").read_text() == text


def test_obsidian_links_resolve_case_insensitively_and_vault_wide(tmp_path):
    text = ("[[my note]] [[My Note#part two]] [x](My%20Note.md) [y](<Sub/My Note.md#Part Two>) [[Sub/Nope]] "
            "[z](sub/My%20Note.md) [[My Note#Part 3]] [[img.png]] [[file.pdf]]\n")
    root = _vault(tmp_path, {"Sub/My Note.md": "# Title\n\n## Part Two\n", "n.md": text})
    findings = _json("--select", "dangling-link", str(root), cwd=tmp_path)
    # links to files that are not notes (and not image embeds) are checked as files (issue 16)
    expected = [(text.index("[[Sub/Nope]]") + 1, False), (text.index("[z]") + 1, True),
                (text.index("#Part 3") + 1, False), (text.index("[[img.png]]") + 1, False),
                (text.index("[[file.pdf]]") + 1, False)]
    assert [(f["column"], f["fixable"]) for f in findings] == expected
    assert "`Sub/My Note.md`" in findings[1]["message"]
    assert "no file `file.pdf` in the vault" in findings[4]["message"]


def test_bad_input_never_tracebacks(tmp_path):
    root = _vault(tmp_path, {"n.md": "![a](%zz%.png) ![b](C:\\x.png) ![c](<>) ![[]] [[#]] [x](%ff.md) "
                             "<img src=''> ![d](//host/x.png) ![e](\x00.png)\n"})
    result = run_cli("check", "--select", "dangling-image,dangling-link,unreadable-image,orphan-image", str(root), cwd=tmp_path)
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr



def test_note_index_loads_headings_only_of_notes_linked_with_a_heading(tmp_path):
    root = _vault(tmp_path, {"a.md": "# A\n", "b.md": "# B\n", "n.md": "[[a]] [[b#B]] [[b#C]]\n"})
    ws = _ws(root)
    index = vault_notes(ws)
    statuses = [index.resolve(r).status for r in note_refs(ws.note("n.md"))]
    assert statuses == ["ok", "ok", "heading"]
    assert set(index._headings) == {"b.md"}


def test_a_moved_image_is_found_by_content_through_the_duplicate_image_hash_cache(tmp_path):
    root = _vault(tmp_path, {"n.md": "![a](pics/a.png) ![b](pics/bb.png)\n", "pics/a.png": "", "pics/bb.png": ""})
    first = run_cli("check", "--select", "dangling-image,duplicate-image", str(root), cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    (root / "moved").mkdir()
    os.rename(root / "pics/a.png", root / "moved/renamed.png")
    [f] = _json("--select", "dangling-image", str(root), cwd=tmp_path)
    assert f["fixable"] and "`moved/renamed.png`" in f["message"]
    assert _json("--select", "dangling-image", "--no-cache", str(root), cwd=tmp_path)[0]["fixable"] is False
    run_cli("fix", "--select", "dangling-image", str(root), cwd=tmp_path)
    assert (root / "n.md").read_text() == "![a](moved/renamed.png) ![b](pics/bb.png)\n"


def test_images_named_in_frontmatter_or_excluded_are_not_orphans_or_dangling(tmp_path):
    root = _vault(tmp_path, {"n.md": "---\nimage: /assets/cover.png\nbanner: \"![[ban.png]]\"\nlist: [a, pics/x.png]\n---\n"
                                     "![k](archive/kept.png)\n<!-- notelint-disable-next-line dangling-image -->\n![q](gone.png)\n",
                             "assets/cover.png": "", "z/ban.png": "", "pics/x.png": "", "archive/kept.png": "",
                             "lost.png": ""})
    (root / ".notelint.toml").write_text('exclude = ["archive/**"]\n')
    findings = _json("--select", "orphan-image,dangling-image", str(root), cwd=tmp_path)
    assert [(f["path"], f["rule"]) for f in findings] == [("v/lost.png", "orphan-image")]


def test_two_case_variants_are_listed_and_not_fixed(tmp_path):
    root = _vault(tmp_path, {"n.md": "![a](img/pic.png)\n", "img/Pic.png": "", "img/PIC.png": ""})
    [f] = _json("--select", "dangling-image", str(root), cwd=tmp_path)
    assert not f["fixable"]
    assert "files differing only in letter case: `img/PIC.png`, `img/Pic.png` (more than one" in f["message"]
