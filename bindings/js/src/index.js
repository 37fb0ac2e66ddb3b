// Regimen for JavaScript: the C API (include/regimen/regimen.h) compiled to WebAssembly, wrapped
// in classes that own their handles. Messages cross the boundary in the protobuf binary format
// (the module is built against protobuf-lite); src/proto.js turns them into objects in the
// protobuf JSON mapping and back. Types and documentation: index.d.ts; guide: docs/bindings.md.
import createRegimenModule from "../dist/regimen_wasm.mjs";
import { schemaTable } from "../dist/schema.js";
import { timeZones } from "../dist/zones.js";
import { CodecError, Schema, decode as decodeWith, encode as encodeWith } from "./proto.js";

const schema = new Schema(schemaTable);
const disposeSymbol = Symbol.dispose ?? Symbol.for("Symbol.dispose");

const STATUS_INVALID_ARGUMENT = 3;
const STATUS_FAILED_PRECONDITION = 9;
const FORMAT_BINARY = 0;

// The layout of rgm_event in wasm32 (checked at build time by bindings/js/wasm/layout.c), in
// 32-bit words: struct_size 0, type 1, at_ms 2-3 (low, high), block_index 4, set_index 5,
// rep_index 6, side 7, duration_ms 8-9, exercise_id 10, phase 11, cue_id 12, text 13.
const EVENT_SIZE = 56;

const SIGNALS = { PAUSE: 1, RESUME: 2, SKIP: 3, REP_DONE: 4, STOP: 5 };
const REPORTS = { PAIN: 1, ASYMMETRY: 2, EFFORT: 3 };
const SIDES = { NONE: 0, LEFT: 1, RIGHT: 2 };
const SIDE_NAMES = ["NONE", "LEFT", "RIGHT"];

let wasm = null; // the instantiated module, once load() has resolved
let loading = null;
let eventTypeNames = [];

/** A failed call: the C API's status and rgm_last_error's message. */
export class RegimenError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = "RegimenError";
    this.status = status;
    this.code = code;
  }
}

function invalidArgument(message) {
  return new RegimenError(STATUS_INVALID_ARGUMENT, "INVALID_ARGUMENT", message);
}

function module() {
  if (wasm === null) {
    throw new RegimenError(STATUS_FAILED_PRECONDITION, "FAILED_PRECONDITION",
      "the WebAssembly module is not loaded: await Regimen.load() first");
  }
  return wasm;
}

function isNode() {
  return typeof process === "object" && typeof process.versions?.node === "string";
}

async function wasmBytes(options) {
  if (options.wasmBinary !== undefined) return options.wasmBinary;
  const url = options.wasmUrl !== undefined ? new URL(options.wasmUrl, import.meta.url)
    : new URL("../dist/regimen_wasm.wasm", import.meta.url);
  if (url.protocol === "file:" && isNode()) {
    const { readFile } = await import("node:fs/promises");
    return readFile(url);
  }
  const response = await fetch(url);
  if (!response.ok) {
    throw new RegimenError(STATUS_FAILED_PRECONDITION, "FAILED_PRECONDITION",
      `cannot load ${url}: HTTP ${response.status}`);
  }
  return response.arrayBuffer();
}

async function instantiate(options) {
  const wasmBinary = await wasmBytes(options);
  const m = await createRegimenModule({
    wasmBinary,
    print: (line) => console.log(line),
    printErr: (line) => console.warn(line),
  });
  eventTypeNames = [];
  for (let type = 0; type <= 12; ++type) {
    eventTypeNames.push(m.UTF8ToString(m._rgm_event_type_name(type)));
  }
  wasm = m;
  return Regimen;
}

