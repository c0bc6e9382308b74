"""duplicate-image: signatures, grouping, the cache, and the relinking fix through the CLI."""

import json
import os
from dataclasses import replace
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import FIXTURES, REPO, run_cli

from notelint.imaging import groups as imagegroups
from notelint.imaging.cache import ImageCache
from notelint.imaging.groups import Thresholds, find_groups, signatures
from notelint.imaging.hashing import hamming, signature

VAULT = FIXTURES / "images-obsidian"
ATT = VAULT / "attachments"


def _diagram(size=(400, 260), shift=0, label=(60, 60)):
    from PIL import Image, ImageDraw

    img = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(img)
    d.rectangle((30 + shift, 40, 170 + shift, 110), outline=(30, 60, 150), width=4, fill=(225, 235, 255))
    d.rectangle((220, 150, 370, 220), outline=(30, 60, 150), width=4, fill=(255, 235, 210))
    d.line((100 + shift, 110, 295, 150), fill=(40, 40, 40), width=3)
    d.ellipse((label[0], label[1], label[0] + 30, label[1] + 30), fill=(200, 30, 30))
    return img


def _sig_of(img, tmp_path, name, **save):
    path = tmp_path / name
    img.save(path, **save)
    return signature(path)


# ------------------------------------------------------------------ signatures


def test_resized_and_reencoded_copies_hash_close_and_other_pictures_far(tmp_path):
    img = _diagram()
    base = _sig_of(img, tmp_path, "a.png")
    small = _sig_of(img.resize((200, 130)), tmp_path, "b.jpg", quality=70)
    webp = _sig_of(img, tmp_path, "c.webp", quality=80)
    other = _sig_of(_diagram(shift=150, label=(300, 30)), tmp_path, "d.png")
    assert hamming(base.phash, small.phash) <= 16
    assert hamming(base.phash, webp.phash) <= 16
    assert hamming(base.phash, other.phash) > 32
    assert (base.width, base.height, base.format) == (400, 260, "PNG")
    assert (small.width, small.height, small.format) == (200, 130, "JPEG")


def test_exif_orientation_is_applied_before_hashing(tmp_path):
    from PIL import Image

    img = _diagram()
    base = _sig_of(img, tmp_path, "a.jpg", quality=90)
    exif = Image.Exif()
    exif[0x0112] = 6  # stored turned a quarter; viewers turn it back
    turned = _sig_of(img.transpose(Image.Transpose.ROTATE_90), tmp_path, "b.jpg", quality=90, exif=exif.tobytes())
    assert (turned.width, turned.height) == (400, 260)  # the size as shown
    assert hamming(base.phash, turned.phash) <= 8


def test_transparency_is_composited_onto_white(tmp_path):
    import numpy as np
    from PIL import Image

    img = _diagram()
    arr = np.array(img.convert("RGBA"))
    white = (arr[:, :, :3] == 255).all(axis=2)
    arr[white] = 0  # transparent black background, as many exporters write it
    base = _sig_of(img, tmp_path, "a.png")
    clear = _sig_of(Image.fromarray(arr, "RGBA"), tmp_path, "b.png")
    assert hamming(base.phash, clear.phash) <= 8


