"""Run a command and watch the memory of its whole process tree with psutil.

Used by the memory test and bench/hostile.py: the peak resident memory of the largest
process (from the kernel's own high-water mark, so a short spike between two samples still
counts) and of all of them together (sampled), and the time it took.
"""

from __future__ import annotations

import re
import resource
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

MB = 1024 * 1024
_HWM = re.compile(r"VmHWM:\s+(\d+) kB")


@dataclass
class Watched:
    returncode: int
    stdout: str
    stderr: str
    largest_mb: float  # peak resident memory of the largest process
    total_mb: float  # peak resident memory of all the processes together
    seconds: float


def _high_water(pid: int) -> int:
    try:
        found = _HWM.search(Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return 0
    return int(found.group(1)) * 1024 if found else 0


def watch(argv: list[str], *, env: dict[str, str] | None = None, cwd: str | None = None,
          address_space_mb: int = 6144, every: float = 0.02, timeout: float = 900.0) -> Watched:
    """Run `argv` to its end. `address_space_mb` caps each process, so a regression fails
    with MemoryError instead of taking the shared machine down."""

    started = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            cwd=cwd, text=True)
    # Set from here (no preexec_fn, which is unsafe in a process with threads); the child
    # has barely started, and what it starts inherits the cap.
    limit = address_space_mb * MB
    resource.prlimit(proc.pid, resource.RLIMIT_AS, (limit, limit))
    root = psutil.Process(proc.pid)
    largest = total = 0
    out: dict[str, str] = {}

    def drain() -> None:
        out["stdout"], out["stderr"] = proc.communicate()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    while proc.poll() is None:
        if time.monotonic() - started > timeout:
            proc.kill()
            break
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.Error:
            break
        sizes = []
        for process in tree:
            try:
                sizes.append(process.memory_info().rss)
                largest = max(largest, _high_water(process.pid))
            except psutil.Error:
                continue
        if sizes:
            largest = max(largest, max(sizes))
            total = max(total, sum(sizes))
        time.sleep(every)
    reader.join()
    seconds = time.monotonic() - started
    return Watched(proc.returncode, out.get("stdout", ""), out.get("stderr", ""),
                   largest / MB, max(total, largest) / MB, seconds)
