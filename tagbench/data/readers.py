"""Read any multi-label dataset from its description (params.yaml's `dataset`).

A dataset is one file or one file per split, in JSON (a list of objects), JSON lines, CSV or
TSV; its text is one or more fields joined by a space; its labels are a list, a delimited
string or ids into a labels file; it may carry its own split and a vocabulary of aliases and
parents. Bad input stops with one line naming the file, row and field."""

import csv
import json
from pathlib import Path

from tagbench.core.errors import TagbenchError
from tagbench.core.io import read_json
from tagbench.data import SPLIT_NAMES

# Longer than any project description or README opening: a bigger text is a mistake or an
# attack (explaining it occludes each of its words).
MAX_CHARS = 100_000


def join_text(row, fields):
    """The text of a row: its text fields' values joined by a space."""
    return " ".join(str(row.get(f) or "") for f in fields).strip()


def check_text(text, where):
    """text, or one line naming where it is and why it cannot be tagged: empty, too long,
    a NUL character or a lone surrogate (which a JSON escape can make: no UTF-8 holds it)."""
    problem = ("empty text" if not text.strip() else
               f"text of {len(text):,} characters, at most {MAX_CHARS:,}" if len(text) > MAX_CHARS
               else "text holds a NUL character" if "\x00" in text else None)
    if problem is None:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as e:
            problem = f"text holds a lone surrogate ({text[e.start]!r}), which no UTF-8 can"
    if problem:
        raise TagbenchError(f"{where}: {problem}")
    return text


def read_tags(path):
    """The tag vocabulary as {tag: {"aliases": [...], "parents": [...]}}.

    A list of {"tag", "aliases", "parents"} or a dict keyed by tag (the projects' v0 schema).
    """
    raw = read_json(path)
    if isinstance(raw, dict) and all(isinstance(v, dict) for v in raw.values()):
        entries = [{"tag": tag, **value} for tag, value in raw.items()]
    elif isinstance(raw, list) and all(isinstance(v, dict) and "tag" in v for v in raw):
        entries = raw
    else:
        raise TagbenchError(f"{path}: expected a list of {{tag, aliases, parents}} "
                            "or a dict {tag: {aliases, parents}}")
    vocabulary = {}
    for entry in entries:
        for key in ("aliases", "parents"):
            if not isinstance(entry.get(key, []), list):
                raise TagbenchError(f"{path}: tag {entry['tag']!r}: '{key}' must be a list")
        vocabulary[entry["tag"]] = {"aliases": entry.get("aliases", []),
                                    "parents": entry.get("parents", [])}
    return vocabulary


def read_rows(path, fmt, columns=()):
    """[(where, row)] of one file: where names the row in errors ("row 3" of a JSON list,
    "line 4" of the others); csv/tsv rows are named by `columns`, else by a header line."""
    path = Path(path)
    if not path.is_file():
        raise TagbenchError(f"{path}: file not found (run `dvc pull`, or check dataset.dir "
                            f"and dataset.files)")
    if fmt == "json":
        rows = read_json(path)
        if not isinstance(rows, list):
            raise TagbenchError(f"{path}: expected a JSON list of objects")
        rows = [(f"row {i}", row) for i, row in enumerate(rows, 1)]
    else:
        try:
            with path.open(encoding="utf-8", newline="") as f:
                rows = list(_json_lines(f) if fmt == "jsonl" else _delimited(f, fmt, columns))
        except UnicodeDecodeError:
            raise TagbenchError(f"{path}: not UTF-8 text") from None
        except _RowError as e:
            raise TagbenchError(f"{path}: {e}") from None
        except csv.Error as e:  # broken quoting, a field over csv's size limit
            raise TagbenchError(f"{path}: malformed {fmt.upper()} ({e})") from None
    for where, row in rows:
        if not isinstance(row, dict):
            raise TagbenchError(f"{path}: {where}: expected an object, got {row!r:.40}")
    return rows


class _RowError(Exception):
    pass


def _json_lines(f):
    for number, line in enumerate(f, 1):
        if line.strip():
            try:
                yield f"line {number}", json.loads(line)
            except json.JSONDecodeError as e:
                raise _RowError(f"line {number}: malformed JSON ({e.msg})") from None
            except RecursionError:
                raise _RowError(f"line {number}: JSON nested too deeply") from None


def _delimited(f, fmt, columns):
    """CSV with standard quoting; TSV as written by most tools, without quoting (a text may
    hold a quote character)."""
    reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE) if fmt == "tsv" \
        else csv.reader(f)
    names = list(columns) or next(reader, [])
    for values in reader:
        if not values:
            continue
        if len(values) != len(names):
            raise _RowError(f"line {reader.line_num}: {len(values)} columns, expected "
                            f"{len(names)} ({', '.join(names)})")
        yield f"line {reader.line_num}", dict(zip(names, values))


def read_labels_file(path):
    """Label names, one per line: line i (from 0) is label id i."""
    path = Path(path)
    if not path.is_file():
        raise TagbenchError(f"{path}: file not found (dataset.labels_file)")
    labels = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    if not labels or not all(labels) or len(set(labels)) != len(labels):
        raise TagbenchError(f"{path}: expected one distinct, non-empty label per line")
    return labels


