// Regimen for JavaScript: the exercise engine compiled to WebAssembly.
//
// Messages (routines, options, profiles, records, decisions, schedules) are plain objects in the
// protobuf JSON mapping of proto/regimen/v1 (lowerCamelCase names, 64-bit integers as strings,
// enums as their names), the same shapes the C API's RGM_FORMAT_JSON and the CLI use. Every
// function that takes a message also takes its binary encoding as a Uint8Array.

/** A status name of the C API (rgm_status_name). */
export type StatusName =
  | "INVALID_ARGUMENT"
  | "NOT_FOUND"
  | "RESOURCE_EXHAUSTED"
  | "FAILED_PRECONDITION"
  | "OUT_OF_RANGE"
  | "UNIMPLEMENTED"
  | "INTERNAL"
  | "UNKNOWN";

/** A failed call: the C API's status (code and name) and rgm_last_error's message. */
export class RegimenError extends Error {
  readonly name: "RegimenError";
  /** The rgm_status value, e.g. 3. */
  readonly status: number;
  /** The status name, e.g. "INVALID_ARGUMENT". */
  readonly code: StatusName;
}

export interface LoadOptions {
  /** Where regimen_wasm.wasm is; default: beside the package's dist/regimen_wasm.mjs. */
  wasmUrl?: string | URL;
  /** The module's bytes, when the host has them already (no fetch, no file read). */
  wasmBinary?: ArrayBuffer | Uint8Array;
}

/** A protobuf message in its JSON mapping. */
export type Message = { [field: string]: unknown };
/** A message as an object in the JSON mapping, or its binary encoding. */
export type MessageInput = Message | Uint8Array;

export const Regimen: {
  /** Loads and instantiates the WebAssembly module once; later calls return the same promise. */
  load(options?: LoadOptions): Promise<typeof Regimen>;
  /** True once load() has resolved. */
  readonly loaded: boolean;
  /** "MAJOR.MINOR.PATCH" of the engine (rgm_version). Requires load(). */
  version(): string;
  /** The IANA time zones the module carries (profiles naming another zone are refused). */
  readonly timeZones: readonly string[];
  /** The size of the module's linear memory in bytes (it grows, never shrinks): for leak checks. */
  memoryBytes(): number;
};

/** A validated, immutable content pack. Free it with close() (or `using`). */
export class Catalog {
  /** The built-in back-care pack (routines back_basics and back_basics_plus). */
  static default(): Catalog;
  /** A regimen.v1.Catalog, validated; RegimenError INVALID_ARGUMENT names every problem. */
  static parse(catalog: MessageInput): Catalog;
  /** The routine `id` as a regimen.v1.Routine object; NOT_FOUND when there is none. */
  routine(id: string): Message;
  /** The routine `id` in the binary format. */
  routineBytes(id: string): Uint8Array;
  /** The whole pack (regimen.v1.Catalog) as an object: exercises and cues, routines, habits. */
  message(): Message;
  /** The whole pack in the binary format. */
  bytes(): Uint8Array;
  /** The ids of the pack's routines, in the pack's order. */
  routineIds(): string[];
  close(): void;
  [Symbol.dispose](): void;
}

export type Signal = "PAUSE" | "RESUME" | "SKIP" | "REP_DONE" | "STOP";
export type ReportKind = "PAIN" | "ASYMMETRY" | "EFFORT";
export type Side = "NONE" | "LEFT" | "RIGHT";
export type EventType =
  | "SESSION_STARTED"
  | "EXERCISE_STARTED"
  | "PHASE_STARTED"
  | "CUE"
  | "REP_COMPLETED"
  | "SET_COMPLETED"
  | "EXERCISE_COMPLETED"
  | "PAUSED"
  | "RESUMED"
  | "SAFETY_STOP"
  | "SESSION_COMPLETED"
  | "CUE_SKIPPED";

