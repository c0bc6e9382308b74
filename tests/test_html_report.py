"""`--format html`: a self-contained report (summary, duplicate groups as thumbnails, dangling
references with candidates, tags, findings with their lines), bad images as placeholders,
and the page rendered in headless Chromium without errors, thumbnails decoded."""

import base64
import html
import io
import json
import os
import re
import shutil
import stat
import subprocess
import struct
import zlib
from pathlib import Path

import pytest

from helpers import FIXTURES, run_cli

VAULT = "report-obsidian"


def _report(*args: str, cwd: Path = FIXTURES) -> str:
    result = run_cli("check", "--no-cache", "--format", "html", *args, cwd=cwd)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    return result.stdout


def _section(page: str, name: str) -> str:
    """One top-level section (sections nest: it ends where the next one starts)."""
    start = page.index(f'<section id="{name}"')
    following = [i for i in (page.find('<section id="', start + 1), page.find("</body>", start)) if i > 0]
    return page[start : min(following)]


def _data_uris(page: str) -> list[str]:
    return re.findall(r'src="(data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+)"', page)


# --------------------------------------------------------------------------- the page


def test_report_is_self_contained_and_makes_no_requests():
    page = _report(VAULT)
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1))
    assert "default-src 'none'" in csp and "img-src data:" in csp
    assert "<script" not in page and "<link" not in page
    assert not re.search(r'(?:src|href)="(?!data:|#)', page), "every src/href is a data: URI or an anchor"
    assert "http://" not in page and "https://" not in page


def test_summary_counts_per_rule_match_the_json_findings():
    page = _report(VAULT)
    findings = json.loads(run_cli("check", "--no-cache", "--format", "json", VAULT, cwd=FIXTURES).stdout)
    summary = _section(page, "summary")
    rows = re.findall(r'<td class="code \w+">(NL\d+)</td><td><a href="#file-\d+">([a-z-]+)</a></td>'
                      r'<td class="num">(\d+)</td>', summary)
    expected = {}
    for f in findings:
        expected[(f["code"], f["rule"])] = expected.get((f["code"], f["rule"]), 0) + 1
    assert {(c, r): int(n) for c, r, n in rows} == expected
    assert f"Found {len(findings)} findings" in summary


def test_findings_show_the_offending_line_escaped_with_its_span_marked():
    page = _report(VAULT)
    findings = _section(page, "findings")
    # the note's line holds a <script> element: shown as text, never as markup
    assert "<script>alert" not in page
    assert ('<span class="ln">10</span>Escaping check: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; '
            "&amp; &lt;b&gt;bold&lt;/b&gt;<mark>   </mark></pre>") in findings
    # a dangling reference: line number, the reference marked from its column
    assert '<td class="num loc">6:9</td>' in findings
    assert '<span class="ln">6</span>A typo: <mark>![cat](attachments/cta.png)</mark>' in findings
    # a CJK line keeps its characters; the column counts code points
    assert '<td class="num loc">3:37</td>' in findings
    assert "今天的图：![猫](../attachments/cat.png) 和 <mark>![[猫.png]]</mark>" in findings


def _groups(section: str) -> list[str]:
    return section.split('<div class="group"')[1:]


def test_dangling_references_list_the_closest_existing_images_as_thumbnails():
    groups = _groups(_section(_report(VAULT), "dangling"))
    [typo] = [g for g in groups if "Home.md:6:9" in g]
    assert "<code>attachments/cta.png</code>" in typo
    cards = re.findall(r'<div class="path" title="report-obsidian/([^"]+)">([^<]+)</div>', typo)
    assert all(shown == rel for rel, shown in cards), "cards show the path inside the vault"
    assert cards[0][1] == "attachments/cat.png", cards
    assert ("attachments/cat copy.png", "attachments/cat copy.png") in cards
    assert typo.count("<img ") == len(cards)
    # a dangling wikilink gets the closest notes
    [plan] = [g for g in groups if "Home.md:8:5" in g]
    assert "Closest existing notes:" in plan and '<li class="path">report-obsidian/Projects/Plan.md</li>' in plan


def test_one_missing_file_referenced_from_two_notes_is_one_group():
    groups = _groups(_section(_report(VAULT), "dangling"))
    [gone] = [g for g in groups if "<code>diagram-final.png</code>" in g]
    places = re.findall(r'<li><a class="path" href="#file-\d+">([^<]+)</a></li>', gone)
    assert places == ["report-obsidian/Home.md:7:16", "report-obsidian/Projects/Plan.md:9:14"]
    assert "No existing file with a similar name." in gone and "<img" not in gone
    assert len(groups) == 4  # cta.png, diagram-final.png, Plann, 猫.png


