"""The vaults of a Dendron workspace, read from its `dendron.yml`.

A workspace lists its vaults in `workspace.vaults` (config version 5; older files: a top-level
`vaults:` list). Each entry is a `DVault` (dendronhq/dendron `packages/common-all/src/types/
DVault.ts`): `fsPath` (the folder, relative to the workspace root), optional `name`,
`selfContained`, `workspace`, `seed` and `remote: {type, url}`. Where a vault's notes live and
what it is called follow `VaultUtils` (`packages/common-all/src/vault.ts`):

* `getName`: the `seed`, else `name`, else the last segment of `fsPath`;
* `getRelPath` (where the notes are): `fsPath/notes` for a self-contained vault, else
  `workspace/fsPath` for a vault of a workspace vault, `seeds/<seed>/fsPath` for a seed, else
  `fsPath`.

That folder is also the root a note's images resolve against: Dendron's preview joins an image
path to `vault2Path` (= `getRelPath`) whether or not it starts with `/` (`packages/unified/src/
remark/dendronPreview.ts`, `makeImageUrlFullPath`), and Paste Image saves to
`<note's folder>/assets/images` and writes `/assets/images/<name>`.

A vault listed but not on disk (a remote vault not cloned yet) is skipped with a warning.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:/")


@dataclass(frozen=True, slots=True)
class SubVault:
    """One vault of a workspace: its name and the folder holding its notes."""

    name: str
    notes: str  # workspace-relative, `/`-separated; '' for the workspace root
    order: int  # position in dendron.yml (lookups without a vault name try vaults in this order)

    def holds(self, rel: str) -> bool:
        return not self.notes or rel == self.notes or rel.startswith(self.notes + "/")


@dataclass
class VaultList:
    """What `dendron.yml` says about the workspace's vaults."""

    vaults: list[SubVault] | None = None  # on disk, innermost first; None: no list (the root is the vault)
    absent: list[str] = field(default_factory=list)  # names of vaults listed but not on disk
    warnings: list[str] = field(default_factory=list)


def read_vaults(root: Path) -> VaultList:
    """The vaults `dendron.yml` lists. A file that lists none, or cannot be read, leaves the root
    as the one vault, as in a single-vault workspace."""
    if not (root / "dendron.yml").is_file():
        return VaultList()  # the flavor set by config: no workspace file, the root is the vault
    config, problem = _read_config(root / "dendron.yml")
    if problem:
        return VaultList(warnings=[f"dendron.yml {problem}; its vaults are ignored and the folder is linted as one vault"])
    workspace = config.get("workspace")
    entries = workspace.get("vaults") if isinstance(workspace, dict) and "vaults" in workspace else config.get("vaults")
    if entries is None:
        return VaultList()
    if not isinstance(entries, list):
        return VaultList(warnings=["dendron.yml: `workspace.vaults` is not a list; the folder is linted as one vault"])
    found = VaultList(vaults=[])
    for order, entry in enumerate(entries):
        vault, name, warning = _sub_vault(root, entry, order)
        if vault is not None:
            found.vaults.append(vault)
        elif name:
            found.absent.append(name)
        if warning:
            found.warnings.append(f"dendron.yml: {warning}")
    found.vaults.sort(key=lambda v: (-len(v.notes), v.order))  # innermost first: nested vaults own their files
    return found


def _sub_vault(root: Path, entry, order: int) -> tuple[SubVault | None, str, str]:
    """(the vault if it is on disk, its name, a warning)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("fsPath"), str) or not entry["fsPath"].strip():
        return None, "", f"vault entry {order + 1} has no `fsPath`; skipped"
    fs_path = entry["fsPath"].strip().replace("\\", "/")
    seed = entry.get("seed") if isinstance(entry.get("seed"), str) else None
    name = seed or (entry["name"] if isinstance(entry.get("name"), str) and entry["name"] else posixpath.basename(fs_path.rstrip("/")) or fs_path)
    if entry.get("selfContained") is True:
        rel = posixpath.join(fs_path, "notes")
    elif isinstance(entry.get("workspace"), str):
        rel = posixpath.join(entry["workspace"], fs_path)
    elif seed:
        rel = posixpath.join("seeds", seed, fs_path)
    else:
        rel = fs_path
    if os.path.isabs(rel):
        rel = Path(os.path.relpath(rel, root)).as_posix()
    rel = posixpath.normpath(rel)
    shown = f"vault `{name}` (fsPath `{entry['fsPath']}`)"
    if rel == ".." or rel.startswith("../") or WINDOWS_DRIVE.match(rel):
        return None, "", f"{shown} lies outside the workspace folder; skipped"
    rel = "" if rel == "." else rel
    if not (root / rel).is_dir():
        remote = entry.get("remote")
        url = remote.get("url") if isinstance(remote, dict) and isinstance(remote.get("url"), str) else ""
        why = f"a remote vault ({url}) not cloned here" if url else f"no folder `{rel or '.'}`"
        return None, name, f"{shown} is not on disk ({why}); it is skipped, and links into it are not checked"
    return SubVault(name, rel, order), name, ""


def _read_config(path: Path) -> tuple[dict, str]:
    """`dendron.yml` as a mapping, or ({}, what is wrong). Read with the same safe, bounded YAML
    loading as frontmatter (no code runs, alias bombs refused)."""
    import yaml

    from notelint.frontmatter import _check_nodes, _Loader

    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return {}, f"cannot be read ({getattr(exc, 'strerror', None) or exc})"
    try:
        node = yaml.compose(text, Loader=_Loader)
        problem = _check_nodes(node, 0) if node is not None else None
        if problem is not None:  # (its line numbers count a frontmatter fence: dropped here)
            return {}, "is not valid: " + re.sub(r" \(first on line \d+\)", "", problem.message).replace(" in frontmatter", "").replace("frontmatter YAML", "YAML")
        data = yaml.load(text, Loader=_Loader)
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError) as exc:
        return {}, f"is not valid YAML ({' '.join(str(exc).split())})"
    return (data, "") if isinstance(data, dict) else ({}, "is not a mapping of keys to values")
