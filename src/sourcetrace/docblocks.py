"""Generated blocks inside hand-written docs: ``<!-- NAME:begin -->`` ... ``<!-- NAME:end -->``.

Commands run with ``--write-docs`` replace only their own block, so several
commands can share one file (docs/accuracy.md, docs/benchmarks.md).
"""
from __future__ import annotations

import platform
import shlex
import sys
from datetime import datetime, timezone
from pathlib import Path


def write_block(path: Path, name: str, body: str, title: str = "", markers: tuple[str, str] = ("begin", "end")) -> None:
    """Replace the block ``name`` in ``path`` (or append it, creating the file with ``title``).

    ``markers`` names the two ends, for blocks written as ``<!-- NAME:start -->`` ... ``<!-- NAME:end -->``."""
    begin, end = f"<!-- {name}:{markers[0]} -->", f"<!-- {name}:{markers[1]} -->"
    block = f"{begin}\n{body.strip()}\n{end}"
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else (f"# {title}\n" if title else "")
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def command_line(argv: list[str] | None = None) -> str:
    """How this command was invoked, as ``sourcetrace ...``."""
    argv = sys.argv[1:] if argv is None else argv
    return "sourcetrace " + " ".join(shlex.quote(a) for a in argv)


def machine() -> str:
    """The machine figures were measured on, e.g. "2 cores, 24 GiB, CPU"."""
    import psutil

    # the cores this process may run on (its affinity, where the platform has one), and physical memory as the
    # kernel counts it (MemTotal of /proc/meminfo on Linux), on every platform psutil supports
    process = psutil.Process()
    cores = len(process.cpu_affinity()) if hasattr(process, "cpu_affinity") else psutil.cpu_count()
    mem = f"{round(psutil.virtual_memory().total / 1024 ** 3)} GiB"
    return f"{cores} cores, {mem}, CPU ({platform.processor() or platform.machine()})"


def today() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
