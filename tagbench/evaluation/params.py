"""Every param: the models' (tagbench/models/shared/params.py, with the data's), then what the
evaluation and report stages read (threshold, slices, cv, noise, report), and no key beyond
them. The whole file's check: what `tagbench` commands and the evaluate stages run."""

from tagbench.core import checks, params
from tagbench.core.checks import (
    BOOL,
    LIST,
    PARAMS_FILE,
    POSITIVE,
    STR_OR_NULL,
    Choice,
    Int,
    Num,
)
from tagbench.core.errors import TagbenchError
from tagbench.data import params as data_params
from tagbench.evaluation import slice_rules
from tagbench.models.shared import params as model_params

SCHEMA = {
    "cv": {"baselines": LIST},
    "noise": {"seeds": LIST, "split_seeds": LIST, "baselines": LIST},
    "slices": slice_rules.check_rules,
    "threshold": {"method": Choice("global", "per_class", "fixed"), "min_support": Int(1),
                  "at_least_one": BOOL},
    "report": {"max_latency_ms": POSITIVE, "max_size_mb": POSITIVE,
               "min_throughput": Num(0, 1e9), "resamples": Int(100),
               "alpha": Num(0, 1, open_low=True, open_high=True), "margin": Num(0, 1),
               "cost_band": Num(1, 100), "cost_floor_ms": Num(0, 1e6),
               "cost_floor_mb": Num(0, 1e6), "min_behavior_pass": Num(0, 1),
               "min_faithfulness": Num(-1, 1), "future_reference": STR_OR_NULL},
}
EVERY = {**data_params.SCHEMA, **model_params.SCHEMA, **SCHEMA}


def validate(p):
    """Raise TagbenchError for the first unknown key, missing key, bad value or unknown
    baseline anywhere in params.yaml."""
    checks.refuse_unknown(p, {**EVERY, **model_params.added(p)})
    model_params.validate(p)  # the data's and the models' sections
    checks.validate_sections(p, SCHEMA)
    model_params.check_names(p, "cv.baselines", model_params.known(p))
    model_params.check_names(p, "noise.baselines", model_params.known(p))
    reference = p["report"]["future_reference"]
    if reference is not None and reference not in [*model_params.known(p), *p["hybrids"]]:
        raise TagbenchError(f"{PARAMS_FILE}: report.future_reference names an unknown baseline "
                            f"{reference!r}; known: {', '.join(model_params.known(p))}")


def load(path=PARAMS_FILE):
    return params.load(validate, path)
