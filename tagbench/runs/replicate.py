"""`tagbench compare A B --seeds N`: the comparison replicated over model seeds.

The baselines whose stages differ between A and B in dvc.lock, and that a seed moves (a seed
floor above 0 in reports/noise_floor.json, or none measured), run under N model seeds on
each side: the side's own seed s (its `<baseline>.seed`, else params.yaml's) and s+1 ..
s+N-1, each one DVC experiment of that baseline's stages alone, queued and run by DVC's
queue. A run is any commit (the side itself, or an experiment) with the side's code and its
params with that seed, so what ran before is found again, not run again. The others keep
their single-seed row.

Experiments are queued from the workspace, so a side is run here only when it has the
workspace's code (its differences are in params.yaml alone); the other side's seeds run
from a checkout of it, and are found from here afterwards.
"""

from collections import namedtuple

from tagbench.core import params
from tagbench.core.errors import TagbenchError
from tagbench.core.params import every_baseline
from tagbench.models.shared import registry
from tagbench.runs import compare, flags, revisions, tune

Side = namedtuple("Side", "label commit params")
Run = namedtuple("Run", "label commit")  # one seed's run: the side itself or an experiment


def side(label):
    """A side of the comparison: its name, resolved commit (or WORKSPACE) and params."""
    commit = revisions.resolve(label)
    text = revisions.read_at(commit, params.PARAMS_FILE)
    if text is None:
        raise TagbenchError(f"{label} has no {params.PARAMS_FILE}")
    return Side(label, commit, params.parse_yaml(text))


def stages(name, p):
    """The stages that build a baseline's predictions (a hybrid's: its own)."""
    if name in p["hybrids"]:
        return [f"hybrid@{name}"]
    return [f"{stage}@{name}" for stage in ("train", "evaluate")]


def changed(a, b):
    """The baselines of both sides whose stages differ in their dvc.lock entries (deps,
    params or outputs)."""
    rerun = set(compare.rerun(a.commit, b.commit))
    names = set(every_baseline(a.params)) & set(every_baseline(b.params))
    return sorted(n for n in names if rerun & set(stages(n, b.params)))


def section(name, p):
    """The params section whose seed moves a baseline (a hybrid's: its learned member's)."""
    return p["hybrids"][name]["model"] if name in p["hybrids"] else name


def seeded(name, p, floors):
    """Does a seed move it? No when a seed floor of 0 was measured for it (or, for a hybrid
    without its own, for its learned member); an unmeasured one is replicated."""
    floor = floors.get(name, floors.get(section(name, p)))
    return floor is None or floor > 0


def with_seed(p, key, seed):
    return {**p, key: {**p[key], "seed": seed}}


def normal(p, key):
    """params with the section's seed written out (null means params.yaml's seed)."""
    return with_seed(p, key, registry.seed(key, p))


def seeds(name, p, n):
    first = registry.seed(section(name, p), p)
    return list(range(first, first + n))


Pipeline = namedtuple("Pipeline", "deps outs")  # paths its stages read, and write


def pipeline():
    """What the stages of this dvc.lock read and write: a run's results depend on the files
    they read (code, data pointers) and on params, and differ in what they write."""
    stages_ = compare.lock_stages(revisions.WORKSPACE).values()
    return Pipeline({d["path"] for s in stages_ for d in s.get("deps", [])},
                    {o["path"] for s in stages_ for o in s.get("outs", [])})


def under(path, folders):
    return any(path == f or path.startswith(f + "/") for f in folders)


def code_changes(commit, other, files):
    """Paths that differ between a commit and other (a commit, or WORKSPACE: the working
    tree) that a stage reads (files: a Pipeline), dvc.yaml or a data pointer, and that no
    stage writes: what makes two runs of the same params differ. The docs do not."""
    text = revisions.git("diff", "--name-only", "-z", commit,
                       *([] if other == revisions.WORKSPACE else [other])) or ""
    return [path for path in text.split("\0") if path and not under(path, files.outs)
            and (path == "dvc.yaml" or path.endswith(".dvc") or under(path, files.deps))]


def experiments():
    """Every DVC experiment in git: Run(name, commit)."""
    refs = revisions.git("for-each-ref", "--format=%(objectname) %(refname)", "refs/exps") or ""
    found = []
    for line in refs.splitlines():
        sha, ref = line.split(" ", 1)
        if len(ref.split("/")) == 5:  # refs/exps/<2 hex>/<38 hex>/<name>
            found.append(Run(ref.rsplit("/", 1)[-1], sha))
    return found


class Finder:
    """The runs already made for a side: each candidate's code checked once against the
    side's, and its params and dvc.lock read once."""

    def __init__(self, s, files):
        self.side, self.read = s, {}
        self.runs = [Run(s.label, s.commit)] + [
            run for run in experiments()
            if run.commit != s.commit and not code_changes(run.commit, s.commit, files)]

    def state(self, run):
        """(params, dvc.lock's stages) at the run's commit."""
        if run.commit not in self.read:
            text = revisions.read_at(run.commit, params.PARAMS_FILE)
            self.read[run.commit] = (params.parse_yaml(text) if text else None,
                                     compare.lock_stages(run.commit))
        return self.read[run.commit]

    def find(self, name, seed):
        """The run of the side's baseline under this seed, or None."""
        key = section(name, self.side.params)
        wanted = with_seed(normal(self.side.params, key), key, seed)
        for run in self.runs:
            found, lock = self.state(run)
            if found and key in found and normal(found, key) == wanted and \
                    built(lock, [f"train@{key}", *stages(name, found)], found):
                return run
        return None


