"""The processed dataset on disk: where each file lives, and one split (or any ids) loaded with
its texts in one form and its multi-hot labels. Reading raw datasets: readers.py; making the
processed one: preprocess.py."""

from pathlib import Path

import numpy as np

from tagbench.core.io import read_json

PROCESSED = Path("data/processed/projects.json")
STEMMED = Path("data/processed/projects_stemmed.json")
CLASSES = Path("data/processed/classes.json")
VOCABULARY = Path("data/processed/vocabulary.json")
LABELS = Path("data/processed/labels.json")
FUTURE = Path("data/future.json")  # dataset.future's projects: scored, never fitted
SPLITS = Path("data/splits.json")
CLASS_WEIGHTS = Path("data/class_weights.json")
SPLIT_NAMES = ("train", "val", "test")


def dataset_name(description):
    """What reports call a dataset: its folder's name (v1, goemotions)."""
    return Path(description["dir"]).name


def binarize(tag_lists, classes):
    """Multi-hot matrix (n, len(classes)) of uint8; tags outside classes are ignored."""
    index = {c: i for i, c in enumerate(classes)}
    y = np.zeros((len(tag_lists), len(classes)), dtype=np.uint8)
    for row, tags in enumerate(tag_lists):
        for tag in tags:
            if tag in index:
                y[row, index[tag]] = 1
    return y


class Dataset:
    """The processed records of one split, with their texts and multi-hot labels."""

    def __init__(self, records, classes, form="cleaned"):
        self.records, self.classes, self.form = records, classes, form
        self.ids = [r["id"] for r in records]
        self.texts = [r["raw" if form == "raw" else "text"] for r in records]
        self.y = binarize([r["tags"] for r in records], classes)

    def __len__(self):
        return len(self.records)


def load_classes():
    return read_json(CLASSES)


def load_split(name, form="cleaned"):
    """One split (train, val or test) with its texts in one form: raw, cleaned or stemmed."""
    return load_ids(read_json(SPLITS)[name], form)


def load_ids(ids, form="cleaned"):
    """The records with these ids, in this order, with their texts in one form."""
    records = {r["id"]: r for r in read_json(STEMMED if form == "stemmed" else PROCESSED)}
    return Dataset([records[i] for i in ids], load_classes(), form)


class Future:
    """The future set (dataset.future): projects written after the data, with partial labels
    as multi-hot matrices over the classes: must (required) and ok (allowed, never required).
    It scores a trained baseline; nothing is fitted or chosen on it. Empty without one."""

    def __init__(self, records, classes):
        self.records, self.classes = records, classes
        self.ids = [r["id"] for r in records]
        self.texts = [r["raw"] for r in records]
        self.must = binarize([r["must"] for r in records], classes)
        self.ok = binarize([r["ok"] for r in records], classes)

    def __len__(self):
        return len(self.records)


def load_future():
    return Future(read_json(FUTURE), load_classes())
