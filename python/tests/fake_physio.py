#!/usr/bin/env python3
"""A stand-in for physio that speaks the progress contract (``--progress-fd N``: JSON lines on fd N), for
testing physiodl's side of it alone. FAKE_PROGRESS_LINES lines, then a fetch summary on stdout."""

import json
import os
import sys

args = sys.argv[1:]
if args[-1:] == ["--help"]:
    print("USAGE: physio fetch <dataset> [--progress-fd <fd>] [--quiet] [--json]")
    sys.exit(0)
lines = int(os.environ.get("FAKE_PROGRESS_LINES", "5"))
total = 1000 * lines
if "--progress-fd" in args:
    fd = int(args[args.index("--progress-fd") + 1])
    with os.fdopen(fd, "w") as stream:
        for i in range(1, lines + 1):
            stream.write(json.dumps({
                "type": "progress", "filesDone": i, "filesTotal": lines, "bytesDone": 1000 * i, "bytesTotal": total,
                "totalIsEstimate": False, "bytesPerSecond": 2048.0, "secondsLeft": None if i < lines else 0.0,
            }) + "\n")
            stream.flush()
dest = args[args.index("--dest") + 1] if "--dest" in args else os.getcwd()
print(json.dumps({
    "slug": "fake", "version": "1.0", "root": dest, "datasetDirectory": os.path.join(dest, "fake", "1.0"),
    "counts": {"verified": lines, "downloaded": lines}, "bytesTransferred": total, "seconds": 0.1, "exitCode": 0,
    "failures": [],
}))
