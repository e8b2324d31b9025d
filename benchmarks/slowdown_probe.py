"""Why is spaCy's nlp.pipe slower inside the flow than standalone? Times it under each suspect.

`uv run --frozen python -m benchmarks.slowdown_probe [--texts 300] [--rounds 3] [--out result.json]`

Every condition runs the pipeline's own model (`transforms.nlp.load_model`, the object the flow
uses: with the alias EntityRulers, so the rulers' known share is excluded by construction) over
the same BBC texts, in chunks like the flow's loads, after a short warm-up. Each round starts one
fresh worker process per group (groups and conditions in rotated order); the report keeps the
minimum over rounds and shows the spread. Only the time inside nlp.pipe is counted (a wrapper on
`nlp.pipe`; the consumer's loop body included, as in the flow's "spacy" stage).

  plain worker (Prefect never imported):
    bare           nlp.pipe in the main thread, each doc dropped at once (`make bench`'s bare side)
    thread         the same in a plain threading.Thread                       hypothesis (2)
    keep           the docs of a chunk kept in a list inside nlp.memory_zone() (3)   [--conditions]
    annotate       transforms.pipeline.annotate per chunk                      (3) + (4)
  prefect worker (configure_prefect; temporary server started by a warm-up flow; flows.nightly imported):
    outside        the bare loop outside any run, Prefect's server and threads alive (1) [--conditions]
    task           the bare loop inside a @task in a @flow                     (1) + (2)
    task_annotate  annotate inside a @task in a @flow
    flow           the real nightly flow on the texts into a fresh warehouse
    NAME_freeze    any condition after gc.collect(); gc.freeze()               [--conditions]

Per condition: wall and the consuming thread's CPU inside nlp.pipe (wall - CPU: time it could not
run, from other processes or the GIL), the collector's time and collections meanwhile
(gc.callbacks), CPU of the process's other threads and of its children (Prefect's server).
Default conditions take about 9 minutes on 2 CPUs; --quick (bare vs flow) about 4.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

GROUPS = {"plain": ["bare", "thread", "annotate"], "prefect": ["task", "task_annotate", "flow"]}  # ~9 min
QUICK = {"plain": ["bare"], "prefect": ["flow"]}
FACTORS = [  # (what it tests, condition, compared with)
    ("(2) a worker thread instead of the main thread", "thread", "bare"),
    ("(3)+(4) pipeline.annotate (docs kept per chunk, progress callback)", "annotate", "bare"),
    ("(3) docs kept per chunk in a memory zone", "keep", "bare"),
    ("(1) Prefect loaded, server and threads alive, outside any run", "outside", "bare"),
    ("(1)+(2) nlp.pipe inside a Prefect task", "task", "bare"),
    ("(1) ... against the same process outside a run", "task", "outside"),
    ("(1)+(4) annotate inside a Prefect task", "task_annotate", "annotate"),
    ("all: the real nightly flow", "flow", "bare"),
    ("fix: gc.freeze() before the flow", "flow_freeze", "flow"),
]
PLAIN = {"bare", "thread", "keep", "annotate"}  # run in a worker that never imports Prefect
PREFECT = {"outside", "task", "task_annotate", "flow"}
TICKS = os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------- measurement helpers


def _cpu_of(path: str) -> float:
    try:
        with open(path, encoding="ascii", errors="replace") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0.0


def _threads_cpu() -> dict[int, float]:
    return {int(t): _cpu_of(f"/proc/self/task/{t}/stat") for t in os.listdir("/proc/self/task")}


def _children_cpu() -> float:
    """CPU seconds of this process's live descendants (Prefect's temporary server)."""
    me, kids = os.getpid(), {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    kids.setdefault(int(fh.read().rsplit(")", 1)[1].split()[1]), []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    total, todo = 0.0, list(kids.get(me, []))
    while todo:
        pid = todo.pop()
        total += _cpu_of(f"/proc/{pid}/stat")
        todo.extend(kids.get(pid, []))
    return total


class PipeMeter:
    """Wraps nlp.pipe: wall and thread-CPU seconds while its generator is alive, and gc work meanwhile.

    What runs between two docs (the consumer's loop body: annotate's list append and progress
    callback) counts too, as it does in the flow's "spacy" stage. The gc callback counts collections
    only while a pipe is alive, so for the real flow it reports the collector's work during NLP alone.
    """

    def __init__(self, nlp) -> None:
        self.nlp, self.orig = nlp, nlp.pipe
        self.reset()
        gc.callbacks.append(self._gc)
        nlp.pipe = self.pipe

    def reset(self) -> None:
        self.wall = self.cpu = self.gc_seconds = 0.0
        self.gc_collections = [0, 0, 0]
        self.docs = 0
        self._active = 0
        self._gc_t = 0.0

    def _gc(self, phase: str, info: dict) -> None:
        if not self._active:
            return
        if phase == "start":
            self._gc_t = time.perf_counter()
        else:
            self.gc_seconds += time.perf_counter() - self._gc_t
            self.gc_collections[info["generation"]] += 1

    def pipe(self, *args, **kwargs):
        self._active += 1
        t0, c0 = time.perf_counter(), time.thread_time()
        try:
            for doc in self.orig(*args, **kwargs):
                self.docs += 1
                yield doc
        finally:
            self.wall += time.perf_counter() - t0
            self.cpu += time.thread_time() - c0
            self._active -= 1


class Probe:
    """Around one condition: the pipe meter's figures, CPU of other threads and of children (Prefect's server)."""

    def __init__(self, meter: PipeMeter) -> None:
        self.meter = meter

    def __enter__(self) -> Probe:
        self.meter.reset()
        self.tid = threading.get_native_id()
        self.threads0, self.kids0 = _threads_cpu(), _children_cpu()
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.total = time.perf_counter() - self.t0
        threads1, kids1 = _threads_cpu(), _children_cpu()
        self.other = sum(v - self.threads0.get(t, 0.0) for t, v in threads1.items() if t != self.tid)
        self.kids = kids1 - self.kids0
        self.thread_name = threading.current_thread().name

    def result(self, stage_seconds: float | None = None) -> dict:
        m = self.meter
        return {"seconds": m.wall, "thread_cpu": m.cpu, "docs": m.docs, "gc_seconds": m.gc_seconds,
                "gc_collections": m.gc_collections, "stage_seconds": stage_seconds, "total_seconds": self.total,
                "other_threads_cpu": self.other, "children_cpu": self.kids, "thread": self.thread_name,
                "gc_tracked_objects": len(gc.get_objects())}


# --------------------------------------------------------------------------- the timed bodies


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def pipe_drop(nlp, bodies: list[str], batch: int, chunk: int) -> None:
    for part in _chunks(bodies, chunk):
        for _ in nlp.pipe(part, batch_size=batch):
            pass


def pipe_keep(nlp, bodies: list[str], batch: int, chunk: int) -> None:
    for part in _chunks(bodies, chunk):
        with nlp.memory_zone():
            docs = [doc for doc in nlp.pipe(part, batch_size=batch)]
            del docs


def run_annotate(nlp, articles, batch: int, chunk: int) -> float:
    """pipeline.annotate per chunk, as annotate_articles calls it; returns its "spacy" seconds."""
    from transforms import pipeline

    timings: dict[str, float] = {}
    for start in range(0, articles.height, chunk):
        pipeline.annotate(articles.slice(start, chunk), nlp, batch_size=batch, on_progress=lambda n: None,
                          timings=timings)
    return timings["spacy"]


# --------------------------------------------------------------------------- worker


def worker(group: str, order: list[str], files: list[str], batch: int, chunk: int, warmup: int) -> dict:
    """One process: set up the group's environment, then time its conditions in `order`."""
    state = Path(tempfile.mkdtemp(prefix="newsetl-probe-"))
    try:
        return _worker(group, order, files, batch, chunk, warmup, state)
    finally:
        shutil.rmtree(state, ignore_errors=True)