def built(lock, chain, found):
    """Did the chain of stages (train@ of the seeded baseline, then what builds the
    predictions) run with the params file's values, each on what the one before it wrote?
    An experiment of other stages keeps this baseline's lock entries, and tags, from its
    base commit: with other params, or (a hybrid after its member alone was re-run) on
    another member's model."""
    entries = [lock.get(stage) for stage in dict.fromkeys(chain)]
    if not all(entries):
        return False
    written = {out["path"]: out.get("md5") for entry in lock.values()
               for out in entry.get("outs", [])}
    return all(params.dotted(found, key) == value for entry in entries
               for key, value in entry.get("params", {}).get(params.PARAMS_FILE, {}).items()) \
        and all(dep.get("md5") == written[dep["path"]] for entry in entries
                for dep in entry.get("deps", []) if dep["path"] in written)


def set_flags(wanted, base):
    """`dvc exp run` flags turning base params into wanted ones."""
    flat_w, flat_b = params.flatten(wanted, like=base), params.flatten(base, like=base)
    found = []
    for key, value in flat_w.items():
        if key not in flat_b:
            found += ["-S", "+" + flags.set_flag(key, [value])[1]]
        elif flat_b[key] != value:
            found += flags.set_flag(key, [value])
    return found + [flag for key in flat_b if key not in flat_w for flag in ("-S", f"~{key}")]


def runnable(s, files):
    """Why the workspace cannot queue this side's runs, or None when it can."""
    dirty = code_changes("HEAD", revisions.WORKSPACE, files)
    if dirty:
        return (f"the workspace has uncommitted changes ({', '.join(dirty[:3])}) that every "
                f"queued experiment would carry: commit or stash them")
    if s.commit != revisions.WORKSPACE:
        differs = code_changes(s.commit, "HEAD", files)
        if differs:
            return (f"{s.label}'s code differs from HEAD's ({', '.join(differs[:3])}): run its "
                    f"seeds from a checkout of it (`git checkout {s.label} && tagbench compare "
                    f"{s.label} {s.label} --seeds N --baselines ...`), then compare from here")
    return None


def queue_missing(finders, names, n):
    """Queue one experiment per missing (side, baseline, seed); their names."""
    files, base = pipeline(), params.read_yaml(params.PARAMS_FILE)
    queued = []
    for finder in finders:
        s = finder.side
        for name in names:
            missing = [seed for seed in seeds(name, s.params, n) if not finder.find(name, seed)]
            print(f"{name}: {s.label} has {n - len(missing)} of its {n} seeds"
                  + (f"; running {missing}" if missing else ""), flush=True)
            if not missing:
                continue
            why = runnable(s, files)
            if why:
                raise TagbenchError(f"{name} needs seeds {missing} of {s.label}, but {why}")
            key = section(name, s.params)
            for seed in missing:
                wanted = with_seed(s.params, key, seed)
                queued += tune.queued(tune.dvc("exp", "run", "--queue", *set_flags(wanted, base),
                                               stages(name, s.params)[-1]))
    return queued


def runs(finder, name, n):
    """The side's tag files of a baseline, one per seed."""
    found = []
    for seed in seeds(name, finder.side.params, n):
        run = finder.find(name, seed)
        if run is None:
            raise TagbenchError(f"{name} under seed {seed} on {finder.side.label} did not "
                                f"finish: see `dvc queue status` and `dvc queue logs <name>`")
        found.append(compare.read_tags(run.commit, name))
    return found


def replicated(rev_a, rev_b, n, resamples=1000, names=None, jobs=1):
    """compare.compare(rev_a, rev_b) with each changed baseline that a seed moves (or the
    named ones) replicated over n seeds a side."""
    result = compare.compare(rev_a, rev_b, resamples)
    a, b = side(rev_a), side(rev_b)
    floors = compare.seed_floors()
    for name in names or ():
        if name not in every_baseline(a.params) or name not in every_baseline(b.params):
            raise TagbenchError(f"--baselines: {name!r} is not a baseline of both {rev_a} and "
                                f"{rev_b}")
    names = names or [name for name in changed(a, b) if seeded(name, b.params, floors)]
    files = pipeline()
    finders = [Finder(a, files), Finder(b, files)]
    if queue_missing(finders, names, n):
        tune.run_queue(jobs=jobs)
        finders = [Finder(a, files), Finder(b, files)]
    rule = compare.Rule("seeds", 0.0, f"{n} seeds a side")
    for i, row in enumerate(result["rows"]):
        if row["baseline"] in names:
            rep = compare.replicated_baseline(runs(finders[0], row["baseline"], n),
                                              runs(finders[1], row["baseline"], n),
                                              resamples, 0)
            row = {"baseline": row["baseline"], **rep, "rule": rule}
            result["rows"][i] = {**row, "verdict": compare.verdict(row, rule)}
    return {**result, "seeds": n}
