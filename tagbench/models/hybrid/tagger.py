"""A learned baseline and keyword rules together. The rules' hits raise the model's scores:

- the union: a hit lifts the tag's score above any threshold, so a tag is predicted when the
  rules fire or the model's score clears the threshold, which is re-chosen on val for the
  union (the rules already supply the tags they name);
- a boost b: score + b x (the model's val score range) x hit, a softer vote;
- the model alone (b = 0), so that val can also say the rules do not help.

`fit` tries each on val, the threshold re-chosen for each, and keeps the best (the union on a
tie). Nothing is retrained: the members are the trained baselines, loaded from their own
artifacts, whose digests the hybrid records, so a retrained member is caught at load.
"""

import hashlib
import json
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from tagbench import data
from tagbench.core import thresholds
from tagbench.core.errors import TagbenchError
from tagbench.core.io import load_array, save_array, write_json
from tagbench.core.memo import Memo
from tagbench.core.seeding import seed_everything
from tagbench.data import artifacts
from tagbench.data import text as textlib
from tagbench.data.artifacts import model_dir
from tagbench.models import Tagger
from tagbench.models.shared import registry, training

UNION = "union"


def digest(directory):
    """md5 over a folder's files, names and bytes: which trained member a hybrid was built on."""
    md5 = hashlib.md5()
    for path in sorted(Path(directory).rglob("*")):
        if path.is_file():
            md5.update(path.relative_to(directory).as_posix().encode() + b"\0")
            md5.update(path.read_bytes())
    return md5.hexdigest()


def combine(scores, hits, how, low, high):
    """The hybrid's scores from the model's and the rules' hits (0/1); low, high: the range of
    the model's val scores."""
    scores, hits = np.asarray(scores, dtype=np.float64), np.asarray(hits) > 0
    span = high - low
    if how == UNION:
        return np.where(hits, np.maximum(scores, high + span), scores)
    return scores + how * span * hits


class HybridTagger(Tagger):
    """fit(model's val scores, rules' val hits, y_val, threshold params) chooses how the two
    combine; predict_scores(raw texts) runs both members and combines."""

    input = "raw"  # each member prepares the text its own way

    def __init__(self, classes, config, members, state=None):
        super().__init__(classes, config)
        self.members = members  # {"model": (tagger, meta), "rules": (tagger, meta)}
        self.known = {}  # {role: a Memo of its scores} (reuse)
        state = state or {}
        self.how, self.low, self.high = state.get("how"), state.get("low"), state.get("high")
        self.val_f1 = state.get("val_f1", {})

    @classmethod
    def create(cls, classes, config, run):
        return cls(classes, config, {role: registry.load(getattr(config, role))
                                     for role in ("model", "rules")})

    @property
    def output(self):
        return self.members["model"][1]["output"]

    @property
    def default_threshold(self):
        return self.members["model"][1]["default_threshold"]

    def candidates(self):
        return [UNION, 0.0, *self.config.boosts]

    def fit(self, scores, hits, y, threshold_params):
        """Try every combination on val (threshold re-chosen for each); keep the best."""
        self.low, self.high = float(np.min(scores)), float(np.max(scores))
        meta = {"output": self.output, "default_threshold": self.default_threshold}
        for how in self.candidates():
            combined = combine(scores, hits, how, self.low, self.high)
            self.val_f1[str(how)] = training.chosen_f1(meta, threshold_params, (y, combined))["val"]
        self.how = max(self.candidates(), key=lambda how: self.val_f1[str(how)])
        return self

    def combine(self, scores, hits):
        return combine(scores, hits, self.how, self.low, self.high)

    def member_scores(self, texts):
        """{"model": its scores, "rules": its 0/1 hits} on raw texts, each text prepared
        once per form the members read (both read stemmed text, mostly)."""
        found, prepared = {}, {}
        for role, (tagger, meta) in self.members.items():
            form = (meta["input"], json.dumps(meta["text"], sort_keys=True))
            if form not in prepared:
                prepared[form] = [textlib.prepare(t, meta["text"], meta["input"]) for t in texts]
            found[role] = self.known.get(role, tagger.predict_scores)(prepared[form])
        found["rules"] = (found["rules"] > self.members["rules"][1]["default_threshold"])
        return found

    @contextmanager
    def reusing(self, rows):
        """Within it, the model member looks up its scores of texts it has scored before
        ({text as it reads it: scores}, artifacts.load_scored), scoring only the others."""
        self.known["model"] = Memo(self.members["model"][0].predict_scores, rows)
        try:
            yield self
        finally:
            self.known.clear()

    def predict_scores(self, texts):
        found = self.member_scores(texts)
        return self.combine(found["model"], found["rules"])

    def num_parameters(self):
        return sum(int(tagger.num_parameters()) for tagger, _ in self.members.values())

    def save(self, directory):
        self.save_config(directory, how=self.how, low=self.low, high=self.high,
                         val_f1=self.val_f1, digests={
                             role: digest(model_dir(getattr(self.config, role)))
                             for role in self.members})

    @classmethod
    def load(cls, directory):
        """The hybrid in directory (root/models/<name>/model) with its members from the same
        root, each checked against the digest it was built on."""
        classes, config, state = cls.read_config(directory)
        root, members = Path(directory).parents[2], {}
        for role, recorded in state.pop("digests").items():
            name = getattr(config, role)
            if digest(model_dir(name, root)) != recorded:
                raise TagbenchError(f"{directory}: built on another {name} than "
                                    f"{model_dir(name, root)}: run `dvc repro`")
            members[role] = registry.load(name, root)
        return cls(classes, config, members, state)


