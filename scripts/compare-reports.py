#!/usr/bin/env python3
"""Write every report for fixed corpora and compare two such runs byte for byte.

A refactoring must not change what sourcetrace reports. This script analyses fixed inputs through the
public command line (``python -m sourcetrace analyze FILE --format jsonl``), so it runs the same way on
any commit, and compares two runs article by article:

    # reports of a commit (its src/ exported to a temporary folder, run with this virtualenv)
    python scripts/compare-reports.py run --ref 320ff5d --out /tmp/base
    # reports of the working tree
    python scripts/compare-reports.py run --out /tmp/now
    python scripts/compare-reports.py compare /tmp/base /tmp/now
    # both at once: run the working tree and compare it with a baseline folder (or a git ref)
    python scripts/compare-reports.py check --baseline /tmp/base

Corpora (found under ../shared/data from the repository root, or --data):
  samples   the bundled sample articles (src/sourcetrace/samples/articles.jsonl of the run's tree);
            also written as Markdown, HTML and terminal text, which the report views build
  polnear   every PolNeAR dev text (dev/text/*.txt, raw characters, sorted by name)
  allsides  200 AllSides articles: every 60th line of allsides/articles.jsonl.gz, from the first
  ptc       every PTC training article (ptc/train/articles/article*.txt, raw characters, sorted)
Tiers: fast on all of them; accurate (with --tiers fast,accurate) on the samples and the first
--accurate-limit articles of each corpus. --quick keeps the first 25 articles of each corpus.

``compare`` prints each differing article (corpus, format, id, the top-level report fields that
differ) and exits 1 when anything differs, 0 when every output is identical.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ALLSIDES_STEP = 60  # 12,000 lines / 60 = 200 articles, spread over the whole file
SAMPLE_FORMATS = ("md", "html", "text")


def read_raw(path: Path) -> str:
    # no newline translation: PolNeAR and PTC offsets count every character of the file
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def corpus_records(data: Path, src_root: Path, quick: bool) -> dict[str, list[dict]]:
    limit = 25 if quick else None
    corpora: dict[str, list[dict]] = {}
    samples = src_root / "sourcetrace" / "samples" / "articles.jsonl"
    corpora["samples"] = [json.loads(line) for line in samples.read_text(encoding="utf-8").splitlines() if line.strip()]
    polnear = sorted((data / "polnear" / "dev" / "text").glob("*.txt"))
    corpora["polnear"] = [{"id": p.stem, "text": read_raw(p)} for p in polnear]
    allsides = []
    with gzip.open(data / "allsides" / "articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for lineno, line in enumerate(fh):
            if lineno % ALLSIDES_STEP == 0 and line.strip():
                allsides.append(json.loads(line))
    corpora["allsides"] = allsides
    ptc = sorted((data / "ptc" / "train" / "articles").glob("article*.txt"))
    corpora["ptc"] = [{"id": p.stem, "text": read_raw(p)} for p in ptc]
    if limit:
        corpora = {name: records[:limit] for name, records in corpora.items()}
    return corpora


def export_ref(ref: str, into: Path) -> Path:
    """``src/`` of a commit, unpacked into ``into``; returns the folder to put on PYTHONPATH."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", ref, "src"],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def write_jsonl(path: Path, records: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def analyse(src_root: Path, inputs: Path, out: Path, fmt: str, tier: str) -> None:
    env = dict(os.environ, PYTHONPATH=str(src_root), COLUMNS="120", NO_COLOR="1", PYTHONHASHSEED="0")
    cmd = [sys.executable, "-m", "sourcetrace", "analyze", str(inputs), "--format", fmt, "-o", str(out), "--model", tier]
    started = time.monotonic()
    done = subprocess.run(cmd, env=env, cwd=str(src_root.parent), capture_output=True, text=True)
    took = time.monotonic() - started
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd)}")
    print(f"  {out.name}: {took:.0f} s", flush=True)


def run(args: argparse.Namespace) -> Path:
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="compare-reports-") as tmp:
        src_root = export_ref(args.ref, Path(tmp)) if args.ref else REPO / "src"
        revision = args.ref or "working tree"
        if args.ref:
            revision = subprocess.run(["git", "-C", str(REPO), "rev-parse", args.ref], check=True,
                                      capture_output=True, text=True).stdout.strip()
        corpora = corpus_records(Path(args.data).resolve(), src_root, args.quick)
        tiers = args.tiers.split(",")
        print(f"reports of {revision} into {out}", flush=True)
        for name, records in corpora.items():
            inputs = out / f"input.{name}.jsonl"
            write_jsonl(inputs, records)
            for tier in tiers:
                subset = records if tier == "fast" or name == "samples" else records[: args.accurate_limit]
                tier_inputs = inputs
                if len(subset) != len(records):
                    tier_inputs = out / f"input.{name}.{tier}.jsonl"
                    write_jsonl(tier_inputs, subset)
                analyse(src_root, tier_inputs, out / f"{name}.{tier}.jsonl", "jsonl", tier)
                if name == "samples":
                    for fmt in SAMPLE_FORMATS:
                        analyse(src_root, tier_inputs, out / f"{name}.{tier}.{fmt}", fmt, tier)
        (out / "manifest.json").write_text(json.dumps({
            "revision": revision, "tiers": tiers, "quick": args.quick, "accurate_limit": args.accurate_limit,
            "files": {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())
                      if p.name != "manifest.json"},
        }, indent=1) + "\n")
    return out


