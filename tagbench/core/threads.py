"""How many threads one job may use: its share of the machine, not the whole machine.

Two training processes that each take every core run several times slower together than one
after the other (measured on this machine kind: a CNN's training 78 s alone, 514 s beside a
second job; benchmarks/parallel.py measures a sweep).
"""

import os
from pathlib import Path

QUEUE_WORKER = b"queue-worker"  # `dvc exp queue-worker`: one process per `dvc queue start -j`


def cores():
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def queue_workers(proc=Path("/proc")):
    """How many DVC experiment-queue workers are running on this machine (0 off Linux)."""
    count = 0
    for cmdline in proc.glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:  # the process ended meanwhile
            continue
        count += QUEUE_WORKER in args and any(a.endswith(b"dvc") for a in args)
    return count


def count(param=0, environ=os.environ):
    """Threads for one job: the `threads` param when above 0; else OMP_NUM_THREADS when set;
    else this process's cores shared among the DVC queue's workers (one each when there are
    as many workers as cores)."""
    if param > 0:
        return param
    if environ.get("OMP_NUM_THREADS", "").isdigit() and int(environ["OMP_NUM_THREADS"]) > 0:
        return int(environ["OMP_NUM_THREADS"])
    return max(1, cores() // max(1, queue_workers()))
