"""The `github` and `json` formats and the exit codes of the real binary."""

from __future__ import annotations

import json
import re

import pytest
from jsonschema import Draft202012Validator

from diddy_check import BROKEN, FIXTURES, fixture_code, fixtures, run

GITHUB_LINE = re.compile(
    r"^::(error|warning|notice) file=[^,:]+,line=[1-9]\d*,col=[1-9]\d*,endLine=[1-9]\d*,endColumn=[1-9]\d*,title=DM\d{3}::\S.*$"
)

POSITION = {
    "type": "object",
    "required": ["line", "column"],
    "additionalProperties": False,
    "properties": {"line": {"type": "integer", "minimum": 1}, "column": {"type": "integer", "minimum": 1}},
}
RANGE = {
    "type": "object",
    "required": ["start", "end"],
    "additionalProperties": False,
    "properties": {"start": POSITION, "end": POSITION},
}
# One finding of `check --format json`.
DIAGNOSTIC = {
    "type": "object",
    "required": ["code", "severity", "message", "range"],
    "additionalProperties": False,
    "properties": {
        "code": {"type": "string", "pattern": "^DM[1-7]\\d\\d$"},
        "severity": {"enum": ["error", "warning", "information", "hint"]},
        "message": {"type": "string", "minLength": 1},
        "range": RANGE,
        "related": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["message", "range"],
                "additionalProperties": False,
                "properties": {"message": {"type": "string"}, "range": RANGE},
            },
        },
        "help": {"type": "array", "items": {"type": "string"}},
        "fixes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["title", "edits"],
                "additionalProperties": False,
                "properties": {
                    "title": {"type": "string", "minLength": 1},
                    "edits": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["range", "newText"],
                            "additionalProperties": False,
                            "properties": {"range": RANGE, "newText": {"type": "string"}},
                        },
                    },
                },
            },
        },
        "tags": {"type": "array", "items": {"enum": ["unnecessary", "deprecated"]}},
    },
}
# A finding a `diddy-mesh-ignore` comment suppressed: the same, with the comment's reason.
SUPPRESSED = {
    **DIAGNOSTIC,
    "properties": {**DIAGNOSTIC["properties"], "justification": {"type": "string", "minLength": 1}},
}
# The document of `check --format json`, as docs/guide/ci.md shows it.
CHECK_JSON_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "files", "summary"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": 1},
        "files": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["path", "diagnostics"],
                "additionalProperties": False,
                "properties": {
                    "path": {"type": "string"},
                    "diagnostics": {"type": "array", "items": DIAGNOSTIC},
                    # Only when a comment suppressed something (docs/guide/suppressions.md).
                    "suppressed": {"type": "array", "minItems": 1, "items": SUPPRESSED},
                },
            },
        },
        "summary": {
            "type": "object",
            "required": ["files", "errors", "warnings", "information", "hints", "suppressed"],
            "additionalProperties": False,
            "properties": {
                key: {"type": "integer", "minimum": 0}
                for key in ["files", "errors", "warnings", "information", "hints", "suppressed"]
            },
        },
    },
}

TARGETS = [pytest.param(path.name, FIXTURES, id=path.name) for path in fixtures()] + [
    pytest.param("examples/broken", None, id="examples/broken")
]


@pytest.mark.parametrize(("target", "cwd"), TARGETS)
def test_github_lines(target, cwd):
    result = run("check", "--format", "github", target, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    lines = result.stdout.splitlines()
    assert lines, "every target has at least one finding"
    for line in lines:
        assert GITHUB_LINE.match(line), line


@pytest.mark.parametrize(("target", "cwd"), TARGETS)
def test_json_document_shape(target, cwd):
    result = run("check", "--format", "json", target, cwd=cwd)
    document = json.loads(result.stdout)
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in Draft202012Validator(CHECK_JSON_SCHEMA).iter_errors(document)]
    assert errors == []
    diagnostics = [diagnostic for file in document["files"] for diagnostic in file["diagnostics"]]
    summary = document["summary"]
    assert summary["files"] == len(document["files"])
    for severity, key in [("error", "errors"), ("warning", "warnings"), ("information", "information"), ("hint", "hints")]:
        assert summary[key] == sum(1 for diagnostic in diagnostics if diagnostic["severity"] == severity)
    assert summary["suppressed"] == sum(len(file.get("suppressed", [])) for file in document["files"])
    assert result.returncode == (1 if summary["errors"] else 0)
    for diagnostic in diagnostics:
        start, end = diagnostic["range"]["start"], diagnostic["range"]["end"]
        assert (start["line"], start["column"]) <= (end["line"], end["column"])


@pytest.mark.parametrize("fixture", fixtures(), ids=lambda path: path.name)
def test_json_names_the_fixture_code(fixture):
    document = json.loads(run("check", "--format", "json", fixture.name, cwd=FIXTURES).stdout)
    assert [file["path"] for file in document["files"]] == [fixture.name]
    assert fixture_code(fixture) in {diagnostic["code"] for diagnostic in document["files"][0]["diagnostics"]}


def test_exit_codes(tmp_path):
    clean = tmp_path / "clean.mesh.jsonc"
    clean.write_text('{"services": {"users": {}}, "routing": {"default": "users"}}', encoding="utf-8")
    warning = tmp_path / "warning.mesh.jsonc"
    warning.write_text('{"services": {"users": {"timout": 1}}, "routing": {"default": "users"}}', encoding="utf-8")
    (tmp_path / "empty").mkdir()

    assert run("check", str(clean)).returncode == 0
    assert run("--check", str(clean)).returncode == 0
    assert run("check", str(warning)).returncode == 0
    assert run("check", "--fail-on", "warning", str(warning)).returncode == 1
    assert run("--check", "--fail-on", "warning", str(warning)).returncode == 1
    assert run("check", "--format", "yaml", str(clean)).returncode == 2
    assert run("check", str(tmp_path / "missing.jsonc")).returncode == 2
    empty = run("check", str(tmp_path / "empty"))
    assert empty.returncode == 2
    assert "no mesh config found" in empty.stderr
    assert run("check", str(BROKEN)).returncode == 1


def test_text_output_has_no_color_when_piped():
    result = run("check", "examples/broken")
    assert "\x1b[" not in result.stdout
    assert result.stdout.splitlines()[-1] == "17 errors, 7 warnings, 3 hints in 2 files"
