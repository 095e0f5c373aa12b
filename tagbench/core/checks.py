"""What a valid params.yaml value looks like: one Check per leaf, so an unknown key, a wrong
type or an out-of-range value stops with one line naming it."""

from tagbench.core.errors import TagbenchError

PARAMS_FILE = "params.yaml"


class Check:
    """A validator for one leaf value."""

    def __init__(self, type_, low=None, high=None, choices=None, open_low=False, open_high=False,
                 name=None):
        self.type, self.low, self.high, self.choices, self.name = type_, low, high, choices, name
        self.open_low, self.open_high = open_low, open_high

    def __call__(self, key, value, source=PARAMS_FILE):
        types = (int, float) if self.type is float else self.type
        if isinstance(value, bool) and self.type is not bool or not isinstance(value, types):
            raise TagbenchError(f"{source}: {key} = {value!r} must be {self.describe()}")
        if self.choices is not None and value not in self.choices:
            raise TagbenchError(f"{source}: {key} = {value!r} must be one of {self.choices}")
        too_low = self.low is not None and (
            value <= self.low if self.open_low else value < self.low)
        too_high = self.high is not None and (
            value >= self.high if self.open_high else value > self.high)
        if too_low or too_high:
            raise TagbenchError(f"{source}: {key} = {value!r} is out of range "
                                f"{self.describe_range()}")

    def describe(self):
        name = self.name or {int: "an integer", float: "a number", bool: "true or false",
                             str: "a string", list: "a list"}[self.type]
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
STR = Check(str)
LIST = Check(list)
POSITIVE = Num(0, open_low=True)
SHARE = Num(0, 1, open_high=True)  # a probability or share in [0, 1)
STR_OR_NULL = Check((str, type(None)), name="a string or null")
LIST_OR_NULL = Check((list, type(None)), name="a list or null")
INT_OR_NULL = Check((int, type(None)), name="an integer or null")


def validate(values, schema, prefix="", source=PARAMS_FILE):
    """Raise TagbenchError for the first unknown key, missing key or bad value of a (nested)
    mapping, against a schema of Checks and nested schemas; source names the file."""
    refuse_unknown(values, schema, prefix, source)
    for key, check in schema.items():
        name = f"{prefix}{key}"
        if key not in values:
            raise TagbenchError(f"{source}: missing param '{name}'")
        if isinstance(check, dict):
            if not isinstance(values[key], dict):
                raise TagbenchError(f"{source}: {name} must be a mapping")
            validate(values[key], check, f"{name}.", source)
        else:
            check(name, values[key], source)


def refuse_unknown(values, known, prefix="", source=PARAMS_FILE):
    """Raise TagbenchError for the first key of values that known does not name."""
    for key in values:
        if key not in known:
            raise TagbenchError(f"{source}: unknown param '{prefix}{key}'")


def validate_sections(values, schema, source=PARAMS_FILE):
    """validate() of the top-level sections schema names, leaving the others to the layers
    that read them."""
    validate({k: v for k, v in values.items() if k in schema}, schema, source=source)
