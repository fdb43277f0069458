"""Handing fetches to the thread pool host by host, without waiting for the writing thread.

At most ``per_host`` sources of one host are in flight and ``limit`` in all, hosts taking
turns, so a thousand sources on one server never hold up the other hosts' sources. A finished
fetch hands out the next one itself (from the pool's thread), so fetching goes on while the
refresh thread writes outcomes; finished fetches wait in ``results`` for that thread.
"""

from __future__ import annotations

import functools
import queue
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future
from typing import Generic, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")


class HostDispatcher(Generic[Job, Result]):
    def __init__(
        self,
        pool: Executor,
        work: Callable[[Job], Result],
        *,
        per_host: int,
        limit: int,
    ) -> None:
        self._pool = pool
        self._work = work
        self._per_host = per_host
        self._limit = limit
        # Re-entrant: a future that is already done runs its callback in the submitting thread.
        self._lock = threading.RLock()
        self._queues: dict[str, deque[Job]] = {}
        self._ready: deque[str] = deque()
        self._active: Counter[str] = Counter()
        self._running = 0
        self.results: queue.Queue[tuple[Job, Future[Result]]] = queue.Queue()

    def start(self, jobs: Iterable[tuple[str, Job]]) -> int:
        """Queue ``(host, job)`` pairs and start as many as the limits allow; returns how many."""
        count = 0
        with self._lock:
            for host, job in jobs:
                waiting = self._queues.setdefault(host, deque())
                if not waiting and self._active[host] < self._per_host:
                    self._ready.append(host)
                waiting.append(job)
                count += 1
            self._hand_out()
        return count

    def _hand_out(self) -> None:
        while self._ready and self._running < self._limit:
            host = self._ready.popleft()
            if not self._queues[host] or self._active[host] >= self._per_host:
                continue
            job = self._queues[host].popleft()
            self._active[host] += 1
            self._running += 1
            if self._queues[host] and self._active[host] < self._per_host:
                self._ready.append(host)
            future = self._pool.submit(self._work, job)
            future.add_done_callback(functools.partial(self._finished, host, job))

    def _finished(self, host: str, job: Job, future: Future[Result]) -> None:
        try:
            with self._lock:
                self._active[host] -= 1
                self._running -= 1
                if self._queues[host] and self._active[host] == self._per_host - 1:
                    self._ready.append(host)
                self._hand_out()
        finally:
            # Always reported, so the refresh thread never waits for a result that won't come.
            self.results.put((job, future))
