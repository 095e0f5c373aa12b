"""Any multi-label dataset through its description (params.yaml's `dataset`): every file format
and label form on tiny files made here, a given split used as-is, and each bad input stopping
with one line that names the file, row and field."""

import json

import pytest
import yaml

from conftest import REPO, run_stage, set_params
from tagbench import data
from tagbench.core.errors import TagbenchError
from tagbench.data import preprocess, readers, split
from tagbench.runs import flags

ROWS = [  # id, title, body, labels
    ("a1", "graph nets", "message passing on graphs", ["graphs", "nlp"]),
    ("a2", "bert for tags", "a language model", ["nlp"]),
    ("a3", "unet", "image segmentation", ["vision"]),
    ("a4", "detr", "object detection with transformers", ["vision", "nlp"]),
]
LABELS = ["graphs", "nlp", "vision"]


def describe(**changes):
    """The repository's description with changes: a base every test below edits."""
    base = yaml.safe_load((REPO / "params.yaml").read_text())["dataset"]
    return {**base, "id": "id", "text": ["title", "body"], "labels": "labels",
            "vocabulary": None, "date": None, "behavior": None, **changes}


def write_json_list(path, label_value=lambda tags: tags):
    path.write_text(json.dumps([{"id": i, "title": t, "body": b, "labels": label_value(tags)}
                                for i, t, b, tags in ROWS]))


def write_delimited(path, sep, header=True, label_value=";".join):
    lines = [sep.join(["id", "title", "body", "labels"])] if header else []
    lines += [sep.join([i, t, b, label_value(tags)]) for i, t, b, tags in ROWS]
    path.write_text("\n".join(lines) + "\n")


def expected():
    return [(i, f"{t} {b}", tags) for i, t, b, tags in ROWS]


def read(d):
    rows, vocabulary, source = readers.read_dataset(d)
    return [(r["id"], r["text"], r["tags"]) for r in rows], vocabulary, source


def test_json_list_of_objects(tmp_path):
    write_json_list(tmp_path / "d.json")
    rows, vocabulary, source = read(describe(dir=str(tmp_path), files="d.json"))
    assert rows == expected()
    assert sorted(vocabulary) == LABELS and "the label names themselves" in source


def test_json_lines(tmp_path):
    (tmp_path / "d.jsonl").write_text("".join(
        json.dumps({"id": i, "title": t, "body": b, "labels": tags}) + "\n\n"
        for i, t, b, tags in ROWS))
    assert read(describe(dir=str(tmp_path), files="d.jsonl", format="jsonl"))[0] == expected()


def test_csv_with_a_header_and_delimited_labels(tmp_path):
    write_delimited(tmp_path / "d.csv", ",")
    d = describe(dir=str(tmp_path), files="d.csv", format="csv", label_format="delimited",
                 label_sep=";")
    assert read(d)[0] == expected()


def test_csv_quotes_a_text_holding_the_separator(tmp_path):
    (tmp_path / "d.csv").write_text('id,title,body,labels\n1,"a, b","say ""hi""",x\n')
    d = describe(dir=str(tmp_path), files="d.csv", format="csv", label_format="delimited")
    assert read(d)[0] == [("1", 'a, b say "hi"', ["x"])]


def test_tsv_without_a_header_and_label_ids_into_a_labels_file(tmp_path):
    """GoEmotions' shape: no header, `text<TAB>ids<TAB>id`, a quote left as written."""
    (tmp_path / "labels.txt").write_text("\n".join(LABELS) + "\n")
    write_delimited(tmp_path / "d.tsv", "\t", header=False,
                    label_value=lambda tags: ",".join(str(LABELS.index(t)) for t in tags))
    d = describe(dir=str(tmp_path), files="d.tsv", format="tsv", columns=["id", "title", "body",
                 "labels"], label_format="ids", labels_file="labels.txt")
    assert read(d)[0] == expected()
    (tmp_path / "q.tsv").write_text('1\t"quoted, still one" field\t\t0\n')
    d = {**d, "files": "q.tsv"}
    assert read(d)[0] == [("1", '"quoted, still one" field', ["graphs"])]


def test_json_label_ids_as_numbers(tmp_path):
    (tmp_path / "labels.txt").write_text("\n".join(LABELS) + "\n")
    write_json_list(tmp_path / "d.json", lambda tags: [LABELS.index(t) for t in tags])
    d = describe(dir=str(tmp_path), files="d.json", label_format="ids", labels_file="labels.txt")
    assert read(d)[0] == expected()


