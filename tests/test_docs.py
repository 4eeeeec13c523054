"""The README and docs/ stand on their own: every link points at a file in this repository."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("**/*.md"))]

# [text](target), [label]: target, <a href="target">, and a bare ../path anywhere in the text.
LINK = re.compile(r"\]\(\s*<?([^)\s>]+)|^\s*\[[^\]]+\]:\s*<?(\S+?)>?\s*$|href=\"([^\"]+)\"", re.M)
UP_PATH = re.compile(r"(?<![\w./-])(\.\./[\w./-]*)")
EXTERNAL = ("http://", "https://", "mailto:")


def broken_links(document: Path) -> list[str]:
    """Links (and ../ paths) in a Markdown file that leave the repository or name no file."""
    text = document.read_text(encoding="utf-8")
    targets = [next(group for group in match.groups() if group) for match in LINK.finditer(text)]
    problems = []
    for target in targets + UP_PATH.findall(text):
        if target.startswith(EXTERNAL) or target.startswith("#"):
            continue
        path = (document.parent / target.split("#")[0]).resolve()
        if not path.is_relative_to(ROOT):
            problems.append(f"{target} (outside the repository)")
        elif not path.exists():
            problems.append(f"{target} (no such file)")
    return problems


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_docs_link_only_to_files_in_the_repository(document):
    assert broken_links(document) == []


def test_broken_and_outside_links_are_caught(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "README.md").write_text("x")
    document = tmp_path / "docs" / "page.md"
    document.write_text(
        "[ok](../README.md) [web](https://example.org) [here](#top)\n"
        "[gone](missing.md) Product: `../../shared/PRODUCT.md`\n[ref]: /etc/passwd\n"
    )
    assert broken_links(document) == [
        "missing.md (no such file)",
        "/etc/passwd (outside the repository)",
        "../../shared/PRODUCT.md (outside the repository)",
    ]


def test_readme_starts_with_the_two_commands():
    assert (ROOT / "README.md").read_text(encoding="utf-8").startswith(
        "```\nmake run\nmake test\n```\n"
    )


def test_readme_names_what_the_fresh_machine_check_installs_first():
    script = (ROOT / "scripts" / "fresh-machine-check.sh").read_text(encoding="utf-8")
    prerequisites = re.search(r"^PREREQUISITES=\(([^)]*)\)", script, re.M).group(1).split()
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## A fresh machine")[1]
    section = section.split("\n## ")[0]
    assert prerequisites and all(f"`{name}`" in section for name in prerequisites)
