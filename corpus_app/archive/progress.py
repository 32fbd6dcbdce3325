"""Progress bars and summaries shared by the archive commands."""

import time
from dataclasses import dataclass, field

from tqdm import tqdm


def progress_bar(*, total=None, unit="record", enabled=None, desc=None, unit_scale=False):
    """A tqdm bar on stderr. enabled=None shows it only on a terminal, so logs and tests stay clean."""
    return tqdm(total=total, unit=unit, disable=None if enabled is None else not enabled, desc=desc,
                unit_scale=unit_scale, leave=False, dynamic_ncols=True)  # fmt: skip


def counted_kind(n: int, kind: str) -> str:
    """'1 city', '3 cities', '1,000 quotes'."""
    plural = kind if n == 1 else f"{kind[:-1]}ies" if kind.endswith("y") else f"{kind}s"
    return f"{n:,} {plural}"


@dataclass
class Summary:
    """What a bulk command did: records per kind, bytes read or written, and how long it took."""

    action: str
    counts: dict[str, int] = field(default_factory=dict)
    bytes: int = 0
    started: float = field(default_factory=time.monotonic)
    seconds: float = 0.0

    def count(self, kind: str, n: int = 1) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + n

    def finish(self) -> "Summary":
        self.seconds = time.monotonic() - self.started
        return self

    def __str__(self):
        counted = ", ".join(counted_kind(n, kind) for kind, n in self.counts.items())
        size = f", {self.bytes / 1e6:,.1f} MB" if self.bytes else ""
        return f"{self.action} {counted or 'nothing'}{size} in {self.seconds:,.1f} s."