def test_tag_table_counts_uses_notes_and_spellings_drift_first():
    page = _report(VAULT)
    tags = _section(page, "tags")
    rows = re.findall(r'<tr( class="drift")?><td><code>#([^<]+)</code></td><td class="num">(\d+)</td>'
                      r'<td class="num">(\d+)</td><td>(.*?)</td></tr>', tags)
    table = {name: (bool(drift), int(uses), int(notes), re.findall(r"<code>#([^<]+)</code> ×(\d+)", sp))
             for drift, name, uses, notes, sp in rows}
    assert table["Project"] == (True, 4, 3, [("Project", "3"), ("project", "1")])
    video_notes = [row for name, row in table.items() if name.casefold().replace("_", "-") == "video-notes"]
    assert video_notes == [(True, 2, 1, [("Video-Notes", "1"), ("video_notes", "1")])]
    assert table["video"] == (False, 1, 1, [("video", "1")])
    assert table["日记"] == (False, 1, 1, [("日记", "1")])
    assert [bool(drift) for drift, *_ in rows] == [True, True, False, False, False], "several spellings first"


def test_truncated_image_gets_a_placeholder_not_a_thumbnail():
    page = _report(VAULT)
    findings = _section(page, "findings")
    head = findings[findings.index("attachments/truncated.png") - 400 : findings.index("attachments/truncated.png")]
    assert 'data-problem="1"' in head and "cannot be decoded" in head
    assert "<img" not in head


def test_thumbnails_are_small_decodable_images():
    from PIL import Image

    uris = _data_uris(_report(VAULT))
    assert uris
    for uri in uris:
        mime, data = uri[5:].split(";base64,")
        raw = base64.b64decode(data)
        assert len(raw) < 40_000
        with Image.open(io.BytesIO(raw)) as im:
            im.load()
            assert im.format.lower() == mime.split("/")[1].replace("jpeg", "jpeg")
            assert max(im.size) <= 160


def test_duplicate_groups_show_each_image_with_facts_and_referencing_notes(tmp_path, monkeypatch):
    """Built from duplicate-image findings (path + related), whichever rule produced them."""
    from notelint import engine, html_report
    from notelint.finding import Finding

    work = tmp_path / VAULT
    shutil.copytree(FIXTURES / VAULT, work)
    monkeypatch.chdir(tmp_path)
    [ws], _ = engine.prepare([VAULT], engine.RunOptions(no_cache=True))
    group = ["attachments/cat copy.png", "attachments/cat.png", "attachments/cat-small.jpg"]
    dup = [Finding(rel, 1, 1, "duplicate-image", "NL404", "the same picture as 2 other files",
                   related=[r for r in group if r != rel]) for rel in group]
    items = [(f, f"{VAULT}/{f.path}", [f"{VAULT}/{r}" for r in f.related]) for f in dup]
    page = html_report.render([ws], items, summary="3 findings")
    section = _section(page, "duplicates")
    assert section.count('<div class="group"') == 1, "three findings of one group: one group"
    cards = section.split('<div class="card">')[1:]
    assert [re.search(r'<div class="path" title="[^"]+">([^<]+)</div>', c).group(1) for c in cards] == [
        "attachments/cat copy.png", "attachments/cat-small.jpg", "attachments/cat.png"]
    assert "1.5 KB · 240×180 px · PNG" in cards[0]
    assert "120×90 px · JPEG" in cards[1]
    assert all("<img " in c and 'src="data:image/' in c for c in cards)
    refs = [re.findall(r'<li class="path">(?:<a href="#file-\d+">)?([^<]+)<', c) for c in cards]
    assert refs == [["Home.md:4"], ["Projects/Plan.md:6"], ["Home.md:3", "Journal/2024-01-01.md:3"]]


def test_duplicate_image_findings_of_the_fixture_show_as_one_group_of_pictures():
    section = _section(_report(VAULT), "duplicates")
    [group] = _groups(section)
    cards = group.split('<div class="card">')[1:]
    paths = [re.search(r'<div class="path" title="([^"]+)">', c).group(1) for c in cards]
    assert paths == [f"{VAULT}/attachments/cat.png", f"{VAULT}/attachments/cat copy.png", f"{VAULT}/attachments/cat-small.jpg"]
    assert '<div class="finding">' not in cards[0], "the file the copies duplicate has no finding of its own"
    assert all('<div class="finding">duplicate of' in c for c in cards[1:])
    assert all('<img ' in c for c in cards)


