"""Start work in several threads at the same instant, as racing processes would."""

from __future__ import annotations

import threading
from collections.abc import Callable


def run_together(workers: int, work: Callable[[int], None]) -> list[BaseException]:
    """Start ``work(i)`` in ``workers`` threads at the same instant; return what they raised."""
    start, errors = threading.Barrier(workers, timeout=30), []

    def run(index: int) -> None:
        start.wait()
        try:
            work(index)
        except BaseException as error:  # the test reports every failure
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive(), "a worker is stuck"
    return errors
