#!/usr/bin/env python3
"""Python's side of the process-pool bench (bench/processes): concurrent.futures.ProcessPoolExecutor
on the same work as the Node pools: the trivial task `x + 1` and the fixed-work xorshift32 `spin`
of bench/lib/workers/functions.mjs (the same function: `spin(k)` returns the same value in both).

Every run times itself with time.perf_counter() after gc.collect() and reports JSON, so that
starting Python and the pipe to the bench are not counted.

Two ways to run it:

  python3 pool.py serve
      What the bench does. One JSON object per line on stdin, one answer per line on stdout:
        {"open": {"scenario": S, "workers": W, "chunksize": C, "iterations": I}}  -> {"ok": true, ...}
            sets the scenario up; for the pool scenarios it starts the executor and waits until
            each worker answered (so that no timed run pays for starting the pool)
        {"run": N}    -> {"checksum": sum of the N results, "seconds": time of the run}
        {"close": true} (or end of input) -> shuts the executor down and exits
  python3 pool.py S [--tasks N] [--runs R] [--workers W] [--chunksize C] [--iterations I]
      One scenario by hand: prints {"scenario": ..., "runs": [{"checksum", "seconds", "per_second"}, ...]}.

Scenarios (S):
  submit   executor.submit(inc, i) for i in range(N), then wait(futures), then the sum of the results
  map      sum(executor.map(inc, range(N), chunksize=C))
  cpu      executor.submit(spin, I) x N, then wait(futures), then the sum of the results
  serial   spin(I) N times in this process (the CPU-bound baseline)
  startup  N cycles of: ProcessPoolExecutor(max_workers=W), submit(inc, c).result(), shutdown(wait=True)
"""

import argparse
import gc
import json
import multiprocessing
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor, wait

MASK = 0xFFFFFFFF


def inc(x):
    """The trivial task: x + 1."""
    return x + 1


def spin(iterations):
    """`iterations` rounds of xorshift32 from seed 1 (as bench/lib/workers/functions.mjs): fixed work, the same result for every call."""
    x = 1
    for _ in range(iterations):
        x ^= (x << 13) & MASK
        x ^= x >> 17
        x ^= (x << 5) & MASK
    return x


class Scenario:
    """One scenario: `open()` once, then `run(n)` per timed run, then `close()`."""

    def __init__(self, scenario, workers, chunksize, iterations):
        self.scenario = scenario
        self.workers = workers
        self.chunksize = chunksize
        self.iterations = iterations
        self.executor = None

    def open(self):
        if self.scenario in ("submit", "map", "cpu"):
            self.executor = ProcessPoolExecutor(max_workers=self.workers)
            # Every worker answers once (Python 3.11 with 'fork' starts all of them on the first submit).
            futures = [self.executor.submit(inc, i) for i in range(4 * self.workers)]
            wait(futures)
            for future in futures:
                future.result()

    def run(self, n):
        if self.scenario == "submit":
            futures = [self.executor.submit(inc, i) for i in range(n)]
            wait(futures)
            return sum(future.result() for future in futures)
        if self.scenario == "map":
            return sum(self.executor.map(inc, range(n), chunksize=self.chunksize))
        if self.scenario == "cpu":
            futures = [self.executor.submit(spin, self.iterations) for _ in range(n)]
            wait(futures)
            return sum(future.result() for future in futures)
        if self.scenario == "serial":
            total = 0
            for _ in range(n):
                total += spin(self.iterations)
            return total
        if self.scenario == "startup":
            total = 0
            for cycle in range(n):
                executor = ProcessPoolExecutor(max_workers=self.workers)
                total += executor.submit(inc, cycle).result()
                executor.shutdown(wait=True)
            return total
        raise ValueError(f"unknown scenario {self.scenario!r}")

    def timed_run(self, n):
        gc.collect()
        start = time.perf_counter()
        checksum = self.run(n)
        seconds = time.perf_counter() - start
        return {"checksum": checksum, "seconds": seconds}

    def close(self):
        if self.executor is not None:
            self.executor.shutdown(wait=True)
            self.executor = None


def about():
    return {"python": platform.python_version(), "start_method": multiprocessing.get_start_method()}


def serve():
    scenario = None
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            if "open" in request:
                spec = request["open"]
                scenario = Scenario(spec["scenario"], spec.get("workers", 2), spec.get("chunksize", 1), spec.get("iterations", 0))
                scenario.open()
                answer = {"ok": True, **about()}
            elif "run" in request:
                answer = scenario.timed_run(int(request["run"]))
            elif "close" in request:
                break
            else:
                answer = {"error": f"unknown request {line.strip()}"}
            print(json.dumps(answer), flush=True)
    finally:
        if scenario is not None:
            scenario.close()
    print(json.dumps({"closed": True}), flush=True)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        serve()
        return
    parser = argparse.ArgumentParser(description="Python's ProcessPoolExecutor on the bench/processes work; prints JSON timings.")
    parser.add_argument("scenario", choices=["submit", "map", "cpu", "serial", "startup"])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunksize", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=18_000)
    args = parser.parse_args()
    scenario = Scenario(args.scenario, args.workers, args.chunksize, args.iterations)
    scenario.open()
    try:
        scenario.timed_run(max(1, args.tasks // 10))  # warm-up
        runs = [scenario.timed_run(args.tasks) for _ in range(args.runs)]
    finally:
        scenario.close()
    for run in runs:
        run["per_second"] = args.tasks / run["seconds"]
    print(json.dumps({"scenario": args.scenario, "tasks": args.tasks, **about(), "runs": runs}))


if __name__ == "__main__":
    main()
