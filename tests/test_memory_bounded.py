"""`newsmate ingest` on hostile feeds keeps its memory bounded: measured with psutil on the
real command's process tree, against a hostile site on 127.0.0.1."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from store import open_db
from tests.hostile_site import HostileSite, Timings
from tests.memory_watch import watch

# The targets: the largest process, and all of newsmate's processes together.
LARGEST_MB = 800
TOTAL_MB = 1536


def test_bombs_an_endless_page_and_a_huge_entry_stay_within_the_memory_targets(
    tmp_path: Path,
) -> None:
    # A gigabyte behind each bomb: decoded whole, any of them alone would pass the target.
    with HostileSite(Timings(bomb_bytes=1 << 30, slow_answer=1.0)) as site:
        feeds = [site.url(p) for p in ("/feed/bombs.xml", "/feed/huge-entry.xml",
                                       "/feed/quadratic-blowup.xml", "/feed/billion-laughs.xml")]
        db = tmp_path / "news.db"
        run = watch([sys.executable, "-m", "bot.cli", "--db", str(db), "ingest", *feeds],
                    env={**os.environ, "NEWSMATE_LOG_LEVEL": "WARNING"})
        served = dict(site.hits)
    assert run.returncode == 0, run.stderr[-2000:]
    assert served["/bomb/gzip-gzip"] == 1 and served["/bomb/gzip"] == 1 and served["/page/huge"] == 1
    stored = open_db(db).execute("SELECT count(*), sum(summary_only) FROM articles").fetchone()
    assert stored == (8 + 1 + 2 + 2, 5), run.stdout
    assert run.largest_mb <= LARGEST_MB, f"largest process {run.largest_mb:.0f} MB"
    assert run.total_mb <= TOTAL_MB, f"all processes {run.total_mb:.0f} MB"
