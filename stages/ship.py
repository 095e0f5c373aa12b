"""Stage ship: the tagger the report recommends, and only it, into shipped/ with its manifest
and model card (the DVC artifact `tagger`). It copies and writes; nothing is retrained."""

from tagbench.core.errors import exits_cleanly
from tagbench.evaluation import params
from tagbench.serving import artifact


@exits_cleanly
def main():
    shipped = artifact.build(params.load())
    print(f"ship: {shipped['baseline']} in {artifact.SHIPPED}/ (manifest, model card, "
          f"{len(shipped['files'])} files)")


if __name__ == "__main__":
    main()
