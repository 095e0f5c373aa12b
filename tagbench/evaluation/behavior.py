"""Behavioural tests in CheckList's three test types, on hand-written cases in data/behavioral/:

- minimum functionality: a plain description gets its obvious tags;
- invariance: swapping a framework or a proper noun leaves every other tag as it was;
- directional: adding "implemented in PyTorch" adds pytorch and removes nothing.

A case file with any error (a missing field, a tag the dataset's vocabulary does not know,
invalid JSON) is refused whole, with one line naming the file, line and field. A case whose
expected tags are not classes of this run (a data version or sample that filtered them out)
is skipped and counted as such. Every baseline runs through the same Tagger as
`tagbench predict`.
"""

import json
from pathlib import Path

from tagbench import data
from tagbench.core.errors import TagbenchError
from tagbench.core.io import read_json, write_json
from tagbench.core.seeding import seed_everything
from tagbench.data import artifacts

FIELDS = {  # test type -> the fields a case needs besides its id
    "minimum_functionality": ("text", "tags"),
    "invariance": ("texts", "ignore"),
    "directional": ("text", "added", "tags"),
}


def _check(case, known, where):
    """Raise TagbenchError naming where and the field for the first bad field of a case."""
    def fail(field, problem):
        raise TagbenchError(f"{where}: field {field!r} {problem}")

    for field, value in case.items():
        if field in ("text", "added", "id") and not (isinstance(value, str) and value.strip()):
            fail(field, "must be a non-empty string")
        if field == "texts" and not (isinstance(value, list) and len(value) == 2 and all(
                isinstance(t, str) and t.strip() for t in value)):
            fail(field, "must be a list of two non-empty strings")
        if field in ("tags", "ignore"):
            if not isinstance(value, list):
                fail(field, "must be a list of tags")
            unknown = [t for t in value if known is not None and t not in known]
            if unknown:
                fail(field, f"names {unknown[0]!r}, which is not a tag of the dataset")


def read_cases(test_type, known, directory):
    """The cases of one test type, checked (against the known tags too, unless None); the
    whole file is refused at its first error."""
    path = Path(directory) / f"{test_type}.jsonl"
    if not path.exists():
        raise TagbenchError(f"{path}: file not found")
    cases, ids = [], set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            case = json.loads(line)
        except json.JSONDecodeError as e:
            raise TagbenchError(f"{where}: invalid JSON ({e.msg})") from None
        if not isinstance(case, dict):
            raise TagbenchError(f"{where}: expected a JSON object")
        for field in ("id", *FIELDS[test_type]):
            if field not in case:
                raise TagbenchError(f"{where}: missing field {field!r}")
        _check(case, known, where)
        if case["id"] in ids:
            raise TagbenchError(f"{where}: field 'id' repeats {case['id']!r}")
        ids.add(case["id"])
        cases.append(case)
    return cases


def load_suite(known, directory):
    return {test_type: read_cases(test_type, known, directory) for test_type in FIELDS}


def texts_of(test_type, case):
    """Every text a case needs tagged."""
    if test_type == "minimum_functionality":
        return [case["text"]]
    if test_type == "invariance":
        return list(case["texts"])
    return [case["text"], case["text"] + case["added"]]


def passes(test_type, case, tags):
    """Does a case pass, given tags: text -> the set of predicted tags?"""
    if test_type == "minimum_functionality":
        return set(case["tags"]) <= tags[case["text"]]
    if test_type == "invariance":
        ignore = set(case["ignore"])
        first, second = (tags[t] - ignore for t in case["texts"])
        return first == second
    before, after = tags[case["text"]], tags[case["text"] + case["added"]]
    return set(case["tags"]) <= after and before <= after


def run(predict, suite, classes):
    """{test type: {passed, total, skipped, pass_rate}, "all": ...} and {test type: [failed
    case ids]}.
    predict: a list of texts -> a list of predicted tag lists (one batch for the suite); a
    case expecting a tag outside classes is skipped."""
    applicable = {test_type: [c for c in suite.get(test_type, [])
                              if set(c.get("tags", [])) <= set(classes)]
                  for test_type in FIELDS}
    texts = sorted({t for test_type, cases in applicable.items() for c in cases
                    for t in texts_of(test_type, c)})
    tags = dict(zip(texts, (set(t) for t in predict(texts)))) if texts else {}
    rates, failed = {}, {}
    for test_type, cases in applicable.items():
        failed[test_type] = [c["id"] for c in cases if not passes(test_type, c, tags)]
        rates[test_type] = rate(len(cases) - len(failed[test_type]), len(cases),
                           len(suite.get(test_type, [])) - len(cases))
    rates["all"] = rate(*(sum(r[k] for r in rates.values())
                          for k in ("passed", "total", "skipped")))
    return rates, failed


def rate(passed, total, skipped):
    """The counts and pass rate of some cases; no case, no rate (None)."""
    share = round(passed / total, 6) if total else None
    return {"passed": passed, "total": total, "skipped": skipped, "pass_rate": share}


def warn_unknown(suite, known, directory):
    """One line naming the tags of the suite that this dataset does not know (cases written
    for another version of it, or a typo): their cases are skipped, as those of tags that
    are not classes here are. tests/test_behavior.py holds the committed suite to v1's tags."""
    unknown = sorted({t for cases in suite.values() for case in cases
                      for t in case.get("tags", []) if t not in known})
    if unknown:
        print(f"warning: {directory}: {len(unknown)} tag(s) this dataset does not know, their "
              f"cases skipped: {', '.join(unknown[:5])}")


def write(tagger, p):
    """One baseline (or hybrid), loaded as a Predictor, on the suite of dataset.behavior;
    its pass rates and failed cases written."""
    name = tagger.name
    seed_everything(p["seed"])  # the random baselines draw while being tested
    directory = p["dataset"]["behavior"]
    suite = load_suite(None, directory) if directory else {}
    warn_unknown(suite, set(read_json(data.LABELS)), directory)
    rates, failed = run(lambda texts: [r["tags"] for r in tagger.predict(texts)], suite,
                        tagger.classes)
    write_json(artifacts.behavior_path(name), rates["all"])  # the headline metric
    write_json(artifacts.behavior_kinds_path(name),
               {kind: counts for kind, counts in rates.items() if kind != "all"})
    write_json(artifacts.behavior_failures_path(name), failed)
    if rates["all"]["pass_rate"] is None:
        print(f"{name}: no behavioural test applies " + (
            f"(the {rates['all']['skipped']} cases of {directory} name tags that are not "
            f"classes here)" if directory else "(dataset.behavior is null)"))
        return
    print(f"{name}: behavioural pass rate {rates['all']['pass_rate']:.2f} ("
          + ", ".join(f"{k} {rates[k]['passed']}/{rates[k]['total']}" for k in failed)
          + f"; {rates['all']['skipped']} skipped: their tags are not classes here)")
