"""The image half of the resolver (notelint.resolve): where image references lead, the
candidates a missing one gets (same path in other case, same name, same content in
duplicate-image's hash cache), the destination text a relinking fix writes, and the existence
checks behind it. Through dangling-image / unreadable-image where a user sees the difference,
through `ImageIndex.resolve` and `link_text` where that return is the contract the rules use."""

from __future__ import annotations

import hashlib
import json
import os

from PIL import Image

from helpers import run_cli
from notelint.engine import RunOptions, prepare
from notelint.imaging.cache import ImageCache
from notelint.resolve import ImageRef, Resolution, image_refs, vault_images, vault_notes

TWO_VAULTS = "version: 5\nworkspace:\n  vaults:\n    - fsPath: main\n    - fsPath: vaults/team\n      name: team\n"


def _png_bytes(color=(10, 20, 30), size=(4, 4)) -> bytes:
    import io

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def _vault(tmp_path, files: dict[str, str | bytes], flavor="obsidian", yml="version: 5\n"):
    """A vault at tmp_path/v: `.png` names given as text get a small distinct PNG."""
    root = tmp_path / "v"
    root.mkdir(parents=True)
    if flavor == "obsidian":
        (root / ".obsidian").mkdir()
        (root / ".obsidian" / "app.json").write_text("{}")
    else:
        (root / "dendron.yml").write_text(yml)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif rel.endswith(".png"):
            path.write_bytes(_png_bytes((len(rel) * 7 % 256, 3 * len(rel) % 256, 7)))
        else:
            path.write_text(content, encoding="utf-8")
    return root


def _ws(root):
    workspaces, _ = prepare([str(root)], RunOptions(select=["ALL"]))
    return workspaces[0]


def _resolutions(root, note: str) -> list[Resolution]:
    ws = _ws(root)
    index = vault_images(ws)
    return [index.resolve(r) for r in image_refs(ws.note(note))]


def _findings(root, select="dangling-image", *options: str) -> list[tuple[str, int, int, str, bool]]:
    result = run_cli("check", *(options or ["--no-cache"]), "--format", "json", "--select", select, str(root),
                     cwd=root.parent)
    assert result.returncode in (0, 1), result.stderr
    return [(f["path"], f["line"], f["column"], f["message"], f["fixable"]) for f in json.loads(result.stdout)]


def _remember(root, rel: str, data: bytes) -> None:
    """duplicate-image's hash cache as a run over the vault leaves it: `rel` held `data`."""
    cache = ImageCache(root)
    cache.files[rel] = [len(data), 1, 1, 1, hashlib.sha256(data).hexdigest()]
    cache.dirty = True
    cache.save()


# --------------------------------------------------------------------------- outside the vault


def test_windows_drive_and_unc_destinations_resolve_outside_the_vault(tmp_path):
    text = '![a](C:/pics/x.png)\n\n<img src=\\\\server\\share\\x.png>\n\n<img src="\\\\server\\pics\\y.png">\n'
    root = _vault(tmp_path, {"n.md": text})
    assert _resolutions(root, "n.md") == [Resolution("outside", None)] * 3
    messages = [m for _, _, _, m, _ in _findings(root)]
    assert messages == [
        "image `C:/pics/x.png` resolves outside the vault root; it was not read. Move the image into the vault and link it from there",
        "image `\\\\server\\share\\x.png` resolves outside the vault root; it was not read. Move the image into the vault and link it from there",
        "image `\\\\server\\pics\\y.png` resolves outside the vault root; it was not read. Move the image into the vault and link it from there",
    ]


def test_an_embed_climbing_above_the_vault_root_is_outside_but_a_leading_slash_is_the_root(tmp_path):
    root = _vault(tmp_path, {"sub/n.md": "![[../gone.png]] ![[/gone.png]] ![[a/../../gone.png]]\n"})
    assert _resolutions(root, "sub/n.md") == [Resolution("outside", None), Resolution("missing", None, (), ""),
                                              Resolution("outside", None)]


def test_a_remote_destination_resolves_as_remote_never_as_a_missing_file(tmp_path):
    root = _vault(tmp_path, {"n.md": "text\n"})
    index = vault_images(_ws(root))
    for raw in ("https://example.com/x.png", " data:image/png;base64,AAAA"):
        assert index.resolve(ImageRef("n.md", "markdown", raw, 0, 0, 0, 0)) == Resolution("remote", None)


# --------------------------------------------------------------------------- found and not found


def test_html_entities_are_decoded_before_the_file_is_looked_up(tmp_path):
    root = _vault(tmp_path, {"R&D.png": "", "n.md": '<img src="R&amp;D.png">\n'})
    assert _resolutions(root, "n.md") == [Resolution("ok", "R&D.png")]