export const Regimen = {
  /** Loads and instantiates the module once; later calls return the same promise. */
  load(options = {}) {
    if (loading === null) {
      loading = instantiate(options).catch((error) => {
        loading = null;
        throw error;
      });
    }
    return loading;
  },
  get loaded() {
    return wasm !== null;
  },
  version() {
    const m = module();
    return m.UTF8ToString(m._rgm_version());
  },
  timeZones,
  /** The size of the module's linear memory, bytes (it grows, never shrinks): for leak checks. */
  memoryBytes() {
    return module().HEAPU8.buffer.byteLength;
  },
};

// --- Calls across the boundary --------------------------------------------------------------

function failure(m, status) {
  return new RegimenError(status, m.UTF8ToString(m._rgm_status_name(status)),
    m.UTF8ToString(m._rgm_last_error()));
}

function check(m, status) {
  if (status !== 0) throw failure(m, status);
}

const utf8 = new TextDecoder("utf-8");

// Event strings mostly point into a session's compiled plan, so the same few hundred addresses
// come back again and again: remember each one's bytes and string, and hand the string out again
// only when the bytes at that address are still the same (memory is reused after a free).
const stringCache = new Map();
const STRING_CACHE_LIMIT = 4096;

/** The NUL-terminated UTF-8 string at `pointer` ("" for NULL). */
function cString(m, pointer) {
  if (pointer === 0) return "";
  const heap = m.HEAPU8;
  if (heap[pointer] === 0) return "";
  const cached = stringCache.get(pointer);
  if (cached !== undefined) {
    const bytes = cached.bytes;
    const n = bytes.length;
    let same = heap[pointer + n] === 0;
    for (let i = 0; same && i < n; ++i) same = heap[pointer + i] === bytes[i];
    if (same) return cached.text;
  }
  const end = heap.indexOf(0, pointer);
  const text = utf8.decode(heap.subarray(pointer, end));
  if (stringCache.size >= STRING_CACHE_LIMIT) stringCache.clear();
  stringCache.set(pointer, { bytes: heap.slice(pointer, end), text });
  return text;
}

/** Calls fn(pointer, size) with `bytes` copied into the module's memory. */
function withBytes(m, bytes, fn) {
  const pointer = m._malloc(Math.max(bytes.length, 1));
  m.HEAPU8.set(bytes, pointer);
  try {
    return fn(pointer, bytes.length);
  } finally {
    m._free(pointer);
  }
}

function withString(m, text, fn) {
  const size = m.lengthBytesUTF8(text) + 1;
  const pointer = m._malloc(size);
  m.stringToUTF8(text, pointer, size);
  try {
    return fn(pointer);
  } finally {
    m._free(pointer);
  }
}

/** Calls fn(rgm_buffer*) and returns the bytes it wrote (copied out, then freed). */
function takeBuffer(m, fn) {
  const buffer = m._malloc(8);
  m.HEAPU32[buffer >> 2] = 0;
  m.HEAPU32[(buffer >> 2) + 1] = 0;
  try {
    check(m, fn(buffer));
    const data = m.HEAPU32[buffer >> 2];
    const size = m.HEAPU32[(buffer >> 2) + 1];
    const out = m.HEAPU8.slice(data, data + size);
    m._rgm_buffer_free(buffer);
    return out;
  } finally {
    m._free(buffer);
  }
}

/** Calls fn(handle**) and returns the handle it wrote. */
function takeHandle(m, fn) {
  const out = m._malloc(4);
  m.HEAPU32[out >> 2] = 0;
  try {
    check(m, fn(out));
    return m.HEAPU32[out >> 2];
  } finally {
    m._free(out);
  }
}

/** Encodes an object of `type` in the JSON mapping; passes bytes through. */
function messageBytes(type, input, what) {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (input === null || typeof input !== "object") {
    throw invalidArgument(`${what}: expected a ${type} object or its bytes, got ${typeof input}`);
  }
  try {
    return encodeWith(schema, type, input);
  } catch (error) {
    if (error instanceof CodecError) throw invalidArgument(`${what}: ${error.message}`);
    throw error;
  }
}