def row_labels(value, d, names, where):
    """The labels of one row's label field, in whichever form the description says."""
    form, sep = d["label_format"], d["label_sep"]
    if form == "list":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise TagbenchError(f"{where}: field '{d['labels']}' must be a list of labels "
                                f"(dataset.label_format = list), got {value!r:.60}")
        return value
    if isinstance(value, (int, list)) and form == "ids":
        parts = value if isinstance(value, list) else [value]
    elif isinstance(value, str):
        parts = [p.strip() for p in value.split(sep) if p.strip()]
    else:
        raise TagbenchError(f"{where}: field '{d['labels']}' must be a string of labels "
                            f"separated by {sep!r}, got {value!r:.60}")
    if form == "delimited":
        return parts
    labels = []
    for part in parts:
        try:
            if isinstance(part, bool) or not 0 <= int(part) == float(part):
                raise ValueError
            labels.append(names[int(part)])
        except (ValueError, IndexError, TypeError, OverflowError):
            raise TagbenchError(f"{where}: field '{d['labels']}': label id {part!r} is not in "
                                f"{d['labels_file']} (ids 0-{len(names) - 1})") from None
    return labels


def read_dataset(d):
    """A dataset described by params.yaml's `dataset` → (rows [{id, text, fields, tags, date,
    split}], vocabulary {label: {aliases, parents}}, how the vocabulary was made)."""
    folder = Path(d["dir"])
    names = read_labels_file(folder / d["labels_file"]) if d["label_format"] == "ids" else None
    files = d["files"] if isinstance(d["files"], dict) else {None: d["files"]}
    rows, seen = [], {}
    for split, name in files.items():
        path = folder / name
        for where, raw in read_rows(path, d["format"], d["columns"]):
            row_id = f"{path.name}:{where.split()[-1]}"  # when the rows have no id field
            rows.append(parse_row(raw, d, names, f"{path}: {where}", split, seen, row_id))
        if split and not any(r["split"] == split for r in rows):
            raise TagbenchError(f"{path}: no rows (the {split} split's file)")
    if not rows:
        raise TagbenchError(f"{folder / d['files']}: no rows")
    if d["vocabulary"]:
        vocabulary, source = read_tags(folder / d["vocabulary"]), d["vocabulary"]
    else:
        known = names or sorted({t for r in rows for t in r["tags"]})
        vocabulary = {label: {"aliases": [], "parents": []} for label in known}
        source = "the label names themselves (no dataset.vocabulary)"
    return rows, vocabulary, source


def read_future(path, fields):
    """A future set (dataset.future): JSON lines of projects written after the data, each with
    the dataset's text fields, `must` (the tags the text clearly supports) and `ok` (tags that
    are defensible, never required) → [{id, raw, must, ok}]; id: its `repo`, else its line."""
    records = []
    for where, raw in read_rows(path, "jsonl"):
        place = f"{path}: {where}"
        for key in ("must", "ok"):
            value = raw.get(key)
            if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
                raise TagbenchError(f"{place}: field '{key}' must be a list of tags, got "
                                    f"{value!r:.60}")
        text = check_text(join_text(raw, fields), f"{place}: fields {', '.join(fields)}")
        records.append({"id": str(raw.get("repo") or where), "raw": text,
                        "must": raw["must"], "ok": raw["ok"]})
    if not records:
        raise TagbenchError(f"{path}: no rows (dataset.future)")
    return records


def parse_row(raw, d, names, where, split, seen, row_id):
    """One raw row → {id, text, fields, tags, date, split}, checking every field it needs;
    seen: {id: where} of the rows before it."""
    for field in [*d["text"], d["labels"], *([d["id"]] if d["id"] else []),
                  *([d["split"]] if d["split"] else [])]:
        if field not in raw:
            raise TagbenchError(f"{where}: no field '{field}'")
    text = check_text(join_text(raw, d["text"]), f"{where}: fields {', '.join(d['text'])}")
    row_id = raw[d["id"]] if d["id"] else row_id
    if isinstance(row_id, bool) or not isinstance(row_id, (str, int)):
        raise TagbenchError(f"{where}: field '{d['id']}' must be a string or an integer, got "
                            f"{row_id!r:.40}")
    if row_id in seen:
        raise TagbenchError(f"{where}: field '{d['id']}': id {row_id!r} repeats {seen[row_id]}")
    seen[row_id] = where
    if d["split"]:
        split = raw[d["split"]]
        if split not in SPLIT_NAMES:
            raise TagbenchError(f"{where}: field '{d['split']}' = {split!r} must be one of "
                                f"{', '.join(SPLIT_NAMES)}")
    tags = row_labels(raw[d["labels"]], d, names, where)
    if not tags and d["unlabeled"] == "refuse":
        raise TagbenchError(f"{where}: field '{d['labels']}' holds no label "
                            f"(dataset.unlabeled = refuse; drop counts and drops such rows)")
    return {"id": row_id, "text": text, "fields": {f: raw[f] for f in d["text"]}, "tags": tags,
            "date": raw.get(d["date"]) if d["date"] else None, "split": split}
