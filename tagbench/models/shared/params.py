"""The params the model stages read: the data's (tagbench/data/params.py), `baselines`, each
baseline's section (checked against its dataclass in configs.py) and `hybrids`."""

from tagbench.core import params
from tagbench.core.checks import PARAMS_FILE, Check, Num, validate_sections
from tagbench.core.errors import TagbenchError
from tagbench.data import params as data_params
from tagbench.models.shared import configs, registry

SCHEMA = {
    "baselines": Check(dict, name="a mapping of baseline -> family"),
    "hybrids": Check(dict, name="a mapping of hybrid -> its section"),
    **{name: configs.schema(entry.config) for name, entry in registry.BASELINES.items()},
}


def validate(p):
    """Raise TagbenchError for the first missing key or bad value of the data's and the
    models' sections (those of the baselines added in params.yaml alone too), an unknown
    baseline, a wrong family or a hybrid without its members."""
    data_params.validate(p)
    validate_sections(p, {**SCHEMA, **added(p)})
    check_names(p, "baselines", known(p))
    check_families(p)
    check_hybrids(p)


def added(p):
    """{name: its section's schema} of the baselines params.yaml adds with `like: <a
    registered baseline>`: the registered one's declaration, and `like`."""
    baselines = p.get("baselines")
    return {name: {registry.LIKE: Check(str, choices=list(registry.BASELINES)),
                   **configs.schema(registry.get(p[name][registry.LIKE]).config)}
            for name in (baselines if isinstance(baselines, dict) else {})
            if name not in registry.BASELINES and isinstance(p.get(name), dict)
            and p[name].get(registry.LIKE) in registry.BASELINES}


def known(p):
    """Every baseline a run may name: the registered ones and those params.yaml adds."""
    return [*registry.BASELINES, *added(p)]


def check_names(p, key, known):
    """Each name in the list (or mapping) at key is a known one."""
    known = list(known)  # a name may be any value, an unhashable one too
    for name in params.dotted(p, key) or []:
        if name not in known:
            raise TagbenchError(f"{PARAMS_FILE}: {key} names an unknown baseline {name!r}; "
                                f"known: {', '.join(known)} (or add one: a section "
                                f"{name}: {{like: <a known one>, ...its values}})")


def check_families(p):
    """Each baseline's family is the one whose code builds it (the registry's)."""
    if not p["baselines"]:
        raise TagbenchError(f"{PARAMS_FILE}: baselines is empty: name at least one")
    for name, family in p["baselines"].items():
        built = registry.get(registry.kind(name, p)).family
        if family != built:
            raise TagbenchError(f"{PARAMS_FILE}: baselines.{name} = {family!r}: {name} is "
                                f"built by tagbench/models/{built}/, so its family is "
                                f"{built!r}")


def check_hybrids(p):
    """Each hybrid: a new name, its section valid, its members baselines of this run with the
    right outputs (scores for the learned one, the keyword rules for the other)."""
    for name in p["hybrids"]:
        key = f"hybrids.{name}"
        if name in registry.BASELINES:
            raise TagbenchError(f"{PARAMS_FILE}: {key}: {name} is a baseline's name")
        if not isinstance(p["hybrids"][name], dict):
            raise TagbenchError(f"{PARAMS_FILE}: {key} must be a mapping")
        config = registry.config(name, p)
        learned = config.model in p["baselines"] and \
            registry.get(registry.kind(config.model, p)).family in ("tfidf", "neural")
        rules = config.rules in p["baselines"] and registry.get(
            registry.kind(config.rules, p)).implementation.endswith(":RuleBasedTagger")
        for role, fine, what in (("model", learned, "a learned"), ("rules", rules, "a rule_based")):
            if not fine:
                raise TagbenchError(f"{PARAMS_FILE}: {key}.{role} = {getattr(config, role)!r}: "
                                    f"expected {what} baseline of `baselines` (a run without "
                                    f"it leaves the hybrid out too: -S '~{key}')")
        for boost in config.boosts:
            Num(0, 1, open_low=True)(f"{key}.boosts", boost)


def load(path=PARAMS_FILE):
    return params.load(validate, path)
