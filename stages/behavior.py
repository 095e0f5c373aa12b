"""Stage behavior: run one baseline on the behavioural suite (data/behavioral/*.jsonl) through
predict's Tagger; pass rates per kind as metrics, failed case ids as a report.
Usage: python stages/behavior.py <baseline>"""

import sys

from tagbench import artifacts, behavior, data, params
from tagbench.errors import exits_cleanly
from tagbench.io import write_json
from tagbench.predict import Tagger


@exits_cleanly
def main(name):
    version = params.load()["data"]["version"]
    suite = behavior.load_suite(set(data.read_tags(data.raw_paths(version)[1])))
    tagger = Tagger(name)
    rates, failed = behavior.run(lambda texts: [r["tags"] for r in tagger.predict(texts)], suite,
                                 tagger.classes)
    write_json(artifacts.behavior_path(name), rates)
    write_json(artifacts.behavior_failures_path(name), failed)
    print(f"{name}: behavioural pass rate {rates['all']['pass_rate']:.2f} ("
          + ", ".join(f"{k} {rates[k]['passed']}/{rates[k]['total']}" for k in failed)
          + f"; {rates['all']['skipped']} skipped: their tags are not classes here)")


if __name__ == "__main__":
    main(sys.argv[1])