def test_flat_images_get_no_perceptual_hash(tmp_path):
    from PIL import Image

    sig = _sig_of(Image.new("RGB", (300, 200), (250, 250, 250)), tmp_path, "blank.png")
    assert sig.flat and not sig.phash and not sig.problem and sig.digest


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    (b"just some text\n", "not an image"),
    ("half of a PNG", "truncated"),
    ("half of a JPEG", "truncated"),
])
def test_bad_files_get_a_problem_never_an_exception(tmp_path, data, words):
    if isinstance(data, str):
        fmt = data.split()[-1]
        _diagram().save(tmp_path / "whole", fmt)
        whole = (tmp_path / "whole").read_bytes()
        data = whole[: len(whole) // 2]
    path = tmp_path / "bad.png"
    path.write_bytes(data)
    sig = signature(path)
    assert words in sig.problem and not sig.phash


def test_images_over_max_pixels_are_not_decoded(tmp_path):
    img = _diagram()
    img.save(tmp_path / "big.png")
    sig = signature(tmp_path / "big.png", max_pixels=10_000)
    assert "more than max-pixels" in sig.problem and sig.width == 400 and not sig.phash


# ------------------------------------------------------------------ grouping


def _sigs(folder: Path, names):
    return {n: signature(folder / n) for n in names}


def test_fixture_copies_group_and_hard_negatives_do_not():
    names = sorted(p.name for p in ATT.iterdir())
    grouping = find_groups(_sigs(ATT, names))
    assert grouping.groups == [
        ["diagram-flow copy.png", "diagram-flow.png", "unused copy of flow.png"],
        ["photo-lake.jpg", "photo-lake.webp"],
        ["screenshot-editor-small.jpg", "screenshot-editor.png"],
    ]


def test_verification_rejects_what_the_hash_stage_lets_through():
    names = [f"app-{i}.png" for i in range(1, 7)] + [f"sketch-{i}.png" for i in range(1, 7)]
    sigs = _sigs(ATT, names)
    loose = find_groups(dict(sigs), Thresholds(max_distance=256, max_aspect=1.0, min_correlation=0.99))
    assert loose.candidates  # every pair was a candidate ...
    assert loose.groups == []  # ... and none passed verification


def test_exact_only_when_thresholds_are_zero():
    sigs = _sigs(ATT, ["screenshot-editor.png", "screenshot-editor-small.jpg"])
    assert find_groups(sigs, Thresholds(max_distance=0)).groups == []


def test_candidate_pairs_match_a_plain_loop():
    import random

    rng = random.Random(5)
    hashes = [f"{rng.getrandbits(256):064x}" for _ in range(300)]
    hashes += [f"{int(h, 16) ^ (1 << rng.randrange(256)):064x}" for h in hashes[:40]]
    expected = [(i, j, hamming(hashes[i], hashes[j])) for i in range(len(hashes)) for j in range(i + 1, len(hashes))
                if hamming(hashes[i], hashes[j]) <= 100]
    assert sorted(imagegroups.candidate_pairs(hashes, 100)) == expected


def _many(folder):
    for i in range(imagegroups.POOL_MIN_IMAGES + 6):
        _diagram(shift=i * 4, label=(40 + i * 9, 60)).resize((200 + i, 130)).save(folder / f"{i:02d}.png")
    return sorted(p.name for p in folder.iterdir())


def test_parallel_signatures_equal_single_process(tmp_path):
    rels = _many(tmp_path)
    one = signatures(tmp_path, rels, ImageCache(tmp_path, enabled=False), workers=1)
    many = signatures(tmp_path, rels, ImageCache(tmp_path, enabled=False), workers=2)
    assert one == many
    assert not (tmp_path / ".notelint_cache").exists()


def test_no_process_pool_means_one_process_not_a_failure(tmp_path, monkeypatch):
    import concurrent.futures

    def refuse(*args, **kwargs):
        raise OSError("no semaphores in this sandbox")

    rels = _many(tmp_path)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    sigs = signatures(tmp_path, rels, ImageCache(tmp_path, enabled=False), workers=2)
    assert sigs == {rel: signature(tmp_path / rel) for rel in rels}


# ------------------------------------------------------------------ cache


def _cached_run(root, rels):
    cache = ImageCache(root)
    sigs = signatures(root, rels, cache, workers=1)
    cache.save(set(rels))
    return sigs


def test_cached_signatures_are_stamped_with_the_installed_pillow_and_imagehash():
    """Read from the packages' sources: not imported (numpy comes with imagehash), not looked up."""
    import importlib.metadata

    from notelint.imaging import cache as image_cache

    code = "import sys; from notelint.imaging import cache; print(cache._versions()); print('imagehash' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == str({"format": image_cache.FORMAT, "algorithm": image_cache.ALGORITHM,
                          "Pillow": importlib.metadata.version("Pillow"),
                          "ImageHash": importlib.metadata.version("ImageHash")})
    assert out[1] == "False"


def test_cache_is_written_atomically_with_its_gitignore_and_used_warm(tmp_path, monkeypatch):
    shutil.copy(ATT / "photo-lake.jpg", tmp_path / "a.jpg")
    shutil.copy(ATT / "sketch-1.png", tmp_path / "b.png")
    cold = _cached_run(tmp_path, ["a.jpg", "b.png"])
    folder = tmp_path / ".notelint_cache"
    assert (folder / ".gitignore").read_text() == "*\n"
    data = json.loads((folder / "images.json").read_text())
    assert set(data["files"]) == {"a.jpg", "b.png"}
    assert not [p for p in folder.iterdir() if p.name.startswith(".tmp-")]

    def no_decoding(*args, **kwargs):
        raise AssertionError("a warm run decoded an image")

    monkeypatch.setattr(imagegroups, "signature", no_decoding)
    (tmp_path / "b.png").rename(tmp_path / "renamed.png")  # a rename: digested, not decoded
    warm = _cached_run(tmp_path, ["a.jpg", "renamed.png"])
    # (thumbnails are cached only for images that reached verification)
    assert warm["a.jpg"] == replace(cold["a.jpg"], thumb=b"")
    assert warm["renamed.png"] == replace(cold["b.png"], thumb=b"")


