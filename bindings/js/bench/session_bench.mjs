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
function simulate() {
  const session = new Session(catalog, routine);
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
  return events + (sum & 0);
}
let events = 0;
for (let i = 0; i < 300; ++i) events = simulate(); // warm up the JIT
const rounds = [];
for (let round = 0; round < 5; ++round) {
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < 1000) {
    simulate();
    ++n;
  }
  rounds.push(((performance.now() - t0) * 1000) / n);
}
const jsUs = median(rounds);
console.log(`JS (wasm) simulated back_basics session: median of 5 one-second rounds ${jsUs.toFixed(1)} us ` +
  `(${events} events per session)`);
catalog.close();

const nativeBench = process.argv[2];
if (nativeBench) {
  const out = JSON.parse(execFileSync(nativeBench, [
    "--benchmark_filter=^BM_CApiSimulateSession/back_basics$", "--benchmark_format=json",
    "--benchmark_repetitions=5", "--benchmark_report_aggregates_only=true"], { encoding: "utf8" }));
  const medianRun = out.benchmarks.find((b) => b.aggregate_name === "median");
  const nativeUs = medianRun.real_time / (medianRun.time_unit === "ns" ? 1000 : 1);
  console.log(`native C API, same run: median ${nativeUs.toFixed(1)} us per session; ` +
    `JS / native = ${(jsUs / nativeUs).toFixed(2)}x`);
}
