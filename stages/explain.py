"""Stage explain: how faithful one baseline's explanations are (comprehensiveness at k = 1, 3,
5 against random deletion) over the val split, which the recommendation may read (so not
test), plus the explanations of a few test projects for reports/explanations.html.
Usage: python stages/explain.py <baseline>"""

import sys

from tagbench import data
from tagbench.errors import exits_cleanly
from tagbench.evaluation import explain
from tagbench.io import read_json, write_json
from tagbench.pipeline import artifacts, params
from tagbench.predict import Predictor
from tagbench.seeding import seed_everything

SHOWN = 6  # test projects on the explanations page
MEASURED = 1000  # the first val rows whose explanations are measured (all of the projects' 215)


@exits_cleanly
def main(name):
    p = params.load()
    seed_everything(p["seed"])  # the random baselines draw while being explained
    raw = {r["id"]: r["raw"] for r in read_json(data.PROCESSED)}
    splits = read_json(data.SPLITS)

    def texts(split):
        return [raw[i] for i in splits[split]]

    tagger = Predictor(name)
    val = texts("val")[:MEASURED]
    rows = explain.comprehensiveness(tagger, val, seed=p["seed"])
    summary = explain.summarise(rows, len(val), p["report"]["resamples"], p["seed"])
    write_json(artifacts.faithfulness_path(name), summary)
    write_json(artifacts.explanations_path(name), {
        "method": explain.method(tagger),
        "projects": [{"id": i, "text": t, "tags": explain.explain(tagger, t)}
                     for i, t in zip(splits["test"][:SHOWN], texts("test")[:SHOWN])]})
    at3 = summary["3"]
    print(f"{name}: deleting the 3 most attributed words removes " + (
        f"{at3['removed']:.0%} of its tags, 3 random words {at3['removed_random']:.0%}"
        if at3 else "nothing (no tag predicted)"))


if __name__ == "__main__":
    main(sys.argv[1])
