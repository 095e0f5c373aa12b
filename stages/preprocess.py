"""Stage preprocess: the dataset params.yaml describes → cleaned texts, filtered labels, the
class list, the vocabulary the rule-based baselines match and every label the data knows."""

from tagbench import data
from tagbench.core.errors import exits_cleanly
from tagbench.core.io import write_json
from tagbench.data import artifacts, params, preprocess, readers


@exits_cleanly
def main():
    p = params.load()
    d = p["dataset"]
    rows, vocabulary, source = readers.read_dataset(d)
    records, classes, stats = preprocess.apply(rows, vocabulary, p["data"], p["text"], p["seed"])
    write_json(data.PROCESSED, records)
    write_json(data.CLASSES, classes)
    write_json(data.VOCABULARY, {c: vocabulary[c] for c in classes})
    write_json(data.LABELS, sorted(vocabulary))
    write_json(artifacts.DATA_STATS, {"version": data.dataset_name(d), **stats})
    unused = preprocess.unused_labels(rows, vocabulary)
    given = [f"{n} {sum(r['split'] == n for r in records)}" for n in data.SPLIT_NAMES]
    print(f"preprocess: {len(rows)} rows of {d['dir']} → {stats['projects']} with "
          f"{stats['classes']} classes ({stats['unlabeled_dropped']} without labels dropped); "
          f"aliases from {source}" + ("; given split: " + ", ".join(given)
                                      if records[0]["split"] else ""))
    if unused and not d["vocabulary"]:
        print(f"warning: {len(unused)} label(s) of {d['labels_file']} in no row: "
              f"{', '.join(unused[:5])}")


if __name__ == "__main__":
    main()
