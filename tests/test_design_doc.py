"""docs/DESIGN.md is the design the code cites: every "DESIGN §n" points at a section that
exists, the README links to it, and nothing in the repository points outside it for the design.

No database needed: these tests read the files git tracks.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parent.parent
DESIGN = REPO_DIR / "docs" / "DESIGN.md"
README = REPO_DIR / "README.md"

#: Which tracked files may cite the design: source, data, templates, documentation.
CITING_SUFFIXES = {".py", ".toml", ".html", ".md", ".txt", ".cfg", ".ini", ".mako"}
CITING_NAMES = {"Makefile"}

#: "DESIGN §4", "DESIGN §1 and §3", "docs/DESIGN.md §2": the section numbers after DESIGN.
CITATION = re.compile(r"\bDESIGN(?:\.md)?((?:\s*(?:,|and|en|&)?\s*§\s*\d+)+)")
SECTION_HEADING = re.compile(r"^## (\d+)\.\s+(.+?)\s*$", re.MULTILINE)
#: Markdown links into the design with an anchor: (docs/DESIGN.md#4-deadline-phrases).
DESIGN_ANCHOR = re.compile(r"\(docs/DESIGN\.md#([^)\s]+)\)")

#: Paths outside the repository that once held the design; built from parts so that this file
#: does not itself contain what it forbids.
FORBIDDEN = ("../" + "shared", "shared" + "/DESIGN", "/work" + "/shared")


@cache
def tracked_files() -> tuple[Path, ...]:
    """The files git tracks (new files count once they are added)."""
    try:
        listing = subprocess.run(
            ["git", "ls-files", "-z"],  # noqa: S607
            cwd=REPO_DIR,
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout.decode()
        names = [name for name in listing.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        # No git (an exported tarball): fall back to walking the tree.
        ignored = {".git", ".venv", "node_modules", "instance", "__pycache__", "artifacts"}
        names = [
            str(path.relative_to(REPO_DIR))
            for path in REPO_DIR.rglob("*")
            if path.is_file() and not ignored & set(path.relative_to(REPO_DIR).parts)
        ]
    return tuple(REPO_DIR / name for name in sorted(names) if (REPO_DIR / name).is_file())


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def citing_files() -> list[Path]:
    return [
        path
        for path in tracked_files()
        if path.suffix in CITING_SUFFIXES or path.name in CITING_NAMES
    ]


def design_sections() -> dict[int, str]:
    """Section number → title, from the "## N. Title" headings of docs/DESIGN.md."""
    return {int(number): title for number, title in SECTION_HEADING.findall(text_of(DESIGN))}


def citations() -> list[tuple[str, int, int]]:
    """(file, line, section) for every "DESIGN §n" in the repository."""
    found = []
    for path in citing_files():
        for line_number, line in enumerate(text_of(path).splitlines(), start=1):
            for match in CITATION.finditer(line):
                for number in re.findall(r"\d+", match.group(1)):
                    found.append((str(path.relative_to(REPO_DIR)), line_number, int(number)))
    return found


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: "4. Deadline phrases" → "4-deadline-phrases"."""
    kept = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return kept.replace(" ", "-")


def test_the_design_has_numbered_sections_in_order():
    numbers = list(design_sections())
    assert numbers, "docs/DESIGN.md has no '## N. Title' headings"
    assert numbers == list(range(1, len(numbers) + 1)), numbers


def test_the_code_cites_the_design():
    """Guards the search itself: if it found nothing, the next test would prove nothing."""
    cited = {section for _file, _line, section in citations()}
    assert {1, 3, 4, 6, 7} <= cited, cited


def test_every_citation_names_a_section_that_exists():
    sections = design_sections()
    dangling = [
        f"{file}:{line}: DESIGN §{section}"
        for file, line, section in citations()
        if section not in sections
    ]
    assert not dangling, "citations of sections docs/DESIGN.md does not have:\n" + "\n".join(
        dangling
    )


@pytest.mark.parametrize(
    ("section", "words"),
    [
        (1, "domain"),
        (2, "layers"),
        (3, "status"),
        (4, "deadline"),
        (6, "contracts"),
        (7, "configuration"),
    ],
)
def test_cited_sections_are_about_what_the_code_says(section, words):
    assert words in design_sections()[section].lower()


def test_the_readme_links_the_design():
    readme = text_of(README)
    assert "](docs/DESIGN.md" in readme


def test_links_into_the_design_point_at_real_headings():
    headings = {github_anchor(f"{n}. {title}") for n, title in design_sections().items()}
    for path in citing_files():
        if path.suffix != ".md":
            continue
        for anchor in DESIGN_ANCHOR.findall(text_of(path)):
            assert anchor in headings, f"{path.relative_to(REPO_DIR)}: #{anchor} is no heading"


def test_nothing_points_outside_the_repository_for_the_design():
    offenders = [
        f"{path.relative_to(REPO_DIR)}: {forbidden}"
        for path in tracked_files()
        for forbidden in FORBIDDEN
        if forbidden in text_of(path)
    ]
    assert not offenders, offenders
