"""The params the data stages read: seed, threads, dataset, data, text, split and
class_weights (tagbench/core/params.py)."""

from tagbench.core import params
from tagbench.core.checks import (
    BOOL,
    LIST,
    PARAMS_FILE,
    STR,
    STR_OR_NULL,
    Check,
    Choice,
    Int,
    Num,
    validate_sections,
)
from tagbench.core.errors import TagbenchError
from tagbench.data import SPLIT_NAMES

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
        "future": STR_OR_NULL,
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
    "class_weights": {"formula": Choice("inverse", "balanced", "sqrt_ratio")},
}


def validate(p):
    """Raise TagbenchError for the first missing key or bad value of the data's sections."""
    validate_sections(p, SCHEMA)
    check_dataset(p["dataset"])


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


def load(path=PARAMS_FILE):
    return params.load(validate, path)
