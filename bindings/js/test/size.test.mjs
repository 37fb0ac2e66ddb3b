// The module's download budget (docs/performance.md, "WebAssembly and the JS package"): the .wasm,
// gzipped at level 9 as a web server would serve it, is at most 300 KiB.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { gzipSync } from "node:zlib";

const kBudget = 300 * 1024;

test("regimen_wasm.wasm gzipped is within 300 KiB", () => {
  const wasm = readFileSync(new URL("../dist/regimen_wasm.wasm", import.meta.url));
  const gzipped = gzipSync(wasm, { level: 9 }).length;
  assert.ok(gzipped <= kBudget,
    `${gzipped} bytes gzipped (${(gzipped / 1024).toFixed(1)} KiB): over the budget by ` +
    `${gzipped - kBudget} bytes; see docs/performance.md for what is in the module`);
});
