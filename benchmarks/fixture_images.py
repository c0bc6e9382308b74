"""Writes the images of the test vaults `tests/fixtures/images-obsidian/attachments/` and
`tests/fixtures/images-dendron/assets/images/` (deterministic; run it only to rebuild them,
then regenerate those vaults' golden files).

    python benchmarks/fixture_images.py

Copies: an exact copy, a 50 % JPEG copy, a WebP copy. Must not be grouped: six captures of
one app, six similar diagrams, two blank canvases, an empty file, a file that is not an image.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import image_bench as bench  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
OUT = FIXTURES / "images-obsidian" / "attachments"
DENDRON = FIXTURES / "images-dendron" / "assets" / "images"
WIDTH = 640


def small(img):
    from PIL import Image

    w, h = img.size
    return img.resize((WIDTH, round(h * WIDTH / w)), Image.Resampling.LANCZOS)


def main() -> None:
    from PIL import Image

    OUT.mkdir(parents=True, exist_ok=True)
    flow = small(bench.diagram(random.Random(1), 900, 0)[0])
    flow.save(OUT / "diagram-flow.png", optimize=True)
    (OUT / "diagram-flow copy.png").write_bytes((OUT / "diagram-flow.png").read_bytes())
    editor = small(bench.code(random.Random(2), 901, 0)[0])
    editor.save(OUT / "screenshot-editor.png", optimize=True)
    editor.resize((editor.width // 2, editor.height // 2), Image.Resampling.BICUBIC).save(
        OUT / "screenshot-editor-small.jpg", quality=80)
    lake = small(bench.photo(random.Random(3), 902, 0)[0])
    lake.save(OUT / "photo-lake.jpg", quality=85)
    lake.save(OUT / "photo-lake.webp", quality=80)
    for i in range(6):  # one app, six different captures (hard negatives)
        small(bench.ui(random.Random(10 + i), 903, i)[0]).save(OUT / f"app-{i + 1}.png", optimize=True)
    for i in range(6):  # one diagram family: a box moved, a label changed
        small(bench.diagram(random.Random(20 + i), 904, i)[0]).save(OUT / f"sketch-{i + 1}.png", optimize=True)
    Image.new("RGB", (640, 400), "white").save(OUT / "blank.png")
    Image.new("RGB", (800, 500), (250, 250, 250)).save(OUT / "blank-canvas.png")
    (OUT / "empty.png").write_bytes(b"")
    (OUT / "empty-too.png").write_bytes(b"")
    (OUT / "not-an-image.png").write_bytes(b"this is text saved with a .png name\n")
    (OUT / "unused copy of flow.png").write_bytes((OUT / "diagram-flow.png").read_bytes())
    print(f"wrote {len(list(OUT.iterdir()))} files to {OUT}")
    # the Dendron vault: an exact copy named as a browser saves a second download, a half-size JPEG
    DENDRON.mkdir(parents=True, exist_ok=True)
    flow.save(DENDRON / "flow.png")
    (DENDRON / "flow (1).png").write_bytes((DENDRON / "flow.png").read_bytes())
    flow.convert("RGB").resize((flow.width // 2, flow.height // 2), Image.Resampling.BICUBIC).save(
        DENDRON / "flow-small.jpg", quality=80)
    Image.open(OUT / "sketch-1.png").save(DENDRON / "sketch.png")
    print(f"wrote {len(list(DENDRON.iterdir()))} files to {DENDRON}")


if __name__ == "__main__":
    main()