def test_a_changed_file_is_hashed_again(tmp_path):
    shutil.copy(ATT / "sketch-1.png", tmp_path / "x.png")
    first = _cached_run(tmp_path, ["x.png"])["x.png"]
    shutil.copy(ATT / "sketch-2.png", tmp_path / "x.png")
    os.utime(tmp_path / "x.png", ns=(1, 1))
    second = _cached_run(tmp_path, ["x.png"])["x.png"]
    assert second.digest != first.digest and second.phash != first.phash


@pytest.mark.parametrize("garbage", [b"{not json", b"\xff\xfe\x00", b"[1, 2]", b'{"stamp": 1}',
                                     b'{"stamp": null, "files": {"x.png": "oops"}, "signatures": []}'])
def test_a_corrupt_cache_is_ignored_and_replaced(tmp_path, garbage):
    shutil.copy(ATT / "sketch-1.png", tmp_path / "x.png")
    (tmp_path / ".notelint_cache").mkdir()
    (tmp_path / ".notelint_cache" / "images.json").write_bytes(garbage)
    sig = _cached_run(tmp_path, ["x.png"])["x.png"]
    assert sig == signature(tmp_path / "x.png")  # decoded again (a cached one has no thumbnail)
    assert json.loads((tmp_path / ".notelint_cache" / "images.json").read_text())["files"]["x.png"][-1] == sig.digest


def test_damaged_entries_are_misses(tmp_path):
    shutil.copy(ATT / "sketch-1.png", tmp_path / "x.png")
    _cached_run(tmp_path, ["x.png"])
    path = tmp_path / ".notelint_cache" / "images.json"
    data = json.loads(path.read_text())
    for entry in data["signatures"].values():
        entry["w"] = "wide"
    path.write_text(json.dumps(data))
    assert _cached_run(tmp_path, ["x.png"])["x.png"] == signature(tmp_path / "x.png")


