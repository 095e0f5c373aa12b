"""The README's generated blocks: copies of the reports, and the results table beside the
lesson's numbers, never typed by hand (`tagbench readme` rewrites them)."""

import json
import re
from pathlib import Path

from tagbench.data.artifacts import (
    DATASET_VERSIONS,
    FLOAT_DRIFT,
    GOEMOTIONS_MD,
    NOISE_FLOOR,
    SCALING_MD,
    SLICES_MD,
    TRADEOFFS_MD,
    metrics_path,
)
from tagbench.report import lesson, seeds


def _fmt(value):
    return "" if value is None else f"{value:.3f}"


def workspace(path):
    """A file's text in the workspace, None when it is not built."""
    path = Path(path)
    return path.read_text(encoding="utf-8") if path.exists() else None


def results_table(baselines, read=workspace):
    """Markdown: each baseline's test and val macro F1, its test macro F1 over the noise
    floor's model seeds where a seed moves it, its F1 on the future set with its interval, and
    the lesson's numbers, from the metrics files as read gives them (the workspace's, or a
    commit's)."""
    noise = read(NOISE_FLOOR)
    spread = seeds.spreads(json.loads(noise) if noise else None)
    rows = ["| baseline | test macro F1 | over model seeds: mean ± sd | test micro F1 "
            "| val macro F1 | future set F1 [95% CI] | lesson (published) | lesson code re-run |",
            "|---|---|---|---|---|---|---|---|"]
    for name in baselines:
        lessons = (f"| {_fmt(lesson.PUBLISHED_F1.get(name))} "
                   f"| {_fmt(lesson.RERUN_F1.get(name))} |")
        text = read(metrics_path(name))
        if text is None:
            rows.append(f"| {name} | not built | | | | {lessons}")
            continue
        m = json.loads(text)
        rows.append(f"| {name} | {_fmt(m['test']['f1'])} | {seeds.cell(spread.get(name))} "
                    f"| {_fmt(m['test']['micro_f1'])} | {_fmt(m['val']['f1'])} "
                    f"| {future_cell(m.get('future'))} {lessons}")
    return "\n".join(rows)


def future_cell(result):
    """F1 on the future set with its interval, or nothing without one."""
    if not result:
        return ""
    return f"{result['f1']:.3f} [{result['f1_low']:.2f}, {result['f1_high']:.2f}]"


README_COPIES = {  # block -> the generated report it copies, what builds it, the document
    "tradeoffs": (TRADEOFFS_MD, "dvc repro report", "README.md"),
    "slices": (SLICES_MD, "dvc repro slices", "docs/baselines.md"),
    "goemotions": (GOEMOTIONS_MD, "make goemotions", "docs/guide.md"),
    "scaling": (SCALING_MD, "python benchmarks/scaling.py", "docs/guide.md"),
    "noise": (NOISE_FLOOR.with_suffix(".md"), "make noise", "docs/comparing.md"),
    "drift": (FLOAT_DRIFT.with_suffix(".md"), "make drift", "docs/comparing.md"),
    "versions": (DATASET_VERSIONS, "make compare-versions", "docs/comparing.md"),
}
KEPT = {"goemotions": 0, "tradeoffs": 1}  # how many of its sections a copy keeps (else all)


def readme_copy(block, read=workspace):
    """A generated report for the README (as read gives it: the workspace's, or a commit's):
    without its title when it has one, its sections one heading level down (for KEPT
    blocks, only their first few)."""
    path, command, _ = README_COPIES[block]
    text = read(path)
    if text is None:
        return f"Not built yet: run `{command}`."
    lines = text.splitlines()
    if lines[0].startswith("# "):
        lines = lines[1:]
    if block in KEPT:
        heads = [i for i, line in enumerate(lines) if line.startswith("## ")]
        lines = lines[:heads[KEPT[block]] if len(heads) > KEPT[block] else len(lines)]
    return "\n".join("#" + line if line.startswith("## ") else line for line in lines).strip()


def replace_block(document, name, content):
    """Replace the text between <!-- name:start --> and <!-- name:end --> markers."""
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
    if not pattern.search(document):
        raise ValueError(f"no <!-- {name}:start --> ... <!-- {name}:end --> block")
    return pattern.sub(lambda m: m.group(1) + content + "\n" + m.group(2), document)