def test_an_image_finding_shows_the_image_next_to_its_path():
    findings = _section(_report(VAULT), "findings")
    assert re.search(r'<h3 class="filehead"><div class="thumb small"><img [^>]*src="data:image/jpeg;base64,[^"]+" '
                     rf'alt="{VAULT}/attachments/lines.jpg"[^>]*></div><span class="path">{VAULT}/attachments/lines.jpg</span>',
                     findings)


def test_output_option_writes_the_file_and_nothing_to_stdout(tmp_path):
    out = tmp_path / "report.html"
    result = run_cli("check", "--no-cache", "--format", "html", "--output", str(out), VAULT, cwd=FIXTURES)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith(f"notelint: wrote the html report to {out}\nFound ")  # and the summary
    assert out.read_text("utf-8") == _report(VAULT)


def test_output_option_to_a_missing_folder_is_a_usage_error(tmp_path):
    result = run_cli("check", "--no-cache", "--format", "html", "--output", str(tmp_path / "no" / "r.html"), VAULT, cwd=FIXTURES)
    assert result.returncode == 2
    assert "--output" in result.stderr and "cannot write" in result.stderr and "Traceback" not in result.stderr


def test_link_mode_points_at_the_vault_images_relative_to_the_report(tmp_path):
    out = tmp_path / "reports" / "r.html"
    out.parent.mkdir()
    result = run_cli("check", "--no-cache", "--format", "html", "--html-images", "link", "--output", str(out), VAULT, cwd=FIXTURES)
    assert result.returncode == 1, result.stderr
    page = out.read_text("utf-8")
    links = re.findall(r'<img[^>]* src="([^"]+)"', page)
    assert links and not _data_uris(page)
    from urllib.parse import unquote

    for link in links:
        assert (out.parent / unquote(html.unescape(link))).resolve().is_file(), link
    assert "attachments/cat%20copy.png" in page


# --------------------------------------------------------------------------- thumbnails


def _png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    end = b"IEND"
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
            + struct.pack(">I", 0) + end + struct.pack(">I", zlib.crc32(end)))


def test_bad_images_get_a_reason_never_an_exception(tmp_path):
    from notelint.imaging import thumbnails

    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png_header(100_000, 100_000))  # 10 gigapixels promised, nothing behind
    big = tmp_path / "big.png"
    big.write_bytes(_png_header(9000, 9000))
    text = tmp_path / "text.png"
    text.write_bytes(b"just some text, not a picture")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    truncated = tmp_path / "half.png"
    truncated.write_bytes((FIXTURES / VAULT / "attachments" / "truncated.png").read_bytes())
    cases = {
        bomb: "too large to preview (10,000,000,000 pixels)",
        big: "too large to preview (9000×9000 pixels",
        text: "cannot be decoded: not an image format Pillow can read",
        empty: "cannot be decoded",
        truncated: "cannot be decoded: image file is truncated",
        tmp_path / "missing.png": "cannot be read",
    }
    for path, reason in cases.items():
        p = thumbnails.preview(path)
        assert p.src == "" and p.problem.startswith(reason), (path.name, p.problem)
        assert str(tmp_path) not in p.problem


def test_pixel_limit_is_checked_before_decoding(tmp_path):
    from notelint.imaging import thumbnails

    p = thumbnails.preview(FIXTURES / VAULT / "attachments" / "cat.png", max_pixels=1000)
    assert (p.width, p.height, p.format, p.src) == (240, 180, "PNG", "")
    assert p.problem == "too large to preview (240×180 pixels, more than 1,000)"


def test_transparent_image_keeps_alpha_and_svg_is_embedded_as_is(tmp_path):
    from notelint.imaging import thumbnails

    icon = thumbnails.preview(FIXTURES / VAULT / "attachments" / "icon.png")
    assert icon.src.startswith("data:image/png;base64,") and not icon.problem
    svg = tmp_path / "d.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>')
    p = thumbnails.preview(svg)
    assert p.format == "SVG" and base64.b64decode(p.src.split(",", 1)[1]) == svg.read_bytes()


def test_relative_url_never_reads_as_a_scheme(tmp_path):
    from notelint.imaging import thumbnails

    assert thumbnails.relative_url(tmp_path / "a:b c.png", tmp_path) == "./a%3Ab%20c.png"
    assert thumbnails.relative_url(tmp_path / "x.png", tmp_path / "sub") == "../x.png"


