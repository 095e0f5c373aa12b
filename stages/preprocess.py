"""Stage preprocess: the dataset params.yaml describes → cleaned texts, filtered labels, the
class list, the vocabulary the rule-based baselines match, every label the data knows and
the future set (dataset.future) kept to the classes."""

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
    future, dropped = (preprocess.future(readers.read_future(d["future"], d["text"]), classes)
                       if d["future"] else ([], 0))
    write_json(data.FUTURE, future)
    stats["future_projects"] = len(future)
    write_json(artifacts.DATA_STATS, {"version": data.dataset_name(d), **stats})
    unused = preprocess.unused_labels(rows, vocabulary)
    given = [f"{n} {sum(r['split'] == n for r in records)}" for n in data.SPLIT_NAMES]
    print(f"preprocess: {len(rows)} rows of {d['dir']} → {stats['projects']} with "
          f"{stats['classes']} classes ({stats['unlabeled_dropped']} without labels dropped); "
          f"aliases from {source}" + ("; given split: " + ", ".join(given)
                                      if records[0]["split"] else "")
          + (f"; future set {d['future']}: {len(future)} projects"
             f"{f' ({dropped} without a tag of these classes dropped)' if dropped else ''}"
             if d["future"] else ""))
    if unused and not d["vocabulary"]:
        print(f"warning: {len(unused)} label(s) of {d['labels_file']} in no row: "
              f"{', '.join(unused[:5])}")


if __name__ == "__main__":
    main()
