"""Load on `tagbench serve`, started as a user starts it, from a real HTTP client (httpx):
1, 8 and 32 concurrent clients sending single projects, then batches of 64, over loopback;
throughput, p50 and p99 latency, failed requests; and cold start, process start to the first
answer. Bounded: each run sends a fixed number of requests and stops.

Run after `make repro` (it serves shipped/), on an otherwise idle machine:
    python benchmarks/serve.py [--folder shipped] [--workers 1] [--out FILE.md]
    python benchmarks/serve.py --baseline hybrid_mined_logreg   # another trained baseline,
                                                               # shipped into a temporary folder
Targets (2 cores): single projects at 8 clients >= 300 projects/s with p99 <= 50 ms;
batches of 64 >= 3,000 projects/s; cold start <= 3 s; no failed request.
"""

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

from tagbench import data
from tagbench.evaluation import params
from tagbench.serving import artifact

TARGETS = {"single_8_rate": 300, "single_8_p99_ms": 50, "batch_rate": 3000, "cold_s": 3.0}
REQUESTS = {"single": 400, "batch": 40}  # per run, whatever the concurrency


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(folder, workers):
    """`tagbench serve` in a new process; (process, base URL, seconds to the first answer)."""
    port = free_port()
    began = time.perf_counter()
    process = subprocess.Popen(["tagbench", "serve", str(folder), "--port", str(port),
                                "--workers", str(workers)], stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    body = {"projects": [{"title": "DETR", "description": "object detection with transformers"}]}
    while time.perf_counter() - began < 60:
        try:
            httpx.post(f"{url}/tag", json=body, timeout=5).raise_for_status()
            return process, url, time.perf_counter() - began
        except httpx.TransportError:
            if process.poll() is not None:
                sys.exit(f"tagbench serve exited with {process.returncode}")
            time.sleep(0.02)
    process.terminate()
    sys.exit("tagbench serve gave no answer within 60 s")


async def load(url, projects, clients, size, requests):
    """`requests` POSTs of `size` projects each, from `clients` concurrent clients: (projects
    per second, p50 ms, p99 ms, failed)."""
    latencies, failed = [], 0
    queue = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait([projects[(i * size + j) % len(projects)] for j in range(size)])

    async def client(http):
        nonlocal failed
        while not queue.empty():
            batch = queue.get_nowait()
            began = time.perf_counter()
            answer = await http.post(f"{url}/tag", json={"projects": batch})
            latencies.append(time.perf_counter() - began)
            failed += answer.status_code != 200 or len(answer.json()["results"]) != size

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        await client_warm_up(http, url, projects)
        began = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        seconds = time.perf_counter() - began
    ms = 1000 * np.array(latencies)
    return requests * size / seconds, float(np.percentile(ms, 50)), float(
        np.percentile(ms, 99)), failed


async def client_warm_up(http, url, projects):
    for _ in range(5):
        await http.post(f"{url}/tag", json={"projects": projects[:8]})


def test_projects():
    """The test split's projects as title and description: what the service is sent."""
    records = {r["id"]: r for r in json.loads(data.PROCESSED.read_text())}
    ids = json.loads(data.SPLITS.read_text())["test"]
    return [{f: str(v) for f, v in records[i]["fields"].items()} for i in ids]


def main():
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--folder", default="shipped")
    args.add_argument("--workers", type=int, default=1)
    args.add_argument("--baseline", help="ship this trained baseline to a temporary folder "
                      "and serve it instead")
    args.add_argument("--out", help="also write the table to this markdown file")
    args = args.parse_args()
    projects = test_projects()
    if args.baseline:
        args.folder = Path(tempfile.mkdtemp()) / "shipped"
        artifact.build(params.load(), args.baseline, args.folder)
    process, url, cold = start(args.folder, args.workers)
    try:
        baseline = httpx.get(f"{url}/health").json()["baseline"]
        rows = [("single", clients, 1) for clients in (1, 8, 32)] + \
            [("batch", clients, 64) for clients in (1, 8, 32)]
        found = {}
        for kind, clients, size in rows:
            found[kind, clients] = asyncio.run(load(url, projects, clients, size,
                                                    REQUESTS[kind]))
    finally:
        process.terminate()
        process.wait()
    lines = [f"`tagbench serve {args.folder}` ({baseline}, {args.workers} worker(s), "
             f"{os.cpu_count()} cores): cold start to the first answer {cold:.2f} s.", "",
             "| requests | clients | projects / s | p50 ms | p99 ms | failed |",
             "|---|---|---|---|---|---|"]
    for (kind, clients), (rate, p50, p99, failed) in found.items():
        what = "1 project" if kind == "single" else "64 projects"
        lines.append(f"| {what} | {clients} | {rate:,.0f} | {p50:.1f} | {p99:.1f} | {failed} |")
    single, batch = found["single", 8], max(found[k] for k in found if k[0] == "batch")
    misses = [what for what, bad in [
        (f"single at 8 clients {single[0]:.0f} projects/s", single[0] < TARGETS["single_8_rate"]),
        (f"p99 {single[2]:.1f} ms", single[2] > TARGETS["single_8_p99_ms"]),
        (f"batches {batch[0]:.0f} projects/s", batch[0] < TARGETS["batch_rate"]),
        (f"cold start {cold:.2f} s", cold > TARGETS["cold_s"]),
        ("failed requests", any(r[3] for r in found.values()))] if bad]
    lines += ["", "Targets met." if not misses else "Missed: " + "; ".join(misses) + "."]
    print("\n".join(lines))
    if args.out:
        Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    sys.exit(1 if misses else 0)


if __name__ == "__main__":
    main()
