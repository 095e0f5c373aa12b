"""Reading inputs with clear errors, and writing outputs atomically."""

import json
import os
import tempfile
from pathlib import Path

import numpy as np

from tagbench.core.errors import TagbenchError


def read_json(path):
    """Load a JSON file, naming the file in any error."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise TagbenchError(f"{path}: file not found (run `dvc pull` or `dvc repro`)") from None
    except json.JSONDecodeError as e:
        raise TagbenchError(f"{path}: malformed JSON at line {e.lineno}: {e.msg}") from None
    except RecursionError:
        raise TagbenchError(f"{path}: malformed JSON: nested too deeply") from None
    except UnicodeDecodeError:
        raise TagbenchError(f"{path}: not UTF-8 text") from None


def default_mode(directory=False):
    """The permissions a plain open() or mkdir() would give under the current umask
    (mkstemp and mkdtemp make private 0600 / 0700 files)."""
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if directory else 0o666) & ~umask


def _atomic_write(path, write):
    """Call write(file) on a temporary file beside path, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, default_mode())
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_json(path, obj, indent=2):
    """Write obj as key-sorted JSON (indented, unless indent is None), atomically."""
    text = json.dumps(obj, indent=indent, sort_keys=True) + "\n"
    _atomic_write(path, lambda f: f.write(text.encode("utf-8")))


def write_text(path, text):
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path, data):
    _atomic_write(path, lambda f: f.write(data))


def save_array(path, array):
    _atomic_write(path, lambda f: np.save(f, array, allow_pickle=False))


def save_arrays(path, **arrays):
    _atomic_write(path, lambda f: np.savez_compressed(f, **arrays))


def load_array(path):
    path = Path(path)
    if not path.exists():
        raise TagbenchError(f"{path}: file not found (run `dvc repro`)")
    return np.load(path, allow_pickle=False)
