// The package's API as index.d.ts describes it: loading, catalogs, sessions, errors as
// RegimenError with the C API's status names, memory released by close().
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  Catalog, Regimen, RegimenError, Session, decode, encode, exportFitActivity, exportFitWorkout,
  generate, progress, schedule,
} from "../src/index.js";

test("calls before load() fail with FAILED_PRECONDITION", () => {
  assert.equal(Regimen.loaded, false);
  assert.throws(() => Catalog.default(), (e) => e instanceof RegimenError && e.code === "FAILED_PRECONDITION");
});

test("load() resolves once and gives the engine's version", async () => {
  const first = Regimen.load();
  assert.equal(Regimen.load(), first);
  await first;
  assert.equal(Regimen.loaded, true);
  assert.match(Regimen.version(), /^\d+\.\d+\.\d+$/);
  assert.ok(Regimen.timeZones.includes("Europe/Berlin"));
  assert.ok(Regimen.timeZones.includes("UTC"));
});

function runToEnd(session, from = 0) {
  const events = [];
  let now = from;
  for (;;) {
    events.push(...session.events());
    if (session.finished) return events;
    const d = session.nextDeadline;
    assert.ok(d >= now, `deadline ${d} after ${now}`);
    now = d;
    session.tick(now);
  }
}

test("a whole back_basics session, hands-free", async () => {
  await Regimen.load();
  const catalog = Catalog.default();
  const routine = catalog.routine("back_basics");
  assert.equal(routine.id, "back_basics");
  assert.equal(routine.blocks[0].exerciseId, "grow_through_spine");
  const session = new Session(catalog, routine);
  catalog.close(); // sessions outlive their catalog
  assert.equal(session.nextDeadline, -1);
  session.start(1000);
  const events = runToEnd(session, 1000);
  assert.equal(events[0].type, "SESSION_STARTED");
  assert.equal(events.at(-1).type, "SESSION_COMPLETED");
  assert.ok(events.some((e) => e.type === "CUE" && e.cueId === "soft_joints" && e.text.length > 0));
  assert.ok(events.every((e) => e.type !== "CUE_SKIPPED"), "no cue skipped");
  const record = session.record();
  assert.equal(record.routineId, "back_basics");
  assert.equal(record.end, "SESSION_END_COMPLETED");
  assert.equal(record.blocks.length, routine.blocks.length);
  assert.throws(() => session.tick(999999), (e) => e.code === "FAILED_PRECONDITION");
  session.close();
  session.close(); // twice is fine
  assert.throws(() => session.nextDeadline, (e) => e.code === "FAILED_PRECONDITION" && /closed/.test(e.message));
});

test("pause freezes the clock, skip moves on, pain at the threshold stops safely", async () => {
  await Regimen.load();
  const catalog = Catalog.default();
  const session = new Session(catalog, "back_basics");
  session.start(0);
  session.tick(12000);
  session.signal("PAUSE", 12000);
  assert.equal(session.nextDeadline, -1);
  assert.deepEqual(session.events().filter((e) => e.type === "PAUSED").length, 1);
  session.signal("RESUME", 20000);
  assert.ok(session.nextDeadline > 20000);
  assert.deepEqual(session.events().map((e) => e.type), ["RESUMED"]);
  session.signal("SKIP", 21000);
  const skipped = session.events();
  assert.deepEqual(skipped.map((e) => [e.type, e.atMs, e.exerciseId || e.phase]), [
    ["EXERCISE_COMPLETED", 21000, "grow_through_spine"], ["PHASE_STARTED", 21000, "rest"]]);
  session.tick(31000);
  assert.ok(session.events().some((e) => e.type === "EXERCISE_STARTED" && e.exerciseId === "prone_lift"));
  session.report("PAIN", 7, "LEFT", 32000);
  const stop = session.events();
  assert.ok(stop.some((e) => e.type === "SAFETY_STOP"));
  assert.equal(stop.at(-1).type, "SESSION_COMPLETED");
  assert.equal(session.finished, true);
  assert.equal(session.record().end, "SESSION_END_SAFETY_STOP");
  session.close();
  catalog.close();
});

