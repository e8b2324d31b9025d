"""The array attribute ruler and cached lemmatizer (transforms/rule_components.py) against spaCy's own:
the same values on every token, and the CPU time of each.

    uv run --frozen python -m benchmarks.rule_components --corpus ../shared/corpus/bbc [--limit N]

Two copies of the pipeline's model parse the same texts (truecased as the pipeline does), one with
spaCy's attribute ruler and lemmatizer, one with the array versions; every component before them is
the same, so their input is the same. Each document's TAG, POS, MORPH, LEMMA, DEP, HEAD, entity and
sentence arrays are compared; a difference prints the token and exits 1. Times are CPU seconds per
component (`time.process_time`) over all texts.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG

from transforms.nlp import load_model
from transforms.truecase import truecase

COMPARED = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START]
NAMES = ["TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START"]


def parse_timed(nlp, texts: list[str], spent: Counter) -> list:
    docs = []
    for start in range(0, len(texts), 16):
        t = time.process_time()
        batch = [nlp.make_doc(x) for x in texts[start:start + 16]]
        spent["tokenizer"] += time.process_time() - t
        for name, proc in nlp.pipeline:
            t = time.process_time()
            batch = list(proc.pipe(batch, batch_size=16)) if hasattr(proc, "pipe") else [proc(d) for d in batch]
            spent[name] += time.process_time() - t
        docs.extend(batch)
    return docs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True, type=Path, help="a folder of .txt articles (searched recursively)")
    ap.add_argument("--limit", type=int, default=0, help="the first N files by sorted path (0: all)")
    args = ap.parse_args(argv)
    files = sorted(args.corpus.rglob("*.txt"))
    if args.limit:
        files = files[:args.limit]
    texts = [truecase(p.read_text(encoding="utf-8", errors="replace")) for p in files]
    stock, array = load_model(array_rules=False), load_model(array_rules=True)
    print(f"{len(texts)} texts; stock: {stock.pipe_names}\narray: {array.pipe_names}", flush=True)
    times = {"stock": Counter(), "array": Counter()}
    tokens = 0
    for start in range(0, len(texts), 200):  # alternate the two, so a busy machine slows both alike
        chunk = texts[start:start + 200]
        a = parse_timed(stock, chunk, times["stock"])
        b = parse_timed(array, chunk, times["array"])
        for k, (x, y) in enumerate(zip(a, b, strict=True)):
            ax, bx = x.to_array(COMPARED), y.to_array(COMPARED)
            tokens += len(x)
            if not np.array_equal(ax, bx):
                i, j = map(int, np.argwhere(ax != bx)[0])
                print(f"DIFFERENT: {files[start + k]} token {i} {x[i].text!r}: {NAMES[j]} "
                      f"{_shown(x, NAMES[j], ax[i, j])} against {_shown(y, NAMES[j], bx[i, j])}")
                return 1
        print(f"{start + len(chunk)} texts, {tokens:,} tokens: identical", flush=True)
    total = {k: sum(v.values()) for k, v in times.items()}
    print(f"\n{'component':18s} {'stock s':>9s} {'array s':>9s}")
    for name in times["stock"]:
        print(f"{name:18s} {times['stock'][name]:9.2f} {times['array'][name]:9.2f}")
    ratio = total["array"] / total["stock"]
    print(f"{'all':18s} {total['stock']:9.2f} {total['array']:9.2f}   array/stock {ratio:.3f}")
    return 0


def _shown(doc, name: str, value) -> str:
    return doc.vocab.strings[int(value)] if name in ("TAG", "LEMMA", "DEP", "MORPH") else str(value)


if __name__ == "__main__":
    sys.exit(main())
