"""The bottom layer: errors, files, params checks, seeds, threads, metrics, thresholds and
figures. It imports nothing else of tagbench."""
