"""Is dvc.lock honest? Compare it with the committed code, params and data pointers."""

import json
import subprocess

from tagbench.runs.commands import DVC


def stale_stages(status):
    """Stages whose deps or params changed against dvc.lock, from `dvc status --json`.

    Missing deps are fine (in a fresh clone, upstream outputs are not built yet); modified
    or new deps and any changed param are not.
    """
    stale = {}
    for stage, changes in status.items():
        reasons = []
        for change in changes:
            if not isinstance(change, dict):
                continue
            for path, state in change.get("changed deps", {}).items():
                if isinstance(state, dict):  # a params file: {param: state}
                    reasons += [f"param {name} {s}" for name, s in state.items()]
                elif state != "deleted":
                    reasons.append(f"{path} {state}")
        if reasons:
            stale[stage] = reasons
    return stale


def dvc_status():
    result = subprocess.run([*DVC, "status", "--json"], capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout or "{}")
