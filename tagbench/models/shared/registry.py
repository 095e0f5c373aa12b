"""Every baseline the pipeline can build, one line each: the class that implements it and the
dataclass of its params.yaml section (a section named after the baseline); and how one is
built from params, saved and loaded back.

A class lives in a family folder (tagbench/models/<family>/): the family is what
params.yaml's `baselines` names beside each baseline, so that a baseline's stages depend on
its own family's code and no other. Adding a baseline: its model module, its config
(configs.py), one line here, its section and its `baselines` entry in params.yaml.
"""

import importlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tagbench.core import threads
from tagbench.core.errors import TagbenchError
from tagbench.core.io import default_mode, write_json
from tagbench.data.artifacts import load_meta, model_dir
from tagbench.models import Run
from tagbench.models.shared import configs


@dataclass(frozen=True)
class Baseline:
    implementation: str  # "module:Class"
    config: type  # the dataclass of its params section

    @property
    def module(self):
        return self.implementation.split(":")[0]

    @property
    def family(self):
        """The folder under tagbench/models that holds its code: simple, tfidf or neural."""
        return self.module.split(".")[2]

    def tagger_class(self):
        """The class, imported on first use (torch only for the baselines that need it)."""
        module, name = self.implementation.split(":")
        return getattr(importlib.import_module(module), name)


SIMPLE, TFIDF = "tagbench.models.simple.taggers", "tagbench.models.tfidf.tagger:TfidfTagger"
SEQUENCE = "tagbench.models.neural.sequence:SequenceTagger"

BASELINES = {
    "random_uniform": Baseline(f"{SIMPLE}:RandomTagger", configs.RandomConfig),
    "random_weighted": Baseline(f"{SIMPLE}:RandomTagger", configs.RandomConfig),
    "rule_based_unstemmed": Baseline(f"{SIMPLE}:RuleBasedTagger", configs.RuleBasedConfig),
    "rule_based_stemmed": Baseline(f"{SIMPLE}:RuleBasedTagger", configs.RuleBasedConfig),
    "rule_based_mined": Baseline(f"{SIMPLE}:RuleBasedTagger", configs.RuleBasedConfig),
    "tfidf_logreg": Baseline(TFIDF, configs.LogregConfig),
    "tfidf_knn": Baseline(TFIDF, configs.KnnConfig),
    "tfidf_rf": Baseline(TFIDF, configs.ForestConfig),
    "tfidf_gbm": Baseline(TFIDF, configs.BoostingConfig),
    "tfidf_svm": Baseline(TFIDF, configs.SvmConfig),
    "tfidf_nb": Baseline(TFIDF, configs.NaiveBayesConfig),
    "cnn": Baseline(SEQUENCE, configs.CNNConfig),
    "rnn": Baseline(SEQUENCE, configs.RNNConfig),
    "transformer": Baseline("tagbench.models.neural.transformer:TransformerTagger",
                            configs.TransformerConfig),
    "embed_logreg": Baseline("tagbench.models.neural.embeddings:EmbeddingTagger",
                             configs.EmbeddingConfig),
}
# Every hybrid (params.yaml's `hybrids`, any name): a learned baseline and rules together.
HYBRID = Baseline("tagbench.models.hybrid.tagger:HybridTagger", configs.HybridConfig)

# Baselines that draw from numpy's one global RNG stream, in this order, as the lesson's
# notebook drew them: each one's stage replays the whole stream and keeps its own draws.
RNG_STREAMS = (("random_uniform", "random_weighted"),)


def get(name):
    if name not in BASELINES:
        raise TagbenchError(f"unknown baseline {name!r}; known: {', '.join(BASELINES)}")
    return BASELINES[name]


LIKE = "like"  # a section's key naming the registered baseline it is built as


def kind(name, p):
    """The registered baseline a baseline is built as: itself, or, for a baseline added in
    params.yaml alone, the one its section names with `like` (its code, its config's
    declaration; the section holds every value)."""
    section = p.get(name)
    if name not in BASELINES and isinstance(section, dict) and section.get(LIKE) in BASELINES:
        return section[LIKE]
    get(name)  # an unknown name is refused in one line
    return name


def entry(name, p):
    """A baseline's registry entry, or a hybrid's."""
    return HYBRID if name in p.get("hybrids", {}) else BASELINES[kind(name, p)]


def stream(name):
    """The baselines whose draws a stage replays to build this one (itself alone, mostly)."""
    return next((s for s in RNG_STREAMS if name in s), (name,))


def config(name, p):
    """The baseline's config from its params.yaml section (a hybrid's: hybrids.<name>),
    checked."""
    if name in p.get("hybrids", {}):
        return configs.parse(HYBRID.config, p["hybrids"][name], prefix=f"hybrids.{name}.")
    values = {k: v for k, v in p[name].items() if k != LIKE}
    return configs.parse(get(kind(name, p)).config, values, prefix=f"{name}.")


def seed(name, p):
    """The seed a baseline trains with: its section's own seed, else params.yaml's (a
    hybrid trains nothing: params.yaml's)."""
    own = None if name in p.get("hybrids", {}) else p[name].get("seed")
    return p["seed"] if own is None else own


def build(name, p, classes):
    """A fresh, untrained baseline (or hybrid) from its params.yaml section."""
    run = Run(name, seed(name, p), threads.count(p["threads"]))
    return entry(name, p).tagger_class().create(classes, config(name, p), run)


def save(name, model, text_params, train_rows):
    """Write the artifact into a hidden sibling folder, then rename it into place, so an
    interrupted run never leaves a half-written model. Nothing measured goes in (the
    training time is written beside it, to artifacts.training_time_path): a model trained
    twice is the same bytes twice, so nothing downstream of it re-runs."""
    directory = model_dir(name)
    directory.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=directory.parent, prefix=".model."))
    os.chmod(partial, default_mode(directory=True))
    try:
        model.save(partial)
        write_json(partial / "meta.json", {
            "baseline": name, "implementation": implementation(model),
            "input": model.input, "output": model.output,
            "default_threshold": model.default_threshold, "classes": model.classes,
            "text": text_params, "train_rows": train_rows})
        shutil.rmtree(directory, ignore_errors=True)
        os.replace(partial, directory)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def implementation(model):
    """"module:Class" of a built model."""
    return f"{type(model).__module__}:{type(model).__name__}"


def load(name, root="."):
    """The trained baseline, or hybrid, and its meta (classes, input form, output kind), from
    models/<name>/model under root. Its class is the one meta.json names, when the registry
    knows it (a registered baseline: its own)."""
    meta = load_meta(name, root)
    known = {e.implementation: e for e in (*BASELINES.values(), HYBRID)}
    expected = BASELINES[name].implementation if name in BASELINES else meta["implementation"]
    if meta["implementation"] != expected or expected not in known:
        raise TagbenchError(f"{model_dir(name, root)}: built by {meta['implementation']}, not by "
                            f"{expected if expected in known else 'a registered class'}: "
                            f"run `dvc repro`")
    return known[expected].tagger_class().load(model_dir(name, root)), meta
