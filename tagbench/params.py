"""params.yaml: read once, checked against a schema of types and ranges (each baseline's
section against its config dataclass in tagbench.configs).

params.yaml holds every default; this module only knows what a valid value looks like,
so an unknown key, a wrong type or an out-of-range value stops with one line naming it.
"""

from pathlib import Path

import yaml
from ruamel.yaml import YAML, YAMLError

from tagbench import checks, configs, registry
from tagbench.checks import BOOL, LIST, PARAMS_FILE, POSITIVE, Check, Choice, Int, Num
from tagbench.errors import TagbenchError

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
    **{name: configs.schema(entry.config) for name, entry in registry.BASELINES.items()},
    "slices": Check(dict, name="a mapping of name -> rule"),  # each rule: tagbench.slices
    "threshold": {"method": Choice("global", "per_class", "fixed"), "min_support": Int(1),
                  "at_least_one": BOOL},
    "report": {"max_latency_ms": POSITIVE, "max_size_mb": POSITIVE, "resamples": Int(100),
               "alpha": Num(0, 1, open_low=True, open_high=True), "min_behavior_pass": Num(0, 1),
               "min_faithfulness": Num(-1, 1)},
}
BASELINE_LISTS = ("baselines", "cv.baselines", "noise.baselines")


def validate(params):
    """Raise TagbenchError for the first unknown key, missing key, bad value or unknown
    baseline."""
    checks.validate(params, SCHEMA)
    for key in BASELINE_LISTS:
        for name in dotted(params, key):
            if name not in registry.BASELINES:
                raise TagbenchError(f"{PARAMS_FILE}: {key} names an unknown baseline "
                                    f"{name!r}; known: {', '.join(registry.BASELINES)}")


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


def dotted(tree, key):
    """tree["a"]["b"] for key "a.b"."""
    for part in key.split("."):
        tree = tree[part]
    return tree


def merge(base, overrides, prefix=""):
    """A copy of base with the (nested) overrides applied; unknown keys are rejected."""
    merged = {k: (dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
    for key, value in overrides.items():
        if key not in merged:
            raise TagbenchError(f"unknown param '{prefix}{key}'")
        merged[key] = merge(merged[key], value, f"{prefix}{key}.") if isinstance(value, dict) \
            else value
    return merged


def set_flag(key, values):
    """The `dvc exp run` flags setting key to one value, or to each of a list of values (DVC
    queues one experiment per value): ["-S", "key=a,b"]."""
    text = ",".join(yaml.safe_dump(v, default_flow_style=True).removesuffix("\n...\n").strip()
                    for v in values)
    return ["-S", f"{key}={text}"]


def set_flags(preset_path):
    """`dvc exp run` arguments (-S key=value ...) that apply a params preset file."""
    preset = read_yaml(preset_path) or {}
    try:
        validate(merge(load(), preset))
    except TagbenchError as e:
        raise TagbenchError(f"{preset_path}: {e}") from None
    return [flag for key, value in flatten(preset).items() for flag in set_flag(key, [value])]