def test_rows_without_an_id_field_are_named_by_file_and_line(tmp_path):
    write_delimited(tmp_path / "d.csv", ",")
    d = describe(dir=str(tmp_path), files="d.csv", format="csv", id=None,
                 label_format="delimited", label_sep=";")
    assert [r[0] for r in read(d)[0]] == ["d.csv:2", "d.csv:3", "d.csv:4", "d.csv:5"]


def test_a_vocabulary_gives_aliases_and_parents(tmp_path):
    write_json_list(tmp_path / "d.json")
    (tmp_path / "tags.json").write_text(json.dumps(
        [{"tag": t, "aliases": [f"{t}-alias"], "parents": []} for t in LABELS]))
    _, vocabulary, source = read(describe(dir=str(tmp_path), files="d.json",
                                          vocabulary="tags.json"))
    assert vocabulary["nlp"]["aliases"] == ["nlp-alias"] and source == "tags.json"


def given_split_records(d):
    rows, vocabulary, _ = readers.read_dataset(d)
    records, classes, _ = preprocess.apply(rows, vocabulary, {
        "sample": 0, "min_tag_freq": 1, "exclude_tags": []}, {"lower": True, "stopwords": False},
        0)
    return records, classes


def test_a_given_split_in_separate_files_is_used_as_is(tmp_path):
    for name, part in (("train", ROWS[:2]), ("val", ROWS[2:3]), ("test", ROWS[3:])):
        (tmp_path / f"{name}.jsonl").write_text("".join(
            json.dumps({"id": i, "title": t, "body": b, "labels": tags}) + "\n"
            for i, t, b, tags in part))
    d = describe(dir=str(tmp_path), format="jsonl",
                 files={"train": "train.jsonl", "val": "val.jsonl", "test": "test.jsonl"})
    records, classes = given_split_records(d)
    splits = split.split_ids(records, classes, "iterative", 0.7, 2, seed=0)
    assert splits == {"train": ["a1", "a2"], "val": ["a3"], "test": ["a4"]}
    assert split.missing_classes(records, classes, splits) == {
        "train": ["vision"], "val": ["graphs", "nlp"], "test": ["graphs"]}


def test_a_given_split_in_a_column_is_used_as_is(tmp_path):
    names = ["test", "train", "val", "train"]
    (tmp_path / "d.json").write_text(json.dumps([
        {"id": i, "title": t, "body": b, "labels": tags, "part": s}
        for (i, t, b, tags), s in zip(ROWS, names)]))
    records, classes = given_split_records(describe(dir=str(tmp_path), files="d.json",
                                                    split="part"))
    assert split.split_ids(records, classes, "iterative", 0.7, 2, seed=0) == {
        "train": ["a2", "a4"], "val": ["a3"], "test": ["a1"]}


def test_a_row_without_labels_is_dropped_and_counted_or_refused(tmp_path):
    (tmp_path / "d.json").write_text(json.dumps(
        [{"id": 1, "title": "t", "body": "b", "labels": ["x"]},
         {"id": 2, "title": "t", "body": "b", "labels": []}]))
    d = describe(dir=str(tmp_path), files="d.json")
    rows, vocabulary, _ = readers.read_dataset(d)
    records, _, stats = preprocess.apply(rows, vocabulary, {
        "sample": 0, "min_tag_freq": 1, "exclude_tags": []}, {"lower": True, "stopwords": False},
        0)
    assert [r["id"] for r in records] == [1] and stats["unlabeled_dropped"] == 1
    with pytest.raises(TagbenchError, match=r"d.json: row 2: field 'labels' holds no label"):
        readers.read_dataset({**d, "unlabeled": "refuse"})


