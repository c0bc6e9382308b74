"""Dendron workspaces of several vaults, and `exclude` that hides files from linting only.

The golden files of tests/fixtures/workspace-dendron and exclude-obsidian cover the whole
picture; these pin the behaviours one by one."""

import json
import shutil

from PIL import Image

from helpers import FIXTURES, run_cli
from notelint.config import Config
from notelint.dendron_workspace import read_vaults
from notelint.engine import RunOptions, prepare
from notelint.resolve import image_refs, note_refs, vault_images, vault_notes
from notelint.vault import open_vault

FM = "---\nid: {id}\ntitle: T\ndesc: ''\nupdated: 1645111459000\ncreated: 1645111451741\n---\n"


def _files(root, files: dict[str, str]):
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel.endswith(".png"):
            Image.new("RGB", (4, 4), (len(rel) * 9 % 256, 40, 90)).save(path)
        else:
            path.write_text(text, encoding="utf-8")
    return root


def _workspace(tmp_path, yml: str, files: dict[str, str]):
    root = tmp_path / "ws"
    root.mkdir()
    (root / "dendron.yml").write_text(yml, encoding="utf-8")
    return _files(root, files)


def _ws(root, select="ALL"):
    workspaces, _ = prepare([str(root)], RunOptions(select=[select]))
    return workspaces[0]


def _json(*args, cwd):
    result = run_cli("check", "--format", "json", *args, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


TWO_VAULTS = "version: 5\nworkspace:\n  vaults:\n    - fsPath: main\n    - fsPath: vaults/team\n      name: team\n"


# --------------------------------------------------------------------------- reading dendron.yml


def test_vaults_are_named_and_placed_as_dendron_does(tmp_path):
    yml = ("version: 5\nworkspace:\n  vaults:\n"
           "    - fsPath: main\n"                                    # name: last segment of fsPath
           "    - {fsPath: vaults/team, name: team}\n"
           "    - {fsPath: book, selfContained: true}\n"             # notes under book/notes
           "    - {fsPath: sub, workspace: other}\n"                 # a vault of a workspace vault
           "    - {fsPath: seedling, seed: dendron.garden}\n"        # a seed: named after the seed
           "    - {fsPath: shared, remote: {type: git, url: 'https://example.com/s.git'}}\n"
           "    - {fsPath: ../elsewhere}\n"
           "    - {name: nameless}\n")
    root = _files(tmp_path, {"main/a.md": "", "vaults/team/b.md": "", "book/notes/c.md": "",
                             "other/sub/d.md": "", "seeds/dendron.garden/seedling/e.md": ""})
    (root / "dendron.yml").write_text(yml)
    found = read_vaults(root)
    assert sorted((v.name, v.notes) for v in found.vaults) == [
        ("book", "book/notes"), ("dendron.garden", "seeds/dendron.garden/seedling"), ("main", "main"),
        ("sub", "other/sub"), ("team", "vaults/team")]
    assert found.absent == ["shared"]
    assert [w.split(" (")[0] for w in found.warnings] == [
        "dendron.yml: vault `shared`", "dendron.yml: vault `elsewhere`", "dendron.yml: vault entry 8 has no `fsPath`; skipped"]
    assert "https://example.com/s.git" in found.warnings[0] and "not on disk" in found.warnings[0]
    assert "outside the workspace" in found.warnings[1]


def test_the_older_top_level_vaults_list_is_read_too(tmp_path):
    root = _files(tmp_path, {"dendron.yml": "version: 1\nvaults:\n  - fsPath: vault\n", "vault/a.md": "", "notes.md": ""})
    vault = open_vault(root, Config())
    assert [v.name for v in vault.vaults] == ["vault"]
    assert vault.notes == ["vault/a.md"] and vault.outside_notes == ["notes.md"]


def test_without_a_vault_list_the_root_is_the_one_vault(tmp_path):
    root = _files(tmp_path, {"dendron.yml": "version: 5\n", "sub/n.md": "![x](/assets/x.png)\n", "assets/x.png": "",
                             "playbooks/t.md": ""})
    vault = open_vault(root, Config())
    assert vault.vaults is None and vault.notes == ["playbooks/t.md", "sub/n.md"] and vault.outside_notes == []
    ws = _ws(root, "dangling-image")
    [ref] = image_refs(ws.note("sub/n.md"))
    assert vault_images(ws).resolve(ref).target == "assets/x.png"


def test_a_broken_dendron_yml_is_a_warning_and_the_folder_one_vault(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join('*' + p for p in [chr(ord(c) - 1)] * 9)}]\n" for c in "bcdefghi")
    assert read_vaults(tmp_path).warnings == []  # no dendron.yml (the flavor set by config): no warning
    for text in ("workspace: [unclosed\n", "- a list\n", bomb, "\xff", "workspace: {}\nworkspace: {}\n"):
        (tmp_path / "dendron.yml").write_bytes(text.encode("latin-1") if text == "\xff" else text.encode())
        found = read_vaults(tmp_path)
        assert found.vaults is None and len(found.warnings) == 1 and "linted as one vault" in found.warnings[0]