function messageObject(type, bytes, options) {
  try {
    return decodeWith(schema, type, bytes, options);
  } catch (error) {
    if (error instanceof CodecError) throw invalidArgument(`${type}: ${error.message}`);
    throw error;
  }
}

function timeArgument(nowMs) {
  if (typeof nowMs === "bigint") return nowMs;
  if (typeof nowMs !== "number" || !Number.isFinite(nowMs)) {
    throw invalidArgument(`nowMs: expected a finite number of milliseconds, got ${nowMs}`);
  }
  return BigInt(Math.floor(nowMs));
}

function enumArgument(table, value, what) {
  if (Object.prototype.hasOwnProperty.call(table, value)) return table[value];
  throw invalidArgument(`${what}: ${JSON.stringify(value)} is not one of ${Object.keys(table).join(", ")}`);
}

// Handles are freed by close(); a FinalizationRegistry frees those a host forgot.
const catalogs = new FinalizationRegistry((pointer) => wasm?._rgm_catalog_free(pointer));
const sessions = new FinalizationRegistry(({ pointer, event }) => {
  wasm?._rgm_session_free(pointer);
  wasm?._free(event);
});

// --- Catalog --------------------------------------------------------------------------------

const fromHandle = Symbol("fromHandle");

export class Catalog {
  #pointer;

  constructor(token, pointer) {
    if (token !== fromHandle) {
      throw new TypeError("use Catalog.default() or Catalog.parse(...)");
    }
    this.#pointer = pointer;
    catalogs.register(this, pointer, this);
  }

  static default() {
    const m = module();
    return new Catalog(fromHandle, takeHandle(m, (out) => m._rgm_catalog_default(out)));
  }

  static parse(catalog) {
    const m = module();
    const bytes = messageBytes("regimen.v1.Catalog", catalog, "catalog");
    return new Catalog(fromHandle, takeHandle(m, (out) =>
      withBytes(m, bytes, (data, size) => m._rgm_catalog_parse(data, size, FORMAT_BINARY, out))));
  }

  /** @internal the rgm_catalog* (throws once closed). */
  get handle() {
    if (this.#pointer === 0) {
      throw new RegimenError(STATUS_FAILED_PRECONDITION, "FAILED_PRECONDITION", "the catalog is closed");
    }
    return this.#pointer;
  }

  routineBytes(id) {
    if (typeof id !== "string") throw invalidArgument(`routine id: expected a string, got ${typeof id}`);
    const m = module();
    const handle = this.handle;
    return takeBuffer(m, (out) =>
      withString(m, id, (name) => m._rgm_catalog_routine(handle, name, FORMAT_BINARY, out)));
  }

  routine(id) {
    return messageObject("regimen.v1.Routine", this.routineBytes(id));
  }

  /** The whole pack (regimen.v1.Catalog) in the binary format (rgm_catalog_serialize). */
  bytes() {
    const m = module();
    const handle = this.handle;
    return takeBuffer(m, (out) => m._rgm_catalog_serialize(handle, FORMAT_BINARY, out));
  }

  /** The whole pack as a regimen.v1.Catalog object: exercises and cues, routines, habits. */
  message() {
    return messageObject("regimen.v1.Catalog", this.bytes());
  }

  /** The ids of the pack's routines, in the pack's order. */
  routineIds() {
    return (this.message().routines ?? []).map((routine) => routine.id);
  }

  close() {
    if (this.#pointer !== 0) {
      catalogs.unregister(this);
      module()._rgm_catalog_free(this.#pointer);
      this.#pointer = 0;
    }
  }

  [disposeSymbol]() {
    this.close();
  }
}

// --- Session --------------------------------------------------------------------------------

export class Session {
  #pointer = 0;
  #event = 0;

