"""The benchmark's table, its ratios and its targets, printed and written as JSON and Markdown.

Targets are reported PASS or MISS and never fail the run: a miss is a finding, and the README says why.
"""

import json
from pathlib import Path

SYSTEMS = {"corpus": "corpus", "plain_drf": "plain DRF", "floor": "floor", "datasette": "Datasette"}
LIST_KINDS = ("list", "deep", "filter")
TARGET_VS_PLAIN = 5.0
TARGET_VS_FLOOR = 0.5
TARGET_DEEP = 1.5
TARGET_IMPORT = 10.0
TARGET_FACET_P50_MS = 200.0  # issue 12: facets and counts over time at 100,000 articles
TARGET_SEARCH_P99_MS = 100.0  # the mix of /api/search/ (a rare word, a common one, a phrase, a name)
STATEMENT_TIMEOUT_MS = 5000  # API_STATEMENT_TIMEOUT_MS in production: a slower query is answered 503


def ratio(results: dict, other: str) -> float | None:
    if results.get("corpus") and results.get(other):
        return results["corpus"]["rps"] / results[other]["rps"]
    return None


def targets(run: dict) -> list[dict]:
    """Each target with its measured value and PASS or MISS."""
    found = []

    def add(target, subject, value, passed):
        found.append({"target": target, "subject": subject, "value": value, "status": "PASS" if passed else "MISS"})

    rows = run["endpoints"]
    for row in rows:
        if row["kind"] not in LIST_KINDS:
            continue
        if (vs_plain := ratio(row["results"], "plain_drf")) is not None:
            add(
                f"req/s >= {TARGET_VS_PLAIN:g}x plain DRF", row["name"], round(vs_plain, 2), vs_plain >= TARGET_VS_PLAIN
            )
        if (vs_floor := ratio(row["results"], "floor")) is not None:
            add(f"req/s >= {TARGET_VS_FLOOR:g}x floor", row["name"], round(vs_floor, 2), vs_floor >= TARGET_VS_FLOOR)
    # The deep page is of the first list in the table (endpoints.table: quotes).
    first = next((r for r in rows if r["kind"] == "list"), None)
    deep = next((r for r in rows if r["kind"] == "deep"), None)
    if first and deep and first["results"].get("corpus") and deep["results"].get("corpus"):
        slower = deep["results"]["corpus"]["p50_ms"] / first["results"]["corpus"]["p50_ms"]
        add(f"deep page p50 <= {TARGET_DEEP:g}x first page", deep["name"], round(slower, 2), slower <= TARGET_DEEP)
    if archive := run.get("import_vs_loaddata"):
        speedup = archive["speedup"]
        add(f"import_corpus >= {TARGET_IMPORT:g}x loaddata", f"{archive['articles']:,} articles", speedup,
            speedup >= TARGET_IMPORT)  # fmt: skip
    for row in rows:
        if row["kind"] == "mix" and (mix := row["results"].get("corpus")):
            add(f"p99 <= {TARGET_SEARCH_P99_MS:g} ms", row["name"], f"{mix['p99_ms']:.1f} ms",
                mix["p99_ms"] <= TARGET_SEARCH_P99_MS)  # fmt: skip
    for row in rows:
        if row["kind"] == "facet" and (facet := row["results"].get("corpus")):
            add(f"p50 <= {TARGET_FACET_P50_MS:g} ms", row["name"], f"{facet['p50_ms']:.1f} ms",
                facet["p50_ms"] <= TARGET_FACET_P50_MS)  # fmt: skip
    slow = [r for r in rows if (r["results"].get("corpus") or {}).get("p99_ms", 0) >= STATEMENT_TIMEOUT_MS]
    for row in slow:
        add("p99 within production's statement timeout (5 s; 503 beyond)", row["name"],
            f"{row['results']['corpus']['p99_ms']:,.0f} ms", False)  # fmt: skip
    if rows and not slow:
        add("p99 within production's statement timeout (5 s; 503 beyond)", "every corpus endpoint", "-", True)
    for plan in run.get("explain", []):
        add("an index serves it (no Seq Scan on quote/article)", plan["endpoint"], ", ".join(plan["seq_scans"]) or "-",
            not plan["seq_scans"])  # fmt: skip
    return found


def cell(result: dict | None) -> list[str]:
    if not result:
        return ["", "", ""]
    return [f"{result['rps']:,.0f}", f"{result['p50_ms']:.1f}", f"{result['p99_ms']:.1f}"]


def markdown(run: dict) -> str:
    systems = [name for name in SYSTEMS if name in run["systems"]]
    meta = run["meta"]
    lines = [
        f"{meta['articles']:,} articles, {meta['quotes']:,} quotes (generate_corpus seed {meta['seed']}); "
        f"{meta['date']}, commit {meta['commit']}; {meta['cores']} cores, {meta['workers']} gunicorn workers; "
        f"wrk {meta['threads']} threads, {meta['connections']} connections, {meta['seconds']:g} s per endpoint; "
        f"load average before the run {meta['load_average']}.",
        "",
        "req/s, then p50 and p99 latency in ms; blank: the system has no such endpoint.",
        "",
    ]
    header = ["endpoint"] + [f"{SYSTEMS[s]} {col}" for s in systems for col in ("req/s", "p50", "p99")]
    header += ["corpus/DRF", "corpus/floor"]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in run["endpoints"]:
        cells = [row["name"]] + [c for s in systems for c in cell(row["results"].get(s))]
        for other in ("plain_drf", "floor"):
            value = ratio(row["results"], other)
            cells.append("" if value is None else f"{value:.2f}x")
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "| target | subject | measured | |", "|---|---|---|---|"]
    for target in run["targets"]:
        lines.append(f"| {target['target']} | {target['subject']} | {target['value']} | {target['status']} |")
    if notes := run.get("notes"):
        lines += [""] + [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def write(run: dict, directory: Path, stem: str = "latest") -> str:
    """Add the targets to `run`, write <stem>.json and <stem>.md, and return the Markdown."""
    run["targets"] = targets(run)
    text = markdown(run)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{stem}.json").write_text(json.dumps(run, indent=2) + "\n")
    (directory / f"{stem}.md").write_text(text)
    return text


def terminal(run: dict) -> str:
    """The same table, aligned for a terminal."""
    systems = [name for name in SYSTEMS if name in run["systems"]]
    width = max(len(row["name"]) for row in run["endpoints"])
    head = f"{'endpoint':<{width}}" + "".join(f" | {SYSTEMS[s]:>22}" for s in systems) + " | corpus/DRF corpus/floor"
    sub = " " * width + "".join(f" | {'req/s  p50   p99':>22}" for _ in systems)
    lines = [head, sub, "-" * len(head)]
    for row in run["endpoints"]:
        line = f"{row['name']:<{width}}"
        for system in systems:
            result = row["results"].get(system)
            line += " | " + (f"{result['rps']:>7,.0f} {result['p50_ms']:>6.1f} {result['p99_ms']:>6.1f}" if result
                             else f"{'-':>22}")  # fmt: skip
        for other in ("plain_drf", "floor"):
            value = ratio(row["results"], other)
            line += f" {'-' if value is None else f'{value:.2f}x':>10}"
        lines.append(line)
    lines.append("")
    lines += [f"{t['status']:<4}  {t['target']}: {t['subject']} ({t['value']})" for t in run["targets"]]
    return "\n".join(lines)
