"""Stage behavior: run one baseline on the behavioural suite (data/behavioral/*.jsonl) through
predict's Predictor; pass rates per test type as metrics, failed case ids as a report.
Usage: python stages/behavior.py <baseline>"""

import sys

from tagbench import data
from tagbench.errors import exits_cleanly
from tagbench.evaluation import behavior
from tagbench.io import read_json, write_json
from tagbench.pipeline import artifacts, params
from tagbench.predict import Predictor
from tagbench.seeding import seed_everything


@exits_cleanly
def main(name):
    p = params.load()
    seed_everything(p["seed"])  # the random baselines draw while being tested
    directory = p["dataset"]["behavior"]
    suite = behavior.load_suite(set(read_json(data.LABELS)), directory) if directory else {}
    tagger = Predictor(name)
    rates, failed = behavior.run(lambda texts: [r["tags"] for r in tagger.predict(texts)], suite,
                                 tagger.classes)
    write_json(artifacts.behavior_path(name), rates)
    write_json(artifacts.behavior_failures_path(name), failed)
    if rates["all"]["pass_rate"] is None:
        print(f"{name}: no behavioural test applies " + (
            f"(the {rates['all']['skipped']} cases of {directory} name tags that are not "
            f"classes here)" if directory else "(dataset.behavior is null)"))
        return
    print(f"{name}: behavioural pass rate {rates['all']['pass_rate']:.2f} ("
          + ", ".join(f"{k} {rates[k]['passed']}/{rates[k]['total']}" for k in failed)
          + f"; {rates['all']['skipped']} skipped: their tags are not classes here)")


if __name__ == "__main__":
    main(sys.argv[1])