  constructor(catalog, routine, options) {
    if (catalog === fromHandle) {
      this.#adopt(routine);
      return;
    }
    if (!(catalog instanceof Catalog)) throw invalidArgument("catalog: expected a Catalog");
    const m = module();
    const routineBytes = typeof routine === "string" ? catalog.routineBytes(routine)
      : messageBytes("regimen.v1.Routine", routine, "routine");
    const optionBytes = options === undefined || options === null ? new Uint8Array(0)
      : messageBytes("regimen.v1.SessionOptions", options, "options");
    const handle = catalog.handle;
    const pointer = takeHandle(m, (out) =>
      withBytes(m, routineBytes, (r, rSize) =>
        withBytes(m, optionBytes, (o, oSize) =>
          m._rgm_session_new_with_options(handle, r, rSize, FORMAT_BINARY, oSize === 0 ? 0 : o,
            oSize, FORMAT_BINARY, out))));
    this.#adopt(pointer);
  }

  #adopt(pointer) {
    const m = module();
    this.#pointer = pointer;
    this.#event = m._malloc(EVENT_SIZE);
    sessions.register(this, { pointer, event: this.#event }, this);
  }

  static restore(snapshot) {
    const m = module();
    const bytes = messageBytes("regimen.v1.SessionSnapshot", snapshot, "snapshot");
    const pointer = takeHandle(m, (out) =>
      withBytes(m, bytes, (data, size) => m._rgm_session_restore(data, size, FORMAT_BINARY, out)));
    return new Session(fromHandle, pointer);
  }

  get #handle() {
    if (this.#pointer === 0) {
      throw new RegimenError(STATUS_FAILED_PRECONDITION, "FAILED_PRECONDITION", "the session is closed");
    }
    return this.#pointer;
  }

