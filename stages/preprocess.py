"""Stage preprocess: raw projects + tag vocabulary → cleaned texts, filtered tags, class list."""

from tagbench import artifacts, data, params
from tagbench.errors import exits_cleanly
from tagbench.io import write_json


@exits_cleanly
def main():
    p = params.load()
    projects_path, tags_path = data.raw_paths(p["data"]["version"])
    vocabulary = data.read_tags(tags_path)
    projects = data.read_projects(projects_path)
    records, classes, stats = data.preprocess(projects, vocabulary, p["data"], p["text"], p["seed"])
    write_json(data.PROCESSED, records)
    write_json(data.CLASSES, classes)
    write_json(data.VOCABULARY, {c: vocabulary[c] for c in classes})
    write_json(artifacts.DATA_STATS, {"version": p["data"]["version"], **stats})
    print(f"preprocess: {stats['projects']} projects, {stats['classes']} classes "
          f"from {projects_path}")


if __name__ == "__main__":
    main()
