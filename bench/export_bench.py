"""Export benchmark: time and peak memory of the documentation export per format, for a big day.

    .venv/bin/python bench/export_bench.py                      # 300 participants, ~3,000 contributions
    .venv/bin/python bench/export_bench.py --participants 100 --json out.json

The RVR day is run through in-process (SQLite in a temporary folder, frozen clock, the command
pipeline as the socket handlers call it; tests/export/scenario.py) with N participants: 5
Clusterkette terms each, both group-choice rounds, 2 workspace comments each in part 1 (when the
breakout workspaces exist), a Blitzlicht statement, a vote on the "akteure" poll and an answer
to an extra open-text poll each. Then every format is exported (anonymised, German):

- ``time``: wall time of ``facilitator.export.render`` (build the document from the database
  + render), best of ``--repeat`` runs;
- ``peak``: peak of Python allocations during one more run (tracemalloc; allocations inside C
  libraries such as Pango/cairo are not seen by it), and the process's peak RSS at the end.

Nothing is asserted; the figures go to BENCHMARKS.md by hand.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--formats", default="json,md,csv,xlsx,docx,pdf")
    parser.add_argument("--json", dest="json_out", default=None, help="also write the results here")
    args = parser.parse_args()
    if not 1 <= args.participants <= 1000:
        parser.error("--participants: 1 … 1000")

    from facilitator.core.clock import FrozenClock
    from facilitator.export import render
    from facilitator.export.model import build_document
    from facilitator.extensions import db
    from tests.conftest import REFERENCE_MORNING, Factory, make_app
    from tests.export.scenario import run_rvr_day

    with tempfile.TemporaryDirectory() as tmp, make_app(Path(tmp) / "instance") as _app:
        factory = Factory(db)
        organiser = factory.user("Olga Organisatorin", "olga@example.org")
        workshop = factory.workshop(organiser)
        started = time.perf_counter()
        with FrozenClock(REFERENCE_MORNING) as clock:
            day = run_rvr_day(factory, workshop, organiser, clock, participants=args.participants - 1,
                              terms_each=5, extra_open_poll=True, capacity=args.participants, comments_each=2)
        setup_s = time.perf_counter() - started
        print(f"day run: {len(day.participants)} participants, {day.contributions} contributions "
              f"in {setup_s:.1f} s", flush=True)

        results = {"participants": len(day.participants), "contributions": day.contributions, "formats": {}}
        t0 = time.perf_counter()
        build_document(workshop)
        results["build_document_s"] = round(time.perf_counter() - t0, 3)
        for fmt in args.formats.split(","):
            times = []
            for _ in range(args.repeat):
                db.session.expire_all()
                t0 = time.perf_counter()
                rendered = render(workshop, fmt)
                times.append(time.perf_counter() - t0)
            db.session.expire_all()
            tracemalloc.start()
            render(workshop, fmt)
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            row = {"time_s": round(min(times), 3), "peak_python_mib": round(peak / 2**20, 1),
                   "size_kib": round(len(rendered.data) / 1024, 1)}
            results["formats"][fmt] = row
            print(f"{fmt:5s} {row['time_s']:7.2f} s  peak {row['peak_python_mib']:6.1f} MiB  "
                  f"{row['size_kib']:8.1f} KiB", flush=True)
        results["max_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        results["machine"] = {"nproc": os.cpu_count(), "python": platform.python_version(),
                              "platform": platform.platform()}
        print(f"peak RSS of the process: {results['max_rss_mib']} MiB")
        print(json.dumps(results, indent=2))
        if args.json_out:
            Path(args.json_out).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
