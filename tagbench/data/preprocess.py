"""From the rows read to the processed dataset: a sample when asked, labels filtered by the
vocabulary and their frequency, texts cleaned (the raw text kept beside)."""

from collections import Counter

import numpy as np

from tagbench.core.errors import TagbenchError
from tagbench.data import text as textlib


def filter_tags(rows, vocabulary, exclude, min_freq):
    """Keep vocabulary labels not excluded and seen at least min_freq times; drop rows left
    without one. Returns (rows with filtered tags, sorted class list)."""
    exclude = set(exclude)
    kept = [[t for t in r["tags"] if t in vocabulary and t not in exclude] for r in rows]
    counts = Counter(t for tags in kept for t in tags)
    classes = sorted(t for t, n in counts.items() if n >= min_freq)
    if not classes:
        raise TagbenchError(f"data.min_tag_freq = {min_freq} leaves no class "
                            f"(most frequent tag: {counts.most_common(1)})")
    in_play = set(classes)
    out = []
    for row, tags in zip(rows, kept):
        tags = [t for t in tags if t in in_play]
        if tags:
            out.append({**row, "tags": tags})
    return out, classes


def apply(rows, vocabulary, data_params, text_params, seed):
    """Raw rows → (records {id, date, split, text, raw, fields, tags}, classes, stats): a
    sample when data.sample asks, labels filtered, texts cleaned (`raw` keeps the text as
    written)."""
    unlabeled = sum(not r["tags"] for r in rows)
    if data_params["sample"]:
        rng = np.random.default_rng(seed)
        keep = sorted(rng.choice(len(rows), min(data_params["sample"], len(rows)),
                                 replace=False))
        rows = [rows[i] for i in keep]
    rows, classes = filter_tags(rows, vocabulary, data_params["exclude_tags"],
                                data_params["min_tag_freq"])
    records = [{"id": r["id"], "date": r["date"], "split": r["split"],
                "text": textlib.prepare(r["text"], text_params), "raw": r["text"],
                "fields": r["fields"], "tags": r["tags"]} for r in rows]
    stats = {"projects": len(records), "classes": len(classes),
             "aliases": sum(len(vocabulary[c]["aliases"]) for c in classes),  # a grown
             # vocabulary is a dataset change: `dvc metrics diff` shows it here
             "mean_tags_per_project": round(float(np.mean([len(r["tags"]) for r in records])), 4),
             "unlabeled_dropped": unlabeled}
    return records, classes, stats


def unused_labels(rows, vocabulary):
    """The labels of the vocabulary (or labels file) that no row carries."""
    return sorted(set(vocabulary) - {t for r in rows for t in r["tags"]})


def future(records, classes):
    """The future set's records with their tags kept to the classes; a project left without
    a must tag is dropped (it could not be scored). Returns (records, dropped)."""
    known = set(classes)
    kept = [{**r, "must": [t for t in r["must"] if t in known],
             "ok": [t for t in r["ok"] if t in known]} for r in records]
    scored = [r for r in kept if r["must"]]
    return scored, len(kept) - len(scored)
