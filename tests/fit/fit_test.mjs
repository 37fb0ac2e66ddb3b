// Regimen's FIT exports decoded by Garmin's own FIT SDK (@garmin/fitsdk from the npm registry):
// `regimen export --fit` workouts and `regimen export --fit-activity` activities pass the SDK's
// integrity check and decode with no error, with the messages asserted against the routine and
// the record; a corrupted file fails the CRC check. Run by ctest (tests/fit.cmake):
//   node --test fit_test.mjs   with REGIMEN_CLI set to the regimen binary.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";

import { Decoder, Stream } from "@garmin/fitsdk";

const cli = process.env.REGIMEN_CLI;
assert.ok(cli, "REGIMEN_CLI must name the regimen binary");
const dir = mkdtempSync(join(tmpdir(), "regimen-fit-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function regimen(...args) {
  return execFileSync(cli, args, { encoding: "utf8" });
}

function decode(path) {
  const stream = Stream.fromByteArray(readFileSync(path));
  assert.equal(Decoder.isFIT(stream), true, `${path} is a FIT file`);
  const decoder = new Decoder(stream);
  assert.equal(decoder.checkIntegrity(), true, `${path}: the header and file CRCs hold`);
  const { messages, errors } = decoder.read();
  assert.deepEqual(errors, [], `${path} decodes with no error`);
  return messages;
}

test("back_basics as a FIT workout: steps, reps and times, sides, rests, categories, notes", () => {
  const path = join(dir, "b.fit");
  assert.match(regimen("export", "--fit", "back_basics", "-o", path), /FIT workout "Back basics"/);
  const m = decode(path);
  assert.equal(m.fileIdMesgs[0].type, "workout");
  const workout = m.workoutMesgs[0];
  assert.equal(workout.wktName, "Back basics");
  assert.equal(workout.sport, "training");
  assert.equal(workout.subSport, "strengthTraining");
  const steps = m.workoutStepMesgs;
  assert.equal(workout.numValidSteps, steps.length);
  const summary = steps.map((s) => [s.wktStepName, s.durationType, s.durationType === "time" ? s.durationTime : s.durationReps, s.intensity]);
  assert.deepEqual(summary, [
    ["Growing through the spine", "time", 25, "active"], // the primer: 5 s setup + 4 breaths of 5 s
    ["Rest", "time", 10, "rest"],
    ["Prone lift", "reps", 4, "active"],
    ["Rest", "time", 10, "rest"],
    ["Prone leg lift (left)", "reps", 4, "active"],
    ["Prone leg lift (right)", "reps", 4, "active"],
    ["Rest", "time", 10, "rest"],
    ["Prone opposite arm and leg lift (left)", "reps", 3, "active"],
    ["Prone opposite arm and leg lift (right)", "reps", 3, "active"],
  ]);
  steps.forEach((s, i) => assert.equal(s.messageIndex, i));
  assert.equal(steps[0].exerciseCategory, "warmUp");
  for (const s of steps.filter((s) => /^Prone/.test(s.wktStepName))) assert.equal(s.exerciseCategory, "hyperextension");
  assert.equal(steps[2].exerciseName, 29); // superman_from_floor
  assert.equal(steps[7].exerciseName, 0); // back_extension_with_opposite_arm_and_leg_reach
  assert.match(steps[2].notes, /Face down, arms long past your ears/);
  assert.equal(steps[1].notes, undefined);
});

test("sets become a repeat step back to the set's first step, with the rest between sets", () => {
  const file = join(dir, "sets.json");
  writeFileSync(file, JSON.stringify({
    id: "two_sets", name: "Two sets",
    blocks: [
      { exerciseId: "grow_through_spine" },
      { exerciseId: "prone_leg_lift", prescription: { sets: 2, reps: 3, restBetweenSetsMs: "20000" } },
    ],
  }));
  const path = join(dir, "sets.fit");
  regimen("export", "--fit", file, "-o", path);
  const steps = decode(path).workoutStepMesgs;
  const names = steps.map((s) => s.wktStepName ?? "");
  const first = names.indexOf("Prone leg lift (left)");
  assert.ok(first > 0, names.join(", "));
  assert.deepEqual(steps.slice(first).map((s) => [s.durationType, s.intensity]), [
    ["reps", "active"], ["reps", "active"], ["time", "rest"], ["repeatUntilStepsCmplt", "active"]]);
  const repeat = steps.at(-1);
  assert.equal(repeat.durationStep, first, "the repeat goes back to the set's first step");
  assert.equal(repeat.repeatSteps, 2, "two sets");
  assert.equal(steps.at(-2).durationTime, 20);
});

test("a gated routine needs its attestation, as a session does", () => {
  const path = join(dir, "plus.fit");
  const refused = spawnSync(cli, ["export", "--fit", "back_basics_plus", "-o", path], { encoding: "utf8" });
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /prone_rock/);
  assert.match(refused.stderr, /attestation spine_flexible_strong_balanced/);
  assert.match(refused.stderr, /--attest NAME/);
  regimen("export", "--fit", "back_basics_plus", "--attest", "spine_flexible_strong_balanced", "-o", path);
  const steps = decode(path).workoutStepMesgs;
  const rock = steps.find((s) => s.wktStepName === "Prone rock");
  assert.equal(rock.exerciseCategory, "hyperextension");
  assert.equal(rock.exerciseName, 38); // cobra
});