def test_a_reference_definition_is_looked_up_vault_wide_in_obsidian(tmp_path):
    root = _vault(tmp_path, {"sub/pic.png": "", "n.md": "![x][r]\n\n[r]: pic.png\n"})
    assert _resolutions(root, "n.md") == [Resolution("ok", "sub/pic.png")]
    assert _findings(root) == []


def test_a_leading_slash_is_the_vault_root_and_never_looked_up_vault_wide(tmp_path):
    root = _vault(tmp_path, {"sub/pic.png": "", "n.md": "![x](/pic.png)\n"})
    assert _resolutions(root, "n.md") == [Resolution("missing", None, ("sub/pic.png",), "name")]
    assert _findings(root) == [("v/n.md", 1, 1, "image `/pic.png` not found (looked for `pic.png`); relink to `/sub/pic.png`", True)]


def test_vault_wide_lookup_tries_the_notes_own_folder_before_the_shortest_path(tmp_path):
    root = _vault(tmp_path, {"sub/Pic.png": "", "a/pic.png": "", "sub/n.md": "![x](pic.png)\n"})
    assert _resolutions(root, "sub/n.md") == [Resolution("case", "sub/Pic.png")]


def test_a_folder_in_other_letter_case_is_a_case_mismatch_even_when_the_name_matches(tmp_path):
    root = _vault(tmp_path, {"x/pics/a.png": "", "n.md": "![x](Pics/a.png)\n"})
    assert _resolutions(root, "n.md") == [Resolution("case", "x/pics/a.png")]
    [(_, _, _, message, fixable)] = _findings(root)
    assert message.startswith("image `Pics/a.png` exists only as `x/pics/a.png` (different letter case)")
    assert fixable


def test_several_files_differing_only_in_case_are_listed_and_not_relinked(tmp_path):
    root = _vault(tmp_path, {"Pic.png": "", "PIC.png": "", "n.md": "![x](pic.png)\n"})
    assert _resolutions(root, "n.md") == [Resolution("missing", None, ("PIC.png", "Pic.png"), "case")]


def test_a_destination_ending_in_a_slash_is_matched_by_its_last_name_only(tmp_path):
    root = _vault(tmp_path, {"b/x.png": "", "n.md": "![y](a/x.png/) ![z](a/x.png/X/)\n"})
    assert _resolutions(root, "n.md") == [Resolution("missing", None, ("b/x.png",), "name"),
                                          Resolution("missing", None, (), "")]


def test_nothing_found_gives_no_candidates_and_no_reason(tmp_path):
    root = _vault(tmp_path, {"n.md": "![x](gone.png) ![[gone2.png]]\n"})
    assert _resolutions(root, "n.md") == [Resolution("missing", None, (), "")] * 2


# --------------------------------------------------------------------------- same content (hash cache)


def test_a_moved_image_is_found_by_the_content_the_hash_cache_saw(tmp_path):
    moved = _png_bytes((200, 10, 10))
    root = _vault(tmp_path, {"new/y.png": moved, "n.md": "![x](old/x.png)\n\n![[old/x.png]]\n\n![[/Xdir/x.png]]\n"})
    _remember(root, "old/x.png", moved)
    _remember(root, "Xdir/x.png", moved)
    assert _resolutions(root, "n.md") == [Resolution("missing", None, ("new/y.png",), "content")] * 3
    assert [(line, message, fixable) for _, line, _, message, fixable in _findings(root, "dangling-image", "--quiet")] == [
        (1, "image `old/x.png` not found (looked for `old/x.png`, then vault-wide as Obsidian does); "
            "the hash cache saw its content in `new/y.png`; relink to `new/y.png`", True),
        (3, "image `old/x.png` not found (no file of that name in the vault); "
            "the hash cache saw its content in `new/y.png`; relink to `new/y.png`", True),
        (5, "image `/Xdir/x.png` not found (no file of that name in the vault); "
            "the hash cache saw its content in `new/y.png`; relink to `new/y.png`", True),
    ]


def test_content_search_skips_other_sizes_links_out_of_the_vault_and_files_gone_since(tmp_path):
    moved = _png_bytes((200, 10, 10))
    outside = tmp_path / "outside.png"
    outside.write_bytes(moved)
    root = _vault(tmp_path, {"a.png": "", "b.png": moved, "new/y.png": moved, "n.md": "![x](old/x.png)\n"})
    os.symlink(outside, root / "c.png")  # same bytes, but out of the vault: never read
    _remember(root, "old/x.png", moved)
    ws = _ws(root)
    index = vault_images(ws)
    [ref] = image_refs(ws.note("n.md"))
    (root / "b.png").unlink()  # removed after the walk: skipped, the search goes on
    assert index.resolve(ref) == Resolution("missing", None, ("new/y.png",), "content")