/** One event (rgm_event): what to show and say. Strings are copies: keep them as long as needed. */
export interface SessionEvent {
  type: EventType;
  /** When it was scheduled to happen, ms on the host's clock. */
  atMs: number;
  /** Position in the routine; -1 where none. */
  blockIndex: number;
  setIndex: number;
  repIndex: number;
  side: Side;
  /** Planned length of the phase that starts, ms; -1 when open-ended or not a phase. */
  durationMs: number;
  exerciseId: string;
  /** Phase kind name, e.g. "hold"; "" when none. */
  phase: string;
  /** CUE and CUE_SKIPPED only, else "". */
  cueId: string;
  /** The words to show or speak (CUE, CUE_SKIPPED); a short label otherwise. */
  text: string;
}

/**
 * regimen.v1.SessionOptions in the JSON mapping, e.g. { attestations: ["..."] } or
 * { locale: "de", awaitSpeechEnd: true } (a BCP 47 tag; see speechEnded).
 */
export type SessionOptions = Message;

/** A running routine. Drive it with time (ms) and inputs; read its events. Free with close(). */
export class Session {
  /** A session of `routine` (a routine id of the catalog, a Routine object or its bytes). */
  constructor(catalog: Catalog, routine: string | MessageInput, options?: SessionOptions | Uint8Array);
  /** A session from snapshot bytes (snapshot()); needs no catalog. */
  static restore(snapshot: Uint8Array): Session;
  start(nowMs: number): void;
  tick(nowMs: number): void;
  signal(signal: Signal, nowMs: number): void;
  /** A report: pain or effort 0..10 (side optional), or the side that takes over (ASYMMETRY). */
  report(kind: ReportKind, value: number, side: Side | undefined, nowMs: number): void;
  /** The host's speech of cue `cueId` really ended at `nowMs`; the next cue waits for it. */
  speechEnded(cueId: string, nowMs: number): void;
  /** The oldest pending event, or null when there is none. */
  poll(): SessionEvent | null;
  /** Every pending event, oldest first (polls until empty). */
  events(): SessionEvent[];
  /** When the next timed transition is due, ms; -1 when none is pending. */
  readonly nextDeadline: number;
  /** True once SESSION_COMPLETED was emitted. */
  readonly finished: boolean;
  /** The session's complete state (regimen.v1.SessionSnapshot, binary). */
  snapshot(): Uint8Array;
  /** What has happened so far, as a regimen.v1.SessionRecord object. */
  record(): Message;
  /** The record in the binary format. */
  recordBytes(): Uint8Array;
  close(): void;
  [Symbol.dispose](): void;
}

/** A routine (regimen.v1.Routine) for a profile (regimen.v1.Profile). */
export function generate(catalog: Catalog, profile: MessageInput): Message;
/** The next step (regimen.v1.ProgressDecision) for a regimen.v1.ProgressRequest. */
export function progress(catalog: Catalog, request: MessageInput): Message;
/** Session days and habit prompts (regimen.v1.Schedule) for a regimen.v1.ScheduleRequest. */
export function schedule(catalog: Catalog, request: MessageInput): Message;

/** A FIT workout file (Garmin's format, for a watch) of a routine: one step per exercise and
 *  side, repeats for sets, rest steps. A gated exercise is refused (FAILED_PRECONDITION). */
export function exportFitWorkout(catalog: Catalog, routine: string | MessageInput): Uint8Array;
/** A FIT activity file of a session record whose times are Unix ms (a session started on the
 *  wall clock, e.g. Date.now()): laps and sets per block, the session's elapsed and active time. */
export function exportFitActivity(catalog: Catalog, record: MessageInput): Uint8Array;

/** Encodes a message object of type `type` (e.g. "regimen.v1.Routine") in the binary format. */
export function encode(type: string, message: Message): Uint8Array;
/** Decodes binary bytes of type `type` into an object in the JSON mapping. With allFields,
 *  fields at their default value are included (as the CLI's JSON output does). */
export function decode(type: string, bytes: Uint8Array, options?: { allFields?: boolean }): Message;
