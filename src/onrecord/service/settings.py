"""What `onrecord serve` tells each server process it starts: one JSON object in an
environment variable, read by ``app_from_environment`` (uvicorn starts the processes and
can only name a factory, not give it arguments)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

SETTINGS_ENV = "ONRECORD_SERVE_SETTINGS"
#: On SIGTERM, how long requests in flight may finish before they are cancelled.
GRACEFUL_SECONDS = 5


@dataclass(frozen=True)
class ServeSettings:
    db: str | None
    allowed_hosts: tuple[str, ...]
    extract_seconds: float = 30.0
    extract_memory_mb: int = 1000

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ServeSettings:
        data = json.loads(text)
        data["allowed_hosts"] = tuple(data["allowed_hosts"])
        return cls(**data)
