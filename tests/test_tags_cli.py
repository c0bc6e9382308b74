"""`notelint tags`: every tag of the vault with its count and spellings, most used first."""

import json

from helpers import FIXTURES, REPO, run_cli


def test_tags_json_lists_counts_and_spellings_most_used_first():
    result = run_cli("tags", "--format", "json", "tags-obsidian", cwd=FIXTURES)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows == sorted(rows, key=lambda r: (-r["count"], r["tag"].casefold()))
    by_tag = {r["tag"]: r for r in rows}
    assert by_tag["video-generation"]["count"] == 5
    assert by_tag["video-generation"]["notes"] == 3
    assert by_tag["video-generation"]["spellings"] == [
        {"spelling": "video-generation", "count": 3},
        {"spelling": "Video-Generation", "count": 1},
        {"spelling": "video_generation", "count": 1},
    ]
    # `aliases = { ML = "machine-learning" }` in the vault's .notelint.toml joins `ML` and `ml` to it
    assert by_tag["machine-learning"]["spellings"] == [
        {"spelling": "ML", "count": 1}, {"spelling": "machine_learning", "count": 1}, {"spelling": "ml", "count": 1}]


def test_tags_text_on_the_sample_vault(tmp_path):
    result = run_cli("tags", str(REPO / "examples" / "sample-vault"), cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["count", "notes", "tag"]
    assert lines[1].split() == ["3", "1", "image_editing"]
    assert lines[2].split() == ["3", "1", "Video"]
    assert "自动驾驶" in result.stdout
    assert lines[-1] == "14 tags, 19 uses."


def test_tags_names_each_spelling_under_a_convention(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[rules.tag-style]\nconvention = "lower-snake"\n')
    result = run_cli("tags", "--config", str(config), str(REPO / "examples" / "sample-vault"), cwd=tmp_path)
    assert "    3      1  video  (written as Video (3))" in result.stdout.splitlines()
