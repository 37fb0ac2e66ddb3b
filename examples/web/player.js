// Regimen's web player: runs a routine of the built-in back-care pack in the browser.
//
// The engine never reads a clock: this page owns the clock (performance.now(), times ?speed=N),
// feeds it to the session with every input, wakes up at the session's nextDeadline, and renders
// and speaks the events it polls. Everything else on the page (the timeline drawn before the
// start, the record, the next routine, today's posture prompts) comes from the same package.
//
// URL parameters: ?speed=N runs the clock N times faster (default 1), ?routine=ID preselects a
// routine, ?autostart=1 starts at once.

import {
  Regimen,
  Catalog,
  Session,
  generate,
  progress,
  schedule,
  RegimenError,
} from "../../bindings/js/src/index.js";

// generate (a routine for a profile) is part of the package's surface; the player plays the
// pack's routines and the ones progression returns, so it does not call it.
void generate;

const ATTESTATION = "spine_flexible_strong_balanced";
const HISTORY_KEY = "regimen.player.history";
const NEXT_KEY = "regimen.player.next";
const HISTORY_LIMIT = 100;
const NEXT_OPTION = "next";
const RING_LENGTH = 2 * Math.PI * 52;

const params = new URLSearchParams(location.search);
const speed = positiveNumber(params.get("speed"), 1);

const $ = (id) => document.getElementById(id);
const ui = {
  select: $("routine-select"),
  attest: $("attest"),
  start: $("start"),
  status: $("status"),
  routineError: $("routine-error"),
  notice: $("notice"),
  exerciseName: $("exercise-name"),
  phaseName: $("phase-name"),
  countdown: $("countdown"),
  ringArc: $("ring-arc"),
  setRepSide: $("set-rep-side"),
  cueText: $("cue-text"),
  done: $("done"),
  pause: $("pause"),
  skip: $("skip"),
  stop: $("stop"),
  mute: $("mute"),
  painSlider: $("pain-slider"),
  painValue: $("pain-value"),
  reportPain: $("report-pain"),
  sideLeft: $("side-left"),
  sideRight: $("side-right"),
  timeline: $("timeline"),
  timelineLabels: $("timeline-labels"),
  timelineLegend: $("timeline-legend"),
  timelineTotal: $("timeline-total"),
  progress: $("progress"),
  record: $("record"),
  recordSummary: $("record-summary"),
  recordBlocks: document.querySelector("#record-blocks tbody"),
  recordReports: $("record-reports"),
  history: $("history"),
  clearHistory: $("clear-history"),
  nextRoutine: $("next-routine"),
  prompts: $("prompts"),
  promptsZone: $("prompts-zone"),
};

/** The loaded content pack. */
let catalog = null;
/** What the start button will run: { routine, options, timeline }, or null when it can't. */
let plan = null;
/** The running session and what the page tracks about it, or null. */
let live = null;
let muted = false;

// ---------------------------------------------------------------------------------------------
// Small helpers