// A simulated session on the wall clock: started 2026-12-03T08:00:00Z, with a pause and a skip.
function simulatedRecord(name, inputs) {
  const script = join(dir, `${name}.textproto`);
  writeFileSync(script, `start_ms: 1796284800000\n${inputs}\n`);
  const lines = regimen("simulate", "back_basics", "--script", script, "--record").trim().split("\n");
  const recordFile = join(dir, `${name}.record.json`);
  writeFileSync(recordFile, lines.at(-1));
  return { record: JSON.parse(lines.at(-1)), recordFile };
}

test("a simulated session as a FIT activity: session, laps, sets and times against the record", () => {
  const { record, recordFile } = simulatedRecord("paused", `
inputs { at_ms: 1796284850000 signal: SIGNAL_PAUSE }
inputs { at_ms: 1796284870000 signal: SIGNAL_RESUME }`);
  const path = join(dir, "activity.fit");
  regimen("export", "--fit-activity", recordFile, "-o", path);
  const m = decode(path);
  assert.equal(m.fileIdMesgs[0].type, "activity");
  const started = Number(record.startedAtMs);
  const ended = Number(record.endedAtMs);
  const session = m.sessionMesgs[0];
  assert.equal(session.startTime.getTime(), started);
  assert.equal(session.timestamp.getTime(), Math.floor(ended / 1000) * 1000);
  assert.equal(session.totalElapsedTime, (ended - started) / 1000);
  assert.equal(session.totalTimerTime, Number(record.activeMs) / 1000);
  assert.ok(session.totalElapsedTime - session.totalTimerTime >= 20, "the 20 s pause is elapsed, not timer, time");
  assert.equal(session.numLaps, record.blocks.length);
  assert.equal(m.lapMesgs.length, record.blocks.length);
  const active = m.setMesgs.filter((s) => s.setType === "active");
  assert.equal(active.length, record.blocks.length);
  record.blocks.forEach((block, i) => {
    const lap = m.lapMesgs[i];
    assert.equal(lap.startTime.getTime(), Number(block.startedAtMs));
    assert.equal(lap.totalTimerTime, Number(block.activeMs) / 1000);
    const reps = block.sides.reduce((n, side) => n + (side.repsDone ?? 0), 0);
    assert.equal(active[i].repetitions, reps, `block ${i} reps`);
    assert.equal(active[i].duration, Number(block.activeMs) / 1000);
  });
  assert.deepEqual(active.map((s) => s.category[0]), ["warmUp", "hyperextension", "hyperextension", "hyperextension"]);
  const rest = m.setMesgs.filter((s) => s.setType === "rest");
  assert.equal(rest[0].duration, 5, "the count-in");
  // Sets follow each other without gaps; an active set lasts its block's active time, so the
  // pause (in prone_lift) is in no set.
  const setTime = m.setMesgs.reduce((n, s) => n + s.duration, 0);
  assert.equal(setTime, (ended - started) / 1000 - 20);
  m.setMesgs.slice(1).forEach((s, i) => {
    const previous = m.setMesgs[i];
    assert.ok(s.startTime.getTime() >= previous.startTime.getTime(), `set ${i + 1} in order`);
  });
  assert.equal(m.activityMesgs[0].numSessions, 1);
  assert.equal(m.activityMesgs[0].totalTimerTime, Number(record.activeMs) / 1000);
});

test("a safety-stopped session: laps only for the blocks reached", () => {
  const { record, recordFile } = simulatedRecord("stopped", `
inputs { at_ms: 1796284850000 report { kind: REPORT_PAIN value: 7 } }`);
  assert.equal(record.end, "SESSION_END_SAFETY_STOP");
  const path = join(dir, "stopped.fit");
  regimen("export", "--fit-activity", recordFile, "-o", path);
  const m = decode(path);
  const reached = record.blocks.filter((b) => Number(b.startedAtMs) > 0).length;
  assert.equal(reached, 2);
  assert.equal(m.lapMesgs.length, reached);
  assert.equal(m.sessionMesgs[0].totalElapsedTime, 50);
});

test("--start places a record made on a virtual clock; without it the record is refused", () => {
  const lines = regimen("simulate", "back_basics", "--record").trim().split("\n");
  const recordFile = join(dir, "zero.record.json");
  writeFileSync(recordFile, lines.at(-1));
  const path = join(dir, "zero.fit");
  const refused = spawnSync(cli, ["export", "--fit-activity", recordFile, "-o", path], { encoding: "utf8" });
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /record\.started_at_ms: 0 is not a Unix time/);
  regimen("export", "--fit-activity", recordFile, "--start", "2026-12-03T08:00:00Z", "-o", path);
  assert.equal(decode(path).sessionMesgs[0].startTime.toISOString(), "2026-12-03T08:00:00.000Z");
});

test("a corrupted file fails Garmin's CRC check", () => {
  const path = join(dir, "b.fit");
  regimen("export", "--fit", "back_basics", "-o", path);
  const bytes = readFileSync(path);
  bytes[Math.floor(bytes.length / 2)] ^= 0x5a;
  const stream = Stream.fromByteArray(bytes);
  assert.equal(new Decoder(stream).checkIntegrity(), false);
  const header = readFileSync(path);
  header[4] ^= 0x01; // the data size, covered by the header CRC
  assert.equal(new Decoder(Stream.fromByteArray(header)).checkIntegrity(), false);
});
