"""The repository's docs stand alone: nothing outside tests/ points at the team's shared
files, and every relative link of README.md and docs/*.md resolves."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def test_nothing_outside_tests_points_at_the_shared_files() -> None:
    found = subprocess.run(
        ["git", "grep", "-n", "-e", "../shared/", "-e", "/work/shared", "--", ":!tests/"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert found.returncode == 1 and found.stdout == "", found.stdout


def _anchors(path: Path) -> set[str]:
    heads = re.findall(r"^#+\s+(.*)$", path.read_text(), re.M)
    return {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-") for h in heads}


def test_every_relative_link_of_the_docs_resolves() -> None:
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    checked = 0
    for doc in docs:
        for target in LINK.findall(doc.read_text()):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue
            file, _, anchor = target.partition("#")
            path = (doc.parent / file).resolve()
            assert path.exists(), f"{doc.name}: {target}"
            if anchor:
                assert anchor in _anchors(path), f"{doc.name}: {target}"
            checked += 1
    assert checked >= 8
