"""Git revisions, DVC experiments and the workspace, by name: what every comparison reads."""

import subprocess
from pathlib import Path

from tagbench.core.errors import TagbenchError

WORKSPACE = "workspace"


ABSENT = ("does not exist", "exists on disk, but not in", "not a tree object",
          "Not a valid object name")


def git(*args):
    """git's output; None when what it was asked for is not there (a revision, or a path at a
    revision); any other failure is one line with git's own message."""
    result = subprocess.run(["git", *args], capture_output=True, text=True)
    if result.returncode == 0:
        return result.stdout
    lines = result.stderr.strip().splitlines()
    if not lines or any(absent in lines[-1] for absent in ABSENT):
        return None
    raise TagbenchError(f"git {args[0]} failed: {lines[-1]}")


def resolve(rev):
    """A commit id for a git revision or a DVC experiment name; WORKSPACE stays itself. A
    name starting with "-" is refused before git sees it: it would read as an option."""
    if rev == WORKSPACE:
        return rev
    if not rev or rev.startswith("-"):
        raise TagbenchError(f"{rev!r} is not a revision: a name starting with '-' (or empty) "
                            f"would reach git as an option")
    commit = git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if commit:
        return commit.strip()
    for line in (git("for-each-ref", "--format=%(objectname) %(refname)", "refs/exps") or
                 "").splitlines():
        sha, ref = line.split(" ", 1)
        if ref.rsplit("/", 1)[-1] == rev:
            return sha
    raise TagbenchError(f"unknown revision or experiment {rev!r}: name a git revision "
                        f"(`git log --oneline`), an experiment (`dvc exp show`) or "
                        f"{WORKSPACE!r}")


def read_at(commit, path):
    """A file's text at a resolved revision (None when it is not there)."""
    if commit == WORKSPACE:
        return Path(path).read_text(encoding="utf-8") if Path(path).exists() else None
    return git("show", f"{commit}:{Path(path).as_posix()}")
