"""SARIF output validates against the official SARIF 2.1.0 schema."""

from __future__ import annotations

import json

import jsonschema
import pytest

from diddy_check import BROKEN, FIXTURES, SARIF_SCHEMA, fixture_code, fixtures, run


@pytest.fixture(scope="module")
def sarif_validator():
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF schema is not available at {SARIF_SCHEMA} (the workspace's ../shared folder is absent)")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


def sarif_errors(validator, document) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(document)]


@pytest.mark.parametrize("fixture", fixtures(), ids=lambda path: path.name)
def test_fixture_sarif_is_valid(sarif_validator, fixture):
    result = run("check", "--format", "sarif", fixture.name, cwd=FIXTURES)
    assert result.returncode in (0, 1), result.stderr
    document = json.loads(result.stdout)
    assert sarif_errors(sarif_validator, document) == []
    run_ = document["runs"][0]
    assert run_["tool"]["driver"]["name"] == "diddy-mesh"
    rule_ids = [rule["id"] for rule in run_["tool"]["driver"]["rules"]]
    assert fixture_code(fixture) in rule_ids
    results = run_["results"]
    assert fixture_code(fixture) in {result["ruleId"] for result in results}
    for result_ in results:
        assert rule_ids[result_["ruleIndex"]] == result_["ruleId"]
        location = result_["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == fixture.name
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1


def test_broken_example_sarif_is_valid(sarif_validator):
    result = run("check", "--format", "sarif", "examples/broken")
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert sarif_errors(sarif_validator, document) == []
    results = document["runs"][0]["results"]
    uris = {result_["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result_ in results}
    assert uris == {"examples/broken/diddy-mesh.jsonc", "examples/broken/typos.mesh.json"}
    assert len(document["runs"][0]["artifacts"]) == 2


def test_clean_sarif_is_valid(sarif_validator):
    result = run("check", "--format", "sarif", "examples/shop")
    assert result.returncode == 0, result.stdout + result.stderr
    document = json.loads(result.stdout)
    assert sarif_errors(sarif_validator, document) == []
    assert document["runs"][0]["results"] == []
    assert BROKEN.is_dir()


def test_suppressed_results_carry_their_justification(sarif_validator, tmp_path):
    config = tmp_path / "diddy-mesh.jsonc"
    config.write_text(
        '{\n  "services": {\n'
        '    "users": { "endpoints": ["http://u.example"] }, // diddy-mesh-ignore DM502: VPN only\n'
        '    "orders": { "endpoints": ["http://o.example"] } // diddy-mesh-ignore DM502\n'
        '  },\n  "routing": { "rules": [{ "path": "/o/*", "service": "orders" }], "default": "users" }\n}\n',
        encoding="utf-8",
    )
    result = run("check", "--format", "sarif", "--fail-on", "warning", str(config))
    # Both DM502 are suppressed; only the DM702 hint (no reason) is left, below --fail-on.
    assert result.returncode == 0, result.stdout + result.stderr
    document = json.loads(result.stdout)
    assert sarif_errors(sarif_validator, document) == []
    results = document["runs"][0]["results"]
    by_rule = [(result_["ruleId"], result_["suppressions"]) for result_ in results]
    assert by_rule == [
        ("DM702", []),
        ("DM502", [{"kind": "inSource", "status": "accepted", "justification": "VPN only"}]),
        ("DM502", [{"kind": "inSource", "status": "accepted"}]),
    ]
