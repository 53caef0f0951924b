"""What a load command reports: one dataclass of counts per command, printed as text or as one JSON document."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class RunStats:
    def as_dict(self) -> dict[str, object]:
        out = asdict(self)
        if isinstance(out.get("seconds"), float):
            out["seconds"] = round(out["seconds"], 3)
        return out

    @staticmethod
    def with_rejects(text: str, rejects: list[str]) -> str:
        """The summary line followed by the first rejected rows, one per line."""
        return "\n".join([text, *(f"  rejected {reason}" for reason in rejects)])