@pytest.mark.parametrize("content, changes, message", [
    ([{"id": 1, "title": "t", "labels": ["x"]}], {}, "d.json: row 1: no field 'body'"),
    ([{"id": 1, "title": " ", "body": "", "labels": ["x"]}], {},
     "d.json: row 1: fields title, body: empty text"),
    ([{"id": 1, "title": "t", "body": "b", "labels": "x"}], {},
     "d.json: row 1: field 'labels' must be a list of labels"),
    ([{"id": 1, "title": "t", "body": "b", "labels": [0, 3]}],
     {"label_format": "ids", "labels_file": "labels.txt"},
     "d.json: row 1: field 'labels': label id 3 is not in labels.txt (ids 0-2)"),
    ([{"id": 1, "title": "t", "body": "b", "labels": ["x"]},
      {"id": 1, "title": "t", "body": "b", "labels": ["y"]}], {},
     "d.json: row 2: field 'id': id 1 repeats"),
    ([{"id": 1, "title": "t", "body": "b", "labels": ["x"], "part": "dev"}], {"split": "part"},
     "d.json: row 1: field 'part' = 'dev' must be one of train, val, test"),
    ({"id": 1}, {}, "d.json: expected a JSON list of objects"),
    ([["not", "an", "object"]], {}, "d.json: row 1: expected an object"),
])
def test_bad_rows_name_the_file_row_and_field(tmp_path, content, changes, message):
    (tmp_path / "labels.txt").write_text("\n".join(LABELS) + "\n")
    (tmp_path / "d.json").write_text(json.dumps(content))
    with pytest.raises(TagbenchError) as error:
        readers.read_dataset(describe(dir=str(tmp_path), files="d.json", **changes))
    assert message in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize("name, fmt, content, message", [
    ("d.jsonl", "jsonl", '{"id": 1}\n{oops\n', "d.jsonl: line 2: malformed JSON"),
    ("d.csv", "csv", "id,title,body,labels\n1,t,b\n", "d.csv: line 2: 3 columns, expected 4"),
    ("d.csv", "csv", b"id,title\n\xff\n", "d.csv: not UTF-8 text"),
    ("d.jsonl", "jsonl", "\n\n", "d.jsonl: no rows"),
    ("labels.txt", "csv", "", "labels.txt: expected one distinct, non-empty label per line"),
])
def test_bad_files_name_the_file_and_line(tmp_path, name, fmt, content, message):
    (tmp_path / "labels.txt").write_text("\n".join(LABELS) + "\n")
    path = tmp_path / name
    path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content)
    ids = {"label_format": "ids", "labels_file": "labels.txt"} if name == "labels.txt" else {}
    with pytest.raises(TagbenchError, match=message):
        readers.read_dataset(describe(dir=str(tmp_path), files="d.csv" if ids else name,
                                   format=fmt, **ids))


def test_a_missing_file_says_how_to_get_it(tmp_path):
    with pytest.raises(TagbenchError, match=r"nothing.json: file not found \(run `dvc pull`"):
        readers.read_dataset(describe(dir=str(tmp_path), files="nothing.json"))


def test_a_preset_for_another_dataset_validates_and_keeps_mappings_whole():
    """params.goemotions.yaml: the given split's mapping travels as one -S value."""
    given, notes = flags.set_flags(REPO / "params.goemotions.yaml")
    assert notes == []
    assert "dataset.files={train:train.tsv,val:dev.tsv,test:test.tsv}" in given
    assert "dataset.columns=[text,labels,id]" in given
    assert all(" " not in flag for flag in given)  # `dvc exp run $(tagbench preset ...)`


@pytest.mark.slow  # a fresh Python process that imports torch
def test_the_stages_on_a_csv_dataset_with_its_own_split(workdir):
    """preprocess and split on a CSV with a split column: the split as given, a warning for a
    class a split lacks, a labels-file label in no row said; then a bad row loses nothing."""
    folder = workdir / "mine"
    folder.mkdir()
    (folder / "labels.txt").write_text("\n".join([*LABELS, "unused"]) + "\n")
    parts = ["train", "train", "val", "test"]
    (folder / "d.csv").write_text("id,title,body,labels,part\n" + "".join(
        f'{i},{t},{b},"{",".join(str(LABELS.index(x)) for x in tags)}",{s}\n'
        for (i, t, b, tags), s in zip(ROWS, parts)))
    set_params(workdir / "params.yaml", **{
        "dataset": describe(dir="mine", files="d.csv", format="csv", split="part",
                            label_format="ids", labels_file="labels.txt"),
        "data.min_tag_freq": 1})
    result = run_stage(workdir, "preprocess", fresh=True)
    assert result.returncode == 0, result.stderr
    assert "warning: 1 label(s) of labels.txt in no row: unused" in result.stdout
    result = run_stage(workdir, "split", fresh=True)
    assert result.returncode == 0, result.stderr
    assert json.loads((workdir / "data/splits.json").read_text()) == {
        "train": ["a1", "a2"], "val": ["a3"], "test": ["a4"], "method": "given"}
    assert "warning: 1 class(es) with no test row: graphs" in result.stdout
    built = (workdir / data.PROCESSED).read_bytes()
    (folder / "d.csv").write_text("id,title,body,labels,part\na1,t,b,7,train\n")
    result = run_stage(workdir, "preprocess", fresh=True)
    assert result.returncode == 2
    assert result.stderr.strip() == ("error: mine/d.csv: line 2: field 'labels': label id '7' "
                                     "is not in labels.txt (ids 0-3)")
    assert (workdir / data.PROCESSED).read_bytes() == built
