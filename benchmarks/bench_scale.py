"""`make bench-scale`: the real flow at scale (issue 8): memory, rerun time and throughput on N articles.

Generates N distinct articles from the BBC corpus into a work folder (never into the repository),
then runs `newsetl run` as a subprocess (so its peak RSS is the run's alone):

1. a warm-up run on an empty folder (Prefect's home is migrated; gives the fixed start-up cost);
2. the small set (default 2,000 of the N, evenly spaced, so both sets mix copies alike) into a fresh DB;
3. the full set into a fresh DB; its peak RSS against the small run's (target: <= 3 GB, within 10%);
4. the full set again with nothing new (target: <= 5% of the first full run's time);
5. bare `nlp.pipe` (same model, batch size, processes) on the small set's texts, in this process,
   for the throughput ratio pipeline articles/s / bare articles/s.

Copy 0 of a file is the BBC text as it is. Copy k >= 1 keeps the first half of the file's words
(whole sentences) and fills the second half with sentences from the second halves of other
articles (a different donor for every copy), then one invented sentence naming the copy. Two
copies of one file therefore share about a third of their 5-shingles, and a copy shares at most
about half with any original, well under the near-duplicate threshold (Jaccard >= 0.8): no
generated copy should be marked `duplicate_of`. The warehouse count says whether that held.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from transforms.ids import content_hash, normalise_text

PEAK_LIMIT_MB = 3 * 1024  # 3 GB
PEAK_RATIO_LIMIT = 1.10  # full run's peak within 10% of the small run's
RERUN_RATIO_LIMIT = 0.05  # a rerun with nothing new: <= 5% of the first run's time
SHINGLE = 5
MAX_DONOR_JACCARD = 0.2  # a donor must not be a (near) copy of the article it fills
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[\"“‘'(]?[A-Z0-9])")
_COPY = re.compile(r"-c(\d+)\.txt$")


# --------------------------------------------------------------------------- generation


@dataclass
class Source:
    """One BBC file: headline and paragraphs as lists of sentences, cut into a kept head and a tail."""

    rel: Path
    title: str
    paras: list[list[str]]
    text: str
    group: str  # content hash: the BBC's duplicate files share one
    head: list[list[str]] = field(default_factory=list)  # what every copy of this file keeps
    tail: list[str] = field(default_factory=list)  # sentences other articles' copies borrow
    head_words: int = 0
    _shingles: frozenset[int] | None = None

    def shingles(self) -> frozenset[int]:
        if self._shingles is None:
            words = normalise_text(self.text).split()
            self._shingles = frozenset(hash(" ".join(words[i:i + SHINGLE]))
                                       for i in range(max(1, len(words) - SHINGLE + 1)))
        return self._shingles


def _words(sentences: list[str]) -> int:
    return sum(len(s.split()) for s in sentences)


def read_corpus(corpus: Path) -> list[Source]:
    """Every article file under the corpus's topic folders (SOURCE.txt at the top is not one)."""
    out = []
    for path in sorted(p for p in corpus.rglob("*.txt") if p.parent != corpus):
        text = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
        title, _, body = text.strip().partition("\n")
        paras = [_SENTENCE_END.split(p.strip()) for p in body.split("\n\n") if p.strip()]
        if not paras:
            continue
        src = Source(path.relative_to(corpus), title.strip(), paras, text, content_hash(body))
        total = sum(_words(p) for p in paras)
        kept = 0
        for n, p in enumerate(paras):  # the head: whole sentences up to half the words (at least one)
            take = []
            for s in p:
                if kept and kept + len(s.split()) / 2 > total / 2:
                    break
                take.append(s)
                kept += len(s.split())
            if take:
                src.head.append(take)
            if len(take) < len(p):
                src.tail.extend(p[len(take):])
                src.tail.extend(s for q in paras[n + 1:] for s in q)
                break
        src.head_words = kept
        out.append(src)
    return merge_near_duplicate_groups(out)


