"""params as `dvc exp run -S` flags, in DVC's (Hydra's) override grammar: what `tagbench
preset` prints and what `tagbench tune` queues."""

import json
import re

from tagbench.core import params
from tagbench.core.errors import TagbenchError
from tagbench.evaluation import params as full
from tagbench.models.shared import registry


def set_flag(key, values):
    """The `dvc exp run` flags setting key to one value, or to each of a list of values (DVC
    queues one experiment per value): ["-S", "key=a,b"], each value in DVC's (Hydra's)
    override grammar and without spaces, so that `dvc exp run $(tagbench preset F)` splits
    the arguments where it should."""
    return ["-S", f"{key}={','.join(hydra_value(v) for v in values)}"]


def set_flags(preset_path):
    """`dvc exp run` arguments (-S key=value ...) that apply a params preset file. Its
    `baselines` may be a list of names: the run narrowed to them (`only`). A preset that
    points at another dataset (dataset.dir) has no future set unless it names one: the
    future set is written in its own dataset's fields and tags."""
    preset, current = params.read_yaml(preset_path) or {}, full.load()
    if isinstance(preset.get("dataset"), dict) and "dir" in preset["dataset"]:
        preset["dataset"].setdefault("future", None)
    names = preset.pop("baselines", None) if isinstance(preset.get("baselines"), list) else None
    try:
        full.validate(params.merge(current, preset))
        narrowed, notes = only(names, current) if names is not None else ([], [])
    except TagbenchError as e:
        raise TagbenchError(f"{preset_path}: {e}") from None
    return [flag for key, value in params.flatten(preset, like=current).items()
            for flag in set_flag(key, [value])] + narrowed, notes


def only(names, current):
    """(flags, notes): the `dvc exp run` flags that narrow a run to the baselines named (any
    registered one, or one params.yaml adds; a hybrid named brings its two members) and each
    hybrid whose members are both in, and a note for each hybrid left out. DVC's -S merges a
    mapping into the one in params.yaml and replaces a list, and `baselines` and `hybrids`
    are mappings (each stage group's foreach needs the family beside the name): so each is
    deleted (~key) and added anew (+key=...)."""
    hybrids = current["hybrids"]
    families = {**{n: b.family for n, b in registry.BASELINES.items()}, **current["baselines"]}
    known = [*families, *hybrids]
    if not names:
        raise TagbenchError(f"name at least one baseline; known: {', '.join(known)}")
    for name in names:
        if name not in known:
            raise TagbenchError(f"unknown baseline {name!r}; known: {', '.join(known)}")
    members = {n: [hybrids[n]["model"], hybrids[n]["rules"]] for n in hybrids}
    chosen = {m for n in names for m in members.get(n, [n])}
    kept = {n: h for n, h in hybrids.items() if set(members[n]) <= chosen}
    baselines = {n: f for n, f in families.items() if n in chosen}
    missing = {n: sorted(set(members[n]) - chosen) for n in hybrids if n not in kept}
    notes = [f"{n} left out: its member{'s' * (len(m) > 1)} {' and '.join(m)} "
             f"{'are' if len(m) > 1 else 'is'} not in this run" for n, m in missing.items()]
    return ["-S", "~baselines", *set_flag("+baselines", [baselines]),
            "-S", "~hybrids", *set_flag("+hybrids", [kept])], notes


def hydra_value(value):
    """One value as `-S` reads it: {train:train.tsv,val:dev.tsv}, [text,labels], 5e-05,
    null; a string quoted when it would read as something else (a number, true, a space)."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{hydra_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(hydra_value(v) for v in value) + "]"
    if not isinstance(value, str):
        return json.dumps(value)  # numbers, true/false, null
    plain = re.fullmatch(r"[A-Za-z_][\w./-]*", value) and \
        value.lower() not in ("true", "false", "null", "nan", "inf")
    return value if plain else "'" + value.replace("'", "\\'") + "'"