test("the catalog's content: routine ids, habits, and a pack that parses back", async () => {
  await Regimen.load();
  const catalog = Catalog.default();
  assert.deepEqual(catalog.routineIds(), ["back_basics", "back_basics_plus"]);
  const pack = catalog.message();
  assert.ok(pack.habits.some((h) => h.id === "posture_check" && h.text.length > 0));
  assert.ok(pack.exercises.some((e) => e.id === "prone_rock"));
  const again = Catalog.parse(pack);
  assert.deepEqual(again.bytes(), catalog.bytes());
  again.close();
  catalog.close();
});

test("bad input is a RegimenError naming what and where, and changes nothing", async () => {
  await Regimen.load();
  const catalog = Catalog.default();
  assert.throws(() => catalog.routine("nope"),
    (e) => e instanceof RegimenError && e.code === "NOT_FOUND" && e.status === 5 && /nope/.test(e.message));
  assert.throws(() => new Session(catalog, { id: "x", blocks: [{ exerciseId: "no_such" }] }),
    (e) => e.code === "INVALID_ARGUMENT" && /no_such/.test(e.message));
  assert.throws(() => new Session(catalog, { id: "x", bogus: 1 }),
    (e) => e.code === "INVALID_ARGUMENT" && /bogus/.test(e.message));
  assert.throws(() => new Session(catalog, "back_basics_plus"),
    (e) => e.code === "FAILED_PRECONDITION" && /spine_flexible_strong_balanced/.test(e.message));
  const plus = new Session(catalog, "back_basics_plus", { attestations: ["spine_flexible_strong_balanced"] });
  plus.close();
  assert.throws(() => new Session(catalog, "back_basics", { painStopThreshold: 99 }),
    (e) => e.code === "INVALID_ARGUMENT");
  assert.throws(() => Catalog.parse(new Uint8Array([0xff, 0xff, 0xff])), (e) => e.code === "INVALID_ARGUMENT");

  const session = new Session(catalog, "back_basics");
  assert.throws(() => session.tick(0), (e) => e.code === "FAILED_PRECONDITION");
  session.start(5000);
  session.events();
  const deadline = session.nextDeadline;
  assert.throws(() => session.tick(4000), (e) => e.code === "INVALID_ARGUMENT");
  assert.equal(session.nextDeadline, deadline, "time going backwards changed nothing");
  assert.throws(() => session.tick(NaN), (e) => e.code === "INVALID_ARGUMENT");
  assert.throws(() => session.signal("JUMP", 6000), (e) => e.code === "INVALID_ARGUMENT" && /JUMP/.test(e.message));
  assert.throws(() => session.report("PAIN", 11, undefined, 6000), (e) => e.code === "INVALID_ARGUMENT");
  assert.throws(() => session.report("ASYMMETRY", 0, undefined, 6000), (e) => e.code === "INVALID_ARGUMENT");
  assert.deepEqual(session.events(), []);
  session.close();
  catalog.close();
  assert.throws(() => catalog.routine("back_basics"), (e) => e.code === "FAILED_PRECONDITION");
});

test("snapshot and restore continue exactly where the session was", async () => {
  await Regimen.load();
  const catalog = Catalog.default();
  const whole = new Session(catalog, "back_basics");
  whole.start(0);
  const expected = runToEnd(whole);
  whole.close();

  const first = new Session(catalog, "back_basics");
  first.start(0);
  const events = [];
  while (first.nextDeadline <= 100000) {
    events.push(...first.events());
    first.tick(first.nextDeadline);
  }
  events.push(...first.events());
  const snapshot = first.snapshot();
  assert.ok(snapshot instanceof Uint8Array && snapshot.length > 100);
  first.close();
  const second = Session.restore(snapshot);
  events.push(...runToEnd(second, 100000));
  assert.deepEqual(events, expected);
  assert.throws(() => Session.restore(snapshot.subarray(0, 40)), (e) => e.code === "INVALID_ARGUMENT");
  second.close();
  catalog.close();
});

