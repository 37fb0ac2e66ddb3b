// Snapshot bytes cross between the WebAssembly build and the native library both ways: a session
// snapshotted in wasm is restored natively (tests/snapshot_bridge.c), runs on, is snapshotted
// there and restored in wasm, and the three pieces of its event stream equal one uninterrupted run.
// REGIMEN_SNAPSHOT_BRIDGE names the native program (ctest sets it).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

import { Catalog, Regimen, Session } from "../src/index.js";

const bridge = process.env.REGIMEN_SNAPSHOT_BRIDGE;

function runUntil(session, until, events) {
  events.push(...session.events());
  while (!session.finished && session.nextDeadline >= 0 && session.nextDeadline <= until) {
    session.tick(session.nextDeadline);
    events.push(...session.events());
  }
}

for (const [routine, options] of [["back_basics", undefined],
  ["back_basics_plus", { attestations: ["spine_flexible_strong_balanced"] }]]) {
  test(`${routine}: wasm -> native -> wasm snapshots continue one session`, async (t) => {
    assert.ok(bridge, "REGIMEN_SNAPSHOT_BRIDGE must name tests/snapshot_bridge (the native build's bin/snapshot_bridge)");
    await Regimen.load();
    const catalog = Catalog.default();
    const whole = new Session(catalog, routine, options);
    whole.start(0);
    const expected = [];
    runUntil(whole, Infinity, expected);
    whole.close();

    const dir = mkdtempSync(join(tmpdir(), "regimen-snapshot-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const events = [];
    const first = new Session(catalog, routine, options);
    catalog.close();
    first.start(0);
    first.tick(30000);
    first.signal("PAUSE", 30000);
    first.signal("RESUME", 30000);
    runUntil(first, 60000, events);
    writeFileSync(join(dir, "wasm.snapshot"), first.snapshot());
    first.close();

    const output = execFileSync(bridge, [join(dir, "wasm.snapshot"), "150000", join(dir, "native.snapshot")],
      { encoding: "utf8" });
    const native = output.trim().split("\n").map((line) => JSON.parse(line));
    assert.ok(native.length > 10, "the native side ran on");
    events.push(...native);

    const last = Session.restore(new Uint8Array(readFileSync(join(dir, "native.snapshot"))));
    runUntil(last, Infinity, events);
    assert.ok(last.finished);
    last.close();
    // The uninterrupted run had no pause: compare without PAUSED/RESUMED (a zero-length pause
    // shifts nothing).
    const plain = (list) => list.filter((e) => e.type !== "PAUSED" && e.type !== "RESUMED");
    assert.equal(events.filter((e) => e.type === "PAUSED").length, 1);
    assert.deepEqual(plain(events), expected);
  });
}
