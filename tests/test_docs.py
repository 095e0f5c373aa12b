"""The docs' map of the code matches the code: every path of the repository a document
names in backticks exists, and every module a layout (docs/development.md's list,
docs/baselines.md's table) places in a folder of tagbench is in that folder."""

import re

import pytest

from conftest import REPO

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
CODE = ("tagbench/", "stages/", "benchmarks/", "tests/")
PATH = re.compile(r"`((?:" + "|".join(CODE) + r")[\w./-]*)(?:::\w+)?`")
FOLDER = re.compile(r"^(?:\| |- )`(\w+)/`")  # a layout row: "| `runs/` | ..." or "- `core/`: ..."
NAME = re.compile(r"`([a-z_][a-z0-9_]*)`")


def defined(folder):
    """The modules, packages and top-level functions and classes under tagbench/<folder>."""
    found = set()
    for path in folder.rglob("*.py"):
        found |= {path.stem, path.parent.name}
        found |= set(re.findall(r"^(?:def|class) (\w+)", path.read_text(), re.M))
    return found | {p.name for p in folder.rglob("*") if p.is_file()}


def entries(text):
    """The document's lines, a list item's indented continuation lines joined to it."""
    joined = []
    for line in text.splitlines():
        if line.startswith("  ") and joined and joined[-1].startswith("- "):
            joined[-1] += " " + line.strip()
        else:
            joined.append(line)
    return joined


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_code_path_a_document_names_exists(doc):
    missing = [p for p in PATH.findall(doc.read_text(encoding="utf-8"))
               if "<" not in p and "*" not in p and not (REPO / p.rstrip("/.")).exists()]
    assert not missing, f"{doc.name} names paths that are not in the repository: {missing}"


@pytest.mark.parametrize("doc", [REPO / "docs" / "development.md", REPO / "docs" / "baselines.md"],
                         ids=lambda p: p.name)
def test_every_module_a_layout_places_in_a_folder_is_there(doc):
    wrong, rows = [], 0
    for line in entries(doc.read_text(encoding="utf-8")):
        folder = FOLDER.match(line)
        if not folder or not (REPO / "tagbench" / folder[1]).is_dir():
            continue
        rows += 1
        there = defined(REPO / "tagbench" / folder[1])
        wrong += [f"{folder[1]}/{name}" for name in NAME.findall(line.split("`", 2)[2])
                  if name not in there]
    assert rows >= 8, f"{doc.name}: no layout found"
    assert not wrong, f"{doc.name} places modules where they are not: {wrong}"