def _reports_by_id(path: Path) -> dict[str, str]:
    return {json.loads(line)["id"]: line for line in path.read_text(encoding="utf-8").splitlines()}


def compare(a: Path, b: Path) -> int:
    """Compare every output both folders hold; print differing articles; 1 when any differs."""
    outputs_a = {p.name for p in a.iterdir() if not p.name.startswith(("input.", "manifest"))}
    outputs_b = {p.name for p in b.iterdir() if not p.name.startswith(("input.", "manifest"))}
    common = sorted(outputs_a & outputs_b)
    differing = 0
    for name in sorted(outputs_a ^ outputs_b):
        print(f"only in {'the first' if name in outputs_a else 'the second'}: {name} (not compared)")
    for name in sorted(p.name for p in a.iterdir() if p.name.startswith("input.")):
        if (b / name).exists():
            lines_a, lines_b = (a / name).read_bytes().splitlines(), (b / name).read_bytes().splitlines()
            shorter = min(len(lines_a), len(lines_b))  # a --quick run holds the first lines of a full one
            if lines_a[:shorter] != lines_b[:shorter]:
                print(f"inputs differ: {name}")
                differing += 1
    checked = 0
    for name in common:
        left, right = (a / name).read_bytes(), (b / name).read_bytes()
        if name.endswith(".jsonl"):
            reports_a, reports_b = _reports_by_id(a / name), _reports_by_id(b / name)
            ids_a, ids_b = list(reports_a), list(reports_b)
            shorter = min(len(ids_a), len(ids_b))
            if ids_a[:shorter] != ids_b[:shorter]:
                print(f"{name}: article ids or their order differ")
                differing += 1
            elif len(ids_a) != len(ids_b):
                print(f"{name}: {shorter} of {max(len(ids_a), len(ids_b))} articles compared (one run is a subset)")
            for ident in reports_a.keys() & reports_b.keys():
                checked += 1
                if reports_a[ident] != reports_b[ident]:
                    old, new = json.loads(reports_a[ident]), json.loads(reports_b[ident])
                    fields = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
                    print(f"{name}: article {ident} differs in {', '.join(fields) or 'key order or spelling'}")
                    differing += 1
        elif left != right:
            print(f"{name}: outputs differ ({len(left)} vs {len(right)} bytes)")
            differing += 1
    print(f"compared {len(common)} outputs ({checked} JSONL reports): "
          f"{'identical' if not differing else f'{differing} differences'}")
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("run", "check"):
        p = sub.add_parser(name)
        p.add_argument("--data", default=str(REPO.parent / "shared" / "data"), help="the shared data folder")
        p.add_argument("--tiers", default="fast", help="comma-separated: fast, accurate")
        p.add_argument("--accurate-limit", type=int, default=10, help="articles per corpus in the accurate tier")
        p.add_argument("--quick", action="store_true", help="the first 25 articles of each corpus")
        if name == "run":
            p.add_argument("--ref", help="a git commit to run (default: the working tree)")
            p.add_argument("--out", required=True)
        else:
            p.add_argument("--baseline", required=True, help="a folder written by `run`, or a git ref")
            p.add_argument("--out", help="where to keep this run's reports (default: a temporary folder)")
    p = sub.add_parser("compare")
    p.add_argument("first")
    p.add_argument("second")
    args = parser.parse_args()
    if args.command == "compare":
        return compare(Path(args.first), Path(args.second))
    if args.command == "run":
        run(args)
        return 0
    with tempfile.TemporaryDirectory(prefix="compare-reports-check-") as tmp:
        baseline = Path(args.baseline)
        if not baseline.is_dir():
            baseline_args = argparse.Namespace(**{**vars(args), "ref": args.baseline, "out": str(Path(tmp) / "baseline")})
            baseline = run(baseline_args)
        current = run(argparse.Namespace(**{**vars(args), "ref": None, "out": args.out or str(Path(tmp) / "current")}))
        return compare(baseline, current)


if __name__ == "__main__":
    sys.exit(main())
