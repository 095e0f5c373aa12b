"""params.yaml: read once, checked against a schema of types and ranges.

params.yaml holds every default; this module only knows what a valid value looks like,
so an unknown key, a wrong type or an out-of-range value stops with one line naming it.
"""

from pathlib import Path

import yaml
from ruamel.yaml import YAML, YAMLError

from tagbench.errors import TagbenchError

PARAMS_FILE = "params.yaml"


class Check:
    """A validator for one leaf value."""

    def __init__(self, kind, low=None, high=None, choices=None, open_low=False, open_high=False,
                 name=None):
        self.kind, self.low, self.high, self.choices, self.name = kind, low, high, choices, name
        self.open_low, self.open_high = open_low, open_high

    def __call__(self, key, value):
        kinds = (int, float) if self.kind is float else self.kind
        if isinstance(value, bool) and self.kind is not bool or not isinstance(value, kinds):
            raise TagbenchError(f"{PARAMS_FILE}: {key} = {value!r} must be {self.describe()}")
        if self.choices is not None and value not in self.choices:
            raise TagbenchError(f"{PARAMS_FILE}: {key} = {value!r} must be one of {self.choices}")
        too_low = self.low is not None and (
            value <= self.low if self.open_low else value < self.low)
        too_high = self.high is not None and (
            value >= self.high if self.open_high else value > self.high)
        if too_low or too_high:
            raise TagbenchError(f"{PARAMS_FILE}: {key} = {value!r} is out of range "
                                f"{self.describe_range()}")

    def describe(self):
        name = self.name or {int: "an integer", float: "a number", bool: "true or false",
                             str: "a string", list: "a list"}[self.kind]
        return f"{name} {self.describe_range()}".strip()

    def describe_range(self):
        if self.low is None and self.high is None:
            return ""
        left = "(" if self.open_low else "["
        right = ")" if self.open_high else "]"
        return f"{left}{self.low if self.low is not None else '-inf'}, " \
               f"{self.high if self.high is not None else 'inf'}{right}"


def Int(low=None, high=None):  # noqa: N802 - reads like a type in the schema
    return Check(int, low, high)


def Num(low=None, high=None, open_low=False, open_high=False):  # noqa: N802
    return Check(float, low, high, open_low=open_low, open_high=open_high)


def Choice(*choices):  # noqa: N802
    return Check(str, choices=list(choices))


BOOL = Check(bool)
LIST = Check(list)
POSITIVE = Num(0, open_low=True)
STR_OR_NULL = Check((str, type(None)), name="a string or null")
INT_OR_NULL = Check((int, type(None)), name="an integer or null")

TRAINER = {
    "max_len": Int(1),
    "lr": POSITIVE,
    "weight_decay": Num(0),
    "batch_size": Int(1),
    "num_epochs": Int(1),
    "patience": Int(1),
    "monitor": Choice("val_loss", "val_f1"),
    "scheduler": Choice("plateau", "linear"),
    "scheduler_patience": Int(0),
    "warmup_ratio": Num(0, 1, open_high=True),
    "loss_weighting": Choice("weight", "pos_weight", "pos_weight_normalized", "none"),
    "device": Choice("auto", "cpu", "cuda"),
}