def test_a_damaged_hash_cache_entry_is_ignored(tmp_path):
    moved = _png_bytes((200, 10, 10))
    root = _vault(tmp_path, {"new/y.png": moved, "n.md": "![x](old/x.png) ![y](old/z.png)\n"})
    _remember(root, "old/x.png", moved)
    cache = ImageCache(root)
    cache.files["old/z.png"] = [1, 2, 3]
    cache.files["old/w.png"] = "12345"
    cache.dirty = True
    cache.save()
    assert _resolutions(root, "n.md") == [Resolution("missing", None, ("new/y.png",), "content"),
                                          Resolution("missing", None, (), "")]


def test_in_a_dendron_workspace_candidates_come_only_from_the_notes_own_vault(tmp_path):
    moved = _png_bytes((200, 10, 10))
    root = _vault(tmp_path, {"main/n.md": "![[gone.png]] ![[old/x.png]]\n", "vaults/team/gone.png": "",
                             "main/new/y.png": moved, "vaults/team/copy.png": moved},
                  flavor="dendron", yml=TWO_VAULTS)
    _remember(root, "main/old/x.png", moved)
    assert _resolutions(root, "main/n.md") == [Resolution("missing", None, (), ""),
                                               Resolution("missing", None, ("main/new/y.png",), "content")]


# --------------------------------------------------------------------------- the relinking fix's text


def test_link_text_escapes_html_angle_and_percent_styles_exactly(tmp_path):
    text = ('<img src="old.png"> ![a](<old one.png>) ![b](caf%C3%A9s/old.png) ![c](caf%c3%a9s/old.png) '
            "![d](plain/old.png)\n")
    root = _vault(tmp_path, {"n.md": text})
    ws = _ws(root)
    index = vault_images(ws)
    html_ref, angle, upper, lower, plain = image_refs(ws.note("n.md"))
    assert index.link_text("n.md", html_ref, "it's & more.png") == "it&#x27;s%20&amp;%20more.png"
    assert index.link_text("n.md", angle, "100% <a>\nb.png") == "100%25 %3Ca%3E%0Ab.png"
    assert index.link_text("n.md", upper, "café/a&b (1).png") == "caf%C3%A9/a&b%20%281%29.png"
    assert index.link_text("n.md", lower, "café/a&b (1).png") == "caf%C3%A9/a&b%20%281%29.png"
    assert index.link_text("n.md", plain, "café/a&b (1).png") == "café/a&b%20%281%29.png"


def test_an_embed_written_as_a_bare_name_gets_a_bare_name_back(tmp_path):
    root = _vault(tmp_path, {"n.md": "![[/old.png]] ![[X/old.png]]\n", "pics/new.png": ""})
    ws = _ws(root)
    index = vault_images(ws)
    rooted, in_folder = image_refs(ws.note("n.md"))
    assert index.link_text("n.md", rooted, "pics/new.png") == "new.png"  # `/old.png` names no folder
    assert index.link_text("n.md", in_folder, "pics/new.png") == "pics/new.png"


def test_no_relink_is_offered_when_the_written_text_would_lead_to_another_file(tmp_path):
    # `<x#y.png>` would be read as the file `x` with a fragment: the fix must not write it
    root = _vault(tmp_path, {"x#y.png": "", "x": "not an image\n", "n.md": "![a](<old/x%23y.png>)\n"})
    [(_, _, _, message, fixable)] = _findings(root)
    assert message == "image `old/x%23y.png` not found (looked for `old/x#y.png`, then vault-wide as Obsidian does)"
    assert not fixable


# --------------------------------------------------------------------------- files the walk did not list


def test_an_image_reference_to_another_kind_of_file_finds_it_on_disk(tmp_path):
    root = _vault(tmp_path, {"scan.pdf": "%PDF\n", "docs/report.pdf": "%PDF\n",
                             "n.md": "![a](scan.pdf)\n\n![b](docs/report.pdf)\n\n![c](docs/gone.pdf)\n\n![d](nodir/x.pdf)\n"})
    assert _resolutions(root, "n.md") == [Resolution("ok", "scan.pdf"), Resolution("ok", "docs/report.pdf"),
                                          Resolution("missing", None, (), ""), Resolution("missing", None, (), "")]
    assert [line for _, line, _, _, _ in _findings(root)] == [5, 7]


