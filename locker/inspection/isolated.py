"""Run a parser in a forked child with memory and CPU limits.

qpdf decodes object and cross-reference streams while it parses; a few megabytes of
Deflate can expand to gigabytes. The child gets an address-space limit (its size at fork
plus a budget) and a CPU-time limit, and the parent a wall-clock deadline after which the
child is killed. A child that dies or overruns is a refusal, never a crash of the web or
Celery worker. Fork (not spawn) keeps the cost to a few milliseconds: the child already
has pikepdf loaded. See docs/adr/0100-file-inspection.md.
"""

import os
import pickle
import resource
import select
import signal
import time


class ChildError(Exception):
    """The child exceeded a limit, crashed, or returned nothing."""


def _address_space_now() -> int:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


def run_limited(function, argument, *, memory_budget: int, time_limit: int):
    """``function(argument)`` in a child; returns its result or re-raises its exception
    (which must be picklable). Raises ChildError when a limit is hit."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never returns
        status = 0
        try:
            os.close(read_fd)
            limit = _address_space_now() + memory_budget
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            resource.setrlimit(resource.RLIMIT_CPU, (time_limit, time_limit + 1))
            try:
                payload = pickle.dumps((True, function(argument)))
            except MemoryError:
                payload = pickle.dumps((False, ChildError("memory")))
            except Exception as exc:  # the parent decides what a failure means
                payload = pickle.dumps((False, exc))
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(payload)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_fd)
    chunks = []
    deadline = time.monotonic() + time_limit
    finished = False
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ChildError("time")
            ready, _, _ = select.select([read_fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                finished = True
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
        if not finished:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if not chunks:
        raise ChildError("no result")
    try:
        ok, value = pickle.loads(b"".join(chunks))  # noqa: S301 - our own child's output
    except Exception as exc:
        raise ChildError("unreadable result") from exc
    if ok:
        return value
    raise value