def merge_near_duplicate_groups(sources: list[Source]) -> list[Source]:
    """Files that are near-duplicates of each other (the BBC has a few pairs with different hashes)
    share one group, so no copy borrows two donors that are one text (two such copies would be
    near-duplicates of each other: 1 in 18,000 was, before this)."""
    from transforms.stories import minhash_signature, near_duplicates

    first = near_duplicates([(str(s.rel), minhash_signature(s.text.partition("\n")[2])) for s in sources], [])
    group_of = {str(s.rel): s.group for s in sources}
    for s in sources:
        original = first.get(str(s.rel))
        if original is not None:
            s.group = group_of[original]
    return sources


def _jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / (len(a | b) or 1)


def make_copy(src: Source, k: int, sources: list[Source], used: dict[str, set[str]]) -> str:
    """Copy k of src: copy 0 is the file as it is; k >= 1 keeps src's head and borrows tails of others."""
    if k == 0:
        return src.text
    rng = random.Random(f"{src.rel}#{k}")
    borrowed: list[str] = []
    taken = used.setdefault(src.group, set())
    for _ in range(5000):
        if _words(borrowed) >= src.head_words:
            break
        donor = sources[rng.randrange(len(sources))]
        if (donor.group == src.group or donor.group in taken or not donor.tail
                or _jaccard(src.shingles(), donor.shingles()) > MAX_DONOR_JACCARD):
            continue
        taken.add(donor.group)
        for s in donor.tail:  # a prefix of the donor's tail, about as long as src's head
            borrowed.append(s)
            if _words(borrowed) >= src.head_words:
                break
    # interleave: head paragraph, a borrowed paragraph of about the same size, and so on
    chunks: list[str] = []
    i = 0
    for para in src.head:
        chunks.append(" ".join(para))
        n, j = _words(para), i
        while i < len(borrowed) and _words(borrowed[j:i]) < n:
            i += 1
        if i > j:
            chunks.append(" ".join(borrowed[j:i]))
    if i < len(borrowed):
        chunks.append(" ".join(borrowed[i:]))
    ref = hashlib.blake2b(f"{src.rel}#{k}".encode(), digest_size=5).hexdigest()
    chunks.append(f"Archive copy {k}: filed under reference {ref}.")
    return src.title + "\n\n" + "\n\n".join(chunks) + "\n"


@dataclass
class Generated:
    full: Path
    small: Path
    n_full: int
    n_small: int
    files: int  # corpus files used
    copies: int
    exact_copies_full: int  # texts equal to an earlier one (the BBC's own duplicate files)
    exact_copies_small: int
    seconds: float
    mean_words: float


