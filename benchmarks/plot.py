"""Time against size, log-log, one line per measurement (needs matplotlib: the `bench` extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def draw(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt

    series = [
        ("checks alone (check)", [(r["networks"], r["median"]) for r in results["checks"]], "o-"),
        ("load + validate (YAML)", [(r["networks"], r["median"]) for r in results["load"]], "s-"),
        ("XC201, library", [(r["networks"], r["XC201"]["library"]["median"]) for r in results["baseline"]], "^-"),
        ("XC201, pairwise baseline", [(r["networks"], r["XC201"]["naive"]["median"]) for r in results["baseline"]],
         "^--"),
        ("plan (deploy under mocks)", [(r["networks"], r["plan"]["median"]) for r in results["plan"]], "D-"),
        ("same resources, by the provider SDKs", [(r["networks"], r["floors"]["sdk"]["median"])
                                                  for r in results["plan"]], "D--"),
        ("same number, flat", [(r["networks"], r["floors"]["flat"]["median"]) for r in results["plan"]], "D:"),
    ]
    fig, ax = plt.subplots(figsize=(8, 5.5), dpi=120)
    for label, points, style in series:
        if points:
            ax.plot([n for n, _t in points], [t for _n, t in points], style, label=label, markersize=4)
    sizes = [r["networks"] for r in results["checks"]]
    if sizes:  # a guide: what linear growth would look like from the largest checks measurement
        top = results["checks"][-1]
        ax.plot(sizes, [top["median"] * n / top["networks"] for n in sizes], ":", color="grey", label="linear")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _pos: f"{x:,.0f}"))
    ax.set_xlabel("networks")
    ax.set_ylabel("seconds (median)")
    m = results["machine"]
    ax.set_title(f"xcloud-iac: time against size ({m['cpu']}, Python {m['python']})", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
