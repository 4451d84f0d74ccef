"""Requests in parallel, results in input order, at most a bounded number of results held."""

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def ordered_map(fn: Callable[[T], R], items: Iterable[T], workers: int) -> Iterator[tuple[T, R]]:
    """(item, fn(item)) in the order of `items`, `workers` calls in flight at a time.

    Unlike `Executor.map`, items are submitted only as results are taken, so a slow consumer
    never has more than `workers` results waiting in memory.
    """
    source = iter(items)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        pending: deque[tuple[T, Future[R]]] = deque()
        for item in source:
            pending.append((item, pool.submit(fn, item)))
            if len(pending) >= workers:
                break
        while pending:
            item, future = pending.popleft()
            result = future.result()
            following = next(source, _END)
            if following is not _END:
                pending.append((following, pool.submit(fn, following)))  # type: ignore[arg-type]
            yield item, result


_END = object()
