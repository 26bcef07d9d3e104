"""The generated config's data as TOML, for tombi, and the tombi.toml that ties it to the
same JSON Schema our tools use."""

from __future__ import annotations

import tomli_w

from mesh_generator import SCHEMA_REFERENCE


def to_toml(data: dict) -> str:
    """The same data as TOML. `$schema` is left out: TOML tools find the schema through
    tombi.toml, and the key is documentation only (docs/guide/config-reference.md)."""
    values = {key: value for key, value in data.items() if key != "$schema"}
    return tomli_w.dumps(values)


def tombi_config() -> str:
    """tombi.toml for the TOML copy: our schema for bench.toml, and no catalog, so tombi
    neither fetches schemas from the network nor applies another schema to the file."""
    return f"""toml-version = "v1.0.0"

[schema]
enabled = true
catalog = {{ paths = [] }}

[[schemas]]
path = "{SCHEMA_REFERENCE}"
include = ["bench.toml"]
"""