function positiveNumber(text, fallback) {
  const value = Number(text);
  return text !== null && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** A JSON-mapping integer (int64 arrives as a string; a default value is absent). */
function int(value, fallback = 0) {
  if (value === undefined || value === null || value === "") return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}

function element(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function svg(tag, attributes = {}) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

function formatDuration(ms) {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes} min ${seconds % 60} s` : `${seconds} s`;
}

function humanize(name) {
  const text = String(name ?? "").replace(/_/g, " ").trim();
  return text ? text[0].toUpperCase() + text.slice(1) : "";
}

/** An enum name without its type's prefix, for display: SESSION_END_COMPLETED -> Completed. */
function enumLabel(name, prefix) {
  const text = String(name ?? "");
  return humanize((text.startsWith(prefix) ? text.slice(prefix.length) : text).toLowerCase());
}

function errorText(error) {
  if (error instanceof RegimenError) return `${error.code}: ${error.message}`;
  return error && error.message ? error.message : String(error);
}

function setStatus(word, detail) {
  ui.status.textContent = detail ? `${word}: ${detail}` : word;
  document.body.dataset.state = word;
}

let noticeTimer = 0;
function notice(text) {
  ui.notice.textContent = text;
  ui.notice.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    ui.notice.hidden = true;
  }, 6000);
}

function readJson(key, fallback) {
  try {
    const text = localStorage.getItem(key);
    return text ? JSON.parse(text) : fallback;
  } catch {
    return fallback;
  }
}

function writeJson(key, value) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch (error) {
    notice(`Could not save to this browser's storage: ${errorText(error)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Speech (Web Speech API, when the browser has it)

const synth = typeof speechSynthesis !== "undefined" ? speechSynthesis : null;
const canSpeak = synth !== null && typeof SpeechSynthesisUtterance === "function";

function speak(text) {
  if (!canSpeak || muted || !text) return;
  try {
    // The engine keeps cues apart on the session's clock; faster than real time they would
    // pile up, so the newest one wins.
    if (speed > 1) synth.cancel();
    synth.speak(new SpeechSynthesisUtterance(text));
  } catch {
    // Speech is a nicety: the cue is on screen either way.
  }
}

function hush() {
  if (!canSpeak) return;
  try {
    synth.cancel();
  } catch {
    // Nothing to silence.
  }
}

// ---------------------------------------------------------------------------------------------
// Routines and options

function sessionOptions() {
  return ui.attest.checked ? { attestations: [ATTESTATION] } : {};
}

/** The routine object the select names. */
function selectedRoutine() {
  if (ui.select.value === NEXT_OPTION) {
    const next = readJson(NEXT_KEY, null);
    if (next) return next;
  }
  return catalog.routine(ui.select.value);
}

function addNextOption(routine) {
  let option = ui.select.querySelector(`option[value="${NEXT_OPTION}"]`);
  if (!option) {
    option = element("option", { value: NEXT_OPTION });
    ui.select.append(option);
  }
  option.textContent = `Next: ${routine.name || routine.id || "progressed routine"} (progressed)`;
}

// ---------------------------------------------------------------------------------------------
// The timeline: the whole session, from a second session run hands-free on a virtual clock

const PHASE_COLORS = {
  count_in: "#c9c2b3",
  setup: "#b9cfd9",
  breathe: "#8fc1a9",
  lift: "#6fa8c8",
  hold: "#1f6f8b",
  lower: "#6fa8c8",
  relax: "#cfe3d6",
  rest: "#e6e0d4",
  switch: "#d8c7e6",
  switch_side: "#d8c7e6",
  rock: "#c98a5a",
};
const OTHER_COLOR = "#a9b4c2";

function phaseColor(phase) {
  return PHASE_COLORS[phase] ?? OTHER_COLOR;
}

/**
 * Runs `routine` with no inputs from 0, ticking at each deadline, and collects its phases, cues
 * and exercises. Throws what the Session constructor throws (e.g. a gated routine without the
 * attestation).
 */
function computeTimeline(routine, options) {
  const session = new Session(catalog, routine, options);
  const phases = [];
  const cues = [];
  const exercises = [];
  let endMs = 0;
  try {
    let now = 0;
    session.start(now);
    for (let step = 0; step < 100000; step++) {
      for (const event of session.events()) {
        endMs = Math.max(endMs, event.atMs);
        if (event.type === "PHASE_STARTED") {
          phases.push({
            atMs: event.atMs,
            durationMs: event.durationMs,
            phase: event.phase,
            text: event.text,
            exerciseId: event.exerciseId,
            blockIndex: event.blockIndex,
            setIndex: event.setIndex,
            repIndex: event.repIndex,
            side: event.side,
          });
        } else if (event.type === "CUE") {
          cues.push({ atMs: event.atMs, text: event.text, cueId: event.cueId });
        } else if (event.type === "EXERCISE_STARTED") {
          exercises.push({
            atMs: event.atMs,
            blockIndex: event.blockIndex,
            exerciseId: event.exerciseId,
            name: event.text,
          });
        }
      }
      if (session.finished) break;
      const deadline = session.nextDeadline;
      if (deadline < 0) {
        // An open phase waits for the user; the timeline assumes they are done at once. (The
        // back-care routines have none: they run hands-free.)
        session.signal("REP_DONE", now);
      } else {
        now = Math.max(now, deadline);
        session.tick(now);
      }
    }
  } finally {
    session.close();
  }
  for (let i = 0; i < phases.length; i++) {
    const next = i + 1 < phases.length ? phases[i + 1].atMs : endMs;
    const own = phases[i].durationMs >= 0 ? phases[i].atMs + phases[i].durationMs : next;
    phases[i].endMs = Math.max(phases[i].atMs, Math.min(own, Math.max(next, phases[i].atMs)));
  }
  // Sets per block and reps per set, for "Set 1 of 2 · Rep 3 of 8".
  const blocks = new Map();
  for (const p of phases) {
    if (p.blockIndex < 0) continue;
    const block = blocks.get(p.blockIndex) ?? { sets: 0, reps: new Map() };
    if (p.setIndex >= 0) {
      block.sets = Math.max(block.sets, p.setIndex + 1);
      if (p.repIndex >= 0) {
        block.reps.set(p.setIndex, Math.max(block.reps.get(p.setIndex) ?? 0, p.repIndex + 1));
      }
    }
    blocks.set(p.blockIndex, block);
  }
  return { phases, cues, exercises, blocks, totalMs: Math.max(endMs, 1) };
}

function drawTimeline(timeline) {
  ui.timeline.replaceChildren();
  ui.timelineLabels.replaceChildren();
  ui.timelineLegend.replaceChildren();
  if (!timeline) {
    ui.timelineTotal.textContent = "";
    return;
  }
  const width = 1000;
  const scale = width / timeline.totalMs;
  const kinds = new Map();
  for (const p of timeline.phases) {
    const x = p.atMs * scale;
    const w = Math.max((p.endMs - p.atMs) * scale, 0.8);
    const rect = svg("rect", {
      x: x.toFixed(2),
      y: 20,
      width: Math.max(w - 0.4, 0.4).toFixed(2),
      height: 40,
      fill: phaseColor(p.phase),
      "data-phase": p.phase,
    });
    const where = p.exerciseId ? ` (${p.exerciseId})` : "";
    rect.append(svg("title"));
    const length = formatDuration(p.endMs - p.atMs);
    rect.firstChild.textContent = `${p.text || p.phase}${where}, ${length}`;
    ui.timeline.append(rect);
    if (!kinds.has(p.phase)) kinds.set(p.phase, p.text || humanize(p.phase));
  }
  for (const cue of timeline.cues) {
    const x = (cue.atMs * scale).toFixed(2);
    const mark = svg("line", {
      x1: x,
      x2: x,
      y1: 3,
      y2: 15,
      class: "cue-mark",
      "vector-effect": "non-scaling-stroke",
      "data-at-ms": cue.atMs,
    });
    mark.append(svg("title"));
    mark.firstChild.textContent = cue.text;
    ui.timeline.append(mark);
  }
  const cursor = svg("line", {
    id: "timeline-cursor",
    class: "cursor",
    x1: 0,
    x2: 0,
    y1: 0,
    y2: 64,
    "vector-effect": "non-scaling-stroke",
  });
  ui.timeline.append(cursor);
  for (let i = 0; i < timeline.exercises.length; i++) {
    const ex = timeline.exercises[i];
    const next = i + 1 < timeline.exercises.length ? timeline.exercises[i + 1].atMs : null;
    const left = (ex.atMs / timeline.totalMs) * 100;
    const right = next === null ? 100 : (next / timeline.totalMs) * 100;
    const label = element("span", { text: ex.name || ex.exerciseId, title: ex.name });
    label.style.left = `${left}%`;
    label.style.width = `${Math.max(right - left, 1)}%`;
    ui.timelineLabels.append(label);
  }
  for (const [phase, label] of kinds) {
    const swatch = element("i");
    swatch.style.background = phaseColor(phase);
    ui.timelineLegend.append(element("li", {}, swatch, label));
  }
  ui.timelineTotal.textContent =
    `${formatDuration(timeline.totalMs)} · ${timeline.phases.length} phases · ` +
    `${timeline.cues.length} cues`;
}

/** Moves the cursor and the progress bar to `positionMs` on the timeline's clock. */
function showPosition(positionMs) {
  const timeline = plan?.timeline;
  if (!timeline) return;
  const fraction = Math.min(Math.max(positionMs / timeline.totalMs, 0), 1);
  const x = (fraction * 1000).toFixed(2);
  const cursor = document.getElementById("timeline-cursor");
  if (cursor) {
    cursor.setAttribute("x1", x);
    cursor.setAttribute("x2", x);
  }
  const percent = Math.round(fraction * 1000) / 10;
  ui.progress.value = percent;
  ui.progress.setAttribute("aria-valuenow", String(Math.round(percent)));
}

// ---------------------------------------------------------------------------------------------
// Preparing a routine: the start button is enabled only for one that can run

function prepare() {
  if (live && !live.done) return;
  plan = null;
  ui.routineError.hidden = true;
  ui.start.disabled = true;
  try {
    const routine = selectedRoutine();
    const options = sessionOptions();
    const timeline = computeTimeline(routine, options);
    plan = { routine, options, timeline };
    drawTimeline(timeline);
    showPosition(0);
    ui.start.disabled = false;
    setStatus("ready");
    resetStage();
  } catch (error) {
    drawTimeline(null);
    showPosition(0);
    ui.routineError.textContent = errorText(error);
    ui.routineError.hidden = false;
    setStatus("error", error && error.message ? error.message : String(error));
  }
}

function resetStage() {
  ui.exerciseName.textContent = plan?.routine?.name || "\u00a0";
  ui.exerciseName.dataset.block = "-1";
  document.body.dataset.block = "-1";
  ui.phaseName.textContent = "Ready";
  ui.phaseName.dataset.phase = "";
  ui.countdown.textContent = plan ? formatDuration(plan.timeline.totalMs) : "\u00a0";
  ui.countdown.dataset.remainingMs = "-1";
  ui.ringArc.style.strokeDashoffset = "0";
  ui.setRepSide.textContent = "\u00a0";
  ui.cueText.textContent = "\u00a0";
  ui.cueText.className = "cue";
  ui.done.hidden = true;
}

// ---------------------------------------------------------------------------------------------
// Running a session

function setControls() {
  const running = live !== null && !live.done;
  const paused = running && live.paused;
  ui.start.disabled = running || plan === null;
  ui.select.disabled = running;
  ui.attest.disabled = running;
  ui.pause.disabled = !running;
  ui.pause.textContent = paused ? "Resume" : "Pause";
  ui.skip.disabled = !running || paused;
  ui.stop.disabled = !running;
  ui.reportPain.disabled = !running;
  ui.sideLeft.disabled = !running;
  ui.sideRight.disabled = !running;
  ui.done.disabled = !running || paused;
}

/** The session's clock, ms: the page's, times `speed`, never going back. */
function clockMs() {
  const now = Math.floor((performance.now() - live.t0) * speed);
  live.lastMs = Math.max(live.lastMs, now);
  return live.lastMs;
}

function startSession() {
  if (!plan || (live && !live.done)) return;
  let session;
  try {
    session = new Session(catalog, plan.routine, plan.options);
  } catch (error) {
    setStatus("error", errorText(error));
    return;
  }
  live = {
    session,
    routine: plan.routine,
    t0: performance.now(),
    lastMs: 0,
    timer: 0,
    frame: 0,
    done: false,
    paused: false,
    pausedAtMs: 0,
    phase: null,
    timelineIndex: 0,
    positionMs: 0,
    lastBlock: -1,
  };
  ui.record.hidden = true;
  ui.record.dataset.endReason = "";
  delete document.body.dataset.safety;
  pastCueCount = 0;
  for (const mark of ui.timeline.querySelectorAll(".cue-mark.past")) mark.classList.remove("past");
  showPosition(0);
  resetStage();
  setStatus("running");
  setControls();
  act((now) => session.start(now));
  live.frame = requestAnimationFrame(render);
}

/** Runs one input at the current time, then handles what it caused and waits for the next. */
function act(input) {
  if (!live || live.done) return;
  try {
    input(clockMs());
  } catch (error) {
    notice(errorText(error));
  }
  drain();
  wake();
}

function wake() {
  if (!live || live.done) return;
  clearTimeout(live.timer);
  const deadline = live.session.nextDeadline;
  if (deadline < 0) return; // paused, or an open phase waiting for "Done"
  const wait = Math.max(0, Math.ceil((deadline - clockMs()) / speed));
  live.timer = setTimeout(() => act((now) => live.session.tick(now)), wait);
}

function drain() {
  const events = live.session.events();
  if (events.some((e) => e.type === "SAFETY_STOP")) hush(); // the safety cue cuts in
  for (const event of events) onEvent(event);
  if (live.session.finished && !live.done) finish();
}

function onEvent(event) {
  switch (event.type) {
    case "EXERCISE_STARTED":
      ui.exerciseName.textContent = event.text || humanize(event.exerciseId);
      ui.exerciseName.dataset.block = String(event.blockIndex);
      ui.exerciseName.dataset.exerciseId = event.exerciseId;
      document.body.dataset.block = String(event.blockIndex);
      break;
    case "PHASE_STARTED":
      onPhase(event);
      break;
    case "CUE":
      ui.cueText.textContent = event.text;
      ui.cueText.className = "cue";
      // After a long gap (a hidden tab) one tick catches up many cues; only fresh ones are said.
      if (clockMs() - event.atMs <= Math.max(3000, 200 * speed)) speak(event.text);
      break;
    case "CUE_SKIPPED":
      // Not said in time: shown, not spoken.
      ui.cueText.textContent = event.text;
      ui.cueText.className = "cue skipped";
      break;
    case "PAUSED":
      live.paused = true;
      live.pausedAtMs = event.atMs;
      hush();
      setStatus("paused");
      setControls();
      break;
    case "RESUMED":
      if (live.phase) live.phase.pausedMs += Math.max(0, event.atMs - live.pausedAtMs);
      live.paused = false;
      setStatus("running");
      setControls();
      break;
    case "SAFETY_STOP":
      document.body.dataset.safety = "stop";
      ui.phaseName.textContent = "Stop";
      ui.phaseName.dataset.phase = "safety_stop";
      ui.cueText.className = "cue safety";
      ui.done.hidden = true;
      live.phase = null;
      break;
    case "SESSION_COMPLETED":
      if (ui.phaseName.dataset.phase !== "safety_stop") {
        ui.phaseName.textContent = "Well done";
        ui.phaseName.dataset.phase = "";
      }
      ui.exerciseName.textContent = event.text;
      ui.setRepSide.textContent = "\u00a0";
      live.phase = null;
      break;
    default:
      break;
  }
}

function onPhase(event) {
  const timeline = plan?.timeline;
  let match = null;
  if (timeline) {
    const phases = timeline.phases;
    for (let i = live.timelineIndex; i < phases.length; i++) {
      const p = phases[i];
      if (
        p.phase === event.phase &&
        p.blockIndex === event.blockIndex &&
        p.setIndex === event.setIndex &&
        p.repIndex === event.repIndex &&
        p.side === event.side
      ) {
        match = p;
        live.timelineIndex = i + 1;
        break;
      }
    }
  }
  live.phase = {
    startMs: event.atMs,
    durationMs: event.durationMs,
    pausedMs: 0,
    match,
  };
  ui.phaseName.textContent = event.text || humanize(event.phase);
  ui.phaseName.dataset.phase = event.phase;
  ui.done.hidden = event.durationMs >= 0;
  if (event.blockIndex < 0) {
    const next = timeline?.exercises.find((ex) => ex.blockIndex > live.lastBlock);
    if (event.phase === "rest" && next) ui.exerciseName.textContent = `Next: ${next.name}`;
    ui.setRepSide.textContent = "\u00a0";
  } else {
    ui.setRepSide.textContent = positionText(event, timeline) || "\u00a0";
  }
  live.lastBlock = Math.max(live.lastBlock, event.blockIndex);
}

function positionText(event, timeline) {
  const block = timeline?.blocks.get(event.blockIndex);
  const parts = [];
  if (event.setIndex >= 0) {
    const sets = block?.sets;
    parts.push(sets ? `Set ${event.setIndex + 1} of ${sets}` : `Set ${event.setIndex + 1}`);
  }
  if (event.repIndex >= 0) {
    const reps = block?.reps.get(event.setIndex);
    const rep = event.repIndex + 1;
    parts.push(reps && rep <= reps ? `Rep ${rep} of ${reps}` : `Rep ${rep}`);
  }
  if (event.side === "LEFT") parts.push("Left side");
  else if (event.side === "RIGHT") parts.push("Right side");
  return parts.join(" · ");
}

/** Each animation frame: the countdown ring, the timeline cursor and the progress bar. */
function render() {
  if (!live || live.done) return;
  const phase = live.phase;
  if (phase) {
    const now = live.paused ? live.pausedAtMs : clockMs();
    const elapsed = Math.max(0, now - phase.startMs - phase.pausedMs);
    if (phase.durationMs >= 0) {
      const remaining = Math.max(0, phase.durationMs - elapsed);
      const fraction = phase.durationMs > 0 ? remaining / phase.durationMs : 0;
      ui.ringArc.style.strokeDashoffset = String(RING_LENGTH * (1 - fraction));
      const seconds = Math.ceil(remaining / 1000);
      const text = speed > 2 ? (remaining / 1000).toFixed(1) : String(seconds);
      if (ui.countdown.textContent !== text) ui.countdown.textContent = text;
      ui.countdown.dataset.remainingMs = String(remaining);
    } else {
      ui.ringArc.style.strokeDashoffset = "0";
      ui.countdown.textContent = "tap Done";
      ui.countdown.dataset.remainingMs = "-1";
    }
    if (phase.match) {
      const span = phase.match.endMs - phase.match.atMs;
      live.positionMs = phase.match.atMs + Math.min(elapsed, span);
    }
    showPosition(live.positionMs);
    markPastCues(live.positionMs);
  }
  live.frame = requestAnimationFrame(render);
}

let pastCueCount = 0;
function markPastCues(positionMs) {
  const marks = ui.timeline.querySelectorAll(".cue-mark");
  while (pastCueCount < marks.length && Number(marks[pastCueCount].dataset.atMs) <= positionMs) {
    marks[pastCueCount].classList.add("past");
    pastCueCount++;
  }
}

function finish() {
  live.done = true;
  clearTimeout(live.timer);
  cancelAnimationFrame(live.frame);
  let record = null;
  try {
    record = live.session.record();
  } catch (error) {
    notice(`No record: ${errorText(error)}`);
  }
  live.session.close();
  ui.done.hidden = true;
  ui.countdown.textContent = "\u00a0";
  ui.countdown.dataset.remainingMs = "0";
  ui.ringArc.style.strokeDashoffset = "0";
  if (record) {
    const end = String(record.end ?? "");
    if (end === "SESSION_END_COMPLETED") showPosition(plan?.timeline?.totalMs ?? 0);
    showRecord(record);
    const history = readJson(HISTORY_KEY, []);
    history.push({
      date: new Date().toISOString(),
      routineId: record.routineId || live.routine.id || "",
      routineName: live.routine.name || "",
      end,
      durationMs: int(record.endedAtMs) - int(record.startedAtMs),
      record,
      routine: live.routine,
    });
    writeJson(HISTORY_KEY, history.slice(-HISTORY_LIMIT));
    renderHistory();
    decideNext();
  }
  pastCueCount = 0;
  setStatus("finished");
  setControls();
  ui.start.textContent = "Start again";
}

/** Routes an input to the running session. */
function signal(name) {
  if (!live || live.done) return;
  act((now) => live.session.signal(name, now));
}

function report(kind, value, side) {
  if (!live || live.done) return;
  act((now) => live.session.report(kind, value, side, now));
}

function togglePause() {
  if (!live || live.done) return;
  signal(live.paused ? "RESUME" : "PAUSE");
}

// ---------------------------------------------------------------------------------------------
// The record, the history and the next routine

function showRecord(record) {
  const end = String(record.end ?? "SESSION_END_UNSPECIFIED");
  ui.record.dataset.endReason = end;
  const started = int(record.startedAtMs);
  const ended = int(record.endedAtMs, started);
  const facts = [
    ["End", enumLabel(end, "SESSION_END_")],
    ["Routine", record.routineId || "—"],
    ["Duration", formatDuration(ended - started)],
    ["Active", formatDuration(int(record.activeMs))],
    ["Paused", `${formatDuration(int(record.pausedMs))} (${int(record.pauses)}×)`],
    ["Skips", String(int(record.skips))],
  ];
  // Every other scalar the record carries (cue counts, delays, …), as it comes.
  const shown = new Set([
    "end", "routineId", "startedAtMs", "endedAtMs", "activeMs", "pausedMs", "pauses", "skips",
  ]);
  for (const [key, value] of Object.entries(record)) {
    if (shown.has(key) || value === null || typeof value === "object") continue;
    const words = key.replace(/Ms$/, "").replace(/([A-Z])/g, " $1").toLowerCase();
    facts.push([humanize(words), key.endsWith("Ms") ? `${int(value)} ms` : String(value)]);
  }
  ui.recordSummary.replaceChildren(
    ...facts.map(([term, value]) =>
      element("div", {}, element("dt", { text: term }), element("dd", { text: value }))),
  );

  const blocks = Array.isArray(record.blocks) ? record.blocks : [];
  ui.recordBlocks.replaceChildren(
    ...blocks.map((block, i) => {
      const sides = Array.isArray(block.sides) ? block.sides : [];
      const perSide = (done, planned) =>
        sides.length === 0
          ? "—"
          : sides
            .map((s) => {
              const label = s.side === "LEFT" ? "L " : s.side === "RIGHT" ? "R " : "";
              return `${label}${int(s[done])}/${int(s[planned])}`;
            })
            .join(", ");
      return element(
        "tr",
        {},
        element("td", { text: String(int(block.blockIndex, i)) }),
        element("td", { text: block.exerciseId || "—" }),
        element("td", { text: enumLabel(block.outcome ?? "not reached", "BLOCK_OUTCOME_") }),
        element("td", { text: `${int(block.setsDone)}/${int(block.setsPlanned)}` }),
        element("td", { text: perSide("repsDone", "repsPlanned") }),
        element("td", { text: perSide("holdsAchieved", "holdsPlanned") }),
        element("td", { text: formatDuration(int(block.activeMs)) }),
      );
    }),
  );

  const lines = [];
  const since = (entry) => formatDuration(int(entry.atMs) - started);
  for (const r of Array.isArray(record.reports) ? record.reports : []) {
    const kind = enumLabel(r.kind ?? "report", "REPORT_");
    const side = r.side && r.side !== "SIDE_UNSPECIFIED" ? enumLabel(r.side, "SIDE_") : "";
    const where = `${r.exerciseId ? ` in ${r.exerciseId}` : ""}, at ${since(r)}`;
    if (r.kind === "REPORT_ASYMMETRY") {
      lines.push(`${kind}: the ${side.toLowerCase() || "?"} side takes over${where}`);
    } else {
      const detail = [side, r.location].filter(Boolean).join(", ");
      lines.push(`${kind} ${int(r.value)}/10${detail ? ` (${detail})` : ""}${where}`);
    }
  }
  for (const stop of Array.isArray(record.safetyStops) ? record.safetyStops : []) {
    const pain = stop.pain !== undefined ? ` (pain ${stop.pain})` : "";
    const where = stop.exerciseId ? ` in ${stop.exerciseId}` : "";
    lines.push(`Safety stop${pain}${where}, at ${since(stop)}`);
  }
  ui.recordReports.replaceChildren(...lines.map((text) => element("li", { text })));
  ui.record.hidden = false;
}

function renderHistory() {
  const history = readJson(HISTORY_KEY, []);
  if (history.length === 0) {
    ui.history.replaceChildren(element("li", { class: "muted", text: "No sessions yet." }));
    return;
  }
  ui.history.replaceChildren(
    ...history
      .slice()
      .reverse()
      .map((entry) => {
        const date = new Date(entry.date);
        const when = Number.isNaN(date.getTime())
          ? String(entry.date)
          : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
        return element(
          "li",
          {},
          element("time", { datetime: String(entry.date), text: when }),
          entry.routineName || entry.routineId || "routine",
          element("span", {
            class: `tag ${entry.end}`,
            text: enumLabel(entry.end, "SESSION_END_"),
          }),
          element("span", { class: "muted", text: ` ${formatDuration(int(entry.durationMs))}` }),
        );
      }),
  );
}

function progressProfile() {
  return ui.attest.checked ? { attestations: [ATTESTATION] } : {};
}

/** What progression makes of the history of the last routine played. */
function decideNext() {
  const history = readJson(HISTORY_KEY, []);
  const last = history[history.length - 1];
  if (!last || !last.routine || !last.record) {
    ui.nextRoutine.replaceChildren(
      element("p", { class: "muted", text: "Play a session to get a suggestion." }));
    return;
  }
  const records = history
    .filter((entry) => entry.record && entry.routineId === last.routineId)
    .map((entry) => entry.record);
  let decision;
  try {
    decision = progress(catalog, { routine: last.routine, profile: progressProfile(), records });
  } catch (error) {
    ui.nextRoutine.replaceChildren(
      element("p", { class: "error", text: `Progression: ${errorText(error)}` }));
    return;
  }
  const routine = decision.routine ?? null;
  const changes = Array.isArray(decision.changes) ? decision.changes : [];
  const title = routine
    ? `${routine.name || routine.id || "Routine"}, from ${records.length} session(s)`
    : "No routine in the decision";
  const list = element(
    "ul",
    { class: "changes" },
    ...changes.map((change) =>
      element(
        "li",
        {},
        element("strong", { text: change.exerciseId || "routine" }),
        element("span", { class: `tag ${change.action}`, text: enumLabel(change.action, "") }),
        element("span", { class: "reason", text: change.reason || "" }),
      )),
  );
  const children = [element("p", { text: title })];
  if (changes.length > 0) children.push(list);
  else children.push(element("p", { class: "muted", text: "No changes." }));
  if (routine) {
    const use = element("button", { id: "use-next", type: "button", class: "primary" });
    use.textContent = "Use this routine next";
    use.addEventListener("click", () => {
      writeJson(NEXT_KEY, routine);
      addNextOption(routine);
      ui.select.value = NEXT_OPTION;
      prepare();
    });
    children.push(use);
  }
  ui.nextRoutine.replaceChildren(...children);
}

// ---------------------------------------------------------------------------------------------
// Today's posture prompts

function civilDate(date, timeZone) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(date);
  const get = (type) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

function renderPrompts() {
  let zone = "UTC";
  try {
    const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (local && Regimen.timeZones.includes(local)) zone = local;
  } catch {
    // UTC it is.
  }
  const today = civilDate(new Date(), zone);
  ui.promptsZone.textContent = `${today}, ${zone}`;
  let result;
  try {
    result = schedule(catalog, { profile: { timeZone: zone }, startDate: today, days: 1 });
  } catch (error) {
    ui.prompts.replaceChildren(element("li", { class: "error", text: errorText(error) }));
    return;
  }
  const prompts = Array.isArray(result.prompts) ? result.prompts : [];
  if (prompts.length === 0) {
    ui.prompts.replaceChildren(element("li", { class: "muted", text: "No prompts today." }));
    return;
  }
  const now = Date.now();
  ui.prompts.replaceChildren(
    ...prompts.map((prompt) => {
      const time = String(prompt.time ?? "");
      const clock = /T(\d\d:\d\d)/.exec(time)?.[1] ?? time;
      const at = Date.parse(time);
      const item = element(
        "li",
        { class: Number.isFinite(at) && at < now ? "past" : "" },
        element("time", { datetime: time, text: clock }),
        habitTexts.get(prompt.habitId)?.name || humanize(prompt.habitId || "habit"),
      );
      const text = prompt.text || habitTexts.get(prompt.habitId)?.text;
      if (text) item.append(element("span", { class: "text", text }));
      return item;
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Wiring

function isTextEntry(target) {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === "TEXTAREA") return true;
  if (target.tagName === "SELECT") return true;
  return target.tagName === "INPUT" && !["checkbox", "button", "range"].includes(target.type);
}

function wire() {
  ui.start.addEventListener("click", startSession);
  ui.pause.addEventListener("click", togglePause);
  ui.skip.addEventListener("click", () => signal("SKIP"));
  ui.stop.addEventListener("click", () => signal("STOP"));
  ui.done.addEventListener("click", () => signal("REP_DONE"));
  ui.mute.addEventListener("click", () => {
    muted = !muted;
    ui.mute.textContent = muted ? "Unmute" : "Mute";
    ui.mute.setAttribute("aria-pressed", String(muted));
    if (muted) hush();
  });
  if (!canSpeak) {
    ui.mute.disabled = true;
    ui.mute.title = "This browser has no speech synthesis";
  }
  ui.painSlider.addEventListener("input", () => {
    ui.painValue.textContent = ui.painSlider.value;
  });
  ui.reportPain.addEventListener("click", () =>
    report("PAIN", Number(ui.painSlider.value), undefined));
  ui.sideLeft.addEventListener("click", () => report("ASYMMETRY", 0, "LEFT"));
  ui.sideRight.addEventListener("click", () => report("ASYMMETRY", 0, "RIGHT"));
  ui.select.addEventListener("change", prepare);
  ui.attest.addEventListener("change", () => {
    prepare();
    if (readJson(HISTORY_KEY, []).length > 0) decideNext();
  });
  ui.clearHistory.addEventListener("click", () => {
    writeJson(HISTORY_KEY, null);
    renderHistory();
    decideNext();
  });

  // Space and "s" act on the session; on a focused button, space would also click it, so the
  // key's default is cancelled there (keydown and keyup).
  const keysApply = (event) =>
    live !== null && !live.done && !event.ctrlKey && !event.metaKey && !event.altKey &&
    !isTextEntry(event.target);
  document.addEventListener("keydown", (event) => {
    if (!keysApply(event)) return;
    if (event.key === " ") {
      event.preventDefault();
      if (!event.repeat) togglePause();
    } else if (event.key === "s" || event.key === "S") {
      event.preventDefault();
      if (!live.paused) signal("SKIP");
    }
  });
  // A hidden tab's timers are throttled: catch up as soon as it is shown again.
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && live && !live.done) act((now) => live.session.tick(now));
  });
  document.addEventListener("keyup", (event) => {
    if (event.key === " " && keysApply(event)) event.preventDefault();
  });
}

function registerServiceWorker() {
  if (!("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) return;
  navigator.serviceWorker.register("sw.js").catch((error) => {
    const reason = error && error.message ? error.message : error;
    console.info("Regimen player: no offline cache:", reason);
  });
}

/** The pack's routines (names and ids from the catalog itself) and its habits' prompt texts. */
let habitTexts = new Map();
function fillRoutines() {
  const pack = catalog.message();
  habitTexts = new Map((pack.habits ?? []).map((habit) => [habit.id, habit]));
  const routines = pack.routines ?? [];
  if (routines.length === 0) return;
  ui.select.replaceChildren(
    ...routines.map((routine) => element("option", { value: routine.id, text: routine.name || routine.id })),
  );
}

async function main() {
  wire();
  registerServiceWorker();
  try {
    await Regimen.load();
    catalog = Catalog.default();
  } catch (error) {
    setStatus("error", `could not load the engine: ${errorText(error)}`);
    return;
  }
  fillRoutines();
  const next = readJson(NEXT_KEY, null);
  if (next) addNextOption(next);
  const wanted = params.get("routine");
  if (wanted && [...ui.select.options].some((o) => o.value === wanted)) ui.select.value = wanted;
  ui.select.disabled = false;
  document.title = `Regimen player · engine ${Regimen.version()}`;
  renderHistory();
  decideNext();
  renderPrompts();
  prepare();
  if (params.get("autostart") === "1" && plan) startSession();
}

main();
