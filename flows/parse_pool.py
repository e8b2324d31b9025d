"""spaCy worker processes that live for a whole run, so the next load is parsed while this one's rules
and commit run.

spaCy's own `nlp.pipe(n_process=N)` forks its workers per call and returns when the last document is
back: the run's rules, validation and commit then ran with every worker gone, one core busy and the
others idle (a third of a run's time at two processes). Here the workers are forked once, from the
run's process, after the model is loaded (they share its pages), and take batches from one queue
for as long as the run lasts; the run hands them the next load's texts before it turns to this
load's rules.

Documents come back as spaCy's bytes and become `Doc`s in the run's process only when a load reads
them, inside that load's memory zone, so their strings go with the load.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator

from spacy.tokens import Doc
from spacy.vocab import Vocab

from flows.processes import die_when_parent_dies
from transforms.entities import remember_text
from transforms.nlp import load_model, parse_texts
from transforms.pipeline import word_budget_batches

_STOP = None
_POLL_S = 1.0  # how often a wait for a batch checks that the workers are alive


class ParseWorkerDied(RuntimeError):
    """A worker exited (killed, out of memory) while the run waited for its batch."""


class ParsePool:
    """`n_process` forked spaCy workers with the run's model; batches go out in order of submission.

    `submit(texts)` returns a ticket (one entry per text); `docs(ticket, texts, vocab)` gives the
    documents in the texts' order, waiting for batches still being parsed. `discard(ticket)` lets go
    of documents the run no longer needs (a speculative parse of an article that turned out a duplicate).
    """

    def __init__(self, model: str, selective: bool, n_process: int, batch_size: int) -> None:
        load_model(model, selective=selective)  # loaded before the fork: the workers share it
        ctx = multiprocessing.get_context("fork")
        self.n_process = n_process
        self.batch_size = batch_size
        self._tasks = ctx.Queue()
        self._results = ctx.Queue()
        self._done: dict[int, list[bytes] | str] = {}
        self._unwanted: set[int] = set()
        self._arrived = threading.Condition()
        self._next_batch = 0
        parent = os.getpid()
        self._workers = [ctx.Process(target=_work, args=(model, selective, self._tasks, self._results, parent),
                                     name=f"newsetl-spacy-{i}", daemon=True) for i in range(n_process)]
        for w in self._workers:
            w.start()
        self._closed = False
        self._collector = threading.Thread(target=self._collect, name="newsetl-parse-results", daemon=True)
        self._collector.start()

    def submit(self, texts: list[str]) -> list[tuple[int, int]]:
        """Queue the texts in word-bounded batches (as one process would batch them); returns, per
        text, its (batch, position)."""
        ticket = []
        for group in word_budget_batches(texts, self.batch_size):
            batch = self._next_batch
            self._next_batch += 1
            self._tasks.put((batch, group))
            ticket.extend((batch, k) for k in range(len(group)))
        return ticket

    def docs(self, ticket: list[tuple[int, int]], texts: list[str], vocab: Vocab) -> Iterator[Doc]:
        """The documents of a ticket in order, each given back its text (transforms.entities.remember_text)."""
        batches: dict[int, list[bytes]] = {}
        left = {}
        for batch, _ in ticket:
            left[batch] = left.get(batch, 0) + 1
        for (batch, k), text in zip(ticket, texts, strict=True):
            if batch not in batches:
                batches[batch] = self._wait(batch)
            blob = batches[batch][k]
            left[batch] -= 1
            if not left[batch]:
                del batches[batch]
            yield remember_text(Doc(vocab).from_bytes(blob), text)

    def discard(self, ticket: list[tuple[int, int]]) -> None:
        """Forget the batches of a ticket: those back are dropped, those still out are dropped on arrival."""
        with self._arrived:
            for batch in {b for b, _ in ticket}:
                if self._done.pop(batch, None) is None:
                    self._unwanted.add(batch)

    def close(self, kill: bool = False) -> None:
        """Stop the workers: when their queue is done (killed if still busy after 10 s), or at once with `kill`
        (a failed load, Ctrl-C: what they hold is not wanted)."""
        if self._closed:
            return
        self._closed = True
        if not kill:
            for _ in self._workers:
                self._tasks.put(_STOP)
        for w in self._workers:
            if not kill:
                w.join(timeout=10)
            if w.is_alive():
                w.kill()
            w.join()
        self._results.put(_STOP)  # ends the collector
        self._collector.join(timeout=10)
        for q in (self._tasks, self._results):
            q.cancel_join_thread()
            q.close()

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, kind, *exc) -> None:
        self.close(kill=kind is not None)

    def _collect(self) -> None:
        while True:
            item = self._results.get()
            if item is _STOP:
                return
            batch, out = item
            with self._arrived:
                if batch in self._unwanted:
                    self._unwanted.discard(batch)
                else:
                    self._done[batch] = out
                self._arrived.notify_all()

    def _wait(self, batch: int) -> list[bytes]:
        with self._arrived:
            while batch not in self._done:
                if not self._arrived.wait(timeout=_POLL_S):
                    dead = [w for w in self._workers if not w.is_alive()]
                    if dead:
                        raise ParseWorkerDied(f"spaCy worker {dead[0].name} (pid {dead[0].pid}) exited with "
                                              f"{dead[0].exitcode} while the run waited for it")
            out = self._done.pop(batch)
        if isinstance(out, str):
            raise RuntimeError(f"spaCy worker failed: {out}")
        return out


def _work(model: str, selective: bool, tasks, results, parent: int) -> None:
    """A worker: batches of texts in, spaCy's bytes of their documents out, until told to stop."""
    die_when_parent_dies(signal.SIGKILL, parent)  # a worker dies with the run, even a run killed with -9
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's to handle; it stops the workers
    nlp = load_model(model, selective=selective)  # the run's, inherited through the fork
    while True:
        try:
            item = tasks.get()
        except (EOFError, OSError):
            return
        if item is _STOP:
            return
        batch, texts = item
        try:
            with nlp.memory_zone():
                out: list[bytes] | str = [doc.to_bytes(exclude=["tensor", "user_data"])
                                          for doc in parse_texts(nlp, texts, batch_size=len(texts))]
        except Exception as e:  # noqa: BLE001 (the run reports it for this load)
            out = f"{type(e).__name__}: {e}"
        results.put((batch, out))

