import os

import pytest

from tagbench.core import threads


def fake_proc(tmp_path, *cmdlines):
    for pid, args in enumerate(cmdlines, 100):
        (tmp_path / str(pid)).mkdir()
        (tmp_path / str(pid) / "cmdline").write_bytes(b"\0".join(args) + b"\0")
    return tmp_path


WORKER = [b"/repo/.venv/bin/python", b"/repo/.venv/bin/dvc", b"exp", b"queue-worker",
          b"dvc-exp-3f2a1b-1@localhost"]


def test_queue_workers_counts_dvcs_own_workers_only(tmp_path):
    proc = fake_proc(tmp_path, WORKER, WORKER[:-1] + [b"dvc-exp-3f2a1b-2@localhost"],
                     [b"python", b"-m", b"pytest"], [b"grep", b"queue-worker"])
    assert threads.queue_workers(proc) == 2


def test_the_param_wins_then_omp_num_threads():
    assert threads.count(3, environ={"OMP_NUM_THREADS": "1"}) == 3
    assert threads.count(0, environ={"OMP_NUM_THREADS": "1"}) == 1
    assert threads.count(0, environ={"OMP_NUM_THREADS": "junk"}) == threads.count(0, environ={})


@pytest.mark.parametrize("workers, cores, expected", [(0, 2, 2), (1, 2, 2), (2, 2, 1),
                                                      (3, 2, 1), (2, 16, 8)])
def test_auto_shares_the_cores_among_queue_workers(monkeypatch, workers, cores, expected):
    monkeypatch.setattr(threads, "queue_workers", lambda: workers)
    monkeypatch.setattr(threads, "cores", lambda: cores)
    assert threads.count(0, environ={}) == expected


def test_cores_is_this_processs_share():
    assert 1 <= threads.cores() <= (os.cpu_count() or 1)
