"""Stage explain: one baseline's word-occlusion explanations and their faithfulness
(comprehensiveness at k = 1, 3, 5 against random deletion) over the test split, plus the
explanations of a few test projects for reports/explanations.html.
Usage: python stages/explain.py <baseline>"""

import sys

from tagbench import artifacts, data, explain, params
from tagbench.errors import exits_cleanly
from tagbench.io import read_json, write_json
from tagbench.predict import Tagger
from tagbench.seeding import seed_everything

SHOWN = 6  # test projects on the explanations page


@exits_cleanly
def main(name):
    p = params.load()
    seed_everything(p["seed"])  # the random baselines draw while being explained
    raw = {r["id"]: r for r in data.read_projects(data.raw_paths(p["data"]["version"])[0])}
    ids = read_json(data.SPLITS)["test"]
    texts = [f"{raw[i]['title']} {raw[i]['description']}".strip() for i in ids]
    tagger = Tagger(name)
    rows = explain.comprehensiveness(tagger, texts, seed=p["seed"])
    summary = explain.summarise(rows, len(texts), p["report"]["resamples"], p["seed"])
    write_json(artifacts.faithfulness_path(name), summary)
    write_json(artifacts.explanations_path(name), {
        "method": explain.method(tagger),
        "projects": [{"id": i, "text": t, "tags": explain.explain(tagger, t)}
                     for i, t in zip(ids[:SHOWN], texts[:SHOWN])]})
    at3 = summary["3"]
    print(f"{name}: deleting the 3 most attributed words removes " + (
        f"{at3['removed']:.0%} of its tags, 3 random words {at3['removed_random']:.0%}"
        if at3 else "nothing (no tag predicted)"))


if __name__ == "__main__":
    main(sys.argv[1])