# --------------------------------------------------------------------------- each vault a root


def test_a_leading_slash_and_embeds_resolve_in_the_notes_own_vault(tmp_path):
    root = _workspace(tmp_path, TWO_VAULTS, {
        "main/a.md": "![](/assets/logo.png) ![](/assets/team.png) ![[logo.png]] ![](../vaults/team/assets/team.png)\n",
        "main/assets/logo.png": "", "vaults/team/assets/logo.png": "", "vaults/team/assets/team.png": "",
        "vaults/team/b.md": "![](/assets/logo.png) ![[team.png]] ![[logo.png]]\n"})
    ws = _ws(root, "dangling-image")
    index = vault_images(ws)
    got = {(r.note, r.raw): (res.status, res.target) for n in ("main/a.md", "vaults/team/b.md")
           for r in image_refs(ws.note(n)) for res in [index.resolve(r)]}
    assert got == {("main/a.md", "/assets/logo.png"): ("ok", "main/assets/logo.png"),
                   ("main/a.md", "/assets/team.png"): ("missing", None),  # only in the other vault
                   ("main/a.md", "logo.png"): ("ok", "main/assets/logo.png"),
                   ("main/a.md", "../vaults/team/assets/team.png"): ("outside", None),
                   ("vaults/team/b.md", "/assets/logo.png"): ("ok", "vaults/team/assets/logo.png"),
                   ("vaults/team/b.md", "team.png"): ("ok", "vaults/team/assets/team.png"),
                   ("vaults/team/b.md", "logo.png"): ("ok", "vaults/team/assets/logo.png")}  # not the shorter path elsewhere
    missing = next(r for r in image_refs(ws.note("main/a.md")) if r.raw == "/assets/team.png")
    assert index.resolve(missing).candidates == ()  # the other vault's file is no candidate
    # a relink is written only when it resolves back: another vault's file cannot be linked
    assert index.relink("main/a.md", missing, "vaults/team/assets/team.png") is None
    assert index.relink("main/a.md", missing, "main/assets/logo.png") == "/assets/logo.png"


