"""Stage ship: the tagger the report recommends, and only it, into shipped/ with its manifest
and model card (the DVC artifact `tagger`). It copies and writes; nothing is retrained."""

from tagbench.core.errors import exits_cleanly
from tagbench.evaluation import params
from tagbench.serving import artifact


@exits_cleanly
def main():
    name = artifact.build(params.load())
    print(f"ship: {name} in {artifact.SHIPPED}/ (manifest, model card, "
          f"{len(artifact.digests(artifact.SHIPPED))} files)")


if __name__ == "__main__":
    main()
