"""Stage stem: Porter-stem every processed text into a parallel file."""

from tqdm import tqdm

from tagbench import data
from tagbench.core.errors import exits_cleanly
from tagbench.core.io import read_json, write_json
from tagbench.data import text


@exits_cleanly
def main():
    records = read_json(data.PROCESSED)
    stemmed = [{**r, "text": text.stem(r["text"])}
               for r in tqdm(records, desc="stem", disable=None)]
    write_json(data.STEMMED, stemmed)


if __name__ == "__main__":
    main()