SCHEMA = {
    "seed": Int(0),
    "threads": Int(0),
    "data": {
        "version": Choice("v0", "v1", "v2"),
        "sample": Int(0),
        "min_tag_freq": Int(1),
        "exclude_tags": LIST,
    },
    "text": {"lower": BOOL, "stopwords": BOOL},
    "split": {
        "method": Choice("iterative", "lesson"),
        "train_size": Num(0, 1, open_low=True, open_high=True),
        "order": Int(1, 2),
        "folds": Int(1),
    },
    "cv": {"baselines": LIST},
    "noise": {"seeds": LIST, "split_seeds": LIST, "baselines": LIST},
    "class_weights": {"formula": Choice("inverse", "balanced", "sqrt_ratio")},
    "baselines": LIST,
    "rule_based": {"match": Choice("token", "substring")},
    "tfidf": {
        "vectorizer": {
            "analyzer": Choice("word", "char", "char_wb"),
            "ngram_min": Int(1),
            "ngram_max": Int(1),
            "min_df": Int(1),
            "max_df": Num(0, 1, open_low=True),
            "sublinear_tf": BOOL,
            "max_features": Int(0),
        },
        "logreg": {"C": POSITIVE, "class_weight": STR_OR_NULL, "max_iter": Int(1)},
        "knn": {"n_neighbors": Int(1), "weights": Choice("uniform", "distance"),
                "metric": Choice("cosine", "euclidean", "minkowski")},
        "rf": {"n_estimators": Int(1), "max_depth": INT_OR_NULL,
               "min_samples_leaf": Int(1), "class_weight": STR_OR_NULL},
        "gbm": {"n_estimators": Int(1), "learning_rate": POSITIVE, "max_depth": Int(1)},
        "svm": {"C": POSITIVE, "class_weight": STR_OR_NULL},
    },
    "cnn": {**TRAINER, "input": Choice("cleaned", "stemmed"),
            "tokenizer_level": Choice("char", "word"), "min_freq": Int(1),
            "embedding_dim": Int(1),
            "num_filters": Int(1), "filter_sizes": LIST,
            "hidden_dim": Int(1), "dropout_p": Num(0, 1, open_high=True),
            "token_dropout": Num(0, 1, open_high=True)},
    "rnn": {**TRAINER, "input": Choice("cleaned", "stemmed"),
            "tokenizer_level": Choice("char", "word"), "min_freq": Int(1),
            "embedding_dim": Int(1),
            "rnn_hidden_dim": Int(1), "hidden_dim": Int(1), "readout": Choice("last", "last_max"),
            "dropout_p": Num(0, 1, open_high=True), "token_dropout": Num(0, 1, open_high=True)},
    "transformer": {**TRAINER, "model": Check(str), "pooling": Choice("mean", "cls"),
                    "freeze_layers": Int(0), "head_lr": POSITIVE,
                    "dropout_p": Num(0, 1, open_high=True)},
    "threshold": {"method": Choice("global", "per_class", "fixed"), "min_support": Int(1),
                  "at_least_one": BOOL},
    "report": {"max_latency_ms": POSITIVE, "max_size_mb": POSITIVE, "resamples": Int(100),
               "alpha": Num(0, 1, open_low=True, open_high=True)},
}


def validate(params, schema=SCHEMA, prefix=""):
    """Raise TagbenchError for the first unknown key, missing key or bad value."""
    for key in params:
        if key not in schema:
            raise TagbenchError(f"{PARAMS_FILE}: unknown param '{prefix}{key}'")
    for key, check in schema.items():
        name = f"{prefix}{key}"
        if key not in params:
            raise TagbenchError(f"{PARAMS_FILE}: missing param '{name}'")
        if isinstance(check, dict):
            if not isinstance(params[key], dict):
                raise TagbenchError(f"{PARAMS_FILE}: {name} must be a mapping")
            validate(params[key], check, prefix=f"{name}.")
        else:
            check(name, params[key])


def read_yaml(path):
    """YAML 1.2, as DVC reads and writes params.yaml: `dvc exp run -S lr=5e-5` writes
    `lr: 5e-05`, which a YAML 1.1 reader (PyYAML) would take for a string."""
    return YAML(typ="safe", pure=True).load(Path(path).read_text(encoding="utf-8"))


def load(path=PARAMS_FILE):
    """Read and validate params.yaml."""
    path = Path(path)
    try:
        params = read_yaml(path)
    except FileNotFoundError:
        raise TagbenchError(f"{path}: file not found") from None
    except YAMLError as e:
        raise TagbenchError(f"{path}: malformed YAML: {str(e).splitlines()[0]}") from None
    if not isinstance(params, dict):
        raise TagbenchError(f"{path}: expected a mapping at the top level")
    validate(params)
    return params


def flatten(tree, prefix=""):
    """{"a": {"b": 1}} → {"a.b": 1}."""
    flat = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def merge(base, overrides):
    """A copy of base with the (nested) overrides applied; unknown keys are rejected."""
    merged = {k: (dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
    for key, value in overrides.items():
        if key not in merged:
            raise TagbenchError(f"preset: unknown param '{key}'")
        merged[key] = merge(merged[key], value) if isinstance(value, dict) else value
    return merged


def set_flags(preset_path):
    """`dvc exp run` arguments (-S key=value ...) that apply a params preset file."""
    preset = read_yaml(preset_path) or {}
    validate(merge(load(), preset))
    flags = []
    for key, value in flatten(preset).items():
        text = yaml.safe_dump(value, default_flow_style=True).removesuffix("\n...\n").strip()
        flags += ["-S", f"{key}={text}"]
    return flags
