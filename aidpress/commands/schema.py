"""`aidpress schema`: the JSON Schema of the aid format (or of the clinic profile), for
editors' YAML language servers; on standard output, or written to a file.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import Refusal
from ..jsonschema import aid_schema, clinic_schema
from ..write import cannot_write, write_atomic
from .project import Console


def command(target: Path | None, *, for_clinic: bool, console: Console) -> int:
    text = json.dumps(clinic_schema() if for_clinic else aid_schema(), indent=2, ensure_ascii=False) + "\n"
    if target:
        try:
            write_atomic(target, text.encode())
        except OSError as exc:
            raise Refusal([cannot_write(target, exc, "the schema")]) from exc
    else:
        for line in text.split("\n")[:-1]:
            console.out(line)
    return 0
