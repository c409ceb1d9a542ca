#!/usr/bin/env python3
"""Runs the tiles of `siteplan audit tile` as tasks of a dask.distributed cluster.

    python distributed/audit_dask.py --scheduler tcp://HOST:8786 --tiles TILES --parts PARTS \
        [--siteplan PATH] [--threads-per-task N] [--retries N]
    python distributed/audit_dask.py --serve-scheduler HOST:PORT --tiles TILES --parts PARTS ...

With --serve-scheduler the driver hosts dask's scheduler itself (one Python process fewer on a
small machine: tools/audit_distributed.sh); the workers connect to HOST:PORT as to any scheduler.

Each task runs `siteplan audit run-tile TILE --parts PARTS` on a worker; the engine schedules,
places and retries. TILES and PARTS must be the same paths on every worker (one machine, or a
shared folder on a cluster). A task that fails for any reason but bad input (exit 1) is retried
by dask (`retries`; a worker that dies mid-task has its task moved to another worker by the
scheduler); a part is one file set, so a retried task writes the same bytes and no row is lost
or repeated. Bad input stops the whole run at once with siteplan's message (file, feature, id)
and exit 1. This script does no geometry: siteplan does.
"""
import argparse
import logging
import os
import subprocess
import sys
import time

BAD_INPUT = 1  # siteplan's exit status for bad input: retrying will not help


def run_tile(siteplan, tile, parts, threads):
    """One task: siteplan on one tile. Returns (tile, seconds, None) or (tile, 0, message) for bad input."""
    start = time.perf_counter()
    done = subprocess.run([siteplan, "audit", "run-tile", tile, "--parts", parts, "--threads", str(threads)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode == BAD_INPUT:
        return tile, 0.0, done.stderr.strip()
    if done.returncode != 0:
        # Killed, out of memory, a library failure: let the engine retry it.
        raise RuntimeError(f"{tile}: siteplan exited with {done.returncode}: {done.stderr.strip()}")
    return tile, time.perf_counter() - start, None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--scheduler", help="the dask scheduler's address, e.g. tcp://127.0.0.1:8786")
    where.add_argument("--serve-scheduler", metavar="HOST:PORT", help="host the scheduler in this process, listening on HOST:PORT")
    ap.add_argument("--tiles", required=True, help="the folder siteplan audit tile wrote")
    ap.add_argument("--parts", required=True, help="the folder for the tiles' parts")
    ap.add_argument("--siteplan", default="siteplan", help="the siteplan binary on the workers")
    ap.add_argument("--threads-per-task", type=int, default=1, help="siteplan threads per task (match the worker's cores per task)")
    ap.add_argument("--retries", type=int, default=3, help="times a failed task is run again")
    ap.add_argument("--wait-workers", type=int, default=0, help="wait for this many workers before submitting")
    ap.add_argument("--wait-tiles", type=float, default=0,
                    help="wait up to this many seconds for TILES/tiles.txt (the driver may start while the tiles are cut)")
    ap.add_argument("--shutdown", action="store_true", help="stop the scheduler and its workers at the end (a cluster of its own)")
    a = ap.parse_args()

    from distributed import Client, LocalCluster, as_completed

    tiles_dir, parts = os.path.abspath(a.tiles), os.path.abspath(a.parts)
    listing = os.path.join(tiles_dir, "tiles.txt")
    if a.serve_scheduler:
        # dask's own scheduler in this process (no worker of its own): the same scheduling,
        # placement and retries as a scheduler process, without a Python start of its own.
        host, port = a.serve_scheduler.rsplit(":", 1)
        logging.getLogger("distributed").setLevel(logging.WARNING)   # the scheduler's chatter: not the driver's output
        cluster = LocalCluster(n_workers=0, processes=False, protocol="tcp://", host=host, scheduler_port=int(port),
                               dashboard_address=None)
        client = Client(cluster, timeout=60)
    else:
        client = Client(a.scheduler, timeout=60)
    try:
        if a.wait_workers:
            client.wait_for_workers(a.wait_workers, timeout=120)
        # tiles.txt appears with the whole cut (one file set), or not at all.
        deadline = time.monotonic() + a.wait_tiles
        while not os.path.exists(listing) and time.monotonic() < deadline:
            time.sleep(0.02)
        with open(listing) as f:
            tiles = [os.path.join(tiles_dir, line.strip()) for line in f if line.strip()]
        start = ready = time.perf_counter()
        futures = client.map(run_tile, [a.siteplan] * len(tiles), tiles, [parts] * len(tiles), [a.threads_per_task] * len(tiles),
                             retries=a.retries, pure=False)
        busy = 0.0
        for future in as_completed(futures):
            tile, seconds, bad = future.result()
            if bad is not None:
                client.cancel(futures)
                print(bad, file=sys.stderr)
                print(f"audit_dask: {os.path.basename(tile)} has bad input; the run is stopped", file=sys.stderr)
                return BAD_INPUT
            busy += seconds
        done = time.perf_counter()
    finally:
        if a.shutdown:
            # The workers go while the finished futures are still held: not a loss worth a warning.
            logging.getLogger("distributed.scheduler").setLevel(logging.ERROR)
            client.shutdown()
        else:
            client.close()
    wall = done - start
    print(f"audit_dask: {len(tiles)} tiles in {wall:.2f} s wall, {busy:.2f} s in siteplan tasks", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
