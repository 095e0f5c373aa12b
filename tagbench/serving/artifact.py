"""The ship stage's work: the baseline the report recommends, and only it, in one folder that
tags text on its own (its model files, a hybrid's members too, its threshold), with a
manifest (what it is and where it came from, and a digest of every file) and a model card
written from the report. It copies and writes; nothing is trained.

    shipped/manifest.json          baseline, params, dataset and version, split, commit, files
    shipped/MODEL_CARD.md          what a reviewer reads: tags, data, scores, limits, loading
    shipped/models/<name>/...      the pipeline's own layout (tagbench.predict reads it)

dvc.yaml declares the folder as the artifact `tagger` (type model): `dvc artifacts get`.
"""

import hashlib
import shutil
import subprocess
from pathlib import Path

from tagbench import __version__, data
from tagbench.core import metrics
from tagbench.core.io import read_json, write_json, write_text
from tagbench.core.params import read_yaml
from tagbench.data import artifacts

SHIPPED = Path("shipped")
MANIFEST, CARD = "manifest.json", "MODEL_CARD.md"
FEW = 5  # test positives under which a tag's F1 is flagged as resting on few examples


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def digests(folder):
    """{relative path: sha256} of every file in folder but the manifest."""
    folder = Path(folder)
    return {p.relative_to(folder).as_posix(): sha256(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != MANIFEST}


def parts(name, p):
    """The trained baselines a shipped tagger runs on: itself, and a hybrid's members."""
    section = p["hybrids"].get(name)
    return [name, section["model"], section["rules"]] if section else [name]


def commit():
    """The git commit the stage ran at, and whether the code or params differed from it."""
    def git(*args):
        found = subprocess.run(["git", *args], capture_output=True, text=True)
        return found.stdout.strip() if found.returncode == 0 else None

    changed = git("status", "--porcelain", "--", "tagbench", "stages", "params.yaml", "dvc.yaml")
    return {"commit": git("rev-parse", "HEAD"), "uncommitted_changes": bool(changed)}


def dataset(p):
    """The dataset's name, folder and version: the md5 of each raw file, from its pointer."""
    folder = Path(p["dataset"]["dir"])
    versions = {}
    for pointer in sorted(folder.glob("*.dvc")):
        for out in (read_yaml(pointer) or {}).get("outs") or []:
            versions[out["path"]] = out["md5"]
    return {"name": data.dataset_name(p["dataset"]), "dir": folder.as_posix(),
            "text": p["dataset"]["text"], "md5": versions}


def manifest(name, p, tradeoffs):
    shipped = parts(name, p)
    return {"artifact": "tagger", "baseline": name, "members": shipped[1:],
            "params": {n: p["hybrids"][n] if n in p["hybrids"] else p[n] for n in shipped},
            "text": p["text"], "dataset": dataset(p), "split": tradeoffs["context"]["split"],
            "classes": data.load_classes(), "threshold": read_json(artifacts.threshold_path(name)),
            **commit(), "tagbench": __version__}


def build(p, name=None, folder=SHIPPED):
    """folder anew: the recommended baseline's (or name's) files, its model card and its
    manifest. Returns the manifest."""
    tradeoffs = read_json(artifacts.TRADEOFFS)
    name = name or tradeoffs["recommended"]
    shutil.rmtree(folder, ignore_errors=True)
    for part in parts(name, p):
        shutil.copytree(artifacts.model_dir(part), artifacts.model_dir(part, folder))
    shutil.copy2(artifacts.threshold_path(name), artifacts.threshold_path(name, folder))
    found = manifest(name, p, tradeoffs)
    write_text(Path(folder) / CARD, card(name, found, tradeoffs))
    found["files"] = digests(folder)
    write_json(Path(folder) / MANIFEST, found)
    return found


def split_dates():
    """{split: (first date, last date)} of the processed projects, where they carry dates."""
    dates = {r["id"]: r["date"] for r in read_json(data.PROCESSED) if r.get("date")}
    splits, found = read_json(data.SPLITS), {}
    for split in data.SPLIT_NAMES:
        known = sorted(str(dates[i])[:10] for i in splits[split] if i in dates)
        found[split] = (known[0], known[-1]) if known else (None, None)
        found[split] += (len(splits[split]),)
    return found


def card(name, found, tradeoffs):
    """MODEL_CARD.md: the report's numbers for the shipped baseline, nothing typed by hand."""
    row = next(r for r in tradeoffs["baselines"] if r["name"] == name)
    context, classes = tradeoffs["context"], found["classes"]
    per_class, future = tag_scores(name)
    lines = [f"# Model card: {name}", "",
             f"Tags a machine-learning project from its {' and '.join(found['dataset']['text'])} "
             f"with any of {len(classes)} topics (multi-label): {', '.join(classes)}. "
             f"Chosen by the tagbench report on val: {why(name, tradeoffs)}", "",
             *data_section(found, context), "", *quality_section(row, context), "",
             *per_tag_section(per_class), "", *slices_section(name), "",
             *limits_section(per_class, context, future), "", *loading_section(name)]
    return "\n".join(lines) + "\n"


def tag_scores(name):
    """Per tag: its test scores, and its recall on the future set (None without one), from
    the project tags evaluate@<name> committed to metrics/tags (built files are not needed)."""
    tags = read_json(artifacts.tags_path(name))
    classes = tags["classes"]
    ids, y, predicted = artifacts.tag_matrices(tags["test"], classes)
    found = artifacts.future_matrices(tags)
    future = found and metrics.per_class_recall(found[1], found[3], classes)
    return metrics.per_class(y, predicted, classes, ids), future


def why(name, tradeoffs):
    return tradeoffs["recommendation"]["why_not"].get(name, "recommended") + "."


def data_section(found, context):
    d = found["dataset"]
    lines = ["## Data", "",
             f"Dataset {d['name']} ({d['dir']}; " + ", ".join(
                 f"{f} md5 {m}" for f, m in d["md5"].items()) + f"): {context['projects']} "
             f"projects with {context['classes']} tags after filtering. Split: {found['split']}.",
             "", "| split | projects | first | last |", "|---|---|---|---|"]
    for split, (first, last, n) in split_dates().items():
        lines.append(f"| {split} | {n} | {first or ''} | {last or ''} |")
    return lines


def quality_section(row, context):
    lines = ["## Quality", "",
             f"- val macro F1 {row['val_f1']:.3f} [{row['val_f1_low']:.3f}, "
             f"{row['val_f1_high']:.3f}] (chooses the baseline and its threshold)",
             f"- test macro F1 {row['test_f1']:.3f} [{row['test_f1_low']:.3f}, "
             f"{row['test_f1_high']:.3f}], micro F1 {row['test_micro_f1']:.3f} (the newest "
             f"{context['test_size']} projects; reported, never chosen on)"]
    if row.get("future"):
        f = row["future"]
        lines.append(f"- new projects (the future set: {context['future_projects']} READMEs "
                     f"written after the data): F1 {f['f1']:.3f} [{f['f1_low']:.3f}, "
                     f"{f['f1_high']:.3f}] (evidence only)")
    if row["behavior_pass"] is not None:
        kinds = ", ".join(f"{k.replace('_', ' ')} {v:.0%}" for k, v in row["behavior"].items()
                          if v is not None)
        lines.append(f"- behavioural tests passed: {row['behavior_pass']:.0%} ({kinds})")
    lines.append(f"- {row['latency_ms']:.1f} ms a project at batch 1, "
                 f"{row['throughput']:.0f} projects/s at batch 64 ({context['machine']}), "
                 f"{row['size_mb']:.2f} MB on disk, {row['parameters']:,} parameters")
    return lines + ["", "95% bootstrap intervals over the projects."]


def per_tag_section(per_class):
    lines = ["## Per tag (test)", "",
             f"Support: test projects with the tag; ⚠ under {FEW}, an F1 that one project moves "
             f"a lot.", "", "| tag | F1 | precision | recall | support |", "|---|---|---|---|---|"]
    for tag, s in sorted(per_class.items(), key=lambda item: -item[1]["f1"]):
        flag = " ⚠" if s["support"] < FEW else ""
        lines.append(f"| {tag} | {s['f1']:.2f} | {s['precision']:.2f} | {s['recall']:.2f} "
                     f"| {s['support']}{flag} |")
    return lines


def slices_section(name):
    found = read_json(artifacts.SLICES)["baselines"].get(name, {})
    lines = ["## Slices (test)", "", "Macro F1 on each slice of the test split (reports/slices.md "
             "defines them); ▼: the whole interval below the baseline's F1 on all of test.", "",
             "| slice | F1 [95% CI] |", "|---|---|"]
    for slice_, s in found.items():
        if s:
            lines.append(f"| {slice_} | {s['f1']:.3f} [{s['f1_low']:.3f}, {s['f1_high']:.3f}]"
                         f"{' ▼' if s['below'] else ''} |")
    return lines


def limits_section(per_class, context, future):
    absent = sorted(t for t, s in per_class.items() if s["support"] == 0)
    few = sorted(t for t, s in per_class.items() if 0 < s["support"] < FEW)
    lines = ["## Known limits", ""]
    if absent:
        lines.append(f"- No test project carries {', '.join(absent)}: its F1 here is 0 by "
                     f"definition and says nothing of the tagger.")
    if few:
        lines.append(f"- Under {FEW} test projects carry {', '.join(few)}.")
    if future:
        weak = sorted(t for t, r in future.items() if r["recall"] < 0.5)
        if weak:
            lines.append(f"- On new projects it finds under half of the "
                         f"{' and '.join(weak)} tags the texts support (the future set's "
                         f"per-tag recall, a handful of projects each).")
    lines.append(f"- Trained on {context['train_size']} projects in English, titles and short "
                 f"descriptions: longer texts, other languages and topics outside the "
                 f"{context['classes']} tags are untested.")
    return lines


def loading_section(name):
    return ["## How to load it", "", "```python",
            "from tagbench import load_tagger",
            "",
            "tagger = load_tagger(\"shipped\")  # this folder; checks every file's digest",
            "tagger.tag([\"A PyTorch library for graph neural networks\"])",
            "tagger.tag([{\"title\": \"...\", \"description\": \"...\"}], scores=True)",
            "```", "",
            "Or over HTTP: `tagbench serve shipped` (POST /tag, GET /health, /card, "
            "/manifest). Fetch it into another project with `dvc artifacts get <repository> "
            f"tagger`. Shipped baseline: {name}; `manifest.json` says what it was built from."]
