"""Parse + dedup cost per article against bare `nlp.pipe`, with a digest that proves outputs unchanged.

    uv run --frozen python -m benchmarks.parse_dedup --corpus ../shared/corpus/bbc [--limit N]

Files are discovered, read and chunked by the flow's own functions (flows/nightly.py), then each
chunk goes through what `prepare_articles` times: `build_articles` (parse), then `mark_duplicates`,
`fingerprints` and `mark_near_duplicates` (dedup), against a history kept as the flow keeps it
(content hashes and a near-duplicate index of earlier chunks). Each repetition runs a *cold* pass
(every cache of the parse/dedup modules and of wordfreq cleared first, as in a fresh process)
and a *warm* pass; the minimum of each is reported. `--baseline-ref REF` imports the `transforms`
package as committed at REF (git archive) beside the working tree's, times both in the same
process (alternating) and checks that both produce the same digest. The digest covers every
column of the article rows (none depends on the clock), the fingerprints and the rejected records.

Times are this process's CPU time by default (`--clock wall` for elapsed time): on a shared machine
it moves far less between runs. The bare side is `nlp.pipe` of the pipeline's model
(`transforms.nlp.load_model`, alias rulers included; `--plain-model` for the model alone) over an even
sample of the texts the pipeline sends to spaCy; the percentages scale it to all of them.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import importlib
import json
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

TREE_MODULES = ("transforms.articles", "transforms.stories", "transforms.ids", "transforms.pipeline")
# Whose caches a cold pass clears: these modules and the modules of these packages (transforms.articles.*);
# transforms.text holds the folding the parser uses, transforms.dates the date grammar.
CACHED_MODULES = (*TREE_MODULES, "transforms.text", "transforms.dates")


@dataclass
class Tree:
    """One version of the transforms package: its modules, imported side by side with the others."""

    name: str
    modules: dict[str, ModuleType]

    @property
    def pipeline(self) -> ModuleType:
        return self.modules["transforms.pipeline"]

    @property
    def stories(self) -> ModuleType:
        return self.modules["transforms.stories"]


@dataclass
class PassResult:
    parse_s: float = 0.0
    dedup_s: float = 0.0
    history_s: float = 0.0
    articles: int = 0  # article rows built
    records: int = 0  # records parsed
    digest: str = ""
    per_article: dict[str, str] = field(default_factory=dict)
    nlp_bodies: list[str] = field(default_factory=list)


def import_tree(root: Path | None, name: str) -> Tree:
    """Import transforms.* from `root` (None: the working tree) without disturbing the current import."""
    if root is None:
        for m in TREE_MODULES:
            importlib.import_module(m)
        return Tree(name, {k: v for k, v in sys.modules.items() if k.startswith("transforms.")})
    saved = {k: v for k, v in sys.modules.items() if k == "transforms" or k.startswith("transforms.")}
    for k in saved:
        del sys.modules[k]
    sys.path.insert(0, str(root))
    try:
        for m in TREE_MODULES:
            importlib.import_module(m)
        mods = {k: v for k, v in sys.modules.items() if k.startswith("transforms.")}
    finally:
        sys.path.remove(str(root))
        for k in [k for k in sys.modules if k == "transforms" or k.startswith("transforms.")]:
            del sys.modules[k]
        sys.modules.update(saved)
    return Tree(name, mods)


def export_ref(ref: str, dest: Path) -> Path:
    """The transforms package as committed at `ref`, unpacked under `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", ref, "transforms"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def clear_caches(tree: Tree) -> None:
    """Forget what a process learns while it runs: every functools cache of the parse/dedup modules
    (CACHED_MODULES), wordfreq's and re's."""
    import wordfreq

    for mod in tree.modules.values():
        if not any(mod.__name__ == m or mod.__name__.startswith(m + ".") for m in CACHED_MODULES):
            continue
        for obj in vars(mod).values():
            if callable(getattr(obj, "cache_clear", None)) and getattr(obj, "__module__", None) == mod.__name__:
                obj.cache_clear()
    wordfreq._wf_cache.clear()
    wordfreq.get_frequency_dict.cache_clear()
    wordfreq.get_frequency_list.cache_clear()
    re.purge()


def _h(obj: object) -> str:
    return hashlib.sha256(json.dumps(obj, default=str, ensure_ascii=False).encode("utf-8")).hexdigest()


def run_pass(tree: Tree, chunks: list[list], keep_bodies: bool = False,
             clock: Callable[[], float] = time.process_time) -> PassResult:
    """Parse and dedup every chunk as prepare_articles does; history is carried like History.add."""
    import polars as pl

    pipeline, stories = tree.pipeline, tree.stories
    index = stories.NearDuplicateIndex()
    earlier_stories: dict[str, str] = {}
    known: dict[str, tuple[str, str | None]] = {}
    res = PassResult()
    for chunk in chunks:
        records = [r for f in chunk for r in f.records]
        t0 = clock()
        articles, rejected = pipeline.build_articles(records)
        t1 = clock()
        hashes = articles["content_hash"].unique().to_list()
        articles = pipeline.mark_duplicates(articles, {h: known[h] for h in hashes if h in known})
        prints = pipeline.fingerprints(articles)
        articles = pipeline.mark_near_duplicates(articles, prints, index, earlier_stories)
        t2 = clock()
        originals = articles.filter(pl.col("duplicate_of").is_null())
        prints = prints.filter(pl.col("article_id").is_in(originals["article_id"].to_list()))
        for aid, sig in pipeline.minhash_pairs(prints):
            index.add(aid, sig)
        earlier_stories.update(dict(articles.select("article_id", "story_id").iter_rows()))
        for aid, chash, sid in originals.select("article_id", "content_hash", "story_id").iter_rows():
            known.setdefault(chash, (aid, sid))
        t3 = clock()
        res.parse_s += t1 - t0
        res.dedup_s += t2 - t1
        res.history_s += t3 - t2
        res.records += len(records)
        res.articles += articles.height
        fp = {row["article_id"]: row for row in prints.iter_rows(named=True)}
        for row in articles.iter_rows(named=True):
            res.per_article[row["source_uri"]] = _h([row, fp.get(row["article_id"])])
        for r in rejected:
            res.per_article[r.source_uri] = _h(["rejected", r.reason, r.detail])
        if keep_bodies:
            res.nlp_bodies.extend(pipeline.needs_nlp(articles)["body"].to_list())
    res.digest = _h(sorted(res.per_article.items()))
    return res


def load_chunks(corpus: list[str], limit: int, chunk_size: int) -> list[list]:
    """Files -> records -> loads, with the flow's own discover/read/chunk functions."""
    from flows.discovery import discover
    from flows.nightly import chunk_files, read_files
    from transforms.ingest import DEFAULT_MAX_BYTES

    files = [f for f in discover(corpus, {}).todo if f.problem is None]
    if limit:
        files = files[:limit]
    files = read_files.fn(files, DEFAULT_MAX_BYTES)
    return chunk_files(files, chunk_size)


def bare_nlp_ms(bodies: list[str], n: int, batch_size: int, clock: Callable[[], float],
                plain: bool = False) -> tuple[float, float, int]:
    """ms per text of nlp.pipe (nothing after it) on `n` evenly spread bodies.

    Returns (ms by `clock`, ms wall-clock, texts).
    """
    import spacy

    from transforms.nlp import load_model, model_name

    step = max(1, len(bodies) // n)
    sample = bodies[::step][:n]
    nlp = spacy.load(model_name()) if plain else load_model()
    for _ in nlp.pipe(sample[:4], batch_size=batch_size):  # first-call set-up is not per-article cost
        pass
    t0, w0 = clock(), time.perf_counter()
    for _ in nlp.pipe(sample, batch_size=batch_size):
        pass
    return 1000 * (clock() - t0) / len(sample), 1000 * (time.perf_counter() - w0) / len(sample), len(sample)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", action="append", required=True, help="file or folder (repeatable)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N files (0: all)")
    ap.add_argument("--chunk-size", type=int, default=200, help="articles per load, as `newsetl run`")
    ap.add_argument("--repeat", type=int, default=3, help="cold and warm passes per tree; the min is reported")
    ap.add_argument("--bare-sample", type=int, default=200, help="texts for the bare nlp.pipe timing (0: skip)")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--plain-model", action="store_true", help="bare side without the alias rulers (spacy.load)")
    ap.add_argument("--baseline-ref", help="also time transforms/ as committed at this git ref, same process")
    ap.add_argument("--save-digest", help="write the per-article digests (JSON) here")
    ap.add_argument("--check-digest", help="compare with digests saved by --save-digest; exit 1 on a difference")
    ap.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                    help="cpu: this process's CPU time (steady on a shared machine); wall: elapsed time")
    ap.add_argument("--profile", help="cProfile one cold pass of the working tree into this file")
    args = ap.parse_args()
    clock = time.process_time if args.clock == "cpu" else time.perf_counter

    from flows.settings import configure_prefect

    work = Path(tempfile.mkdtemp(prefix="newsetl-parse-dedup-"))
    configure_prefect(work / "state")
    os.environ.setdefault("NEWSETL_HOME", str(work / "state"))
    chunks = load_chunks(args.corpus, args.limit, args.chunk_size)
    n_files = sum(len(c) for c in chunks)

    trees = [import_tree(None, "working tree")]
    if args.baseline_ref:
        trees.insert(0, import_tree(export_ref(args.baseline_ref, work / "base"), args.baseline_ref))

    best: dict[tuple[str, str], PassResult] = {}
    results: dict[str, PassResult] = {}
    for rep in range(max(1, args.repeat)):
        for tree in trees if rep % 2 == 0 else trees[::-1]:
            for mode in ("cold", "warm"):
                if mode == "cold":
                    clear_caches(tree)
                r = run_pass(tree, chunks, keep_bodies=tree is trees[-1] and tree.name not in results, clock=clock)
                results.setdefault(tree.name, r)
                key = (tree.name, mode)
                if key not in best or r.parse_s + r.dedup_s < best[key].parse_s + best[key].dedup_s:
                    best[key] = r
                if r.digest != results[tree.name].digest:
                    print(f"WARNING: {tree.name} gave different outputs on two passes", file=sys.stderr)

    current = results[trees[-1].name]
    print(f"clock: {args.clock}; best of {args.repeat} passes each")
    print(f"files {n_files}, loads {len(chunks)} (chunk size {args.chunk_size}), records {current.records}, "
          f"article rows {current.articles}, sent to NLP {len(current.nlp_bodies)}")
    print(f"{'tree':<22}{'pass':<6}{'parse ms/rec':>13}{'dedup ms/art':>13}{'history ms/art':>15}{'total s':>9}")
    for (name, mode), r in best.items():
        print(f"{name:<22}{mode:<6}{1000 * r.parse_s / r.records:>13.3f}{1000 * r.dedup_s / r.articles:>13.3f}"
              f"{1000 * r.history_s / r.articles:>15.3f}{r.parse_s + r.dedup_s:>9.2f}")
    for tree in trees:
        print(f"digest {tree.name}: {results[tree.name].digest}")
    status = 0
    if args.baseline_ref and results[trees[0].name].digest != current.digest:
        diff = [k for k, v in current.per_article.items() if results[trees[0].name].per_article.get(k) != v]
        print(f"DIFFERENT from {args.baseline_ref}: {len(diff)} articles, e.g. {diff[:3]}")
        status = 1

    if args.bare_sample and current.nlp_bodies:
        ms, wall_ms, n = bare_nlp_ms(current.nlp_bodies, args.bare_sample, args.batch_size, clock, args.plain_model)
        bare_total = ms * len(current.nlp_bodies) / 1000
        model = "model alone" if args.plain_model else "with alias rulers"
        print(f"bare nlp.pipe ({model}): {ms:.1f} ms/text by the {args.clock} clock ({wall_ms:.1f} ms wall) "
              f"on {n} texts (batch {args.batch_size}); "
              f"est. {bare_total:.1f} s for the {len(current.nlp_bodies)} texts sent to NLP")
        for (name, mode), r in best.items():
            print(f"  {name:<20} {mode}: parse {100 * r.parse_s / bare_total:.2f}%  dedup "
                  f"{100 * r.dedup_s / bare_total:.2f}%  together {100 * (r.parse_s + r.dedup_s) / bare_total:.2f}% "
                  "of bare nlp.pipe")

    if args.save_digest:
        Path(args.save_digest).write_text(json.dumps({"digest": current.digest, "articles": current.per_article},
                                                     indent=0, sort_keys=True), encoding="utf-8")
        print(f"digests saved to {args.save_digest}")
    if args.check_digest:
        saved = json.loads(Path(args.check_digest).read_text(encoding="utf-8"))
        if saved["digest"] == current.digest:
            print(f"digest matches {args.check_digest}")
        else:
            diff = sorted(set(saved["articles"].items()) ^ set(current.per_article.items()))
            print(f"DIGEST DIFFERS from {args.check_digest}: {len(diff)} entries, e.g. {[k for k, _ in diff[:3]]}")
            status = 1

    if args.profile:
        clear_caches(trees[-1])
        prof = cProfile.Profile()
        prof.runcall(run_pass, trees[-1], chunks)
        prof.dump_stats(args.profile)
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
    shutil.rmtree(work, ignore_errors=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
