"""Give every question of an evaluation file without a ``split`` its half, once.

In: a JSONL question file (``tests/data/readers.jsonl``). Out: the same file, each
question that had no ``split`` now ``calibration`` or ``heldout``: within each group of
the same provenance and kind, the questions are shuffled with a fixed seed and the first
half (rounded up) goes to calibration. Questions that already have a split keep it, so
adding questions never moves old ones from one half to the other. Thresholds and
features are chosen on calibration only; held-out figures are the ones reported.

    .venv/bin/python eval/split_questions.py tests/data/readers.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

SEED = 20261123


def main(path: Path) -> int:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        if "split" not in row:
            groups[(row["provenance"]["by"], row["kind"])].append(row)
    rng = random.Random(SEED)
    for key in sorted(groups):
        members = sorted(groups[key], key=lambda r: r["id"])
        rng.shuffle(members)
        half = (len(members) + 1) // 2
        for i, row in enumerate(members):
            row["split"] = "calibration" if i < half else "heldout"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="the JSONL question file, rewritten in place")
    sys.exit(main(parser.parse_args().file))
