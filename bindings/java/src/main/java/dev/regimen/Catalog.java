package dev.regimen;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A validated, immutable content pack: exercises, routines, habits and progression rules.
 *
 * <pre>{@code
 * try (Catalog pack = Catalog.defaultCatalog();
 *     Session session = new Session(pack, pack.routine("back_basics", Format.BINARY),
 *         Format.BINARY)) {
 *   session.start(SystemClock.elapsedRealtime());
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe: one catalog may be shared by any number of threads and sessions, and sessions
 * may outlive it. Release it with {@link #close()} (or try-with-resources); an unreachable catalog
 * is released as a safety net (a PhantomReference, see Native.Handle); close() frees it now.
 */
public final class Catalog implements AutoCloseable {
  private final Native.Handle handle;

  private Catalog(long pointer) {
    handle = new Native.Handle(this, pointer, false);
  }

  /** The back-care pack compiled into the library ("back_basics", "back_basics_plus"). */
  public static Catalog defaultCatalog() {
    return new Catalog(Native.catalogDefault());
  }

  /**
   * Parses and validates a catalog.
   *
   * @throws RegimenException INVALID_ARGUMENT naming the offending field; RESOURCE_EXHAUSTED past
   *     a size limit
   */
  public static Catalog parse(byte[] data, Format format) {
    Objects.requireNonNull(data, "data");
    return new Catalog(Native.catalogParse(data, format.value));
  }

  /** {@link #parse(byte[], Format)} for JSON or text held in a String. */
  public static Catalog parse(String data, Format format) {
    return parse(data.getBytes(StandardCharsets.UTF_8), format);
  }

  /**
   * The catalog's routine {@code routineId} in {@code format}.
   *
   * @throws RegimenException NOT_FOUND when there is no such routine
   */
  public byte[] routine(String routineId, Format format) {
    Objects.requireNonNull(routineId, "routineId");
    long p = handle.acquire("catalog");
    try {
      return Native.catalogRoutine(p, routineId, format.value);
    } finally {
      handle.release();
    }
  }

  /** A routine for {@code profile} (a regimen.v1.Profile in {@code format}), same format out. */
  public byte[] generate(byte[] profile, Format format) {
    Objects.requireNonNull(profile, "profile");
    long p = handle.acquire("catalog");
    try {
      return Native.routineGenerate(p, profile, format.value);
    } finally {
      handle.release();
    }
  }

  /** {@link #generate(byte[], Format)} from and to JSON. */
  public String generateJson(String profileJson) {
    return json(generate(profileJson.getBytes(StandardCharsets.UTF_8), Format.JSON));
  }

  /** The progression decision for {@code request} (routine, profile, records). */
  public byte[] progress(byte[] request, Format format) {
    Objects.requireNonNull(request, "request");
    long p = handle.acquire("catalog");
    try {
      return Native.progress(p, request, format.value);
    } finally {
      handle.release();
    }
  }

  /** {@link #progress(byte[], Format)} from and to JSON. */
  public String progressJson(String requestJson) {
    return json(progress(requestJson.getBytes(StandardCharsets.UTF_8), Format.JSON));
  }

  /** Session days and habit prompts for {@code request} (profile, startDate, days). */
  public byte[] schedule(byte[] request, Format format) {
    Objects.requireNonNull(request, "request");
    long p = handle.acquire("catalog");
    try {
      return Native.schedule(p, request, format.value);
    } finally {
      handle.release();
    }
  }

  /** {@link #schedule(byte[], Format)} from and to JSON. */
  public String scheduleJson(String requestJson) {
    return json(schedule(requestJson.getBytes(StandardCharsets.UTF_8), Format.JSON));
  }

  /**
   * A FIT workout file (Garmin's format, for a watch) of {@code routine} (a regimen.v1.Routine in
   * {@code format}): one step per exercise and side, repeats for sets, rest steps. A gated
   * exercise is refused with FAILED_PRECONDITION.
   */
  public byte[] exportFitWorkout(byte[] routine, Format format) {
    Objects.requireNonNull(routine, "routine");
    long p = handle.acquire("catalog");
    try {
      return Native.routineExportFit(p, routine, format.value);
    } finally {
      handle.release();
    }
  }

  /**
   * A FIT activity file of a session record (a regimen.v1.SessionRecord in {@code format}, its
   * times Unix ms): a lap and a set per block, rest sets, the session's elapsed and active time.
   */
  public byte[] exportFitActivity(byte[] record, Format format) {
    Objects.requireNonNull(record, "record");
    long p = handle.acquire("catalog");
    try {
      return Native.recordExportFit(p, record, format.value);
    } finally {
      handle.release();
    }
  }

  /** The library's version, "MAJOR.MINOR.PATCH". */
  public static String version() {
    return Native.version();
  }

  /** True until {@link #close()}. */
  public boolean isOpen() {
    return handle.isOpen();
  }

  /** Releases the native catalog now. Idempotent; sessions created from it keep running. */
  @Override
  public void close() {
    handle.close();
  }

  /** The handle, for a native call that needs the catalog (acquire and release it). */
  Native.Handle handle() {
    return handle;
  }

  private static String json(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
