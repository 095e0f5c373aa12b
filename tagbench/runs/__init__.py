"""Runs of git and DVC: comparing revisions, replicating over seeds, the float-path and
data-version rebuilds, sweeps and the lock check. The top layer: it may import any other,
and no stage imports it."""