def generate(corpus: Path, n: int, n_small: int, work: Path, files: int = 0) -> Generated:
    """Write the full set (copy-major: all files' copy 0, then copy 1, ...) and an evenly spaced subset.

    `files` > 0 uses only that many corpus files (evenly spaced), so a small check still makes copies.
    """
    t0 = time.perf_counter()
    sources = read_corpus(corpus)
    if 0 < files < len(sources):
        sources = [sources[j * len(sources) // files] for j in range(files)]
    copies = -(-n // len(sources))
    used: dict[str, set[str]] = {}
    order = [(k, s) for k in range(copies) for s in sources][:n]
    full, small = work / "full", work / "small"
    for d in (full, small):
        shutil.rmtree(d, ignore_errors=True)
    pick = {j * n // n_small for j in range(n_small)} if n_small else set()
    seen_full: set[str] = set()
    seen_small: set[str] = set()
    exact_full = exact_small = words = 0
    for idx, (k, src) in enumerate(order):
        text = make_copy(src, k, sources, used)
        rel = src.rel.with_name(f"{src.rel.stem}-c{k}.txt")
        key = content_hash(text.partition("\n")[2])
        exact_full += key in seen_full
        seen_full.add(key)
        words += len(text.split())
        targets = [full / rel]
        if idx in pick:
            targets.append(small / rel)
            exact_small += key in seen_small
            seen_small.add(key)
        for t in targets:
            t.parent.mkdir(parents=True, exist_ok=True)
            t.write_text(text, encoding="utf-8")
    return Generated(full, small, len(order), len(pick), len(sources), copies, exact_full, exact_small,
                     time.perf_counter() - t0, words / max(1, len(order)))


def precheck_near_duplicates(folder: Path) -> dict[str, int]:
    """Near-duplicates the flow's own MinHash LSH will find among the generated bodies (approximate:
    the text after the headline, not the cleaned body)."""
    from transforms.stories import minhash_signature, near_duplicates

    pairs = []
    for p in sorted(folder.rglob("*.txt")):
        pairs.append((str(p.relative_to(folder)), minhash_signature(p.read_text(encoding="utf-8").partition("\n")[2])))
    found = near_duplicates(pairs, [])
    generated = sum(1 for a in found if not a.endswith("-c0.txt"))
    return {"near_duplicates": len(found), "of_generated_copies": generated}


# --------------------------------------------------------------------------- running the flow


def _proc_tree(root: int) -> list[int]:
    """root and its descendants, from each task's /proc children list (a few small reads, where a
    scan of all /proc would hand the GIL back and forth with the run it measures hundreds of times)."""
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                with open(f"/proc/{pid}/task/{tid}/children", encoding="ascii") as fh:
                    todo.extend(int(c) for c in fh.read().split())
            except (OSError, ValueError):
                continue
    return out


def _status_kb(pid: int, field_name: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class RssSampler(threading.Thread):
    """Samples the run process's VmHWM and the summed VmRSS of its process tree."""

    def __init__(self, pid: int, every: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.main_hwm_kb = 0
        self.tree_peak_kb = 0
        self.series: list[tuple[float, int, int]] = []  # (seconds, main VmRSS MB, tree VmRSS MB)
        self._stop_event = threading.Event()
        self._t0 = time.perf_counter()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.main_hwm_kb = max(self.main_hwm_kb, _status_kb(self.pid, "VmHWM"))
            main = _status_kb(self.pid, "VmRSS")
            tree = sum(_status_kb(p, "VmRSS") for p in _proc_tree(self.pid))
            self.tree_peak_kb = max(self.tree_peak_kb, tree)
            if main:
                self.series.append((round(time.perf_counter() - self._t0, 1), main // 1024, tree // 1024))
            self._stop_event.wait(self.every)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


@dataclass
class RunResult:
    label: str
    source: str
    db: str
    exit_code: int
    wall_s: float
    flow_s: float | None  # the flow's own seconds (run report): no process start, no Prefect server start
    peak_rss_mb: float  # ru_maxrss from wait4: the largest single process of the run's tree
    main_hwm_mb: float  # the run process's VmHWM (sampled)
    tree_peak_mb: float  # summed VmRSS of the run's process tree (sampled): Prefect's server, spaCy workers
    stage_seconds: dict[str, float]
    quarter_peaks_mb: list[int]  # the run process's highest RSS in each quarter of the run: flat or growing?
    log: str
    series: list[tuple[float, int, int]] = field(default_factory=list, repr=False)
    memory: list[dict] = field(default_factory=list, repr=False)  # the run report's per-load memory trace


def newsetl_command() -> list[str]:
    exe = Path(sys.executable).with_name("newsetl")
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "from flows.cli import app; app()"]


def run_flow(label: str, source: Path, db: Path, args: argparse.Namespace, env: dict[str, str],
             state: Path) -> RunResult:
    """`newsetl run SOURCE --db DB` as a child process; wall time, peak RSS and its run report.

    `state` is the run's NEWSETL_HOME; Prefect's home is shared (env). The GX project and the run
    reports live beside the warehouse (`<db>.newsetl/`).
    """
    from flows.settings import warehouse_state_dir

    env = {**env, "NEWSETL_HOME": str(state)}
    cmd = [*newsetl_command(), "run", str(source), "--db", str(db), "--batch-size", str(args.batch_size),
           "--processes", str(args.n_process), "--chunk-size", str(args.chunk_size)]
    reports = warehouse_state_dir(db) / "runs"
    before = set(reports.glob("run-*.json")) if reports.exists() else set()
    log = db.parent / f"{label}.log"
    print(f"[{dt.datetime.now():%H:%M:%S}] {label}: {' '.join(cmd[-9:])}", flush=True)
    with open(log, "w", encoding="utf-8") as fh:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env)
        sampler = RssSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
    new = sorted(set(reports.glob("run-*.json")) - before) if reports.exists() else []
    report = json.loads(new[-1].read_text(encoding="utf-8")) if new else {}
    quart = [max((m for t, m, _ in sampler.series if q * wall / 4 <= t < (q + 1) * wall / 4), default=0)
             for q in range(4)]
    res = RunResult(label, str(source), str(db), proc.returncode, wall, report.get("seconds"),
                    usage.ru_maxrss / 1024, sampler.main_hwm_kb / 1024, sampler.tree_peak_kb / 1024,
                    report.get("stage_seconds", {}), quart, str(log), sampler.series, report.get("memory", []))
    print(f"    exit {res.exit_code}, {res.wall_s:.1f} s wall ({res.flow_s} s in the flow), peak RSS "
          f"{res.peak_rss_mb:.0f} MB (process tree summed: {res.tree_peak_mb:.0f} MB)", flush=True)
    if res.exit_code != 0:
        print(f"    the run failed; see {log}", flush=True)
    return res


def warehouse_counts(db: Path) -> dict[str, int]:
    """Articles, duplicates (exact vs near) and where the near ones come from; loads by status."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT a.source_uri, a.duplicate_of IS NOT NULL, o.content_hash = a.content_hash FROM articles a "
            "LEFT JOIN articles o ON o.article_id = a.duplicate_of").fetchall()
        loads = dict(con.execute("SELECT status, count(*) FROM loads GROUP BY status").fetchall())
        sent = con.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NULL "
                           "AND (language = 'en' OR language IS NULL)").fetchone()[0]
    finally:
        con.close()
    dups = [(uri, exact) for uri, is_dup, exact in rows if is_dup]
    generated = [uri for uri, _ in dups if (m := _COPY.search(uri)) and int(m.group(1)) > 0]
    return {"articles": len(rows), "sent_to_spacy": sent, "duplicate_of": len(dups),
            "exact": sum(1 for _, e in dups if e), "near": sum(1 for _, e in dups if not e),
            "duplicates_among_generated_copies": len(generated),
            "loads_committed": loads.get("committed", 0), "loads_not_committed": sum(loads.values())
            - loads.get("committed", 0)}


def bare_pipe(db: Path, model: str, batch_size: int, n_process: int) -> tuple[int, float, int]:
    """Bare nlp.pipe (the model as shipped, no alias rulers) over the bodies the pipeline sent to spaCy."""
    import duckdb
    import spacy

    con = duckdb.connect(str(db), read_only=True)
    bodies = [r[0] for r in con.execute(
        "SELECT body FROM articles WHERE duplicate_of IS NULL AND (language = 'en' OR language IS NULL) "
        "ORDER BY source_uri").fetchall()]
    con.close()
    nlp = spacy.load(model)
    t0 = time.perf_counter()
    for _ in nlp.pipe(bodies, batch_size=batch_size, n_process=n_process):
        pass
    return len(bodies), time.perf_counter() - t0, sum(len(b.split()) for b in bodies)


# --------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, required=True, help="the BBC corpus folder, e.g. ../shared/corpus/bbc")
    ap.add_argument("--articles", type=int, default=20000, help="articles in the full set")
    ap.add_argument("--small", type=int, default=2000, help="articles in the small set (a subset of the full)")
    ap.add_argument("--files", type=int, default=0,
                    help="use only N corpus files (0: all), e.g. to check copies with few articles")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/newsetl-scale"),
                    help="generated articles, warehouses, logs and state (outside the repository)")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--n-process", type=int, default=None,
                    help="spaCy processes of the runs and of bare nlp.pipe (default: the pipeline's, RunSettings)")
    ap.add_argument("--chunk-size", type=int, default=200, help="articles per load (the CLI's default)")
    ap.add_argument("--model", default=None, help="spaCy model; default $NEWSETL_SPACY_MODEL or the pinned copy")
    ap.add_argument("--out", type=Path, default=None, help="JSON result file (default WORKDIR/bench-scale.json)")
    ap.add_argument("--precheck", action="store_true",
                    help="before running, count the near-duplicates MinHash LSH finds among the generated texts")
    args = ap.parse_args()
    if args.n_process is None:
        from flows.settings import RunSettings

        args.n_process = RunSettings().n_process
    if not args.corpus.is_dir():
        ap.error(f"no corpus folder {args.corpus}")
    if not 0 < args.small <= args.articles:
        ap.error("--small must be between 1 and --articles")
    work = args.workdir.resolve()
    try:
        work.relative_to(Path(__file__).resolve().parent.parent)
        ap.error("--workdir must be outside the repository")
    except ValueError:
        pass
    work.mkdir(parents=True, exist_ok=True)
    for p in (*work.glob("state*"), work / "empty", *work.glob("*.duckdb*"), *work.glob("*.newsetl.lock")):
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
    (work / "empty").mkdir()
    # one Prefect home for all runs (migrated once, by the warm-up); one NEWSETL_HOME per warehouse, so
    # the full run's Data Docs do not also render the small run's validations
    env = {**os.environ, "PREFECT_HOME": os.environ.get("PREFECT_HOME") or str(work / "prefect")}
    env.pop("NEWSETL_PROGRESS", None)
    from transforms.nlp import model_name

    model = args.model or model_name()
    env["NEWSETL_SPACY_MODEL"] = model

    gen = generate(args.corpus, args.articles, args.small, work, args.files)
    print(f"generated {gen.n_full} articles (up to {gen.copies} copies of {gen.files} files, "
          f"{gen.mean_words:.0f} words on average) in {gen.seconds:.1f} s under {work}; small set {gen.n_small}; "
          f"exact copies (the BBC's own duplicate files): {gen.exact_copies_full} full, {gen.exact_copies_small} small")
    precheck = precheck_near_duplicates(gen.full) if args.precheck else None
    if precheck:
        print(f"precheck: MinHash LSH near-duplicates among the full set: {precheck}")

    warm = run_flow("warmup", work / "empty", work / "warmup.duckdb", args, env, work / "state-warmup")
    small = run_flow("small", gen.small, work / "small.duckdb", args, env, work / "state-small")
    full = run_flow("full", gen.full, work / "full.duckdb", args, env, work / "state-full")
    small_counts = warehouse_counts(work / "small.duckdb")
    full_counts = warehouse_counts(work / "full.duckdb")
    rerun = run_flow("rerun", gen.full, work / "full.duckdb", args, env, work / "state-full")
    rerun_counts = warehouse_counts(work / "full.duckdb")
    print(f"[{dt.datetime.now():%H:%M:%S}] bare nlp.pipe on the small set's texts", flush=True)
    n_bare, bare_s, bare_words = bare_pipe(work / "small.duckdb", model, args.batch_size, args.n_process)

    bare_rate = n_bare / bare_s
    peak_ratio = full.peak_rss_mb / small.peak_rss_mb
    rerun_ratio = rerun.wall_s / full.wall_s

    def rates(run: RunResult, n: int, counts: dict[str, int]) -> dict[str, float | None]:
        spacy_s = run.stage_seconds.get("spacy")
        return {"articles_per_s_wall": n / run.wall_s,
                "articles_per_s_flow": n / run.flow_s if run.flow_s else None,
                "ratio_to_bare_wall": n / run.wall_s / bare_rate,
                "ratio_to_bare_flow": n / run.flow_s / bare_rate if run.flow_s else None,
                "spacy_stage_articles_per_s": counts["sent_to_spacy"] / spacy_s if spacy_s else None}

    r_small, r_full = rates(small, gen.n_small, small_counts), rates(full, gen.n_full, full_counts)
    targets = {
        "full_peak_le_3gb": full.peak_rss_mb <= PEAK_LIMIT_MB,
        "full_peak_within_10pct_of_small": peak_ratio <= PEAK_RATIO_LIMIT,
        "rerun_le_5pct": rerun_ratio <= RERUN_RATIO_LIMIT,
        "no_generated_copy_marked_duplicate": full_counts["duplicates_among_generated_copies"] == 0,
        "all_runs_exit_0": all(r.exit_code == 0 for r in (small, full, rerun)),
        "rerun_added_nothing": rerun_counts["articles"] == full_counts["articles"],
    }

    def ok(flag: bool) -> str:
        return "ok" if flag else "MISSED"

    print()
    print(f"model {model}, batch {args.batch_size}, processes {args.n_process}, chunk {args.chunk_size}")
    print(f"start-up (empty run)      {warm.wall_s:8.1f} s  (process start, imports, Prefect's temporary server)")
    for name, run, counts, r in (("small", small, small_counts, r_small), ("full", full, full_counts, r_full)):
        print(f"{name:5} {counts['articles']:6d} articles {run.wall_s:8.1f} s wall, {run.flow_s or 0:8.1f} s in the "
              f"flow, {r['articles_per_s_wall']:6.2f} articles/s (wall), exit {run.exit_code}")
        print(f"      duplicate_of {counts['duplicate_of']} (exact {counts['exact']}, near {counts['near']}; "
              f"among generated copies {counts['duplicates_among_generated_copies']}), sent to spaCy "
              f"{counts['sent_to_spacy']}, loads committed {counts['loads_committed']}, not committed "
              f"{counts['loads_not_committed']}")
        print(f"      peak RSS {run.peak_rss_mb:7.0f} MB (run process VmHWM {run.main_hwm_mb:.0f} MB; process tree "
              f"summed {run.tree_peak_mb:.0f} MB); highest RSS in each quarter of the run: {run.quarter_peaks_mb} MB")
    for name, run in (("small", small), ("full", full)):
        loads = [m for m in run.memory if "load" in m]
        if loads:
            print(f"{name:5} resident between loads (after each commit): load 1 {loads[0].get('rss_after_commit')} MB, "
                  f"load {len(loads)} {loads[-1].get('rss_after_commit')} MB; the run's peak after load 1 "
                  f"{loads[0].get('peak')} MB, after the last {loads[-1].get('peak')} MB")
        stages = ", ".join(f"{k} {v:.1f}" for k, v in sorted(run.stage_seconds.items(), key=lambda kv: -kv[1]))
        print(f"{name:5} seconds per stage: {stages}")
    print(f"peak RSS full/small       {peak_ratio:8.3f}  (target <= {PEAK_RATIO_LIMIT}: "
          f"{ok(targets['full_peak_within_10pct_of_small'])}); full {full.peak_rss_mb:.0f} MB (target <= "
          f"{PEAK_LIMIT_MB} MB: {ok(targets['full_peak_le_3gb'])})")
    print(f"rerun, nothing new        {rerun.wall_s:8.1f} s wall ({rerun.flow_s or 0:.1f} s in the flow); "
          f"rerun/first {rerun_ratio:.4f} (target <= {RERUN_RATIO_LIMIT}: {ok(targets['rerun_le_5pct'])}); "
          f"articles after {rerun_counts['articles']} (before {full_counts['articles']})")
    print(f"bare nlp.pipe             {bare_s:8.1f} s  {bare_rate:6.2f} articles/s on the SMALL set's {n_bare} texts "
          f"({bare_words:,} words; measured here, not on the full set, to save time)")
    for name, r in (("small", r_small), ("full", r_full)):
        flow_ratio = f"{r['ratio_to_bare_flow']:.3f}" if r["ratio_to_bare_flow"] else "?"
        spacy_rate = f"{r['spacy_stage_articles_per_s']:.2f}" if r["spacy_stage_articles_per_s"] else "?"
        print(f"ratio pipeline/bare {name:5} {r['ratio_to_bare_wall']:8.3f} by wall time, {flow_ratio} by flow time "
              f"(articles/s; nlp.pipe inside the flow: {spacy_rate} articles/s)")
    print(f"targets: {', '.join(f'{k} {ok(v)}' for k, v in targets.items())}")

    out = args.out or work / "bench-scale.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "host_cpus": os.cpu_count(),
        "params": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()} | {"model": model},
        "generated": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(gen).items()},
        "precheck": precheck,
        "runs": {r.label: {k: v for k, v in asdict(r).items()} for r in (warm, small, full, rerun)},
        "warehouse": {"small": small_counts, "full": full_counts, "after_rerun": rerun_counts},
        "bare": {"texts": n_bare, "words": bare_words, "seconds": bare_s, "articles_per_s": bare_rate,
                 "measured_on": "small set"},
        "ratios": {"peak_rss_full_over_small": peak_ratio, "rerun_over_first": rerun_ratio,
                   "small": r_small, "full": r_full},
        "targets": targets,
    }, indent=2, default=str), encoding="utf-8")
    print(f"result: {out}")
    return 0 if all(targets.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