@pytest.mark.permissions  # run as an unprivileged user by .ci/permission-tests when CI runs as root
def test_read_only_vault_means_no_cache_not_an_error(tmp_path):
    shutil.copy(ATT / "sketch-1.png", tmp_path / "x.png")
    os.chmod(tmp_path, 0o555)
    try:
        if os.access(tmp_path, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        assert _cached_run(tmp_path, ["x.png"])["x.png"].phash
    finally:
        os.chmod(tmp_path, 0o755)


# ------------------------------------------------------------------ the rule, through the CLI


def _vault_copy(tmp_path) -> Path:
    work = tmp_path / "v"
    shutil.copytree(VAULT, work, ignore=shutil.ignore_patterns(".notelint_cache"))
    return work


def test_findings_name_the_canonical_file_and_the_difference(tmp_path):
    work = _vault_copy(tmp_path)
    result = run_cli("check", "--format", "json", "v", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    found = {f["path"]: f for f in json.loads(result.stdout)}
    assert set(found) == {"v/attachments/diagram-flow copy.png", "v/attachments/photo-lake.jpg",
                          "v/attachments/screenshot-editor-small.jpg"}
    flow = found["v/attachments/diagram-flow copy.png"]
    assert (flow["line"], flow["column"], flow["rule"], flow["code"]) == (1, 1, "duplicate-image", "NL404")
    assert flow["related"] == ["v/attachments/diagram-flow.png"]  # the unreferenced copy is orphan-image's
    assert "identical bytes" in flow["message"] and flow["fixable"]
    small = found["v/attachments/screenshot-editor-small.jpg"]["message"]
    assert "JPEG vs PNG" in small and "320x180 vs 640x360 px" in small and "`attachments/screenshot-editor.png`" in small
    # most referenced wins: the WebP copy is embedded twice, the JPEG once
    assert "duplicate of `attachments/photo-lake.webp`" in found["v/attachments/photo-lake.jpg"]["message"]
    assert (work / ".notelint_cache" / "images.json").is_file()


def test_fix_relinks_every_reference_keeping_syntax_and_crlf_then_nothing_is_left(tmp_path):
    work = _vault_copy(tmp_path)
    images_before = {p.name: p.read_bytes() for p in (work / "attachments").iterdir()}
    result = run_cli("fix", "v", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    plan = (work / "Projects" / "plan.md").read_bytes()
    assert b"![[diagram-flow.png|300]]\r\n" in plan
    assert b'![flow](../attachments/diagram-flow.png "the flow")\r\n' in plan
    assert b'<img src="../attachments/screenshot-editor.png" width="200">\r\n' in plan
    assert plan.count(b"\n") == plan.count(b"\r\n")
    welcome = (work / "Welcome.md").read_text()
    assert "![lake](attachments/photo-lake.webp)" in welcome
    assert "![in code, not a reference](attachments/diagram-flow copy.png)" in welcome  # code is not a reference
    assert {p.name: p.read_bytes() for p in (work / "attachments").iterdir()} == images_before  # never deletes
    again = run_cli("check", "--select", "duplicate-image", "v", cwd=tmp_path)
    assert again.returncode == 0, again.stdout
    orphans = run_cli("check", "--select", "orphan-image", "v", cwd=tmp_path)
    if "unknown rule" not in orphans.stderr:
        for copy in ("diagram-flow copy.png", "screenshot-editor-small.jpg", "photo-lake.jpg"):
            assert f"attachments/{copy}:1:1" in orphans.stdout


def test_fix_diff_writes_nothing_and_check_on_one_image_reports_its_group(tmp_path):
    work = _vault_copy(tmp_path)
    before = (work / "Projects" / "plan.md").read_bytes()
    diff = run_cli("fix", "--diff", "v", cwd=tmp_path)
    assert diff.returncode == 1 and "+![[diagram-flow.png|300]]" in diff.stdout
    assert (work / "Projects" / "plan.md").read_bytes() == before
    one = run_cli("check", "--format", "json", "v/attachments/diagram-flow.png", cwd=tmp_path)
    paths = [f["path"] for f in json.loads(one.stdout)]
    assert paths == ["v/attachments/diagram-flow copy.png"]  # involves the file asked about


def test_no_cache_writes_no_cache(tmp_path):
    work = _vault_copy(tmp_path)
    result = run_cli("check", "--no-cache", "v", cwd=tmp_path)
    assert result.returncode == 1
    assert not (work / ".notelint_cache").exists()


def test_options_turn_perceptual_matching_off(tmp_path):
    work = _vault_copy(tmp_path)
    (work / ".notelint.toml").write_text('select = ["duplicate-image"]\n[rules.duplicate-image]\nperceptual = false\n')
    result = run_cli("check", "v", cwd=tmp_path)
    assert result.stdout.count("[duplicate-image]") == 1 and "identical bytes" in result.stdout


def test_references_in_unwritable_notes_are_not_fixable(tmp_path):
    work = _vault_copy(tmp_path)
    plan = work / "Projects" / "plan.md"
    os.chmod(plan, 0o444)
    try:
        result = run_cli("check", "--format", "json", "v", cwd=tmp_path)
    finally:
        os.chmod(plan, 0o644)
    found = {f["path"]: f for f in json.loads(result.stdout)}
    assert not found["v/attachments/diagram-flow copy.png"]["fixable"]
    assert found["v/attachments/photo-lake.jpg"]["fixable"]  # its reference is in Welcome.md


def test_heavy_imports_wait_until_images_are_hashed():
    code = ("import sys; from notelint import registry, cli; registry.all_rules(); "
            "bad = [m for m in ('PIL', 'imagehash', 'numpy', 'scipy') if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_rule_defaults_are_the_benchmarked_thresholds():
    from notelint.rules.duplicate_image import DuplicateImage

    rule = DuplicateImage()
    t = Thresholds()
    assert rule.settings["max-distance"] == t.max_distance == 24
    assert rule.settings["max-aspect-difference"] / 100 == t.max_aspect
    assert rule.settings["min-correlation"] / 100 == t.min_correlation


def test_a_remembered_grouping_is_used_only_for_the_same_images_and_thresholds(tmp_path):
    """The image cache keeps the last grouping; any change of an image's content, the set of
    images or the thresholds must compute the groups again."""
    from notelint.imaging.cache import ImageCache
    from notelint.imaging.groups import Grouping, Match, Thresholds
    from notelint.imaging.hashing import Signature
    from notelint.rules import duplicate_image as rule

    cache = ImageCache(tmp_path)
    sigs = {"a.png": Signature("d1", 10, 4, 4, "PNG", "ab" * 32), "b.png": Signature("d1", 10, 4, 4, "PNG", "ab" * 32)}
    grouping = Grouping([["a.png", "b.png"]], [Match("a.png", "b.png", True)], set())
    rule._remember(cache, sigs, Thresholds(), grouping)
    again = rule._remembered(cache, sigs, Thresholds())
    assert again == grouping
    changed = {**sigs, "b.png": Signature("d2", 10, 4, 4, "PNG", "ab" * 32)}
    assert rule._remembered(cache, changed, Thresholds()) is None
    assert rule._remembered(cache, {**sigs, "c.png": sigs["a.png"]}, Thresholds()) is None
    assert rule._remembered(cache, sigs, Thresholds(max_distance=30)) is None


# ------------------------------------------------------------------ exact findings, options and the cache


def _picture(kind: int, size=(64, 48)):
    """Small, distinct, non-flat pictures (phashes 100+ bits apart): 0 checkerboard, 1 stripes, 3 a disc."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(img)
    w, h = size
    if kind == 0:
        d.rectangle((0, 0, w // 2, h // 2), fill="black")
        d.rectangle((w // 2, h // 2, w, h), fill="black")
    elif kind == 1:
        for x in range(0, w, w // 4):
            d.rectangle((x, 0, x + w // 8, h), fill="black")
    else:
        d.ellipse((w // 4, h // 4, 3 * w // 4, 3 * h // 4), fill="black")
    return img


def _encoded(img, fmt="PNG", pad_to=None, **save) -> bytes:
    """The image's file bytes; `pad_to` appends zero bytes after the end of the image data (decoders
    ignore them) so that the file has exactly that size."""
    import io

    buf = io.BytesIO()
    img.save(buf, fmt, **save)
    data = buf.getvalue()
    if pad_to is not None:
        assert len(data) <= pad_to
        data += b"\0" * (pad_to - len(data))
    return data


def _make_vault(root: Path, files: dict, config: str = "") -> Path:
    from helpers import write_files

    (root / ".obsidian").mkdir(parents=True)
    write_files(root, {".notelint.toml": 'select = ["duplicate-image"]\n' + config, **files})
    return root


def _findings(tmp_path, *args) -> list[dict]:
    result = run_cli("check", "--format", "json", *args, "v", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    found = json.loads(result.stdout)
    assert result.returncode == (1 if found else 0)
    return found


def _summary(found) -> list[tuple]:
    return [(f["path"], f["line"], f["column"], f["message"], f["related"]) for f in found]


def test_messages_state_sizes_in_b_kb_mb_at_the_exact_boundaries_and_fix_relinks(tmp_path):
    """Same pixels, different file sizes (padding after the image data): the message states each
    size as `_size` rounds it: below 1024 in B, below 1 MiB in whole KB, then MB to one decimal."""
    work = _make_vault(tmp_path / "v", {
        "img/p0.png": _encoded(_picture(0), pad_to=1024),
        "img/p0-copy.png": _encoded(_picture(0), pad_to=1023),
        "img/p1.png": _encoded(_picture(1), pad_to=1024 * 1024),
        "img/p1-copy.png": _encoded(_picture(1), pad_to=1024 * 1024 - 1),
        "img/p3.png": _encoded(_picture(3), pad_to=1_101_529),  # 1.0505 MiB
        "img/p3-copy.png": _encoded(_picture(3), pad_to=3000),
        "a.md": "![](img/p0.png)\n![](img/p0-copy.png)\n![](img/p1.png)\n![](img/p1-copy.png)\n"
                "![](img/p3.png)\n![](img/p3.png)\n![](img/p3-copy.png)\n",
        "b.md": "![](img/p3.png) ![](img/p3-copy.png)\n",
    })
    found = sorted(_findings(tmp_path), key=lambda f: f["path"])
    tail = "with `notelint fix`, then delete this copy"
    assert _summary(found) == [
        ("v/img/p0-copy.png", 1, 1,
         "duplicate of `img/p0.png` (the same picture: 1023 B vs 1 KB, 0 of 256 hash bits differ); "
         f"1 reference in `a.md`: point it at `p0.png` {tail}", ["v/img/p0.png"]),
        ("v/img/p1-copy.png", 1, 1,
         "duplicate of `img/p1.png` (the same picture: 1024 KB vs 1.0 MB, 0 of 256 hash bits differ); "
         f"1 reference in `a.md`: point it at `p1.png` {tail}", ["v/img/p1.png"]),
        ("v/img/p3-copy.png", 1, 1,
         "duplicate of `img/p3.png` (the same picture: 3 KB vs 1.1 MB, 0 of 256 hash bits differ); "
         f"2 references in 2 notes: point them at `p3.png` {tail}", ["v/img/p3.png"]),
    ]
    assert all(f["fixable"] for f in found)
    result = run_cli("fix", "v", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (work / "a.md").read_bytes() == (b"![](img/p0.png)\n![](img/p0.png)\n![](img/p1.png)\n![](img/p1.png)\n"
                                            b"![](img/p3.png)\n![](img/p3.png)\n![](img/p3.png)\n")
    assert (work / "b.md").read_bytes() == b"![](img/p3.png) ![](img/p3.png)\n"


def _bits_apart(work: Path, a: str, b: str) -> int:
    return hamming(signature(work / a).phash, signature(work / b).phash)


def test_max_aspect_difference_is_a_percentage_of_the_aspect_ratio(tmp_path):
    """max-aspect-difference = 50: a copy stretched to exactly 1.5 times the aspect ratio is joined,
    one stretched 1.51 times is not (the pictures are otherwise the same: 0-2 hash bits apart)."""
    p, q = _diagram(), _diagram(shift=150, label=(300, 30))
    work = _make_vault(tmp_path / "v", {
        "p.png": _encoded(p, pad_to=4096),
        "p-wide.png": _encoded(p.resize((600, 260)), pad_to=5120),
        "q.png": _encoded(q, pad_to=4096),
        "q-wider.png": _encoded(q.resize((604, 260)), pad_to=5120),
        "n.md": "![](p.png) ![](p-wide.png) ![](q.png) ![](q-wider.png)\n",
    }, "[rules.duplicate-image]\nmax-aspect-difference = 50\n")
    bits = _bits_apart(work, "p.png", "p-wide.png")
    assert _summary(_findings(tmp_path)) == [
        ("v/p.png", 1, 1,
         f"duplicate of `p-wide.png` (the same picture: 400x260 vs 600x260 px, 4 KB vs 5 KB, {bits} of 256 hash bits "
         "differ); 1 reference in `n.md`: point it at `p-wide.png` with `notelint fix`, then delete this copy",
         ["v/p-wide.png"]),
    ]
    (work / ".notelint.toml").write_text('select = ["duplicate-image"]\n')
    assert _findings(tmp_path) == []  # by default (3%) neither stretched copy is the same picture


def test_min_correlation_100_joins_only_identical_thumbnails(tmp_path):
    """A JPEG of a PNG correlates 0.9999: a copy by default, not at min-correlation = 100 (1.0, not 0.99)."""
    work = _make_vault(tmp_path / "v", {
        "d.png": _encoded(_diagram()),
        "d.jpg": _encoded(_diagram(), "JPEG", quality=95),
        "n.md": "![](d.png) ![](d.jpg)\n",
    }, "[rules.duplicate-image]\nmin-correlation = 100\n")
    assert _findings(tmp_path) == []
    (work / ".notelint.toml").write_text('select = ["duplicate-image"]\n')
    assert [(f["path"], f["related"]) for f in _findings(tmp_path)] == [("v/d.png", ["v/d.jpg"])]  # a tie: by name


def test_two_images_are_compared_and_the_larger_in_pixels_is_canonical(tmp_path):
    """Exactly two referenced images; equally referenced, so the one with more pixels is kept
    although its path is longer."""
    work = _make_vault(tmp_path / "v", {
        "a.png": _encoded(_picture(0), pad_to=1500),
        "big.png": _encoded(_picture(0, (128, 96)), pad_to=2500),
        "n.md": "![](a.png)\n![](big.png)\n",
    })
    bits = _bits_apart(work, "a.png", "big.png")
    assert _summary(_findings(tmp_path)) == [
        ("v/a.png", 1, 1,
         f"duplicate of `big.png` (the same picture: 64x48 vs 128x96 px, 1 KB vs 2 KB, {bits} of 256 hash bits differ); "
         "1 reference in `n.md`: point it at `big.png` with `notelint fix`, then delete this copy", ["v/big.png"]),
    ]
    assert run_cli("fix", "v", cwd=tmp_path).returncode == 0
    assert (work / "n.md").read_bytes() == b"![](big.png)\n![](big.png)\n"


def test_images_over_max_pixels_match_by_bytes_only_in_a_check(tmp_path):
    """max-pixels = 50,000: the 400x260 diagram is not decoded, so its half-size copy is not found,
    while a byte-identical copy still is."""
    big = _encoded(_diagram())
    _make_vault(tmp_path / "v", {
        "a.png": big,
        "a-dup.png": big,
        "b.png": _encoded(_diagram().resize((200, 130))),
        "n.md": "![](a.png) ![](a-dup.png) ![](b.png)\n",
    }, "[rules.duplicate-image]\nmax-pixels = 50000\n")
    assert _summary(_findings(tmp_path)) == [
        ("v/a-dup.png", 1, 1,
         "duplicate of `a.png` (identical bytes); 1 reference in `n.md`: point it at `a.png` with `notelint fix`, "
         "then delete this copy", ["v/a.png"]),
    ]


def test_excluded_and_per_file_ignored_copies_are_neither_reported_nor_relinked(tmp_path):
    data = _encoded(_picture(3))
    work = _make_vault(tmp_path / "v", {
        "c.png": data,
        "x/copy.png": data,
        "y/copy.png": data,
        "z/copy.png": data,
        "n.md": "![](c.png) ![](c.png) ![](x/copy.png) ![](y/copy.png) ![](z/copy.png)\n",
    }, 'exclude = ["x/**"]\n[per-file-ignores]\n"y/**" = ["duplicate-image"]\n')
    assert _summary(_findings(tmp_path)) == [
        ("v/z/copy.png", 1, 1,
         "duplicate of `c.png` (identical bytes); 1 reference in `n.md`: point it at `c.png` with `notelint fix`, "
         "then delete this copy", ["v/c.png", "v/x/copy.png", "v/y/copy.png"]),
    ]
    assert run_cli("fix", "v", cwd=tmp_path).returncode == 0
    assert (work / "n.md").read_bytes() == b"![](c.png) ![](c.png) ![](x/copy.png) ![](y/copy.png) ![](c.png)\n"


def _image_cache(work: Path) -> dict:
    return json.loads((work / ".notelint_cache" / "images.json").read_text())


def _half_size_copy_added_later(tmp_path, config: str = "") -> Path:
    """A first check hashes a.png without keeping its thumbnail (it had no candidate); then a
    half-size copy of it appears, so the second check must decode a.png again for verification."""
    work = _make_vault(tmp_path / "v", {
        "a.png": _encoded(_diagram(), pad_to=2048),
        "c.png": _encoded(_picture(3)),
        "n.md": "![](a.png) ![](c.png)\n",
    })
    assert _findings(tmp_path) == []
    data = _image_cache(work)
    assert "th" not in data["signatures"][data["files"]["a.png"][-1]]  # the premise: no thumbnail cached
    (work / "b.png").write_bytes(_encoded(_diagram().resize((200, 130)), pad_to=3072))
    (work / "n.md").write_text("![](a.png) ![](c.png) ![](b.png)\n")
    (work / ".notelint.toml").write_text('select = ["duplicate-image"]\n' + config)
    return work


def test_a_cached_image_without_thumbnail_is_decoded_again_to_verify_a_new_copy(tmp_path):
    work = _half_size_copy_added_later(tmp_path)
    bits = _bits_apart(work, "b.png", "a.png")
    assert _summary(_findings(tmp_path)) == [
        ("v/b.png", 1, 1,
         f"duplicate of `a.png` (the same picture: 200x130 vs 400x260 px, 3 KB vs 2 KB, {bits} of 256 hash "
         "bits differ); 1 reference in `n.md`: point it at `a.png` with `notelint fix`, then delete this copy",
         ["v/a.png"]),
    ]


def test_max_pixels_also_bounds_the_images_decoded_again_for_verification(tmp_path):
    """a.png's hash is cached from a run with the default max-pixels; with max-pixels = 50,000 its
    400x260 pixels are not decoded for the thumbnail, so the half-size copy is not verified."""
    _half_size_copy_added_later(tmp_path, "[rules.duplicate-image]\nmax-pixels = 50000\n")
    assert _findings(tmp_path) == []


def test_a_warm_check_with_the_same_images_reuses_the_grouping(tmp_path, monkeypatch, capsys):
    """The image cache remembers the last grouping: a check after a note changed (the results cache
    misses) but with the same images and thresholds searches no pairs and reports the same."""
    from notelint.cli import main

    work = _make_vault(tmp_path / "v", {
        "a.png": _encoded(_diagram()),
        "b.png": _encoded(_diagram().resize((200, 130))),
        "n.md": "![](a.png) ![](b.png)\n",
    })

    def check() -> list[str]:
        code = main(["check", "--format", "json", "v"])
        found = json.loads(capsys.readouterr().out)
        assert code == 1
        return [(f["path"], f["related"]) for f in found]

    monkeypatch.chdir(tmp_path)
    expected = [("v/b.png", ["v/a.png"])]
    assert check() == expected
    calls = []
    monkeypatch.setattr(imagegroups, "find_groups", lambda *a, **k: calls.append(a) or find_groups(*a, **k))
    (work / "n.md").write_text("# changed\n\n![](a.png) ![](b.png)\n")
    assert check() == expected
    assert calls == []


def test_the_image_cache_forgets_deleted_images(tmp_path):
    work = _make_vault(tmp_path / "v", {
        "a.png": _encoded(_picture(0)),
        "b.png": _encoded(_picture(0)),
        "c.png": _encoded(_picture(3)),
        "n.md": "![](a.png) ![](b.png) ![](c.png)\n",
    })
    assert len(_findings(tmp_path)) == 1
    assert set(_image_cache(work)["files"]) == {"a.png", "b.png", "c.png"}
    (work / "c.png").unlink()
    assert len(_findings(tmp_path)) == 1
    data = _image_cache(work)
    assert set(data["files"]) == {"a.png", "b.png"}
    assert set(data["signatures"]) == {data["files"]["a.png"][-1]}


def test_thumbnails_decoded_again_for_verification_are_kept_in_the_cache(tmp_path):
    """A candidate's thumbnail is cached once it was needed (`ImageCache.keep_thumb`), also when it
    had to be decoded again because the cache had only its hash: later image sets decode nothing."""
    work = _half_size_copy_added_later(tmp_path)
    assert len(_findings(tmp_path)) == 1
    data = _image_cache(work)
    assert {rel: "th" in data["signatures"][data["files"][rel][-1]] for rel in data["files"]} == {
        "a.png": True, "b.png": True, "c.png": False}


# ------------------------------------------------------------------ the rule object, as the engine uses it


def _workspace(root: Path):
    from notelint import engine

    [ws], _ = engine.prepare([str(root)], engine.RunOptions(select=["duplicate-image"], no_cache=True))
    return ws


def _same_bytes_vault(root: Path, name: str) -> Path:
    data = _encoded(_picture(3))
    return _make_vault(root, {"c.png": data, name: data, "n.md": f"![](c.png) ![](c.png) ![]({name})\n"})


def test_check_vault_prepares_itself_for_a_workspace_it_was_not_prepared_with(tmp_path):
    """Like every vault rule, `check_vault(ws)` works on a fresh rule and on a second workspace."""
    from notelint.rules.duplicate_image import DuplicateImage

    one = _workspace(_same_bytes_vault(tmp_path / "one", "copy-1.png"))
    two = _workspace(_same_bytes_vault(tmp_path / "two", "copy-2.png"))
    rule = DuplicateImage()
    assert [(f.path, f.related) for f in rule.check_vault(one)] == [("copy-1.png", ["c.png"])]
    assert [(f.path, f.related) for f in rule.check_vault(two)] == [("copy-2.png", ["c.png"])]
    assert [(f.path, f.related) for f in rule.check_vault(two)] == [("copy-2.png", ["c.png"])]


def test_note_fixes_of_an_unprepared_rule_are_none(tmp_path):
    from notelint.rules.duplicate_image import DuplicateImage

    ws = _workspace(_same_bytes_vault(tmp_path / "v", "copy.png"))
    assert list(DuplicateImage().note_fixes(ws.note("n.md"))) == []
    prepared = [r for r in ws.rules if r.name == "duplicate-image"][0]
    assert [[(e.start, e.end, e.replacement) for e in f.edits] for f in prepared.note_fixes(ws.note("n.md"))] == [
        [(26, 34, "c.png")]]


def test_fix_leaves_a_reference_in_the_wrong_case_to_dangling_image(tmp_path):
    """Only references that resolve exactly are the copy's (counted in the message, relinked);
    `COPY.png` for `copy.png` is dangling-image's business, left byte for byte."""
    work = _same_bytes_vault(tmp_path / "v", "copy.png")
    (work / "n.md").write_text("![](c.png) ![](c.png) ![](copy.png)\n![](COPY.png)\n")
    found = _findings(tmp_path)
    assert [(f["path"], f["message"].split(":")[0]) for f in found] == [
        ("v/copy.png", "duplicate of `c.png` (identical bytes); 1 reference in `n.md`")]
    assert run_cli("fix", "v", cwd=tmp_path).returncode == 0
    assert (work / "n.md").read_bytes() == b"![](c.png) ![](c.png) ![](c.png)\n![](COPY.png)\n"


def test_a_reference_that_cannot_name_the_canonical_file_is_not_rewritten(tmp_path):
    """An embed cannot name `c#1.png` (`#` starts a heading): that reference is left as it is, and
    the finding is not fixable."""
    data = _encoded(_picture(3))
    work = _make_vault(tmp_path / "v", {
        "c#1.png": data, "copy.png": data, "n.md": "![](c%231.png) ![](c%231.png) ![[copy.png]]\n"})
    found = _findings(tmp_path)
    assert [(f["path"], f["related"], f["fixable"]) for f in found] == [("v/copy.png", ["v/c#1.png"], False)]
    result = run_cli("fix", "v", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert (work / "n.md").read_bytes() == b"![](c%231.png) ![](c%231.png) ![[copy.png]]\n"
