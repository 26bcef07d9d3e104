// The tagged field form of mesh_set_health (edge/README.md, "Live health") from both of its
// writers: edge/worker/health-fields.mjs here, and EdgeHealthFields (route --engine wasm) in
// Tests/MeshCommandsTests/EdgeHealthFieldsTests.swift, each held byte for byte to the fields of
// fixtures/health-fields.json; and the module's reading of those fields, held to the answer
// the fixture gives. Needs the module for the last: `node --test edge/tests/`.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { healthFields, openCircuitFields } from "../worker/health-fields.mjs";
import { WasmRouter } from "./wasm-router.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const modulePath = process.env.DIDDY_MESH_WASM ?? join(root, ".build/wasm/diddy-mesh-router.wasm");
const skip = existsSync(modulePath) ? false : `${modulePath} is missing (make wasm builds it)`;
const { cases } = JSON.parse(readFileSync(join(root, "edge/tests/fixtures/health-fields.json"), "utf8"));

test("healthFields writes each fixture's fields byte for byte", () => {
  assert.ok(cases.length >= 4);
  for (const { name, input, fields } of cases) assert.equal(healthFields(input), fields, name);
});

test("the module reads each fixture's fields to its answer", { skip }, async () => {
  const router = await WasmRouter.open(modulePath);
  for (const { name, fields, answer, error } of cases) {
    const result = router.setHealth(fields);
    if (error) {
      assert.equal(result.status, 1, name);
      assert.ok(result.answer.error.startsWith(error), `${name}: ${result.answer.error}`);
    } else {
      assert.deepStrictEqual(result, { status: 0, answer }, name);
    }
  }
});

test("a lone surrogate, which has no UTF-8 form, is a value of another kind", () => {
  const fields = healthFields({ now: 1, health: [{ name: "health:a:\ud800", metadata: null }] });
  assert.equal(fields, "\0n1\0-\0a1\0x\0-\0-");
});

test("a member the envelope does not have, or no object, is the caller's mistake", () => {
  assert.throws(() => healthFields({ now: 1, nope: 2 }), /^TypeError: unknown key 'nope' in the health/);
  assert.throws(() => healthFields([]), /^TypeError: the health must be an object/);
});

test("open circuits are URLs, each after a NUL byte", () => {
  assert.equal(openCircuitFields([]), "");
  assert.equal(openCircuitFields(["https://a.example", "https://b.example/ü"]),
    "\0https://a.example\0https://b.example/ü");
});
