"""Deterministic mesh configs for the language-server benchmark.

The shape follows Benchmarks/diddy-mesh-bench/ConfigGenerator.swift (services with three
endpoints in rotating regions, health checks, retries, circuit breakers, and one rule per
service, every fifth rule a weighted split to the previous service), so the figures of
this benchmark and of `make bench` describe the same kind of file. Two things are added
for the benchmark's own needs: every service has a `version` string, whose last digit is
what the edits toggle (the document stays valid), and the rules stay in the order of the
services so that a rule is easy to find by its service's index.
"""

from __future__ import annotations

import json
import re

REGIONS = [("WEU", "EU"), ("ENAM", "NA"), ("SEAS", "AS"), ("OC", "OC"), ("NSAM", "SA")]

# Where the language servers find the schema from the config's directory; the driver lays
# the work directory out like the repository (config/ next to schemas/).
SCHEMA_REFERENCE = "../schemas/diddy-mesh.schema.json"


def _service(index: int) -> str:
    name = f"svc-{index}"
    region, continent = REGIONS[index % len(REGIONS)]
    other_region, other_continent = REGIONS[(index + 1) % len(REGIONS)]
    strategy = "geographic" if index % 2 == 0 else "weighted"
    timeout = 1000 + index % 20 * 100
    return f"""    "{name}": {{
      // Service {index} of the generated mesh.
      "endpoints": [
        {{ "url": "https://{name}-a.example.workers.dev", "region": "{region}", "continent": "{continent}", "weight": 3 }},
        {{ "url": "https://{name}-b.example.workers.dev", "region": "{other_region}", "continent": "{other_continent}", "weight": 1 }},
        "https://{name}-c.example.workers.dev"
      ],
      "version": "2.4.{index % 10}",
      "loadBalancer": "{strategy}",
      "healthCheck": {{ "path": "/health", "interval": 10000, "timeout": 2000 }},
      "timeout": {timeout},
      "retries": {{ "attempts": 2, "backoff": {{ "base": 100, "max": 2000 }}, "retryOn": ["5xx", "timeout"] }},
      "circuitBreaker": {{ "failureThreshold": 5, "resetTimeout": 30000 }}
    }}"""


def _rule(index: int) -> str:
    name = f"svc-{index}"
    if index % 5 == 4:
        return (f'      {{ "name": "r{index}", "path": "/api/v1/{name}/:id/*", "split": [{{ "service": "{name}", "weight": 90 }}, '
                f'{{ "service": "svc-{index - 1}", "weight": 10 }}], "stickyBy": "header:x-user" }}')
    return f'      {{ "name": "r{index}", "path": "/api/v1/{name}/*", "methods": ["GET", "POST"], "service": "{name}" }}'


def jsonc_config(approximate_bytes: int) -> str:
    """A JSONC config (comments included) of at least `approximate_bytes` bytes."""
    services: list[str] = []
    rules: list[str] = []
    size = 0
    index = 0
    while size < approximate_bytes:
        service, rule = _service(index), _rule(index)
        services.append(service)
        rules.append(rule)
        size += len(service) + len(rule)
        index += 1
    services_text = ",\n".join(services)
    rules_text = ",\n".join(rules)
    return f"""{{
  "$schema": "{SCHEMA_REFERENCE}",
  "version": 1,
  "mesh": {{ "name": "generated", "defaults": {{ "timeout": 5000 }} }},
  "services": {{
{services_text}
  }},
  "routing": {{
    "rules": [
{rules_text}
    ],
    "default": "svc-0"
  }}
}}
"""


_LINE_COMMENT = re.compile(r"^\s*//.*$", re.MULTILINE)


def data(jsonc_text: str) -> dict:
    """The config's data: the generator writes comments only on lines of their own."""
    return json.loads(_LINE_COMMENT.sub("", jsonc_text))


def service_count(jsonc_text: str) -> int:
    """How many services the config defines."""
    return len(data(jsonc_text)["services"])
