"""PostgreSQL imports with two chunks in flight, so the database's work uses both cores.

Per new lead PostgreSQL does most of an import's work (five rows, a few dozen index entries,
deferred foreign-key checks at commit), and one connection runs one statement at a time: with a
single connection the import waits on one busy backend while the other core idles. Here each
chunk gets its own connection and transaction, and three rules keep the result identical to a
sequential run:

- chunks are *prepared* (in-file dedupe, existing leads, list room, companies) one at a time in
  file order, because that reads and updates what the import remembers across chunks;
- their *writes* overlap;
- they *commit* in file order, each together with the job's progress, so the resume cursor only
  ever covers committed rows. A chunk that fails or is cancelled rolls back with every later one.

People of two chunks never collide in the database: the in-file dedupe gives each person to one
chunk. A company created by chunk k and used by chunk k+1 is fine too: foreign keys are checked at
commit, and k commits first.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.db import connection, transaction

from integrations.imports.chunk import ChunkImporter, ChunkOutcome


class Aborted(Exception):
    """An earlier chunk failed: this one rolls back without committing."""


class Turns:
    """Lets chunk k through once chunks 0 … k-1 are through; ``abort`` releases every waiter."""

    def __init__(self) -> None:
        self._next = 0
        self._aborted = False
        self._cond = threading.Condition()

    @property
    def aborted(self) -> bool:
        return self._aborted

    def wait(self, k: int) -> None:
        with self._cond:
            while self._next != k and not self._aborted:
                self._cond.wait()
            if self._aborted:
                raise Aborted

    def done(self, k: int) -> None:
        with self._cond:
            self._next = k + 1
            self._cond.notify_all()

    def abort(self) -> None:
        with self._cond:
            self._aborted = True
            self._cond.notify_all()


class _Committed:
    """A writer's notice that its chunk committed, answered by the calling thread."""

    def __init__(self) -> None:
        self.answered = threading.Event()
        self.error: BaseException | None = None

    def answer(self, callback: Callable[[], None]) -> None:
        try:
            callback()
        except BaseException as exc:  # handed back to the writer, which stops the import
            self.error = exc
        finally:
            self.answered.set()


def write_in_parallel(
    pending: Iterable[tuple[Any, list]],
    *,
    importer: ChunkImporter,
    writers: int,
    commit: Callable[[Any, ChunkOutcome], None],
    after_commit: Callable[[], None],
    on_committed: Callable[[], None],
) -> None:
    """Write each (chunk, rows) of ``pending`` with up to ``writers`` in flight.

    ``commit(chunk, outcome)`` runs in the chunk's transaction once every earlier chunk has
    committed (it records progress and may raise to roll the chunk back). After the commit,
    still in order and before the next chunk may commit, ``after_commit`` runs in the writer
    and ``on_committed`` on the calling thread (progress hooks may need it; if it raises,
    later chunks roll back). The first error is raised once all writers stopped.
    """
    prepared, committed = Turns(), Turns()
    errors: list[BaseException] = []
    notices: queue.Queue[_Committed] = queue.Queue()

    def write(k: int, chunk: Any, rows: list) -> None:
        try:
            with transaction.atomic():
                prepared.wait(k)
                try:
                    plan = importer.prepare(rows)
                except BaseException:
                    prepared.abort()
                    raise
                prepared.done(k)
                outcome = importer.write(plan)
                committed.wait(k)
                commit(chunk, outcome)
            after_commit()
            notice = _Committed()
            notices.put(notice)
            while not notice.answered.wait(0.05):
                if committed.aborted:  # the import stopped: nobody will answer
                    raise Aborted
            if notice.error is not None:
                raise notice.error
            committed.done(k)
        except BaseException as exc:
            prepared.abort()
            committed.abort()
            if not isinstance(exc, Aborted):
                errors.append(exc)
            raise
        finally:
            connection.close()  # this thread's own connection

    in_flight: list[Future] = []

    def serve(limit: int) -> None:
        """Answer commit notices until fewer than ``limit`` chunks are in flight."""
        while True:
            in_flight[:] = [f for f in in_flight if not f.done()]
            if len(in_flight) < limit:
                return
            try:
                notices.get(timeout=0.05).answer(on_committed)
            except queue.Empty:
                continue

    with ThreadPoolExecutor(writers, thread_name_prefix="import-writer") as pool:
        try:
            for k, (chunk, rows) in enumerate(pending):
                serve(writers)
                if committed.aborted:
                    break
                in_flight.append(pool.submit(write, k, chunk, rows))
            serve(1)
        except BaseException:
            # Reading the file failed (or we were interrupted): chunks not yet committed roll
            # back, and writers stop waiting for turns or answers.
            prepared.abort()
            committed.abort()
            raise
    if errors:
        raise errors[0]
