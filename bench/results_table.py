#!/usr/bin/env python3
"""Markdown rows for docs/results.md from the runs kept in docs/results/ (bench/collect_run.sh).

    python3 bench/results_table.py runs DIR...     one row per run directory (docs/results/DIR)
    python3 bench/results_table.py readme DIR...   the README's short rows of the same runs
    python3 bench/results_table.py sweep DIR       one row per attention type of a kept sweep

Accuracies are the runs' test records (what tests/train/results_doc_test.cpp checks), in %.
"""
import json
import pathlib
import statistics
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "docs" / "results"


def test_accuracy(run):
    acc = None
    for line in (run / "metrics.jsonl").read_text().splitlines():
        record = json.loads(line)
        if record.get("split") == "test":
            acc = 100 * record["accuracy"]
    return acc


def summary(run):
    return json.loads((run / "summary.json").read_text())


def attention_label(run):
    """The attention type, with the Nystrom landmark mode when it is not the default."""
    label = summary(run)["attention"]
    config = (run / "config.yaml").read_text()
    if "landmark_mode: reference" in config and label in ("nystrom", "spectral_shift"):
        label += "-reference"
    return label


def mean_sd(values, fmt="%.2f"):
    if len(values) == 1:
        return fmt % values[0]
    return (fmt % statistics.mean(values)) + " ± " + (fmt % statistics.stdev(values))


def runs_rows(dirs):
    print("| run | attention | test acc % | best val acc % (step) | steps | train time | "
          "tokens/s | peak RSS MiB | curves | command |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for d in dirs:
        run = ROOT / d
        s = summary(run)
        command = (run / "command.txt").read_text().strip()
        print(f"| {d} | {attention_label(run)} | {test_accuracy(run):.2f} | "
              f"{100 * s['best_val_accuracy']:.2f} ({s['best_step']}) | {s['steps']} | "
              f"{s['train_seconds'] / 60:.1f} min | {s['tokens_per_s']:.0f} | "
              f"{s['peak_rss_bytes'] / 2**20:.0f} | [svg](results/{d}/curves.svg) | `{command}` |")


def readme_rows(dirs):
    print("| run | attention | test acc % | best val step | steps | train time | curves |")
    print("|---|---|---|---|---|---|---|")
    for d in dirs:
        run = ROOT / d
        s = summary(run)
        print(f"| {d} | {attention_label(run)} | {test_accuracy(run):.2f} | {s['best_step']} | "
              f"{s['steps']} | {s['train_seconds'] / 60:.0f} min | "
              f"[svg](docs/results/{d}/curves.svg) |")


def sweep_rows(d):
    sweep = ROOT / d
    by_type = {}
    for run in sorted(sweep.glob("*-seed*")):
        attention = run.name.rsplit("-seed", 1)[0]
        by_type.setdefault(attention, []).append(run)
    print("| attention | seeds | test acc % | best val acc % | s/step | tokens/s | "
          "peak tensor MiB | peak RSS MiB | runs |")
    print("|---|---|---|---|---|---|---|---|---|")
    for attention, runs in by_type.items():
        s = [summary(r) for r in runs]
        step_s = [x["train_seconds"] / x["steps"] for x in s]
        print(f"| {attention} | {len(runs)} | {mean_sd([test_accuracy(r) for r in runs])} | "
              f"{mean_sd([100 * x['best_val_accuracy'] for x in s])} | "
              f"{mean_sd(step_s, '%.3f')} | {mean_sd([x['tokens_per_s'] for x in s], '%.0f')} | "
              f"{mean_sd([x['peak_tensor_bytes'] / 2**20 for x in s], '%.0f')} | "
              f"{mean_sd([x['peak_rss_bytes'] / 2**20 for x in s], '%.0f')} | "
              f"[runs](results/{d}/) |")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "runs":
        runs_rows(sys.argv[2:])
    elif len(sys.argv) >= 3 and sys.argv[1] == "readme":
        readme_rows(sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "sweep":
        sweep_rows(sys.argv[2])
    else:
        sys.exit(__doc__)
