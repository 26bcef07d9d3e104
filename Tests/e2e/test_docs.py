"""The documentation cannot go stale: its links resolve, its terminal sessions and editor
views are re-run against the built binary, its diagnostic examples are checked against the
fixtures, and its generated and copied parts match their sources. The conventions are in
docs/README.md ("How the docs stay true") and docs_examples.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from diddy_check import FIXTURES, run
from docs_examples import ROOT, apply_fix, blocks, run_page

DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md")) + [ROOT / "README.md"]
DIAGNOSTICS = DOCS / "diagnostics.md"
CONFIG_REFERENCE = DOCS / "guide" / "config-reference.md"

LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_DEFINITION = re.compile(r"(?m)^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
HTML_LINK = re.compile(r"""<(?:a|img)\s[^>]*?(?:href|src)=["']([^"']+)["']""")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def page_id(page: Path) -> str:
    return str(page.relative_to(ROOT))


def outside_fences(text: str) -> list[str]:
    """The lines of `text`, with the lines of fenced blocks blanked."""
    kept: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        stripped = line.strip()
        opening = re.match(r"^(```+|~~~+)", stripped)
        if fence is None and opening:
            fence = opening.group(1)
            kept.append("")
        elif fence is not None:
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            kept.append("")
        else:
            kept.append(line)
    return kept


def prose(text: str) -> str:
    """`text` without fenced blocks and code spans, where link-like text is not a link."""
    return INLINE_CODE.sub("", "\n".join(outside_fences(text)))


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading (markup removed first)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = text.replace("`", "").replace("*", "")
    text = text.lower()
    return "".join("-" if char == " " else char for char in text if char.isalnum() or char in "-_ ")


def anchors(page: Path) -> set[str]:
    """The heading anchors of a markdown file, with GitHub's -1, -2 suffixes for repeats,
    plus explicit `<a id>`/`<a name>` anchors."""
    found: set[str] = set()
    counts: dict[str, int] = {}
    text = page.read_text(encoding="utf-8")
    for line in outside_fences(text):
        match = HEADING.match(line)
        if not match:
            continue
        slug = github_slug(match.group(2))
        suffix = counts.get(slug, 0)
        counts[slug] = suffix + 1
        found.add(slug if suffix == 0 else f"{slug}-{suffix}")
    found.update(re.findall(r"""<a\s+(?:id|name)=["']([^"']+)["']""", text))
    return found


def links(page: Path) -> list[str]:
    text = prose(page.read_text(encoding="utf-8"))
    return LINK.findall(text) + REFERENCE_DEFINITION.findall(text) + HTML_LINK.findall(text)


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_relative_links_resolve(page: Path):
    problems = []
    for target in links(page):
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target):
            continue
        path_part, _, anchor = target.partition("#")
        resolved = (page.parent / path_part).resolve() if path_part else page
        if ROOT not in resolved.parents and resolved != ROOT:
            problems.append(f"{target}: leaves the repository")
            continue
        if not resolved.exists():
            problems.append(f"{target}: no such file")
            continue
        if anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            problems.append(f"{target}: no heading #{anchor} in {resolved.relative_to(ROOT)}")
    assert not problems, f"{page_id(page)}:\n" + "\n".join(problems)


def test_the_link_checker_finds_links_and_anchors():
    # Guards the checker itself: the index links every guide page, and headings with code
    # spans get GitHub's anchors.
    index = links(DOCS / "README.md")
    assert "guide/routing.md" in index and "diagnostics.md" in index
    assert "servicesservice-nameendpoints" in anchors(CONFIG_REFERENCE)
    assert {"dm101", "dm604"} <= anchors(DIAGNOSTICS)


def runnable(page: Path) -> bool:
    return any(
        block.language == "console" or {"file", "hover", "lenses"} & block.attributes.keys()
        for block in blocks(page.read_text(encoding="utf-8"))
    )


RUNNABLE = [page for page in PAGES if runnable(page)]


def test_the_guide_has_runnable_examples():
    names = {page_id(page) for page in RUNNABLE}
    for name in ["docs/diagnostics.md", "docs/guide/routing.md", "docs/guide/registry.md", "docs/guide/ci.md",
                 "docs/guide/live-data.md", "docs/guide/install.md", "docs/guide/editors.md"]:
        assert name in names, f"{name} has no console blocks"


@pytest.mark.parametrize("page", RUNNABLE, ids=page_id)
def test_console_output_is_what_the_commands_print(page: Path, tmp_path: Path):
    count, mismatches, _ = run_page(page, tmp_path)
    assert count > 0
    assert not mismatches, (
        "\n\n".join(str(mismatch) for mismatch in mismatches)
        + f"\n\nre-record with: python3 Tests/e2e/docs_examples.py --record {page_id(page)}"
    )


# MARK: diagnostics.md


def diagnostic_sections() -> dict[str, str]:
    text = DIAGNOSTICS.read_text(encoding="utf-8")
    parts = re.split(r"(?m)^## (DM\d{3})\n", text)
    return dict(zip(parts[1::2], parts[2::2]))


def every_code() -> list[str]:
    sarif = json.loads(run("check", "examples/shop", "--format", "sarif").stdout)
    return [rule["id"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]]


def fixture_of(code: str) -> Path | None:
    for name in (f"{code}.jsonc", f"{code}.mesh.json"):
        if (FIXTURES / name).is_file():
            return FIXTURES / name
    return None


def codes_in(path: Path) -> list[str]:
    result = run("check", str(path), "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    return [d["code"] for f in json.loads(result.stdout)["files"] for d in f["diagnostics"]]


def test_every_code_has_a_section_with_an_example():
    sections = diagnostic_sections()
    codes = every_code()
    assert len(codes) >= 30 and "DM604" in codes
    assert sorted(sections) == sorted(codes), "docs/diagnostics.md must have one section per code, in order"
    for code in codes:
        languages = [block.language for block in blocks(sections[code])]
        assert "console" in languages, f"{code} has no example run"


STATIC_CODES = sorted(path.name.split(".")[0] for path in FIXTURES.iterdir() if path.name.endswith((".jsonc", ".mesh.json")))


@pytest.mark.parametrize("code", STATIC_CODES)
def test_example_is_in_the_fixture_and_the_fix_removes_the_code(code: str, tmp_path: Path):
    section = diagnostic_sections()[code]
    fixture = fixture_of(code)
    assert fixture is not None
    assert f"(../Tests/MeshCommandsTests/Fixtures/diagnostics/{fixture.name})" in section
    examples = [block for block in blocks(section) if "example" in block.attributes]
    fixes = [block for block in blocks(section) if "fix" in block.attributes]
    assert len(examples) == 1 and len(fixes) == 1, f"{code} needs one ```jsonc example and one ```jsonc fix block"
    before = codes_in(fixture)
    assert code in before
    try:
        fixed = apply_fix(fixture.read_text(encoding="utf-8"), examples[0].lines, fixes[0].lines)
    except ValueError as error:
        pytest.fail(f"{code}: the example is not in {fixture.name}: {error}")
    target = tmp_path / fixture.name
    target.write_text(fixed, encoding="utf-8")
    after = codes_in(target)
    assert code not in after, f"the fix of {code} leaves {code}"
    assert set(after) <= set(before), f"the fix of {code} adds {sorted(set(after) - set(before))}"


def test_example_output_is_the_golden_text():
    # The console block of each static code runs the fixture by name from its folder, so it
    # prints exactly the fixture's golden text file.
    for code in STATIC_CODES:
        fixture = fixture_of(code)
        assert fixture is not None
        [console] = [block for block in blocks(diagnostic_sections()[code]) if block.language == "console"]
        assert console.lines[0] == f"$ diddy-mesh check {fixture.name}", code
        golden = (FIXTURES / f"{code}.text").read_text(encoding="utf-8").rstrip("\n").split("\n")
        assert console.lines[1:] == golden, f"{code}: the page's output differs from {code}.text"


def test_the_example_checker_rejects_what_is_not_there():
    fixture = "{\n  \"a\": 1, // <- DM201\n  \"b\": 2\n}\n"
    assert apply_fix(fixture, ['"a": 1,'], ['"c": 1,']) == "{\n  \"c\": 1,\n  \"b\": 2\n}\n"
    with pytest.raises(ValueError):
        apply_fix(fixture, ['"z": 1,'], ['"c": 1,'])


# MARK: generated and copied parts


def test_config_reference_is_what_the_schema_command_prints():
    result = run("schema", "--format", "markdown")
    assert result.returncode == 0, result.stderr
    assert result.stdout == CONFIG_REFERENCE.read_text(encoding="utf-8"), (
        "docs/guide/config-reference.md is stale: regenerate it with `make docs`"
    )


def test_schema_command_default_is_still_the_json_schema():
    assert run("schema").stdout == (ROOT / "schemas" / "diddy-mesh.schema.json").read_text(encoding="utf-8")


def test_settings_table_lists_every_setting_with_its_default():
    settings = json.loads(run("lsp", "--print-settings").stdout)
    table = (DOCS / "guide" / "editors.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip().strip("`"): line for line in table.split("\n") if line.startswith("| `diddyMesh.")}
    assert sorted(rows) == sorted(settings), "the settings table of editors.md differs from `diddy-mesh lsp --print-settings`"
    for name, description in settings.items():
        default = description["default"]
        expected = "unset" if default is None else f"`{json.dumps(default)}`"
        assert f"| {expected} |" in rows[name], f"{name}: default {expected}"


def test_workflow_examples_are_valid_github_workflows(tmp_path: Path):
    checker = shutil.which("check-jsonschema")
    if checker is None:
        pytest.fail("check-jsonschema is missing: pip install -r Tests/e2e/requirements.txt")
    workflows = [
        (page, block) for page in PAGES for block in blocks(page.read_text(encoding="utf-8"))
        if block.attributes.get("file", "").startswith(".github/workflows/")
    ]
    assert workflows, "ci.md shows a workflow"
    for index, (page, block) in enumerate(workflows):
        path = tmp_path / f"workflow-{index}.yml"
        path.write_text("\n".join(block.lines) + "\n", encoding="utf-8")
        result = subprocess.run([checker, "--builtin-schema", "vendor.github-workflows", str(path)],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{page_id(page)}:{block.line}: {result.stdout}{result.stderr}"
