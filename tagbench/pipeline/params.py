"""params.yaml: read once, checked against a schema of types and ranges (each baseline's
section against its config dataclass in tagbench.models.configs).

params.yaml holds every default; this module only knows what a valid value looks like,
so an unknown key, a wrong type or an out-of-range value stops with one line naming it.
"""

from pathlib import Path

from ruamel.yaml import YAML, YAMLError

from tagbench.data import SPLIT_NAMES
from tagbench.errors import TagbenchError
from tagbench.evaluation import slice_rules
from tagbench.models import configs, registry
from tagbench.pipeline import checks
from tagbench.pipeline.checks import (
    BOOL,
    LIST,
    LIST_OR_NULL,
    PARAMS_FILE,
    POSITIVE,
    STR,
    STR_OR_NULL,
    Check,
    Choice,
    Int,
    Num,
)

SCHEMA = {
    "seed": Int(0),
    "threads": Int(0),
    "dataset": {
        "dir": STR,
        "files": Check((str, dict), name="a file name or {train, val, test: file name}"),
        "format": Choice("json", "jsonl", "csv", "tsv"),
        "columns": LIST,
        "id": STR_OR_NULL,
        "text": Check(list, name="a list of field names"),
        "labels": STR,
        "label_format": Choice("list", "delimited", "ids"),
        "label_sep": STR,
        "labels_file": STR_OR_NULL,
        "vocabulary": STR_OR_NULL,
        "date": STR_OR_NULL,
        "split": STR_OR_NULL,
        "unlabeled": Choice("drop", "refuse"),
        "behavior": STR_OR_NULL,
    },
    "data": {
        "sample": Int(0),
        "min_tag_freq": Int(1),
        "exclude_tags": LIST,
    },
    "text": {"lower": BOOL, "stopwords": BOOL, "links": Choice("first", "last")},
    "split": {
        "method": Choice("iterative", "lesson", "temporal"),
        "train_size": Num(0, 1, open_low=True, open_high=True),
        "order": Int(1, 2),
        "folds": Int(1),
    },
    "cv": {"baselines": LIST},
    "noise": {"seeds": LIST, "split_seeds": LIST, "baselines": LIST_OR_NULL},
    "class_weights": {"formula": Choice("inverse", "balanced", "sqrt_ratio")},
    "baselines": Check(dict, name="a mapping of baseline -> family"),
    "hybrids": Check(dict, name="a mapping of hybrid -> its section"),
    **{name: configs.schema(entry.config) for name, entry in registry.BASELINES.items()},
    "slices": slice_rules.check_rules,
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
    check_dataset(params["dataset"])
    check_families(params["baselines"])
    for key in BASELINE_LISTS:
        known = [*registry.BASELINES, *(params["hybrids"] if key == "noise.baselines" else [])]
        for name in dotted(params, key) or []:
            if name not in known:
                raise TagbenchError(f"{PARAMS_FILE}: {key} names an unknown baseline "
                                    f"{name!r}; known: {', '.join(known)}")
    check_hybrids(params)


def every_baseline(params):
    """The names the pipeline evaluates: its baselines, then its hybrids."""
    return [*params["baselines"], *params["hybrids"]]


def check_hybrids(params):
    """Each hybrid: a new name, its section valid, its members baselines of this run with the
    right outputs (scores for the learned one, the keyword rules for the other)."""
    for name in params["hybrids"]:
        key = f"hybrids.{name}"
        if name in registry.BASELINES:
            raise TagbenchError(f"{PARAMS_FILE}: {key}: {name} is a baseline's name")
        if not isinstance(params["hybrids"][name], dict):
            raise TagbenchError(f"{PARAMS_FILE}: {key} must be a mapping")
        config = registry.config(name, params)
        learned = config.model in params["baselines"] and \
            registry.get(config.model).family in ("tfidf", "neural")
        rules = config.rules in params["baselines"] and \
            registry.get(config.rules).implementation.endswith(":RuleBasedTagger")
        for role, fine, what in (("model", learned, "a learned"), ("rules", rules, "a rule_based")):
            if not fine:
                raise TagbenchError(f"{PARAMS_FILE}: {key}.{role} = {getattr(config, role)!r}: "
                                    f"expected {what} baseline of `baselines` (a run without "
                                    f"it leaves the hybrid out too: -S '~{key}')")
        for boost in config.boosts:
            checks.Num(0, 1, open_low=True)(f"{key}.boosts", boost)


def check_families(baselines):
    """Each baseline's family is the one whose code builds it (the registry's)."""
    if not baselines:
        raise TagbenchError(f"{PARAMS_FILE}: baselines is empty: name at least one")
    for name, family in baselines.items():
        if name in registry.BASELINES and family != registry.get(name).family:
            raise TagbenchError(f"{PARAMS_FILE}: baselines.{name} = {family!r}: {name} is "
                                f"built by tagbench/models/{registry.get(name).family}/, "
                                f"so its family is {registry.get(name).family!r}")


def check_dataset(d):
    """What the dataset description's single values cannot say alone."""
    def refuse(key, why):
        raise TagbenchError(f"{PARAMS_FILE}: dataset.{key} = {d[key]!r}: {why}")

    if not d["text"] or not all(isinstance(f, str) for f in d["text"]):
        refuse("text", "expected a non-empty list of field names")
    if isinstance(d["files"], dict) and (sorted(d["files"]) != sorted(SPLIT_NAMES) or d["split"]
                                         or not all(isinstance(f, str)
                                                    for f in d["files"].values())):
        refuse("files", "a given split names one file for each of train, val and test "
                        "(and then dataset.split is null)")
    if d["label_format"] == "ids" and not d["labels_file"]:
        refuse("labels_file", "label_format ids needs the labels file the ids point into")
    if d["columns"] and d["format"] not in ("csv", "tsv"):
        refuse("columns", "only csv and tsv files take column names (others name their fields)")


def read_yaml(path):
    """YAML 1.2, as DVC reads and writes params.yaml: `dvc exp run -S lr=5e-5` writes
    `lr: 5e-05`, which a YAML 1.1 reader (PyYAML) would take for a string."""
    return parse_yaml(Path(path).read_text(encoding="utf-8"))


def parse_yaml(text):
    """libyaml's parser when it is installed (ruamel.yaml.clib), with ruamel's YAML 1.2
    reading of the values either way: 5 times faster than the pure-Python parser."""
    return YAML(typ="safe").load(text)


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
