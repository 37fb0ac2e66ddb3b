// `npm pack` gives an installable tarball: installed into a fresh project, the session of the
// package README (its first ```js block, run as it is) plays back_basics to the end in Node.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

test("the packed tarball installs and runs the README's session", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "regimen-pack-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", dir],
    { cwd: packageDir, encoding: "utf8" }));
  const files = packed[0].files.map((f) => f.path).sort();
  for (const needed of ["dist/regimen_wasm.mjs", "dist/regimen_wasm.wasm", "dist/schema.js",
    "dist/zones.js", "src/index.d.ts", "src/index.js", "src/proto.js", "package.json", "README.md"]) {
    assert.ok(files.includes(needed), `the tarball holds ${needed}: ${files.join(", ")}`);
  }
  assert.ok(!files.some((f) => f.startsWith("test/") || f.startsWith("wasm/")), "no tests or sources of the wasm build");

  const project = join(dir, "host");
  execFileSync("mkdir", ["-p", project]);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "host", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", join(dir, packed[0].filename)],
    { cwd: project, encoding: "utf8" });
  const readme = readFileSync(join(packageDir, "README.md"), "utf8");
  const example = readme.match(/```js\n([\s\S]*?)```/)[1];
  assert.ok(example.split("\n").filter((l) => l.trim() !== "").length <= 13, "the README's session is about ten lines");
  writeFileSync(join(project, "session.mjs"), example);
  const out = execFileSync("node", ["session.mjs"], { cwd: project, encoding: "utf8" });
  const lines = out.trim().split("\n");
  assert.equal(lines.at(-1), "SESSION_END_COMPLETED");
  assert.ok(lines.some((l) => /Elbows and knees soft/.test(l)), out);
});
