"""Tag new text with a trained baseline: the same preprocessing, classes and threshold as the
evaluate stage, loaded from the baseline's artifacts."""

import json

import numpy as np

from tagbench.core import thresholds
from tagbench.core.errors import TagbenchError
from tagbench.core.io import read_json
from tagbench.data import artifacts, readers, text
from tagbench.models.shared import registry


class Predictor:
    """A trained baseline ready to tag raw text (its text fields joined, as the dataset's),
    from models/<name>/ under root: the pipeline's, or a shipped tagger's folder. model: the
    baseline already in memory (the hybrid stage's, just built and saved), not loaded again."""

    def __init__(self, name, root=".", model=None):
        self.name = name
        self.meta = artifacts.load_meta(name, root)
        self.model = model or registry.load(name, root)[0]
        path = artifacts.threshold_path(name, root)
        if not path.exists():
            raise TagbenchError(f"{path} is missing: run `dvc repro evaluate@{name}`")
        self.threshold = read_json(path)
        self.classes = self.meta["classes"]
        if list(self.model.classes) != self.classes:
            raise TagbenchError(f"{artifacts.model_dir(name, root)}: the model and its meta.json "
                                f"name different class lists: run `dvc repro`")
        cut = self.threshold["threshold"]
        if isinstance(cut, list) and len(cut) != len(self.classes):
            raise TagbenchError(f"{path}: {len(cut)} thresholds for {len(self.classes)} "
                                f"classes (another run's): run `dvc repro evaluate@{name}`")

    def prepare(self, raw_texts):
        """Clean (and stem, when the baseline reads stemmed text) exactly as the pipeline did."""
        return [text.prepare(t, self.meta["text"], self.meta["input"]) for t in raw_texts]

    def prepare_one(self, raw_text):
        return self.prepare([raw_text])[0]

    def scores(self, raw_texts):
        return self.model.predict_scores(self.prepare(raw_texts))

    def predict(self, raw_texts, top=0):
        """[{"tags": [...], "scores": {tag: score}}] per text; top=K keeps the K best scores."""
        scores = self.scores(raw_texts)
        decided = thresholds.decide(scores, self.threshold)
        results = []
        for row, chosen in zip(scores, decided):
            order = np.argsort(-row, kind="stable")[:top or len(row)]
            results.append({
                "tags": [self.classes[i] for i in np.flatnonzero(chosen)],
                "scores": {self.classes[i]: round(float(row[i]), 6) for i in order},
            })
        return results


def parse_line(line, number, fields=None):
    """One input line → raw text; raises TagbenchError naming the line. fields: read the line
    as a JSON object whose "text", or whose text fields (the dataset's, joined), are the text."""
    if fields:
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise TagbenchError(f"line {number}: invalid JSON ({e.msg})") from None
        except RecursionError:
            raise TagbenchError(f"line {number}: invalid JSON (nested too deeply)") from None
        fields = ["text"] if isinstance(record, dict) and "text" in record else fields
        if not isinstance(record, dict) or not (set(fields) & set(record)):
            raise TagbenchError(f"line {number}: expected an object with "
                                f"{' and '.join(fields)}, or text")
        wrong = next((f for f in fields if f in record and record[f] is not None
                      and not isinstance(record[f], str)), None)
        if wrong:
            raise TagbenchError(f"line {number}: field {wrong!r} must be a string, got "
                                f"{type(record[wrong]).__name__} {record[wrong]!r:.40}")
        line = readers.join_text(record, fields)
    return readers.check_text(line, f"line {number}").strip()