def _worker(group: str, order: list[str], files: list[str], batch: int, chunk: int, warmup: int,
            state: Path) -> dict:
    out: dict[str, dict] = {}
    if group == "prefect":
        from flows.settings import configure_prefect

        os.environ["NEWSETL_HOME"] = str(state)
        configure_prefect(state)
    import polars as pl

    from transforms import pipeline
    from transforms.ingest import RawRecord
    from transforms.nlp import load_model, model_name

    records = [RawRecord(p, "txt", Path(p).read_text(encoding="utf-8", errors="replace")) for p in files]
    articles, _ = pipeline.build_articles(records)
    articles = pipeline.needs_nlp(articles.with_columns(pl.col("article_id").alias("story_id")))
    bodies = articles["body"].to_list()
    nlp = load_model(model_name())  # the flow's cache key, so the flow uses this very object
    for _ in nlp.pipe(bodies[:warmup], batch_size=batch):
        pass
    meter = PipeMeter(nlp)

    def run_body(cond: str) -> float | None:
        """The timed work of a condition; returns annotate's own "spacy" seconds where it has them."""
        if cond.startswith(("annotate", "task_annotate")):
            return run_annotate(nlp, articles, batch, chunk)
        if cond.startswith("keep"):
            pipe_keep(nlp, bodies, batch, chunk)
        else:
            pipe_drop(nlp, bodies, batch, chunk)
        return None

    def plain(cond: str) -> dict:
        if cond.startswith("thread"):
            box: dict = {}

            def target() -> None:
                with Probe(meter) as p:
                    run_body(cond)
                box["r"] = p.result()

            th = threading.Thread(target=target, name="nlp-thread")
            th.start()
            th.join()
            return box["r"]
        with Probe(meter) as p:
            stage = run_body(cond)
        return p.result(stage)

    runners: dict[str, Callable[[str], dict]] = {}
    if group == "prefect":
        from prefect import flow, task

        import flows.nightly as nightly_mod

        @task
        def timed(cond: str) -> dict:
            with Probe(meter) as p:
                stage = run_body(cond)
            return p.result(stage)

        @flow
        def probe_flow(cond: str) -> dict:
            return timed(cond)

        @flow
        def warm_up() -> int:
            return 1

        warm_up()  # the temporary server starts here, before any clock

        def in_prefect(cond: str) -> dict:
            if not cond.startswith("flow"):
                return probe_flow(cond)
            db = state / f"flow-{time.monotonic_ns()}.duckdb"
            with Probe(meter) as p:
                summary = nightly_mod.nightly(files, db=str(db), chunk_size=chunk, batch_size=batch,
                                              state=str(state))
            return p.result(summary.timings.get("spacy")) | {"loads_ok": summary.ok}

        runners.update({c: in_prefect for c in ("task", "task_annotate", "flow")})
    for cond in order:
        base = cond.removesuffix("_freeze")
        frozen = base != cond
        if frozen:  # what a fix would do: move everything alive now out of the collector's reach
            gc.collect()
            gc.freeze()
        try:
            out[cond] = runners.get(base, plain)(cond) | {"texts": len(bodies), "frozen": frozen}
        finally:
            if frozen:
                gc.unfreeze()
        print(f"    {group:8} {cond:21} {out[cond]['seconds']:7.2f} s  (cpu {out[cond]['thread_cpu']:.2f} s, "
              f"gc {out[cond]['gc_seconds']:.2f} s, thread {out[cond]['thread']})", file=sys.stderr, flush=True)
    return out