def assemble(name, p):
    """The hybrid stage's first half: build the hybrid on its members' stored val and test
    scores, choose on val how they combine and its threshold; save it, its scores and the
    threshold. Returns it, ready to measure."""
    model = registry.build(name, p, data.load_classes())
    rules = model.members["rules"][1]
    stored = {}
    for split in ("val", "test"):
        scores, truth = artifacts.load_scores(model.config.model, split)
        hits = load_array(artifacts.predictions_path(model.config.rules, split)) \
            > rules["default_threshold"]
        stored[split] = (scores, hits, truth.y)
    model.fit(*stored["val"], p["threshold"])
    registry.save(name, model, p["text"], model.members["model"][1]["train_rows"])
    for split, (scores, hits, _) in stored.items():
        save_array(artifacts.predictions_path(name, split), model.combine(scores, hits))
    val = model.combine(*stored["val"][:2])
    record = thresholds.choose(stored["val"][2], val, artifacts.load_meta(name), p["threshold"])
    write_json(artifacts.threshold_path(name), record)
    print(f"{name}: val macro F1 " + ", ".join(
        f"{how} {f1:.4f}" for how, f1 in model.val_f1.items()) + f"; kept {model.how}")
    return model


def train_and_score(name, p, train_ids, val_ids, test_ids=()):
    """A hybrid with its members trained afresh (each seeded as its train stage seeds it),
    combined and its threshold chosen on val_ids as the hybrid stage does: its macro F1 on
    val_ids, and on test_ids when given (what the noise floor measures)."""
    config = registry.config(name, p)
    members = {}
    for role in ("model", "rules"):
        seed_everything(registry.seed(getattr(config, role), p))
        tagger, _ = training.train(getattr(config, role), p, train_ids, val_ids)
        members[role] = (tagger, {"output": tagger.output,
                                  "default_threshold": tagger.default_threshold})
    model = HybridTagger(data.load_classes(), config, members)

    def scored(ids):
        found = {role: data.load_ids(ids, tagger.input) for role, (tagger, _) in members.items()}
        rules = members["rules"][0]
        return (members["model"][0].predict_scores(found["model"].texts),
                rules.predict_scores(found["rules"].texts) > rules.default_threshold,
                found["model"].y)

    val = scored(val_ids)
    model.fit(*val, p["threshold"])
    meta = {"output": model.output, "default_threshold": model.default_threshold}

    def combined(split):
        return split[2], model.combine(*split[:2])

    test = [combined(scored(test_ids))] if len(test_ids) else []
    return training.chosen_f1(meta, p["threshold"], combined(val), *test,
                              future=future_scores(model, members, p) if test else None)


def future_scores(model, members, p):
    """(the future set, a hybrid's scores on it) from its members' (training.future_scores),
    or None without one."""
    found = {role: training.future_scores(tagger, p) for role, (tagger, _) in members.items()}
    if found["model"] is None:
        return None
    rules = members["rules"][0]
    return found["model"][0], model.combine(found["model"][1],
                                            found["rules"][1] > rules.default_threshold)