def test_control_characters_in_a_line_are_shown_as_symbols():
    from notelint import html_report

    assert html_report._visible("a\x00b\x1bc\x7f<") == "a\u2400b\u241bc\u2421&lt;"


# --------------------------------------------------------------------------- in a browser


def _chromium() -> str | None:
    for name in (os.environ.get("NOTELINT_CHROMIUM", ""), "chromium", "chromium-browser",
                 "google-chrome", "google-chrome-stable"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--hide-scrollbars"]

# Injected before the page's own Content-Security-Policy (which forbids scripts): records
# errors, CSP violations and console errors, then writes what it saw into the DOM.
PROBE = """<script>
window.__problems = [];
window.addEventListener("error", function (e) {
  var t = e.target || {};
  window.__problems.push("error: " + (e.message || t.tagName + " " + (t.src || "")));
}, true);
document.addEventListener("securitypolicyviolation", function (e) {
  window.__problems.push("csp: " + e.violatedDirective + " " + e.blockedURI);
});
var __consoleError = console.error;
console.error = function () { window.__problems.push("console: " + Array.from(arguments).join(" "));
  __consoleError.apply(console, arguments); };
window.addEventListener("load", function () {
  var imgs = Array.from(document.images);
  document.documentElement.setAttribute("data-notelint-check", JSON.stringify({
    images: imgs.length,
    undecoded: imgs.filter(function (i) { return !i.complete || i.naturalWidth === 0; }).map(function (i) { return i.alt; }),
    duplicates: document.querySelectorAll("#duplicates img").length,
    placeholders: document.querySelectorAll("[data-problem]").length,
    problems: window.__problems
  }));
});
</script>"""


def _browse(chromium: str, page: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
                          capture_output=True, text=True, timeout=180)


@pytest.mark.skipif(_chromium() is None, reason="Chromium not found: install Debian's `chromium` "
                    "(`.ci/run` does where it can) or set NOTELINT_CHROMIUM")
@pytest.mark.parametrize("images", ["embed", "link"])
def test_report_renders_in_headless_chromium_without_errors(images, tmp_path):
    from notelint import registry

    chromium = _chromium()
    page = tmp_path / "report.html"
    result = run_cli("check", "--no-cache", "--format", "html", "--html-images", images, "--output", str(page), VAULT, cwd=FIXTURES)
    assert result.returncode == 1, result.stderr
    probed = tmp_path / "probed.html"
    text = page.read_text("utf-8")
    probed.write_text(text.replace("<head>", "<head>" + PROBE, 1), "utf-8")

    dom = _browse(chromium, probed, tmp_path, "--enable-logging=stderr", "--v=0",
                  "--virtual-time-budget=10000", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    found = re.search(r'data-notelint-check="([^"]*)"', dom.stdout)
    assert found, "the page's load handler did not run:\n" + dom.stdout[:2000]
    check = json.loads(html.unescape(found.group(1)))
    assert check["problems"] == []
    assert check["images"] >= 4 and check["undecoded"] == []
    assert check["placeholders"] >= 1  # the truncated PNG
    if registry.lookup("duplicate-image") is not None:
        assert check["duplicates"] >= 2, "duplicate groups are shown as pictures"
    console = [line for line in dom.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []
    if images == "link":
        return  # the screenshot is of the self-contained report

    shot = tmp_path / "report.png"
    taken = _browse(chromium, page, tmp_path, "--window-size=1280,2400", f"--screenshot={shot}")
    assert taken.returncode == 0, taken.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000
    keep = os.environ.get("NOTELINT_SCREENSHOT_DIR")
    if keep:
        shutil.copy(shot, Path(keep) / "report-obsidian.png")


@pytest.mark.skipif(_chromium() is None, reason="Chromium not found: install Debian's `chromium` "
                    "(`.ci/run` does where it can) or set NOTELINT_CHROMIUM")
def test_the_browser_probe_sees_broken_thumbnails_and_blocked_requests(tmp_path):
    """The check above can fail: a thumbnail that does not decode and a request the page's
    policy blocks are both reported by the probe."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><head>" + PROBE
        + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:\">"
        + '</head><body><img alt="broken" src="data:image/png;base64,iVBORw0KGgo=">'
        + '<img alt="remote" src="http://127.0.0.1:9/x.png"></body></html>', "utf-8")
    dom = _browse(_chromium(), page, tmp_path, "--virtual-time-budget=5000", "--dump-dom")
    check = json.loads(html.unescape(re.search(r'data-notelint-check="([^"]*)"', dom.stdout).group(1)))
    assert sorted(check["undecoded"]) == ["broken", "remote"]
    assert any(p.startswith("csp: img-src") for p in check["problems"]), check["problems"]


def test_exif_rotated_photo_reports_and_shows_its_upright_size(tmp_path):
    from PIL import Image

    from notelint.imaging import thumbnails

    photo = tmp_path / "photo.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown rotated 90° clockwise
    Image.new("RGB", (400, 200), (200, 30, 30)).save(photo, exif=exif)
    p = thumbnails.preview(photo)
    assert (p.width, p.height, p.format) == (200, 400, "JPEG")
    with Image.open(io.BytesIO(base64.b64decode(p.src.split(",", 1)[1]))) as thumb:
        assert thumb.size == (80, 160)


def test_hostile_vault_gives_a_report_not_a_traceback(tmp_path):
    vault = tmp_path / "v"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".obsidian" / "app.json").write_text("{}")
    (vault / "binary.md").write_bytes(b"\x00\x01PNG\x00 not text")
    (vault / "crlf.md").write_bytes(b"# T\r\n\r\nline with a tab and spaces\t  \r\n")
    long_line = "x" * 5000 + " <b>&" + "  \t"
    (vault / "long.md").write_text(f"![bomb](bomb.png) ![[gone.png]]\n\n{long_line}\n", "utf-8")
    (vault / "bomb.png").write_bytes(_png_header(100_000, 100_000))
    result = run_cli("check", "--format", "html", "v", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr == "", result.stderr
    page = result.stdout
    findings = _section(page, "findings")
    assert "v/binary.md" in findings and "unreadable-note" in findings
    assert '<span class="ln">3</span>line with a tab and spaces<mark>\t  </mark></pre>' in findings
    # a 5,000-character line is shown around the finding, not whole
    shown = re.search(r'<span class="ln">3</span>(…x+ &lt;b&gt;&amp;)<mark>  \t</mark></pre>', findings)
    assert shown and len(shown.group(1)) < 400
    # the bomb is reported by unreadable-image and shown as a placeholder, never decoded
    head = findings[: findings.index('<span class="path">v/bomb.png</span>')]
    assert head.endswith('<div class="placeholder" data-problem="1" title="too large to preview (10,000,000,000 pixels)">'
                         "too large to preview (10,000,000,000 pixels)</div></div>")


def test_preview_budget_caps_the_images_decoded(tmp_path, monkeypatch):
    from notelint import engine, html_report
    from notelint.finding import Finding

    monkeypatch.chdir(FIXTURES)
    monkeypatch.setattr(html_report, "MAX_PREVIEWS", 1)
    [ws], _ = engine.prepare([VAULT], engine.RunOptions(no_cache=True))
    group = ["attachments/cat.png", "attachments/icon.png"]
    items = [(Finding(group[1], 1, 1, "duplicate-image", "NL404", "same", related=[group[0]]),
              f"{VAULT}/{group[1]}", [f"{VAULT}/{group[0]}"])]
    page = html_report.render([ws], items, summary="1 finding")
    section = _section(page, "duplicates")
    assert section.count("<img ") == 1
    assert "not previewed: the report shows at most 1 images" in section


def test_long_lines_and_long_spans_are_cut_around_the_finding():
    from notelint import html_report
    from notelint.finding import Finding
    from notelint.note import Note

    note = Note.from_text("a" * 1000 + "<" + "b" * 1000 + "\n")
    point = html_report._source_line(note, Finding("note.md", 1, 1001, "r", "X1", "m"))
    assert point.count("a") + point.count("b") <= html_report.LINE_WINDOW + 20
    assert "…" + "a" * 80 in point and "<mark>&lt;</mark>" + "b" * 100 in point and point.endswith("…</pre>")
    span = html_report._source_line(note, Finding("note.md", 1, 1, "r", "X1", "m", end_line=1, end_column=2002))
    assert span.startswith('<pre class="src"><span class="ln">1</span><mark>' + "a" * 240 + "…</mark>")
    assert len(span) < 400


def test_output_file_is_written_whole_with_the_usual_mode(tmp_path):
    """--output replaces the file atomically (no temporary file left) with a new file's mode."""
    out = tmp_path / "report.html"
    out.write_text("old report", "utf-8")
    result = run_cli("check", "--no-cache", "--format", "json", "--output", str(out), VAULT, cwd=FIXTURES)
    assert result.returncode == 1 and result.stdout == ""
    assert out.read_text("utf-8").startswith("[")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask
