"""Raw data: read both schemas, filter tags, build the processed dataset and splits on disk."""

from collections import Counter
from pathlib import Path

import numpy as np

from tagbench import text as textlib
from tagbench.errors import TagbenchError
from tagbench.io import read_json

RAW_DIR = Path("data/raw")
PROCESSED = Path("data/processed/projects.json")
STEMMED = Path("data/processed/projects_stemmed.json")
CLASSES = Path("data/processed/classes.json")
VOCABULARY = Path("data/processed/vocabulary.json")
SPLITS = Path("data/splits.json")
CLASS_WEIGHTS = Path("data/class_weights.json")
SPLIT_NAMES = ("train", "val", "test")


def raw_paths(version):
    """The projects and tags files of one raw data version."""
    return RAW_DIR / version / "projects.json", RAW_DIR / version / "tags.json"


def read_tags(path):
    """The tag vocabulary as {tag: {"aliases": [...], "parents": [...]}}.

    v1/v2 store a list of {"tag", "aliases", "parents"}; v0 a dict keyed by tag.
    """
    raw = read_json(path)
    if isinstance(raw, dict) and all(isinstance(v, dict) for v in raw.values()):
        entries = [{"tag": tag, **value} for tag, value in raw.items()]
    elif isinstance(raw, list) and all(isinstance(v, dict) and "tag" in v for v in raw):
        entries = raw
    else:
        raise TagbenchError(f"{path}: expected a list of {{tag, aliases, parents}} "
                            "or a dict {tag: {aliases, parents}}")
    vocabulary = {}
    for entry in entries:
        for key in ("aliases", "parents"):
            if not isinstance(entry.get(key, []), list):
                raise TagbenchError(f"{path}: tag {entry['tag']!r}: '{key}' must be a list")
        vocabulary[entry["tag"]] = {"aliases": entry.get("aliases", []),
                                    "parents": entry.get("parents", [])}
    return vocabulary


def read_projects(path):
    """Projects as a list of {id, created_on, title, description, tags}; created_on may be None."""
    raw = read_json(path)
    if not isinstance(raw, list):
        raise TagbenchError(f"{path}: expected a JSON list of projects")
    projects = []
    for i, project in enumerate(raw):
        if not isinstance(project, dict):
            raise TagbenchError(f"{path}: project #{i} is not an object")
        for key in ("id", "title", "description", "tags"):
            if key not in project:
                raise TagbenchError(f"{path}: project #{i} (id {project.get('id')}) "
                                    f"has no '{key}' field")
        if not isinstance(project["tags"], list):
            raise TagbenchError(f"{path}: project id {project['id']}: 'tags' must be a list")
        projects.append({**project, "created_on": project.get("created_on")})
    return projects


def filter_tags(projects, vocabulary, exclude, min_freq):
    """Keep vocabulary tags not excluded and seen at least min_freq times; drop untagged projects.

    Returns (projects with filtered tags, sorted class list).
    """
    exclude = set(exclude)
    kept = [[t for t in p["tags"] if t in vocabulary and t not in exclude] for p in projects]
    counts = Counter(t for tags in kept for t in tags)
    classes = sorted(t for t, n in counts.items() if n >= min_freq)
    if not classes:
        raise TagbenchError(f"data.min_tag_freq = {min_freq} leaves no class "
                            f"(most frequent tag: {counts.most_common(1)})")
    in_play = set(classes)
    out = []
    for project, tags in zip(projects, kept):
        tags = [t for t in tags if t in in_play]
        if tags:
            out.append({**project, "tags": tags})
    return out, classes


def preprocess(projects, vocabulary, data_params, text_params, seed):
    """Raw projects → (records {id, created_on, text, tags}, classes, stats)."""
    if data_params["sample"]:
        rng = np.random.default_rng(seed)
        keep = sorted(rng.choice(len(projects), min(data_params["sample"], len(projects)),
                                 replace=False))
        projects = [projects[i] for i in keep]
    projects, classes = filter_tags(projects, vocabulary, data_params["exclude_tags"],
                                    data_params["min_tag_freq"])
    records = [{
        "id": p["id"],
        "created_on": p["created_on"],
        "text": textlib.prepare(f"{p['title']} {p['description']}", text_params),
        "tags": p["tags"],
    } for p in projects]
    stats = {"projects": len(records), "classes": len(classes),
             "mean_tags_per_project": round(float(np.mean([len(r["tags"]) for r in records])), 4)}
    return records, classes, stats


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

    def __init__(self, records, classes):
        self.records, self.classes = records, classes
        self.ids = [r["id"] for r in records]
        self.texts = [r["text"] for r in records]
        self.y = binarize([r["tags"] for r in records], classes)

    def __len__(self):
        return len(self.records)


def load_classes():
    return read_json(CLASSES)


def load_split(name, stemmed=False):
    """One split (train, val or test) of the processed (or stemmed) data."""
    return load_ids(read_json(SPLITS)[name], stemmed)


def load_ids(ids, stemmed=False):
    """The processed (or stemmed) records with these ids, in this order."""
    records = {r["id"]: r for r in read_json(STEMMED if stemmed else PROCESSED)}
    return Dataset([records[i] for i in ids], load_classes())