def test_fix_on_the_workspace_leaves_every_vault_relative_reference_resolving(tmp_path):
    """The Dendron paste-image form `/assets/images/x.png` is the vault's own root: fix relinks
    within the vault and never writes the vault's folder into the path (`/vault/assets/...`)."""
    work = tmp_path / "workspace-dendron"
    shutil.copytree(FIXTURES / "workspace-dendron", work)

    def resolutions():
        ws = _ws(work)
        index = vault_images(ws)
        return {(rel, r.start): (r.raw, index.resolve(r)) for rel in ws.vault.notes for r in image_refs(ws.note(rel))}

    before = resolutions()
    result = run_cli("fix", "workspace-dendron", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    after = resolutions()
    assert set(after) == set(before)
    changed = 0
    for key, (raw, res) in before.items():
        new_raw, new_res = after[key]
        assert new_raw.startswith("/assets/") == raw.startswith("/assets/"), (key, new_raw)
        if res.status in ("ok", "case") or new_raw != raw:  # worked (or only by letter case), or was relinked
            assert new_res.status == "ok", (key, raw, new_raw)
        if new_raw == raw:
            assert new_res.target == res.target, (key, raw)
        changed += new_raw != raw
    assert changed == 3  # two letter-case relinks and one duplicate pointed at its original
    assert "![diagram](/assets/images/diagram.png)" in (work / "vault/project.alpha.md").read_text()
    assert "![same logo, pasted again](/assets/images/logo.png)" in (work / "vault/project.beta.md").read_text()
    assert "![Wrong case](/assets/images/team-only.png)" in (work / "vaults/team/team.roadmap.md").read_text()


def test_copies_in_two_vaults_are_not_duplicates(tmp_path):
    root = _workspace(tmp_path, TWO_VAULTS, {
        "main/a.md": "![](/assets/logo.png) ![](/assets/logo2.png)\n", "vaults/team/b.md": "![](/assets/logo.png)\n"})
    for rel in ("main/assets/logo.png", "main/assets/logo2.png", "vaults/team/assets/logo.png"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (8, 8), (200, 10, 10)).save(root / rel)
    findings = _json("--select", "duplicate-image", str(root), cwd=tmp_path)
    assert [(f["path"], f["related"]) for f in findings] == [("ws/main/assets/logo2.png", ["ws/main/assets/logo.png"])]


# --------------------------------------------------------------------------- links between vaults


def test_wikilinks_look_in_the_named_vault_or_the_own_vault_first(tmp_path):
    yml = TWO_VAULTS + "    - fsPath: far\n      remote: {type: git, url: 'https://example.com/far.git'}\n"
    root = _workspace(tmp_path, yml, {
        "main/a.md": "[[x]] [[t]] [[dendron://team/x]] [[dendron://main/t]] [[dendron://wiki/x]] [[dendron://far/x]] [[nope]]\n",
        "main/x.md": "", "vaults/team/x.md": "", "vaults/team/t.md": "",
        "vaults/team/b.md": "[[x]]\n"})
    ws = _ws(root, "dangling-link")
    index = vault_notes(ws)

    def resolved(rel):
        return [(r.raw, res.status, res.target) for r in note_refs(ws.note(rel)) for res in [index.resolve(r)]]

    assert resolved("main/a.md") == [
        ("x", "ok", "main/x.md"),                        # own vault first
        ("t", "ok", "vaults/team/t.md"),                 # then the others
        ("dendron://team/x", "ok", "vaults/team/x.md"),  # the named vault only
        ("dendron://main/t", "missing", None),
        ("dendron://wiki/x", "vault", None),             # no such vault: reported
        ("dendron://far/x", "skip", None),               # listed but not cloned: not checkable
        ("nope", "missing", None)]
    assert resolved("vaults/team/b.md") == [("x", "ok", "vaults/team/x.md")]
    messages = [f["message"] for f in _json("--select", "dangling-link", str(root), cwd=tmp_path)]
    assert messages[1] == ("link `[[dendron://wiki/x]]`: no vault `wiki` in dendron.yml (its vaults: `main`, `team`); "
                           "correct the vault name")
    assert "no note `t` in vault `main`" in messages[0] and "in any vault of the workspace" in messages[2]


def test_note_ids_are_shared_by_the_whole_workspace_but_not_with_files_outside_it(tmp_path):
    """Dendron's engine keeps every vault's notes in one dictionary by id (`NoteDictsUtils`), so
    an id used in two vaults is a duplicate; a template outside every vault is no note."""
    root = _workspace(tmp_path, TWO_VAULTS, {
        "main/a.md": FM.format(id="aaaaaaaaaaaaaaaaaaaaaaa"), "vaults/team/b.md": FM.format(id="aaaaaaaaaaaaaaaaaaaaaaa"),
        "main/c.md": FM.format(id="ccccccccccccccccccccccc"), "templates/t.md": FM.format(id="ccccccccccccccccccccccc")})
    findings = _json("--select", "note-id", str(root), cwd=tmp_path)
    assert [(f["path"], f["related"]) for f in findings] == [("ws/main/a.md", ["ws/vaults/team/b.md"]),
                                                             ("ws/vaults/team/b.md", ["ws/main/a.md"])]


# --------------------------------------------------------------------------- files outside every vault


def test_files_outside_every_vault_are_linted_only_when_named(tmp_path):
    src = FIXTURES / "workspace-dendron"
    vault = open_vault(src, Config())
    assert vault.outside_notes == ["docs/contributing.md", "handbook/README.md", "playbooks/templates/templates.project.md"]
    assert not any(n.startswith(("docs/", "playbooks/", "handbook/README")) for n in vault.notes)
    assert "playbooks/templates/assets/images/unused.png" not in vault.assets
    whole = _json("--no-cache", "--select", "ALL", "workspace-dendron", cwd=FIXTURES)
    assert not [f for f in whole if f["path"].startswith(("workspace-dendron/docs", "workspace-dendron/playbooks",
                                                          "workspace-dendron/handbook/README"))]
    named = _json("--no-cache", "--select", "whitespace,dangling-link", "workspace-dendron/playbooks/templates",
                  "workspace-dendron/docs/contributing.md", cwd=FIXTURES)
    assert sorted({(f["path"], f["rule"]) for f in named}) == [
        ("workspace-dendron/docs/contributing.md", "dangling-link"), ("workspace-dendron/docs/contributing.md", "whitespace"),
        ("workspace-dendron/playbooks/templates/templates.project.md", "dangling-link"),
        ("workspace-dendron/playbooks/templates/templates.project.md", "whitespace")]
    # a folder holding vaults gives its vaults' notes, not the files around them
    assert _ws(src).targets == vault.notes


def test_a_changed_vault_list_is_never_served_from_the_cache(tmp_path):
    root = _workspace(tmp_path, "version: 5\nworkspace:\n  vaults:\n    - fsPath: main\n",
                      {"main/a.md": "[[b]] [[dendron://main/a]]\n", "other/b.md": ""})
    first = _json("--select", "dangling-link", str(root), cwd=tmp_path)
    (root / "dendron.yml").write_text("version: 5\nworkspace:\n  vaults:\n    - fsPath: main\n    - fsPath: other\n")
    second = _json("--select", "dangling-link", str(root), cwd=tmp_path)
    # a new name changes no file list, only what `dendron://main/` means
    (root / "dendron.yml").write_text("version: 5\nworkspace:\n  vaults:\n    - {fsPath: main, name: home}\n    - fsPath: other\n")
    third = _json("--select", "dangling-link", str(root), cwd=tmp_path)
    assert [f["column"] for f in first] == [1] and second == [] and [f["column"] for f in third] == [7]
    assert third == _json("--select", "dangling-link", "--no-cache", str(root), cwd=tmp_path)


# --------------------------------------------------------------------------- exclude


def test_excluded_files_are_not_linted_but_links_resolve_to_them(tmp_path):
    root = _files(tmp_path / "v", {
        ".obsidian/app.json": "{}", ".notelint.toml": 'exclude = ["archive/**", "*.excalidraw.md"]\n',
        "Home.md": "[[Old]] ![[pic.png]] [[archive/Old]] [[Old#Kept]] [[Board.excalidraw]] ![[broken.png]]\n",
        "archive/Old.md": "# Kept\n\n[[Nope]]   \n", "archive/pic.png": "", "Board.excalidraw.md": "x   \n"})
    (root / "archive/broken.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # truncated: a finding about an excluded file
    vault = open_vault(root, Config(exclude=["archive/**", "*.excalidraw.md"]))
    assert vault.notes == ["Home.md"] and vault.excluded_notes == ["Board.excalidraw.md", "archive/Old.md"]
    assert vault.assets == [] and vault.excluded_assets == ["archive/broken.png", "archive/pic.png"]
    assert _json("--select", "ALL", "--ignore", "NL5", str(root), cwd=tmp_path) == []  # (formatting rules would restyle it)
    # named explicitly, an excluded file is still not linted (pre-commit passes every changed file)
    assert _json("--select", "ALL", str(root / "archive/Old.md"), cwd=tmp_path) == []


def test_an_image_used_only_by_an_excluded_note_is_no_orphan(tmp_path):
    root = _files(tmp_path / "v", {
        ".obsidian/app.json": "{}", ".notelint.toml": 'exclude = ["archive/**"]\n',
        "Home.md": "x\n", "archive/Old.md": "---\nbanner: \"[[cover.png]]\"\n---\n![[kept.png]]\n",
        "img/kept.png": "", "img/cover.png": "", "img/lost.png": "", "archive/old-lost.png": ""})
    findings = _json("--select", "orphan-image", str(root), cwd=tmp_path)
    assert [f["path"] for f in findings] == ["v/img/lost.png"]  # the excluded image is not reported either


def test_an_excluded_copy_is_a_candidate_never_reported_nor_the_canonical_over_a_linted_one(tmp_path):
    root = _files(tmp_path / "v", {".obsidian/app.json": "{}", ".notelint.toml": 'exclude = ["archive/**"]\n',
                                   "Home.md": "![](img/a.png) ![](img/b.png) ![](archive/old.png)\n",
                                   "archive/Old.md": "![[old.png]] ![[old.png]] ![[old.png]]\n"})
    for rel in ("img/a.png", "img/b.png", "archive/old.png"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (8, 8), (10, 200, 10)).save(root / rel)
    findings = _json("--select", "duplicate-image", str(root), cwd=tmp_path)
    # archive/old.png is the most referenced, but it is excluded: a linted file is the canonical one
    assert [(f["path"], f["related"][0], f["fixable"]) for f in findings] == [("v/img/b.png", "v/img/a.png", True)]
    run_cli("fix", "--select", "duplicate-image", str(root), cwd=tmp_path)
    assert (root / "Home.md").read_text() == "![](img/a.png) ![](img/a.png) ![](archive/old.png)\n"
    assert (root / "archive/Old.md").read_text() == "![[old.png]] ![[old.png]] ![[old.png]]\n"


def test_a_file_of_a_self_contained_vault_given_alone_is_checked_with_its_workspace():
    # pre-commit passes single files; the self-contained vault `handbook` has a dendron.yml of its
    # own, but the workspace's dendron.yml lists it, so its links into other vaults still resolve
    from notelint.vault import find_root

    note = FIXTURES / "workspace-dendron/handbook/notes/guide.setup.md"
    assert find_root(note) == FIXTURES / "workspace-dendron"
    alone = _json("--no-cache", "workspace-dendron/handbook/notes/guide.setup.md", cwd=FIXTURES)
    whole = _json("--no-cache", "workspace-dendron", cwd=FIXTURES)
    assert alone == [f for f in whole if f["path"] == "workspace-dendron/handbook/notes/guide.setup.md"]
    assert [f["rule"] for f in alone] == ["dangling-image"]
