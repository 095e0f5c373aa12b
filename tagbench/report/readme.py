"""The README's generated blocks: copies of the reports, and the results table beside the
lesson's numbers, never typed by hand (`tagbench readme` rewrites them)."""

import re
from pathlib import Path

from tagbench.artifacts import (
    DATASET_VERSIONS,
    FLOAT_DRIFT,
    GOEMOTIONS_MD,
    NOISE_FLOOR,
    SCALING_MD,
    SLICES_MD,
    TRADEOFFS_MD,
    metrics_path,
)
from tagbench.io import read_json
from tagbench.report import lesson


def _fmt(value):
    return "" if value is None else f"{value:.3f}"


def results_table(baselines):
    """Markdown: each baseline's test and val macro F1 beside the lesson's numbers."""
    rows = ["| baseline | test macro F1 | test micro F1 | val macro F1 | lesson (published) "
            "| lesson code re-run |", "|---|---|---|---|---|---|"]
    for name in baselines:
        path = metrics_path(name)
        if not path.exists():
            rows.append(f"| {name} | not built | | | {_fmt(lesson.PUBLISHED_F1.get(name))} "
                        f"| {_fmt(lesson.RERUN_F1.get(name))} |")
            continue
        m = read_json(path)
        rows.append(f"| {name} | {_fmt(m['test']['f1'])} | {_fmt(m['test']['micro_f1'])} "
                    f"| {_fmt(m['val']['f1'])} | {_fmt(lesson.PUBLISHED_F1.get(name))} "
                    f"| {_fmt(lesson.RERUN_F1.get(name))} |")
    return "\n".join(rows)


README_COPIES = {  # block -> the generated report it copies, what builds it, the document
    "tradeoffs": (TRADEOFFS_MD, "dvc repro report", "README.md"),
    "slices": (SLICES_MD, "dvc repro slices", "README.md"),
    "goemotions": (GOEMOTIONS_MD, "make goemotions", "README.md"),
    "scaling": (SCALING_MD, "python benchmarks/scaling.py", "README.md"),
    "noise": (NOISE_FLOOR.with_suffix(".md"), "make noise", "docs/comparing.md"),
    "drift": (FLOAT_DRIFT.with_suffix(".md"), "make drift", "docs/comparing.md"),
    "versions": (DATASET_VERSIONS, "make compare-versions", "docs/comparing.md"),
}
HEAD_ONLY = {"goemotions"}  # copied up to their first section; the rest stays in the report


def readme_copy(block, root="."):
    """A generated report for the README: without its title when it has one, its sections
    one heading level down (or, for HEAD_ONLY blocks, none of them)."""
    path, command, _ = README_COPIES[block]
    path = Path(root) / path
    if not path.exists():
        return f"Not built yet: run `{command}`."
    lines = path.read_text(encoding="utf-8").splitlines()
    if lines[0].startswith("# "):
        lines = lines[1:]
    if block in HEAD_ONLY:
        lines = lines[:next((i for i, line in enumerate(lines) if line.startswith("## ")),
                            len(lines))]
    return "\n".join("#" + line if line.startswith("## ") else line for line in lines).strip()


def replace_block(document, name, content):
    """Replace the text between <!-- name:start --> and <!-- name:end --> markers."""
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
    if not pattern.search(document):
        raise ValueError(f"no <!-- {name}:start --> ... <!-- {name}:end --> block")
    return pattern.sub(lambda m: m.group(1) + content + "\n" + m.group(2), document)