# --------------------------------------------------------------------------- driver


def pick_files(corpus: Path, n: int) -> list[str]:
    files = sorted(str(p.resolve()) for p in corpus.rglob("*.txt") if p.parent != corpus)
    return [files[j * len(files) // n] for j in range(min(n, len(files)))]


def summarise(rounds: list[dict[str, dict]]) -> dict[str, dict]:
    """Per condition: min over rounds of the pipe's wall and of its CPU, the spread, and the best round's figures."""
    table: dict[str, dict] = {}
    for cond in {c for r in rounds for c in r}:
        runs = [r[cond] for r in rounds if cond in r]
        best = min(runs, key=lambda x: x["seconds"])
        table[cond] = best | {"min": best["seconds"], "max": max(x["seconds"] for x in runs),
                              "cpu_min": min(x["thread_cpu"] for x in runs),
                              "all": [round(x["seconds"], 3) for x in runs],
                              "all_cpu": [round(x["thread_cpu"], 3) for x in runs]}
    return table


def _condition_order() -> list[str]:
    base = ["bare", "thread", "keep", "annotate", "outside", "task", "task_annotate", "flow"]
    return [c + suffix for suffix in ("", "_freeze") for c in base]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("../shared/corpus/bbc"))
    ap.add_argument("--texts", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--chunk", type=int, default=200, help="texts per nlp.pipe call, like the flow's loads")
    ap.add_argument("--warmup", type=int, default=16, help="texts piped before any clock")
    ap.add_argument("--conditions", default="", help="comma-separated subset (default: all)")
    ap.add_argument("--quick", action="store_true", help="only " + ", ".join(c for g in QUICK.values() for c in g))
    ap.add_argument("--out", type=Path, default=None, help="JSON result file")
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()

    files = pick_files(args.corpus, args.texts)
    if args.worker:  # --worker GROUP:cond1,cond2
        group, conds = args.worker.split(":")
        res = worker(group, conds.split(","), files, args.batch_size, args.chunk, args.warmup)
        print(json.dumps(res))
        return 0

    if args.conditions:  # any condition by name, with or without _freeze; its group follows from its name
        groups: dict[str, list[str]] = {}
        for c in args.conditions.split(","):
            if c.removesuffix("_freeze") not in PLAIN | PREFECT:
                ap.error(f"unknown condition {c}")
            groups.setdefault("plain" if c.removesuffix("_freeze") in PLAIN else "prefect", []).append(c)
    else:
        groups = {g: list(cs) for g, cs in (QUICK if args.quick else GROUPS).items() if cs}
    rounds: list[dict[str, dict]] = []
    t0 = time.perf_counter()
    # one Prefect home for every worker, migrated by the first (a fresh one costs ~10 s a worker)
    prefect_home = Path(os.environ.get("PREFECT_HOME") or tempfile.mkdtemp(prefix="newsetl-probe-prefect-"))
    env = {**os.environ, "PREFECT_HOME": str(prefect_home)}
    for r in range(args.rounds):
        merged: dict[str, dict] = {}
        names = list(groups)
        names = names[r % len(names):] + names[:r % len(names)]
        for g in names:
            conds = groups[g][r % len(groups[g]):] + groups[g][:r % len(groups[g])]
            print(f"round {r + 1}/{args.rounds}: {g} worker, {', '.join(conds)}", file=sys.stderr, flush=True)
            cmd = [sys.executable, "-m", "benchmarks.slowdown_probe", "--worker", f"{g}:{','.join(conds)}",
                   "--corpus", str(args.corpus), "--texts", str(args.texts), "--batch-size", str(args.batch_size),
                   "--chunk", str(args.chunk), "--warmup", str(args.warmup)]
            done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True, env=env)
            merged.update(json.loads(done.stdout.strip().splitlines()[-1]))
        rounds.append(merged)
    if "PREFECT_HOME" not in os.environ:
        shutil.rmtree(prefect_home, ignore_errors=True)
    table = summarise(rounds)
    base = table.get("bare") or table[min(table, key=lambda c: table[c]["min"])]
    print(f"\n{args.texts} BBC texts ({base['docs']} docs a condition), batch {args.batch_size}, chunks of "
          f"{args.chunk}, {args.rounds} rounds, {os.cpu_count()} CPUs; total {time.perf_counter() - t0:.0f} s. "
          "Seconds inside nlp.pipe (consumer's loop body included), min over rounds; vs: against 'bare'")
    print(f"{'condition':22} {'wall s':>7} {'vs':>7} {'max s':>7} {'cpu s':>7} {'vs':>7} {'gc s':>6} {'gc n0/1/2':>10} "
          f"{'other thr':>9} {'server':>7} {'objects':>9}  thread")
    for cond in [c for c in _condition_order() if c in table]:
        x = table[cond]
        n0, n1, n2 = x["gc_collections"]
        print(f"{cond:22} {x['min']:7.2f} {100 * (x['min'] / base['min'] - 1):+6.1f}% {x['max']:7.2f} "
              f"{x['cpu_min']:7.2f} {100 * (x['cpu_min'] / base['cpu_min'] - 1):+6.1f}% {x['gc_seconds']:6.2f} "
              f"{f'{n0}/{n1}/{n2}':>10} {x['other_threads_cpu']:9.2f} {x['children_cpu']:7.2f} "
              f"{x['gc_tracked_objects']:9,d}  {x['thread']}")
    print("cpu s: the consuming thread's CPU inside nlp.pipe (wall - cpu: time it could not run: other processes, "
          "or the GIL); gc: collector time and collections by generation while a pipe ran; other thr / server: CPU "
          "seconds of the process's other threads / its child processes (Prefect's server) over the whole condition; "
          "objects: gc-tracked objects after it. *_freeze: gc.freeze() first.")
    spread = max((x["max"] / x["min"] - 1 for x in table.values()), default=0.0)
    print(f"\nnoise: the largest round-to-round spread (max/min - 1) of any condition is {100 * spread:.1f}%")
    for what, cond, ref in FACTORS:
        if cond in table and ref in table:
            d = table[cond]["min"] / table[ref]["min"] - 1
            dc = table[cond]["cpu_min"] / table[ref]["cpu_min"] - 1
            verdict = ("one round: no noise band" if args.rounds < 2 else "within noise" if abs(d) <= spread
                       else "slower" if d > 0 else "faster")
            print(f"  {what:66} {cond} vs {ref}: {100 * d:+5.1f}% wall, {100 * dc:+5.1f}% cpu ({verdict})")
    if args.out:
        args.out.write_text(json.dumps({"params": {k: str(v) for k, v in vars(args).items()}, "summary": table,
                                        "rounds": rounds}, indent=2), encoding="utf-8")
        print(f"result: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
