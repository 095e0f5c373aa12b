"""The rules a slice of params.yaml's `slices` can use, and their check: what params
validation reads, without the slicing itself (evaluation/slices.py)."""

from tagbench.core.errors import TagbenchError

RULES = {  # rule -> (what its value must be, what it selects)
    "max_words": (int, "at most this many words in the cleaned text"),
    "max_description_words": (int, "at most this many words in the raw description"),
    "no_gold_alias": (bool, "none of the project's tags is named (or aliased) in its text"),
    "created_third": (int, "the oldest (1), middle (2) or newest (3) third by date"),
    "tags": (int, "exactly this many tags"),
    "min_tags": (int, "at least this many tags"),
}


def check_rules(key, slices, source="params.yaml"):
    """Raise TagbenchError, naming the param, for a slice that is not one known rule with a
    value of the right type."""
    if not isinstance(slices, dict):
        raise TagbenchError(f"{source}: {key} must be a mapping of name -> rule")
    for name, rule in slices.items():
        where = f"{source}: {key}.{name}"
        if not isinstance(rule, dict) or len(rule) != 1:
            raise TagbenchError(f"{where} must be one rule, e.g. {{max_words: 15}}")
        (criterion, value), = rule.items()
        if criterion not in RULES:
            raise TagbenchError(f"{where}: unknown rule {criterion!r}; known: {', '.join(RULES)}")
        wanted = RULES[criterion][0]
        if type(value) is not wanted or (wanted is int and value < 0) or (
                criterion == "created_third" and value not in (1, 2, 3)):
            raise TagbenchError(f"{where}: {criterion} = {value!r} must be "
                                f"{'true or false' if wanted is bool else 'a whole number'}"
                                f"{' 1, 2 or 3' if criterion == 'created_third' else ''}")
