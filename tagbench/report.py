"""Tables generated from the metrics files (never typed by hand)."""

import re
from pathlib import Path

from tagbench import lesson
from tagbench.io import read_json

METRICS = Path("metrics")


def _fmt(value):
    return "" if value is None else f"{value:.3f}"


def results_table(baselines, metrics_dir=METRICS):
    """Markdown: each baseline's test and val macro F1 beside the lesson's numbers."""
    rows = ["| baseline | test macro F1 | test micro F1 | val macro F1 | lesson (published) "
            "| lesson code re-run |", "|---|---|---|---|---|---|"]
    for name in baselines:
        path = Path(metrics_dir) / f"{name}.json"
        if not path.exists():
            rows.append(f"| {name} | not built | | | {_fmt(lesson.PUBLISHED_F1.get(name))} "
                        f"| {_fmt(lesson.RERUN_F1.get(name))} |")
            continue
        m = read_json(path)
        rows.append(f"| {name} | {_fmt(m['test']['f1'])} | {_fmt(m['test']['micro_f1'])} "
                    f"| {_fmt(m['val']['f1'])} | {_fmt(lesson.PUBLISHED_F1.get(name))} "
                    f"| {_fmt(lesson.RERUN_F1.get(name))} |")
    return "\n".join(rows)


def replace_block(document, name, content):
    """Replace the text between <!-- name:start --> and <!-- name:end --> markers."""
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
    if not pattern.search(document):
        raise ValueError(f"no <!-- {name}:start --> ... <!-- {name}:end --> block")
    return pattern.sub(lambda m: m.group(1) + content + "\n" + m.group(2), document)
