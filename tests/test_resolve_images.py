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
from notelint.imagecache import ImageCache
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


def _findings(root, select="dangling-image") -> list[tuple[str, int, int, str, bool]]:
    result = run_cli("check", "--no-cache", "--format", "json", "--select", select, str(root), cwd=root.parent)
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
