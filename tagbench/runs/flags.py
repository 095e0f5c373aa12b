"""params as `dvc exp run -S` flags, in DVC's (Hydra's) override grammar: what `tagbench
preset` prints and what `tagbench tune` queues."""

import json
import re

from tagbench import params
from tagbench.errors import TagbenchError
from tagbench.evaluation import params as full


def set_flag(key, values):
    """The `dvc exp run` flags setting key to one value, or to each of a list of values (DVC
    queues one experiment per value): ["-S", "key=a,b"], each value in DVC's (Hydra's)
    override grammar and without spaces, so that `dvc exp run $(tagbench preset F)` splits
    the arguments where it should."""
    return ["-S", f"{key}={','.join(hydra_value(v) for v in values)}"]


def set_flags(preset_path):
    """`dvc exp run` arguments (-S key=value ...) that apply a params preset file."""
    preset, current = params.read_yaml(preset_path) or {}, full.load()
    try:
        full.validate(params.merge(current, preset))
    except TagbenchError as e:
        raise TagbenchError(f"{preset_path}: {e}") from None
    return [flag for key, value in params.flatten(preset, like=current).items()
            for flag in set_flag(key, [value])]


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
