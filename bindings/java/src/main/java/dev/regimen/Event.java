package dev.regimen;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One thing that happened in a session, copied out of the library (it stays valid forever).
 * Indices are -1 where they do not apply; strings are "" when absent.
 */
public final class Event {
  /** What an event announces; values equal {@code rgm_event_type}. */
  public enum Type {
    SESSION_STARTED,
    EXERCISE_STARTED,
    PHASE_STARTED,
    CUE,
    REP_COMPLETED,
    SET_COMPLETED,
    EXERCISE_COMPLETED,
    PAUSED,
    RESUMED,
    SAFETY_STOP,
    SESSION_COMPLETED,
    /** A cue that could not be spoken in time: cueId and text say which, to show it instead. */
    CUE_SKIPPED;

    static Type of(int value) {
      Type[] all = values();
      if (value < 1 || value > all.length) {
        throw new RegimenException(13, "INTERNAL", "unknown event type " + value);
      }
      return all[value - 1];
    }
  }

  /** A body side; NONE for bilateral exercises. Values equal {@code rgm_side}. */
  public enum Side {
    NONE,
    LEFT,
    RIGHT;

    static Side of(int value) {
      return value == 1 ? LEFT : value == 2 ? RIGHT : NONE;
    }
  }

  private final Type type;
  private final long atMs;
  private final int blockIndex;
  private final int setIndex;
  private final int repIndex;
  private final Side side;
  private final long durationMs;
  private final String exerciseId;
  private final String phase;
  private final String cueId;
  private final String text;

  public Event(
      Type type,
      long atMs,
      int blockIndex,
      int setIndex,
      int repIndex,
      Side side,
      long durationMs,
      String exerciseId,
      String phase,
      String cueId,
      String text) {
    this.type = Objects.requireNonNull(type);
    this.atMs = atMs;
    this.blockIndex = blockIndex;
    this.setIndex = setIndex;
    this.repIndex = repIndex;
    this.side = Objects.requireNonNull(side);
    this.durationMs = durationMs;
    this.exerciseId = Objects.requireNonNull(exerciseId);
    this.phase = Objects.requireNonNull(phase);
    this.cueId = Objects.requireNonNull(cueId);
    this.text = Objects.requireNonNull(text);
  }

  /** Called by the JNI glue: the borrowed C strings arrive as UTF-8 byte copies. */
  static Event fromNative(
      int type,
      long atMs,
      int blockIndex,
      int setIndex,
      int repIndex,
      int side,
      long durationMs,
      byte[] exerciseId,
      byte[] phase,
      byte[] cueId,
      byte[] text) {
    return new Event(
        Type.of(type),
        atMs,
        blockIndex,
        setIndex,
        repIndex,
        Side.of(side),
        durationMs,
        new String(exerciseId, StandardCharsets.UTF_8),
        new String(phase, StandardCharsets.UTF_8),
        new String(cueId, StandardCharsets.UTF_8),
        new String(text, StandardCharsets.UTF_8));
  }

  public Type getType() {
    return type;
  }

  /** When it was scheduled to happen, ms (catch-up events keep their own time). */
  public long getAtMs() {
    return atMs;
  }

  public int getBlockIndex() {
    return blockIndex;
  }

  public int getSetIndex() {
    return setIndex;
  }

  public int getRepIndex() {
    return repIndex;
  }

  public Side getSide() {
    return side;
  }

  /** Planned length of the phase that starts, ms; -1 when open-ended or not applicable. */
  public long getDurationMs() {
    return durationMs;
  }

  public String getExerciseId() {
    return exerciseId;
  }

  /** The phase kind, e.g. "hold"; "" if none. */
  public String getPhase() {
    return phase;
  }

  /** CUE only: the cue's id. */
  public String getCueId() {
    return cueId;
  }

  /** CUE: the words to show or speak; other events: a short label. */
  public String getText() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Event)) {
      return false;
    }
    Event e = (Event) o;
    return type == e.type
        && atMs == e.atMs
        && blockIndex == e.blockIndex
        && setIndex == e.setIndex
        && repIndex == e.repIndex
        && side == e.side
        && durationMs == e.durationMs
        && exerciseId.equals(e.exerciseId)
        && phase.equals(e.phase)
        && cueId.equals(e.cueId)
        && text.equals(e.text);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        type, atMs, blockIndex, setIndex, repIndex, side, durationMs, exerciseId, phase, cueId,
        text);
  }

  @Override
  public String toString() {
    return atMs + " " + type + " block=" + blockIndex + " set=" + setIndex + " rep=" + repIndex
        + " side=" + side + " " + exerciseId + " " + phase + " " + cueId + " \"" + text + "\"";
  }
}