def test_a_file_in_a_folder_that_cannot_be_listed_counts_as_missing(tmp_path, monkeypatch):
    root = _vault(tmp_path, {"docs/scan.pdf": "%PDF\n", "n.md": "![b](docs/scan.pdf)\n"})
    ws = _ws(root)
    index = vault_images(ws)
    [ref] = image_refs(ws.note("n.md"))

    def denied(path):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(os, "listdir", denied)  # root may read anything: the refusal is simulated
    assert index.resolve(ref) == Resolution("missing", None, (), "")


# --------------------------------------------------------------------------- extraction


def test_fragments_and_note_embeds_are_not_image_references_and_the_rest_still_are(tmp_path):
    text = ("![top](#intro) ![n](Note.md) <img src=\"Other&period;md\"> ![g](gone.png)\n\n"
            "<img src=b.png> <img src=\"<c.png>\">\n")
    root = _vault(tmp_path, {"n.md": text, "b.png": "", "c.png": ""})
    refs = image_refs(_ws(root).note("n.md"))
    assert [(r.syntax, r.raw, r.angle) for r in refs] == [
        ("markdown", "gone.png", False), ("html", "b.png", False), ("html", "c.png", False)]
    assert [(line, col) for _, line, col, _, _ in _findings(root)] == [(1, 58)]


def test_the_path_looked_for_is_the_decoded_destination_from_the_notes_folder(tmp_path):
    root = _vault(tmp_path, {"sub/n.md": "![x](gone\\_pic.png)\n"}, flavor="dendron")
    [(_, _, _, message, _)] = _findings(root)
    assert message == ("image `gone\\_pic.png` not found (looked for `sub/gone_pic.png`); "
                       "restore the file or remove the reference")


# --------------------------------------------------------------------------- the shared indexes


def test_the_rules_of_a_run_share_one_image_index_and_one_note_index(tmp_path):
    ws = _ws(_vault(tmp_path, {"n.md": "![[a.png]] [[b]]\n", "a.png": "", "b.md": "b\n"}))
    assert vault_images(ws) is vault_images(ws)
    assert vault_notes(ws) is vault_notes(ws)


def test_an_image_reached_only_with_the_wrong_letter_case_is_not_probed_as_used(tmp_path):
    root = _vault(tmp_path, {"Zero.png": b"", "n.md": "![x](zero.png)\n"})
    assert [message[:40] for _, _, _, message, _ in _findings(root, "dangling-image,unreadable-image")] == [
        "image `zero.png` exists only as `Zero.pn"]


def test_a_missing_note_link_lists_notes_of_that_name_anywhere_in_the_vault(tmp_path):
    root = _vault(tmp_path, {"n.md": "[[sub/Gone]]\n", "other/gone.md": "hi\n"})
    assert [message for _, _, _, message, _ in _findings(root, "dangling-link")] == [
        "link `[[sub/Gone]]`: no note `sub/Gone` in the vault; notes with that name: `other/gone.md`"]


def test_html_character_references_are_decoded_before_the_fragment_is_cut(tmp_path):
    # the browser decodes `&#32;` to a space before it reads the URL: it is not a `#fragment`
    root = _vault(tmp_path, {"a b.png": "", "n.md": '<img src="a&#32;b.png"> <img src="c&#35;d.png">\n'})
    assert _resolutions(root, "n.md") == [Resolution("ok", "a b.png"), Resolution("missing", None, (), "")]
    assert [message for _, _, _, message, _ in _findings(root)] == [
        "image `c&#35;d.png` not found (looked for `c`); restore the file or remove the reference"]


def test_a_note_outside_every_vault_of_a_workspace_has_its_images_checked_when_named(tmp_path):
    root = _vault(tmp_path, {"main/n.md": "x\n", "templates/t.md": "![x](gone.png)\n"},
                  flavor="dendron", yml=TWO_VAULTS)
    result = run_cli("check", "--no-cache", "--format", "json", "--select", "dangling-image", "v/templates",
                     cwd=tmp_path)
    assert [(f["path"], f["line"], f["column"]) for f in json.loads(result.stdout)] == [("v/templates/t.md", 1, 1)]
    assert result.returncode == 1


def test_an_image_with_an_empty_destination_is_skipped_and_the_next_one_still_read(tmp_path):
    root = _vault(tmp_path, {"n.md": "![a]() ![b](gone.png)\n"})
    assert [(r.raw, r.start, r.dest_start, r.dest_end) for r in image_refs(_ws(root).note("n.md"))] == [
        ("gone.png", 7, 12, 20)]
    assert [(line, col) for _, line, col, _, _ in _findings(root)] == [(1, 8)]
