"""Stage slices: every baseline's macro and micro F1 on each slice of the test split defined
in params.yaml's `slices`, from what the evaluate stages wrote; metrics/slices.json,
reports/slices.md and the heatmap reports/slices.png."""

import numpy as np

from tagbench import data
from tagbench.core import plots
from tagbench.core.errors import exits_cleanly
from tagbench.core.io import read_json, write_json, write_text
from tagbench.core.params import every_baseline
from tagbench.data import artifacts
from tagbench.evaluation import params, slices


@exits_cleanly
def main():
    p = params.load()
    evaluations = {name: artifacts.evaluation(name) for name in every_baseline(p)}
    truth = artifacts.shared_truth(evaluations)["test"]
    ids = next(iter(evaluations.values()))[1]["test"][0]
    records = {r["id"]: r for r in read_json(data.PROCESSED)}
    masks = slices.masks(p["slices"], [records[i] for i in ids], read_json(data.VOCABULARY),
                         [r["date"] for r in records.values()])
    predictions = {name: splits["test"][2] for name, (_, splits) in evaluations.items()}
    table = slices.evaluate(masks, truth, predictions, p["report"]["resamples"], p["seed"])
    sizes = {name: int(mask.sum()) for name, mask in masks.items()}
    write_json(artifacts.SLICES, {"sizes": sizes, "baselines": table})
    write_text(artifacts.SLICES_MD, slices.markdown(p["slices"], sizes, table))
    values = [[np.nan if row[s] is None else row[s]["f1"] - row[s]["overall_f1"] for s in masks]
              for row in table.values()]
    plots.heatmap(values, list(table), list(masks), artifacts.SLICES_PNG, differences=True,
                  title="test macro F1: slice minus whole split\n(the slice's tags)")
    flagged = [f"{b} on {s}" for b, row in table.items() for s, r in row.items()
               if r and r["below"]]
    print(f"slices: {', '.join(f'{n} {k}' for n, k in sizes.items())}; significantly below "
          f"overall: {', '.join(flagged) or 'none'}")


if __name__ == "__main__":
    main()
