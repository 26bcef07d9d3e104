"""The generated JSON Schema agrees with the committed file, the examples and the validator."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from diddy_check import EXAMPLES, FIXTURES, SCHEMA_FILE, fixture_code, fixtures, example_configs, load_jsonc, run

# Fixtures whose code is a schema violation: the JSON Schema must reject them too.
SCHEMA_CODES = {"DM201", "DM202", "DM203", "DM204", "DM205", "DM206", "DM404", "DM507"}
# Fixtures whose code is a semantic check beyond the schema: the JSON Schema accepts them.
SEMANTIC_CODES = {"DM102", "DM103", "DM301", "DM302", "DM401", "DM402", "DM403", "DM405", "DM406", "DM407", "DM501", "DM502", "DM503", "DM504", "DM505", "DM506", "DM701", "DM702", "DM703"}


@pytest.fixture(scope="module")
def schema():
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema):
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_schema_command_prints_the_committed_schema():
    result = run("schema")
    assert result.returncode == 0, result.stderr
    assert SCHEMA_FILE.is_file(), "create it with: diddy-mesh schema > schemas/diddy-mesh.schema.json"
    assert result.stdout == SCHEMA_FILE.read_text(encoding="utf-8"), (
        "schemas/diddy-mesh.schema.json is stale: regenerate it with `diddy-mesh schema > schemas/diddy-mesh.schema.json`"
    )


def test_schema_is_draft_2020_12(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["required"] == ["services"]


def test_there_are_examples():
    assert example_configs(), f"no configs under {EXAMPLES}"


@pytest.mark.parametrize("config", example_configs(), ids=lambda path: str(path.relative_to(EXAMPLES)))
def test_example_is_valid_and_checks_clean(validator, config):
    errors = [error.message for error in validator.iter_errors(load_jsonc(config))]
    assert errors == []
    result = run("check", str(config))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("no problems in 1 file")


@pytest.mark.parametrize(
    "fixture", [path for path in fixtures() if fixture_code(path) in SCHEMA_CODES], ids=lambda path: path.name
)
def test_schema_fixture_is_invalid(validator, fixture):
    errors = list(validator.iter_errors(load_jsonc(fixture)))
    assert errors, f"the JSON Schema accepts {fixture.name}, which diddy-mesh rejects with {fixture_code(fixture)}"


@pytest.mark.parametrize(
    "fixture", [path for path in fixtures() if fixture_code(path) in SEMANTIC_CODES], ids=lambda path: path.name
)
def test_semantic_fixture_is_schema_valid(validator, fixture):
    errors = [error.message for error in validator.iter_errors(load_jsonc(fixture))]
    assert errors == [], f"{fixture.name} only breaks a semantic rule, yet the JSON Schema rejects it"


def test_every_fixture_is_classified():
    codes = {fixture_code(path) for path in fixtures()}
    assert codes - SCHEMA_CODES - SEMANTIC_CODES == {"DM101", "DM104"}
    assert FIXTURES.is_dir()
