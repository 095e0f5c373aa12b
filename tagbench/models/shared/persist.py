"""Model artifacts that load without running code: scikit-learn objects through skops, torch
weights through safetensors (docs/security.md). Nothing here unpickles."""

import io
import json
import sys
import zipfile

from tagbench.core.errors import TagbenchError
from tagbench.core.io import write_bytes

# Every artifact holds these, whatever the baseline (containers, arrays, their scalars).
PLAIN = ("builtins.dict", "builtins.list", "builtins.str", "builtins.tuple", "numpy.float64",
         "numpy.ndarray")
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the zip format's first date: no clock in the artifact


def _nodes(schema):
    """Every dict of a skops schema, parents first, in the schema's (deterministic) order."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))


def _canonical(data):
    """skops names arrays and shared objects by id() and stamps the clock: renumber them in
    the order they appear and date every entry 1980, so one model gives one set of bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    schema = json.loads(source.read("schema.json"))
    ids = {}
    for node in _nodes(schema):
        if "__id__" in node:
            node["__id__"] = ids.setdefault(node["__id__"], len(ids))
        if isinstance(node.get("file"), str):
            stem, suffix = node["file"].split(".")
            node["file"] = f"{ids.setdefault(int(stem), len(ids))}.{suffix}"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr(zipfile.ZipInfo("schema.json", _EPOCH),
                        json.dumps(schema, separators=(",", ":")), zipfile.ZIP_DEFLATED)
        for entry in source.infolist():
            if entry.filename != "schema.json":
                stem, suffix = entry.filename.split(".")
                target.writestr(zipfile.ZipInfo(f"{ids[int(stem)]}.{suffix}", _EPOCH),
                                source.read(entry), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _skops():
    """skops.io. Importing it builds skops' default list of trusted types by importing every
    scikit-learn module (4 s here, torch included), a list tagbench never uses: it passes its
    own. That enumeration is skipped for the import (0.5 s)."""
    if "skops.io" not in sys.modules:
        import sklearn.utils

        every_estimator = sklearn.utils.all_estimators
        sklearn.utils.all_estimators = lambda *args, **kwargs: []
        try:
            import skops.io  # noqa: F401
        finally:
            sklearn.utils.all_estimators = every_estimator
    return sys.modules["skops.io"]


def save_sklearn(obj, path):
    """obj as a skops file, the same bytes each time the same model is saved."""
    data = _canonical(_skops().dumps(obj))
    write_bytes(path, data)


def load_sklearn(path, trusted):
    """The object in a skops file whose every type is in trusted (module.Class names);
    anything else is refused before any of it is built."""
    try:
        with open(path, "rb") as f:
            data = f.read()
        schema = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("schema.json"))
    except FileNotFoundError:
        raise TagbenchError(f"{path}: file not found (run `dvc pull` or `dvc repro`)") from None
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise TagbenchError(f"{path}: not a skops model file ({e})") from None
    found = {f"{n['__module__']}.{n['__class__']}" for n in _nodes(schema)
             if isinstance(n.get("__class__"), str) and isinstance(n.get("__module__"), str)}
    foreign = sorted(found - set(PLAIN) - set(trusted))
    if foreign:
        raise TagbenchError(f"{path}: refused, it holds types this baseline never saves: "
                            f"{', '.join(foreign)}")
    try:
        return _skops().loads(data, trusted=sorted(found))
    except Exception as e:  # a malformed node: skops' own errors have no common base
        raise TagbenchError(f"{path}: cannot load ({type(e).__name__}: {e})") from None


def save_weights(module, path):
    """A torch module's state_dict as safetensors: tensors and names, no code."""
    from safetensors.torch import save

    data = save({k: v.contiguous() for k, v in module.state_dict().items()})
    write_bytes(path, data)


def load_weights(module, path):
    """Fill module with the safetensors file's tensors; every name must match."""
    from safetensors import SafetensorError
    from safetensors.torch import load

    try:
        with open(path, "rb") as f:
            tensors = load(f.read())
    except FileNotFoundError:
        raise TagbenchError(f"{path}: file not found (run `dvc pull` or `dvc repro`)") from None
    except SafetensorError as e:
        raise TagbenchError(f"{path}: not a safetensors file ({e})") from None
    try:
        module.load_state_dict(tensors)
    except RuntimeError as e:
        first = str(e).strip().splitlines()[0]
        raise TagbenchError(f"{path}: does not fit this model ({first})") from None
    return module
