"""A training loop's metric writer, for test/watch: rewrites a metric file step by step.

    metricWriter.py <path> <in-place|rename> <steps> <burst>

Each step first writes <burst> passing versions in quick succession, then the step's own version, on which
it settles: it prints "settled <step>" and waits for a line on stdin before going on. In place, each write
truncates the file and writes it in two halves; the step's own version stops between them, printing
"half <step>" and waiting for a line on stdin, so a watcher is sure to find the file half-written.
By rename, each version goes to a temporary file that os.replace puts in place whole.
"""
import json
import os
import sys

path, mode, steps, burst = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])


def document(step):
    """Three metrics that agree with each other: a snapshot mixing two versions shows it."""
    return json.dumps({
        "labels": {"run": "watch-test"},
        "metrics": [
            {"name": "train_step", "description": "training step", "value": step, "metric_type": "gauge"},
            {"name": "train_loss", "description": "loss", "value": 1 / (step + 1), "metric_type": "gauge"},
            {"name": "train_samples_total", "description": "samples seen", "value": step * 32, "metric_type": "counter"},
        ],
    }, indent=1).encode()


def say(line):
    print(line, flush=True)


def wait():
    if sys.stdin.readline() == "":
        sys.exit(0)


def in_place(data, pause_at_half=None):
    with open(path, "r+b" if os.path.exists(path) else "wb") as file:
        file.truncate(0)
        half = len(data) // 2
        file.write(data[:half])
        file.flush()
        if pause_at_half is not None:
            say(f"half {pause_at_half}")
            wait()
        file.write(data[half:])
        file.flush()


def by_rename(data):
    temporary = path + ".tmp"
    with open(temporary, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


for step in range(1, steps + 1):
    for passing in range(burst):
        # A version between the previous step and this one, never settled on.
        value = step - 1 + (passing + 1) / (burst + 1)
        (in_place if mode == "in-place" else by_rename)(document(value))
    if mode == "in-place":
        in_place(document(step), pause_at_half=step)
    else:
        by_rename(document(step))
    say(f"settled {step}")
    wait()
