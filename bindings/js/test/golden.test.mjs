// Same engine, same traces: every golden script of tests/golden/ (and of tests/golden/locales/,
// in German and Spanish) through the JS package (the engine compiled to WebAssembly), its event
// stream compared field by field with the golden files the native CLI wrote, and its record with
// the golden record line.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { test } from "node:test";

import { Catalog, Regimen, Session, decode } from "../src/index.js";
import { parseTextProto } from "./support/textproto.mjs";

const goldenDir = new URL("../../../tests/golden/", import.meta.url);
await Regimen.load();

const SIDES = { NONE: "SIDE_UNSPECIFIED", LEFT: "LEFT", RIGHT: "RIGHT" };
const SIGNAL = (name) => name.replace(/^SIGNAL_/, "");
const REPORT = (name) => name.replace(/^REPORT_/, "");
const SIDE = (name) => (name === undefined ? undefined : name.replace(/^SIDE_/, ""));

// tools' RunScript (src/session/run_script.cc), through the public API.
function runScript(session, script) {
  const events = [];
  const drain = () => events.push(...session.events());
  const catchUp = (until) => {
    for (let d = session.nextDeadline; d >= 0 && d <= until; d = session.nextDeadline) {
      session.tick(d);
      drain();
    }
  };
  const inputs = [].concat(script.inputs ?? []);
  if (!inputs.some((input) => "start" in input)) {
    session.start(script.startMs ?? 0);
    drain();
  }
  for (const input of inputs) {
    const at = input.atMs ?? 0;
    if (!("start" in input) && !session.finished && !script.ticksOnlyAtInputs) catchUp(at);
    if ("start" in input) session.start(at);
    else if ("tick" in input) session.tick(at);
    else if ("signal" in input) session.signal(SIGNAL(input.signal), at);
    else if ("report" in input) {
      const r = input.report;
      session.report(REPORT(r.kind), r.value ?? 0, SIDE(r.side), at);
    }
    drain();
  }
  while (!session.finished) {
    const d = session.nextDeadline;
    if (d < 0) break;
    session.tick(d);
    drain();
  }
  drain();
  return events;
}

// The C API's rgm_session_report takes no location (the CLI's scripts give one): compare the
// record without it.
function withoutLocations(record) {
  for (const report of record.reports ?? []) delete report.location;
  return record;
}

const goldens = readdirSync(goldenDir).filter((name) => name.endsWith(".jsonl")).sort();
assert.ok(goldens.length >= 14, `expected the golden files, found ${goldens.length}`);

// The traces in a locale (regimen simulate --locale): locales/<routine>.<locale>.<script>.jsonl.
const localeDir = new URL("locales/", goldenDir);
const localeGoldens = readdirSync(localeDir).filter((name) => name.endsWith(".jsonl")).sort();
assert.ok(localeGoldens.length >= 14, `expected the locale golden files, found ${localeGoldens.length}`);

const cases = [
  ...goldens.map((name) => {
    const [routine, scriptName] = name.replace(/\.jsonl$/, "").split(".");
    return { url: new URL(name, goldenDir), name, routine, scriptName, locale: undefined };
  }),
  ...localeGoldens.map((name) => {
    const [routine, locale, scriptName] = name.replace(/\.jsonl$/, "").split(".");
    return { url: new URL(name, localeDir), name, routine, scriptName, locale };
  }),
];

for (const { url, name, routine, scriptName, locale } of cases) {
  const where = locale === undefined ? "" : ` in ${locale}`;
  test(`${routine} under ${scriptName}${where} gives the golden trace`, () => {
    const lines = readFileSync(url, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const expectedRecord = lines.pop();
    const script = parseTextProto(readFileSync(new URL(`scripts/${scriptName}.textproto`, goldenDir), "utf8"));
    const options = {};
    if (routine === "back_basics_plus") options.attestations = ["spine_flexible_strong_balanced"];
    if (locale !== undefined) options.locale = locale;
    const catalog = Catalog.default();
    const session = new Session(catalog, routine, Object.keys(options).length ? options : undefined);
    catalog.close();
    try {
      check(session, lines, expectedRecord, script, name);
    } finally {
      session.close();
    }
  });
}

function check(session, lines, expectedRecord, script, name) {
  {
    const events = runScript(session, script);
    assert.equal(events.length, lines.length, `${name}: event count`);
    events.forEach((event, i) => {
      const golden = lines[i];
      const where = `${name} event ${i} (${golden.type} at ${golden.atMs})`;
      assert.equal(event.type, golden.type, where);
      assert.equal(String(event.atMs), golden.atMs, `${where}: atMs`);
      assert.equal(event.blockIndex, golden.blockIndex, `${where}: blockIndex`);
      assert.equal(event.setIndex, golden.setIndex, `${where}: setIndex`);
      assert.equal(event.repIndex, golden.repIndex, `${where}: repIndex`);
      assert.equal(SIDES[event.side], golden.side, `${where}: side`);
      assert.equal(String(event.durationMs), golden.durationMs, `${where}: durationMs`);
      assert.equal(event.exerciseId, golden.exerciseId, `${where}: exerciseId`);
      assert.equal(event.phase, golden.phase, `${where}: phase`);
      assert.equal(event.cueId, golden.cueId, `${where}: cueId`);
      assert.equal(event.text, golden.text, `${where}: text`);
    });
    assert.ok(session.finished);
    const record = session.recordBytes();
    const decoded = decode("regimen.v1.SessionRecord", record, { allFields: true });
    assert.deepEqual(withoutLocations(decoded), withoutLocations(expectedRecord), `${name}: record`);
  }
}