  start(nowMs) {
    const m = module();
    check(m, m._rgm_session_start(this.#handle, timeArgument(nowMs)));
  }

  tick(nowMs) {
    const m = module();
    check(m, m._rgm_session_tick(this.#handle, timeArgument(nowMs)));
  }

  signal(signal, nowMs) {
    const m = module();
    const value = enumArgument(SIGNALS, signal, "signal");
    check(m, m._rgm_session_signal(this.#handle, value, timeArgument(nowMs)));
  }

  report(kind, value, side, nowMs) {
    const m = module();
    const k = enumArgument(REPORTS, kind, "report kind");
    const s = side === undefined || side === null ? 0 : enumArgument(SIDES, side, "side");
    if (!Number.isInteger(value)) throw invalidArgument(`report value: expected an integer, got ${value}`);
    check(m, m._rgm_session_report(this.#handle, k, value, s, timeArgument(nowMs)));
  }

  /**
   * The host's speech of cue `cueId` (a CUE event's cueId) really ended at `nowMs`: the next cue
   * starts only after that plus the cue gap (see SessionOptions.awaitSpeechEnd).
   */
  speechEnded(cueId, nowMs) {
    const m = module();
    if (typeof cueId !== "string") throw invalidArgument(`cueId: expected a string, got ${typeof cueId}`);
    const handle = this.#handle;
    const at = timeArgument(nowMs);
    check(m, withString(m, cueId, (id) => m._rgm_session_speech_ended(handle, id, at)));
  }

  poll() {
    const m = module();
    const handle = this.#handle;
    const e = this.#event;
    const u32 = m.HEAPU32;
    u32[e >> 2] = EVENT_SIZE;
    if (m._rgm_session_poll(handle, e) === 0) return null;
    // Read after the call: the call may grow the memory, which replaces the typed arrays.
    const i32 = m.HEAP32;
    const w = e >> 2;
    return {
      type: eventTypeNames[i32[w + 1]] ?? "UNKNOWN",
      atMs: i32[w + 3] * 4294967296 + m.HEAPU32[w + 2],
      blockIndex: i32[w + 4],
      setIndex: i32[w + 5],
      repIndex: i32[w + 6],
      side: SIDE_NAMES[i32[w + 7]] ?? "NONE",
      durationMs: i32[w + 9] * 4294967296 + m.HEAPU32[w + 8],
      exerciseId: cString(m, m.HEAPU32[w + 10]),
      phase: cString(m, m.HEAPU32[w + 11]),
      cueId: cString(m, m.HEAPU32[w + 12]),
      text: cString(m, m.HEAPU32[w + 13]),
    };
  }

  events() {
    const out = [];
    for (let event = this.poll(); event !== null; event = this.poll()) out.push(event);
    return out;
  }

  get nextDeadline() {
    return Number(module()._rgm_session_next_deadline(this.#handle));
  }

  get finished() {
    return module()._rgm_session_finished(this.#handle) !== 0;
  }

  snapshot() {
    const m = module();
    const handle = this.#handle;
    return takeBuffer(m, (out) => m._rgm_session_snapshot(handle, FORMAT_BINARY, out));
  }

  recordBytes() {
    const m = module();
    const handle = this.#handle;
    return takeBuffer(m, (out) => m._rgm_session_record(handle, FORMAT_BINARY, out));
  }

  record() {
    return messageObject("regimen.v1.SessionRecord", this.recordBytes());
  }

  close() {
    if (this.#pointer !== 0) {
      const m = module();
      sessions.unregister(this);
      m._rgm_session_free(this.#pointer);
      m._free(this.#event);
      this.#pointer = 0;
      this.#event = 0;
    }
  }

  [disposeSymbol]() {
    this.close();
  }
}

// --- Routines, progression and schedules ----------------------------------------------------

// A call that takes a message of `inType` against a catalog and writes bytes into an rgm_buffer:
// the bytes it wrote.
function callWithMessage(catalog, input, inType, what, call) {
  if (!(catalog instanceof Catalog)) throw invalidArgument("catalog: expected a Catalog");
  const m = module();
  const bytes = messageBytes(inType, input, what);
  const handle = catalog.handle;
  return takeBuffer(m, (buffer) =>
    withBytes(m, bytes, (data, size) => call(m, handle, data, size, buffer)));
}

// The same when the answer is a message of `outType`: that message as an object.
function answer(catalog, input, inType, outType, what, call) {
  return messageObject(outType, callWithMessage(catalog, input, inType, what, call));
}

export function generate(catalog, profile) {
  return answer(catalog, profile, "regimen.v1.Profile", "regimen.v1.Routine", "profile",
    (m, c, data, size, out) => m._rgm_routine_generate(c, data, size, FORMAT_BINARY, out));
}

export function progress(catalog, request) {
  return answer(catalog, request, "regimen.v1.ProgressRequest", "regimen.v1.ProgressDecision",
    "request", (m, c, data, size, out) => m._rgm_progress(c, data, size, FORMAT_BINARY, out));
}

export function schedule(catalog, request) {
  return answer(catalog, request, "regimen.v1.ScheduleRequest", "regimen.v1.Schedule", "request",
    (m, c, data, size, out) => m._rgm_schedule(c, data, size, FORMAT_BINARY, out));
}

/** A FIT workout file (Garmin's format, for a watch) of a routine (an id, an object or bytes). */
export function exportFitWorkout(catalog, routine) {
  const input = typeof routine === "string" && catalog instanceof Catalog
    ? catalog.routineBytes(routine) : routine;
  return callWithMessage(catalog, input, "regimen.v1.Routine", "routine",
    (m, c, data, size, out) => m._rgm_routine_export_fit(c, data, size, FORMAT_BINARY, out));
}

/** A FIT activity file of a session record (an object or bytes) whose times are Unix ms. */
export function exportFitActivity(catalog, record) {
  return callWithMessage(catalog, record, "regimen.v1.SessionRecord", "record",
    (m, c, data, size, out) => m._rgm_record_export_fit(c, data, size, FORMAT_BINARY, out));
}

/** Encodes a message object of `type` (e.g. "regimen.v1.Routine") in the binary format. */
export function encode(type, message) {
  return messageBytes(type, message, type);
}

/** Decodes binary bytes of `type` into an object in the JSON mapping. */
export function decode(type, bytes, options = {}) {
  return messageObject(type, bytes, options);
}
