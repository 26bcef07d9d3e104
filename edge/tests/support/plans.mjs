// Route plans for the tests, compiled by the CLI as `diddy-mesh config push` compiles them
// (docs/edge.md, "The route plan"): the module loads plans, not configs, so every test that
// loads a config's text goes through here. The CLI is DIDDY_MESH_BIN, else the newer of
// .build/native/debug/diddy-mesh and .build/debug/diddy-mesh, which `make test` builds before
// CI runs `make wasm`.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** The CLI binary: DIDDY_MESH_BIN, else the most recently built of the two usual places. */
export function cliPath() {
  if (process.env.DIDDY_MESH_BIN) return process.env.DIDDY_MESH_BIN;
  const candidates = [".build/native/debug/diddy-mesh", ".build/debug/diddy-mesh"]
    .map((path) => join(root, path))
    .filter((path) => existsSync(path));
  candidates.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return candidates[0] ?? join(root, ".build/debug/diddy-mesh");
}

/** Why plans cannot be compiled here, or null. */
export const cliMissing = existsSync(cliPath())
  ? null
  : `${cliPath()} is missing: the edge tests compile configs into route plans with the CLI ` +
    "(swift build builds it, or set DIDDY_MESH_BIN)";

const compiled = new Map();

/** Whether `bytes` are a route plan already: they start with "\0DMPLAN". */
export function isPlan(bytes) {
  const magic = [0, 0x44, 0x4d, 0x50, 0x4c, 0x41, 0x4e];
  return bytes.length >= magic.length && magic.every((byte, index) => bytes[index] === byte);
}

/**
 * The route plan of a config (its text, or its bytes) as `diddy-mesh config plan` writes it,
 * compiled once per text. The CLI analyses it as a `.jsonc` file, as `config push` does.
 */
export function planOf(config) {
  const text = typeof config === "string" ? config : Buffer.from(config).toString("utf8");
  const known = compiled.get(text);
  if (known) return known;
  if (cliMissing) throw new Error(cliMissing);
  const result = spawnSync(cliPath(), ["config", "plan", "-", "--stdin-filename", "diddy-mesh.jsonc"], {
    input: typeof config === "string" ? config : Buffer.from(config), maxBuffer: 1 << 30,
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`diddy-mesh config plan answered ${result.status}: ${result.stderr.toString()}`);
  }
  const plan = new Uint8Array(result.stdout);
  compiled.set(text, plan);
  return plan;
}