test("generate, progress and schedule answer with objects", async () => {
  await Regimen.load();
  const catalog = Catalog.default();
  const routine = generate(catalog, { sessionsPerWeek: 2, minutesPerWeek: 30, seed: "7" });
  assert.equal(routine.blocks[0].exerciseId, "grow_through_spine");
  assert.throws(() => generate(catalog, { sessionsPerWeek: 9 }),
    (e) => e.code === "INVALID_ARGUMENT" && /sessions_per_week/.test(e.message));

  const session = new Session(catalog, routine);
  session.start(0);
  runToEnd(session);
  const record = session.record();
  session.close();
  const decision = progress(catalog, { routine, profile: {}, records: [record, record] });
  assert.ok(decision.routine && Array.isArray(decision.routine.blocks));
  for (const change of decision.changes ?? []) {
    assert.equal(typeof change.exerciseId, "string");
    assert.equal(typeof change.reason, "string");
  }

  const plan = schedule(catalog, { profile: { timeZone: "Europe/Berlin" }, startDate: "2026-12-03", days: 7 });
  assert.ok(plan.prompts.length > 0);
  assert.match(plan.prompts[0].time, /^2026-12-03T\d\d:\d\d:00\+01:00$/);
  // The embedded zoneinfo knows the transitions: summer time in Berlin, standard time in Sydney.
  const summer = schedule(catalog, { profile: { timeZone: "Europe/Berlin" }, startDate: "2026-07-01", days: 1 });
  assert.match(summer.prompts[0].time, /^2026-07-01T\d\d:\d\d:00\+02:00$/);
  const sydney = schedule(catalog, { profile: { timeZone: "Australia/Sydney" }, startDate: "2026-07-01", days: 1 });
  assert.match(sydney.prompts[0].time, /^2026-07-01T\d\d:\d\d:00\+10:00$/);
  const far = schedule(catalog, { profile: { timeZone: "America/New_York" }, startDate: "2150-07-01", days: 1 });
  assert.match(far.prompts[0].time, /^2150-07-01T\d\d:\d\d:00-04:00$/);
  assert.throws(() => schedule(catalog, { profile: { timeZone: "Asia/Kathmandu" }, startDate: "2026-12-03", days: 1 }),
    (e) => e.code === "INVALID_ARGUMENT" && /Asia\/Kathmandu/.test(e.message));
  assert.throws(() => schedule(catalog, { profile: {}, startDate: "1969-12-31", days: 1 }),
    (e) => e.code === "OUT_OF_RANGE");
  catalog.close();
});

test("FIT exports: a workout of a routine, an activity of a session on the wall clock", async () => {
  await Regimen.load();
  const catalog = Catalog.default();
  const workout = exportFitWorkout(catalog, "back_basics");
  assert.equal(new TextDecoder().decode(workout.subarray(8, 12)), ".FIT");
  assert.deepEqual(exportFitWorkout(catalog, catalog.routine("back_basics")), workout);
  assert.throws(() => exportFitWorkout(catalog, "back_basics_plus"), (e) => e.code === "FAILED_PRECONDITION");
  const session = new Session(catalog, "back_basics");
  session.start(1796284800000); // 2026-12-03T08:00:00Z
  runToEnd(session, 1796284800000);
  const activity = exportFitActivity(catalog, session.record());
  assert.equal(new TextDecoder().decode(activity.subarray(8, 12)), ".FIT");
  session.close();
  assert.throws(() => exportFitActivity(catalog, { routineId: "back_basics" }),
    (e) => e.code === "INVALID_ARGUMENT" && /started_at_ms/.test(e.message));
  catalog.close();
});

test("encode and decode round-trip messages in the JSON mapping", async () => {
  await Regimen.load();
  const catalog = Catalog.default();
  const bytes = catalog.routineBytes("back_basics");
  const object = decode("regimen.v1.Routine", bytes);
  assert.deepEqual(encode("regimen.v1.Routine", object), bytes);
  assert.throws(() => encode("regimen.v1.Routine", { blocks: "x" }), (e) => e.code === "INVALID_ARGUMENT" && /blocks/.test(e.message));
  assert.throws(() => decode("regimen.v1.Routine", bytes.subarray(0, bytes.length - 3)), (e) => e.code === "INVALID_ARGUMENT");
  catalog.close();
});

test("close() gives the memory back: 3,000 sessions leave the module's memory as it was", async () => {
  await Regimen.load();
  const catalog = Catalog.default();
  const cycle = () => {
    const s = new Session(catalog, "back_basics");
    s.start(0);
    runToEnd(s);
    s.record();
    s.snapshot();
    s.close();
  };
  for (let i = 0; i < 200; ++i) cycle();
  const before = Regimen.memoryBytes();
  for (let i = 0; i < 3000; ++i) cycle();
  assert.equal(Regimen.memoryBytes(), before);
  catalog.close();
});
