package dev.regimen;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A running routine, driven by the host's monotonic milliseconds (on Android, {@code
 * SystemClock.elapsedRealtime()}). Feed it time and the user's signals; poll what it emits.
 *
 * <pre>{@code
 * session.start(now());
 * while (!session.isFinished()) {
 *   for (Event e : session.events()) {
 *     if (e.getType() == Event.Type.CUE) speak(e.getText());
 *   }
 *   long deadline = session.nextDeadline();   // -1: nothing timed, wait for the user
 *   sleepUntil(deadline);
 *   session.tick(now());
 * }
 * }</pre>
 *
 * <p>Calls after the session finished throw FAILED_PRECONDITION; a time before the previous
 * input's throws INVALID_ARGUMENT and changes nothing. Methods are synchronized (the C library
 * allows one thread per session at a time). Release with {@link #close()}; an unreachable session
 * is released as a safety net (a PhantomReference, see Native.Handle).
 */
public final class Session implements AutoCloseable {
  /** What a user reports; values equal {@code rgm_report}. */
  public enum Report {
    /** Value 0..10; side optional. At the stop threshold: SAFETY_STOP, and the session ends. */
    PAIN(1),
    /** The side that takes over; value unused. */
    ASYMMETRY(2),
    /** Value 0..10, rate of perceived exertion. */
    EFFORT(3);

    final int value;

    Report(int value) {
      this.value = value;
    }
  }

  private static final int PAUSE = 1;
  private static final int RESUME = 2;
  private static final int SKIP = 3;
  private static final int REP_DONE = 4;
  private static final int STOP = 5;

  private final Native.Handle handle;

  private Session(long pointer) {
    handle = new Native.Handle(this, pointer, true);
  }

  /**
   * A session running {@code routine} (a regimen.v1.Routine in {@code format}) against {@code
   * catalog}. It carries its compiled plan, so the catalog may be closed while it runs.
   *
   * @throws RegimenException INVALID_ARGUMENT for a malformed routine or one the catalog cannot
   *     run (e.g. an unknown exercise id, or a first block that is not the primer; the message
   *     names the block and field); FAILED_PRECONDITION for a routine holding a gated exercise,
   *     which needs the attestations of {@link #Session(Catalog, byte[], Format, byte[], Format)}
   */
  public Session(Catalog catalog, byte[] routine, Format format) {
    this(newSession(catalog, routine, format, null, Format.BINARY));
  }

  /**
   * The same with session options: a regimen.v1.SessionOptions message in {@code optionsFormat}
   * (breath period, speaking rate, pain threshold, cue timing, and the attestations the user
   * gives); null = the defaults. A routine holding a gated exercise runs only when the options
   * carry every attestation its gate names, e.g. for back_basics_plus (the rock):
   *
   * <pre>{@code
   * byte[] options = "{\"attestations\": [\"spine_flexible_strong_balanced\"]}"
   *     .getBytes(StandardCharsets.UTF_8);
   * new Session(pack, pack.routine("back_basics_plus", Format.BINARY), Format.BINARY,
   *     options, Format.JSON);
   * }</pre>
   *
   * @throws RegimenException FAILED_PRECONDITION for a gated exercise without its attestations
   *     (the message names the exercise and the missing attestation); INVALID_ARGUMENT as for
   *     {@link #Session(Catalog, byte[], Format)}, and for options that do not parse, hold a
   *     value out of range or an attestation the catalog does not declare
   */
  public Session(
      Catalog catalog, byte[] routine, Format format, byte[] options, Format optionsFormat) {
    this(newSession(catalog, routine, format, options, optionsFormat));
  }

  private static long newSession(
      Catalog catalog, byte[] routine, Format format, byte[] options, Format optionsFormat) {
    Objects.requireNonNull(routine, "routine");
    Objects.requireNonNull(optionsFormat, "optionsFormat");
    Native.Handle owner = catalog.handle();
    long p = owner.acquire("catalog");
    try {
      if (options == null) {
        return Native.sessionNew(p, routine, format.value);
      }
      return Native.sessionNewWithOptions(p, routine, format.value, options, optionsFormat.value);
    } finally {
      owner.release();
    }
  }

  /** A session from {@link #snapshot(Format)}; needs no catalog. */
  public static Session restore(byte[] snapshot, Format format) {
    Objects.requireNonNull(snapshot, "snapshot");
    return new Session(Native.sessionRestore(snapshot, format.value));
  }

  /** Starts the session (SESSION_STARTED and the count-in). */
  public synchronized void start(long nowMs) {
    long p = handle.acquire("session");
    try {
      Native.sessionStart(p, nowMs);
    } finally {
      handle.release();
    }
  }

  /** Emits every event scheduled at or before {@code nowMs}. */
  public synchronized void tick(long nowMs) {
    long p = handle.acquire("session");
    try {
      Native.sessionTick(p, nowMs);
    } finally {
      handle.release();
    }
  }

  /** Freezes every timer; pausing while paused changes nothing. */
  public synchronized void pause(long nowMs) {
    long p = handle.acquire("session");
    try {
      Native.sessionSignal(p, PAUSE, nowMs);
    } finally {
      handle.release();
    }
  }

  /** Shifts the rest of the schedule by the paused time; resuming while running is a no-op. */
  public synchronized void resume(long nowMs) {
    long p = handle.acquire("session");
    try {
      Native.sessionSignal(p, RESUME, nowMs);
    } finally {
      handle.release();
    }
  }

  /** Ends the current exercise and moves to the next. */
  public synchronized void skip(long nowMs) {
    long p = handle.acquire("session");
    try {
      Native.sessionSignal(p, SKIP, nowMs);
    } finally {
      handle.release();
    }
  }

  /** Ends a phase that waits for the user. */
  public synchronized void repDone(long nowMs) {
    long p = handle.acquire("session");
    try {
      Native.sessionSignal(p, REP_DONE, nowMs);
    } finally {
      handle.release();
    }
  }

  /** Ends the session: SESSION_COMPLETED follows and the record says stopped. */
  public synchronized void stop(long nowMs) {
    long p = handle.acquire("session");
    try {
      Native.sessionSignal(p, STOP, nowMs);
    } finally {
      handle.release();
    }
  }

  /** A user report; see {@link Report} for the value. */
  public synchronized void report(Report kind, int value, Event.Side side, long nowMs) {
    long p = handle.acquire("session");
    try {
      Native.sessionReport(p, kind.value, value, side.ordinal(), nowMs);
    } finally {
      handle.release();
    }
  }

  /**
   * The host's speech of cue {@code cueId} (a CUE event's cue id) really ended at {@code nowMs}:
   * the next cue starts only after that plus the cue gap. With {@code await_speech_end} unset in
   * the options, once one end is reported every later cue waits for its own. Throws
   * RegimenException NOT_FOUND for a cue the session's plan does not have.
   */
  public synchronized void speechEnded(String cueId, long nowMs) {
    long p = handle.acquire("session");
    try {
      Native.sessionSpeechEnded(p, cueId, nowMs);
    } finally {
      handle.release();
    }
  }

  /** When the next timed transition is due, ms; -1 when no timer is pending. */
  public synchronized long nextDeadline() {
    long p = handle.acquire("session");
    try {
      return Native.sessionNextDeadline(p);
    } finally {
      handle.release();
    }
  }

  /** True once SESSION_COMPLETED was emitted. */
  public synchronized boolean isFinished() {
    long p = handle.acquire("session");
    try {
      return Native.sessionFinished(p);
    } finally {
      handle.release();
    }
  }

  /** The oldest pending event, or null when there is none. */
  public synchronized Event poll() {
    long p = handle.acquire("session");
    try {
      return Native.sessionPoll(p);
    } finally {
      handle.release();
    }
  }

  /** Every pending event, oldest first. */
  public synchronized List<Event> events() {
    List<Event> out = new ArrayList<>();
    for (Event e = poll(); e != null; e = poll()) {
      out.add(e);
    }
    return out;
  }

  /** The session's complete state, for {@link #restore(byte[], Format)}. */
  public synchronized byte[] snapshot(Format format) {
    long p = handle.acquire("session");
    try {
      return Native.sessionSnapshot(p, format.value);
    } finally {
      handle.release();
    }
  }

  /** What happened so far: a regimen.v1.SessionRecord in {@code format}. */
  public synchronized byte[] record(Format format) {
    long p = handle.acquire("session");
    try {
      return Native.sessionRecord(p, format.value);
    } finally {
      handle.release();
    }
  }

  /** {@link #record(Format)} in the JSON mapping. */
  public String recordJson() {
    return new String(record(Format.JSON), StandardCharsets.UTF_8);
  }

  /** True until {@link #close()}. */
  public boolean isOpen() {
    return handle.isOpen();
  }

  /** Releases the native session now. Idempotent. */
  @Override
  public synchronized void close() {
    handle.close();
  }

  /** The handle, for the tests. */
  Native.Handle handle() {
    return handle;
  }
}
