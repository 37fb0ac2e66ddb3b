// node bench/session_bench.mjs [NATIVE_BENCH]
// The JS package's figures (docs/performance.md): the .wasm's size raw and gzipped; the time to
// load the module and the default catalog in a fresh Node process (median of 7); the time per
// simulated back_basics session through the package (new Session from the routine's bytes,
// start, tick from deadline to deadline, every event polled, close), and, when NATIVE_BENCH (the
// native build's bench/regimen_bench) is given, the same session through the native C API
// (BM_CApiSimulateSession/back_basics) in the same run, with the ratio.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

import { Catalog, Regimen, Session } from "../src/index.js";

const wasmPath = new URL("../dist/regimen_wasm.wasm", import.meta.url);
const wasm = readFileSync(wasmPath);
const gzipped = gzipSync(wasm, { level: 9 }).length;
console.log(`wasm size: ${wasm.length} bytes raw (${(wasm.length / 1024).toFixed(1)} KiB), ` +
  `${gzipped} bytes gzipped -9 (${(gzipped / 1024).toFixed(1)} KiB)`);

const loadScript = `
  const t0 = performance.now();
  const { Regimen, Catalog } = await import(${JSON.stringify(new URL("../src/index.js", import.meta.url).href)});
  await Regimen.load();
  const t1 = performance.now();
  Catalog.default().close();
  const t2 = performance.now();
  console.log(JSON.stringify({ load: t1 - t0, catalog: t2 - t1 }));`;
const loads = [];
for (let i = 0; i < 7; ++i) {
  loads.push(JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", loadScript], { encoding: "utf8" })));
}
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`load (import + instantiate, fresh process): median ${median(loads.map((l) => l.load)).toFixed(1)} ms; ` +
  `default catalog: median ${median(loads.map((l) => l.catalog)).toFixed(2)} ms`);

await Regimen.load();
const catalog = Catalog.default();
const routine = catalog.routineBytes("back_basics");
// One catalog for every session: the C API keeps the compiled plan of the routine's bytes (as
// BM_CApiSimulateSession does natively); `fresh` makes a new catalog handle for each session, so
// every session compiles its routine (BM_CApiSimulateSessionUncached).
function simulate(fresh = false) {
  const owner = fresh ? Catalog.default() : catalog;
  const session = new Session(owner, routine);
  let sum = 0;
  let events = 0;
  session.start(0);
  for (;;) {
    for (let e = session.poll(); e !== null; e = session.poll()) {
      sum += e.atMs;
      ++events;
    }
    if (session.finished) break;
    session.tick(session.nextDeadline);
  }
  session.close();
  if (fresh) owner.close();
  return events + (sum & 0);
}

function measure(fresh) {
  let events = 0;
  for (let i = 0; i < 300; ++i) events = simulate(fresh); // warm up the JIT
  const rounds = [];
  for (let round = 0; round < 5; ++round) {
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < 1000) {
      simulate(fresh);
      ++n;
    }
    rounds.push(((performance.now() - t0) * 1000) / n);
  }
  return { us: median(rounds), events };
}
const cached = measure(false);
const uncached = measure(true);
console.log(`JS (wasm) simulated back_basics session, one catalog: median of 5 one-second rounds ` +
  `${cached.us.toFixed(1)} us (${cached.events} events per session)`);
console.log(`JS (wasm) simulated back_basics session, new catalog each: ${uncached.us.toFixed(1)} us`);
catalog.close();

const nativeBench = process.argv[2];
if (nativeBench) {
  const out = JSON.parse(execFileSync(nativeBench, [
    "--benchmark_filter=^BM_CApiSimulateSession(Uncached)?/back_basics$", "--benchmark_format=json",
    "--benchmark_repetitions=5", "--benchmark_report_aggregates_only=true"], { encoding: "utf8" }));
  const nativeUs = (name) => {
    const run = out.benchmarks.find((b) => b.aggregate_name === "median" && b.run_name === name);
    return run.real_time / (run.time_unit === "ns" ? 1000 : 1);
  };
  const c = nativeUs("BM_CApiSimulateSession/back_basics");
  const u = nativeUs("BM_CApiSimulateSessionUncached/back_basics");
  console.log(`native C API, same run: one catalog ${c.toFixed(1)} us, new catalog each ${u.toFixed(1)} us`);
  console.log(`JS / native: one catalog ${(cached.us / c).toFixed(2)}x, new catalog each ${(uncached.us / u).toFixed(2)}x`);
}
