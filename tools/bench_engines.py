#!/usr/bin/env python3
"""Startup and per-task overhead of the two candidate engines on this machine (a benchmark, not a
test): a local cluster of 2 worker processes on loopback, then N tasks that each run a trivial
subprocess (/bin/true), as a tile task runs siteplan.

    python tools/bench_engines.py dask|spark [--tasks N]

Prints one line: engine, cluster start to first task done (s), N tasks wall (s), overhead per
task (s) = (N tasks wall - N x /bin/true alone / 2) / N x 2 workers.
"""
import argparse, os, socket, subprocess, sys, time, shutil, tempfile


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def true_task(_):
    return subprocess.run(["/bin/true"]).returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("engine", choices=["dask", "spark"])
    ap.add_argument("--tasks", type=int, default=200)
    a = ap.parse_args()
    t = time.perf_counter()
    for _ in range(a.tasks):
        subprocess.run(["/bin/true"])
    alone = time.perf_counter() - t
    procs = []
    work = tempfile.mkdtemp(prefix="bench-engines-")
    try:
        t0 = time.perf_counter()
        if a.engine == "dask":
            from distributed import Client
            port = free_port()
            bindir = os.path.dirname(sys.executable)
            procs.append(subprocess.Popen([bindir + "/dask", "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                           "--dashboard-address", ":0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            procs.append(subprocess.Popen([bindir + "/dask", "worker", f"tcp://127.0.0.1:{port}", "--nworkers", "2", "--nthreads", "1",
                                           "--dashboard-address", ":0", "--local-directory", work], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            client = Client(f"tcp://127.0.0.1:{port}", timeout=60)
            client.wait_for_workers(2, timeout=60)
            client.submit(true_task, 0, pure=False).result()
            t1 = time.perf_counter()
            futures = client.map(true_task, range(a.tasks), pure=False)
            client.gather(futures)
            t2 = time.perf_counter()
            client.close()
        else:
            import pyspark
            home = os.path.dirname(pyspark.__file__)
            port, ui = free_port(), free_port()
            env = dict(os.environ, SPARK_HOME=home, PYSPARK_PYTHON=sys.executable, SPARK_LOCAL_IP="127.0.0.1",
                       SPARK_LOG_DIR=work, SPARK_WORKER_DIR=work)
            cls = home + "/bin/spark-class"
            procs.append(subprocess.Popen([cls, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(port),
                                           "--webui-port", str(ui)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            for _ in range(2):
                procs.append(subprocess.Popen([cls, "org.apache.spark.deploy.worker.Worker", f"spark://127.0.0.1:{port}", "--cores", "1",
                                               "--memory", "1g", "--webui-port", str(free_port())], env=env,
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            from pyspark import SparkConf, SparkContext
            conf = (SparkConf().setMaster(f"spark://127.0.0.1:{port}").setAppName("bench")
                    .set("spark.task.maxFailures", "4").set("spark.ui.enabled", "false").set("spark.executor.memory", "512m"))
            sc = SparkContext(conf=conf)
            sc.setLogLevel("ERROR")
            sc.parallelize([0], 1).map(true_task).collect()
            t1 = time.perf_counter()
            sc.parallelize(range(a.tasks), a.tasks).map(true_task).collect()
            t2 = time.perf_counter()
            sc.stop()
        n = a.tasks
        print(f"{a.engine}: start to first task {t1 - t0:.2f} s; {n} tasks {t2 - t1:.2f} s; "
              f"/bin/true alone {alone / n * 1000:.1f} ms; overhead per task {((t2 - t1) - alone / 2) / n * 2 * 1000:.1f} ms (2 workers)")
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in reversed(procs):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
