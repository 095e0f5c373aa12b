"""params.yaml: read once, each section checked by the layer that reads it.

`tagbench.data.params` checks what the data stages read (seed, threads, dataset, data, text,
split, class_weights), `tagbench.models.shared.params` adds the baselines, their sections and the
hybrids, `tagbench.evaluation.params` the rest and any unknown key: a stage validates what it
reads and imports no code of the layers above it. An unknown key, a wrong type or an
out-of-range value stops with one line naming it.
"""

from pathlib import Path

from ruamel.yaml import YAML, YAMLError

from tagbench.core.checks import PARAMS_FILE
from tagbench.core.errors import TagbenchError


def read_yaml(path):
    """YAML 1.2, as DVC reads and writes params.yaml: `dvc exp run -S lr=5e-5` writes
    `lr: 5e-05`, which a YAML 1.1 reader (PyYAML) would take for a string."""
    return parse_yaml(Path(path).read_text(encoding="utf-8"))


def parse_yaml(text):
    """libyaml's parser when it is installed (ruamel.yaml.clib), with ruamel's YAML 1.2
    reading of the values either way: 5 times faster than the pure-Python parser."""
    return YAML(typ="safe").load(text)


def load(validate, path=PARAMS_FILE):
    """Read params.yaml and check it with validate (one layer's `validate`)."""
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


def every_baseline(params):
    """The names the pipeline evaluates: its baselines, then its hybrids."""
    return [*params["baselines"], *params["hybrids"]]


def flatten(tree, prefix="", like=None):
    """{"a": {"b": 1}} → {"a.b": 1}; with like (the params tree), a mapping where like holds a
    single value (dataset.files) stays one value."""
    flat = {}
    for key, value in tree.items():
        inner = like.get(key) if isinstance(like, dict) else None
        if isinstance(value, dict) and (like is None or isinstance(inner, dict)):
            flat.update(flatten(value, f"{prefix}{key}.", inner))
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
        nested = isinstance(value, dict) and isinstance(merged[key], dict)
        merged[key] = merge(merged[key], value, f"{prefix}{key}.") if nested else value
    return merged
