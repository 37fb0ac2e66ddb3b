package dev.regimen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The Java binding's tests, run by ctest (java_maven_test, `mvn -o test`): drive whole sessions
 * through the JNI glue and the real libregimen.
 */
final class RegimenTest {
  private static Catalog pack;
  private static byte[] backBasics;

  @BeforeAll
  static void openPack() {
    pack = Catalog.defaultCatalog();
    backBasics = pack.routine("back_basics", Format.BINARY);
  }

  @AfterAll
  static void closePack() {
    pack.close();
  }

  private static void check(boolean condition, String what) {
    assertTrue(condition, what);
  }

  private static void checkEquals(Object expected, Object actual, String what) {
    assertEquals(expected, actual, what);
  }

  private static RegimenException expectError(String code, Executable call, String what) {
    RegimenException e = assertThrows(RegimenException.class, call, what);
    checkEquals(code, e.getCode(), what + " (" + e.getMessage() + ")");
    return e;
  }

  /** Ticks from deadline to deadline (up to {@code until} ms, or to the end when -1). */
  private static List<Event> run(Session s, long until) {
    List<Event> events = new ArrayList<>(s.events());
    while (!s.isFinished()) {
      long deadline = s.nextDeadline();
      if (deadline < 0 || (until >= 0 && deadline > until)) {
        break;
      }
      s.tick(deadline);
      events.addAll(s.events());
    }
    return events;
  }

  private static List<String> exercisesStarted(List<Event> events) {
    List<String> ids = new ArrayList<>();
    for (Event e : events) {
      if (e.getType() == Event.Type.EXERCISE_STARTED) {
        ids.add(e.getExerciseId());
      }
    }
    return ids;
  }

  private static final List<String> CORE =
      List.of("grow_through_spine", "prone_lift", "prone_leg_lift", "prone_opposite_lift");

  @Test
  void wholeSession() {
    byte[] routine = backBasics;
    try (Session s = new Session(pack, routine, Format.BINARY)) {
      checkEquals(-1L, s.nextDeadline(), "no deadline before start");
      s.start(1000);
      List<Event> events = run(s, -1);
      check(s.isFinished(), "finished");
      checkEquals(-1L, s.nextDeadline(), "no deadline after the end");
      checkEquals(Event.Type.SESSION_STARTED, events.get(0).getType(), "first event");
      checkEquals(1000L, events.get(0).getAtMs(), "first event time");
      Event last = events.get(events.size() - 1);
      checkEquals(Event.Type.SESSION_COMPLETED, last.getType(), "last event");
      checkEquals(CORE, exercisesStarted(events), "exercises in order");
      long previous = Long.MIN_VALUE;
      int cues = 0;
      boolean left = false;
      boolean right = false;
      for (Event e : events) {
        check(e.getAtMs() >= previous, "times never go back: " + e);
        previous = e.getAtMs();
        if (e.getType() == Event.Type.CUE) {
          cues++;
          check(!e.getCueId().isEmpty() && !e.getText().isEmpty(), "a cue has id and text");
        }
        left |= e.getSide() == Event.Side.LEFT;
        right |= e.getSide() == Event.Side.RIGHT;
      }
      check(cues > 0, "cues were emitted");
      check(left && right, "both sides were worked");
      String record = s.recordJson();
      check(record.contains("\"SESSION_END_COMPLETED\""), "record says completed: " + record);
      check(record.contains("\"routineId\":\"back_basics\""), "record names the routine");
      expectError("FAILED_PRECONDITION", () -> s.tick(last.getAtMs() + 1), "tick after finish");
    }
  }

  @Test
  void snapshotRestore() {
    byte[] routine = backBasics;
    try (Session s = new Session(pack, routine, Format.BINARY)) {
      s.start(0);
      run(s, 60_000);
      byte[] saved = s.snapshot(Format.BINARY);
      try (Session r = Session.restore(saved, Format.BINARY)) {
        checkEquals(s.nextDeadline(), r.nextDeadline(), "restored deadline");
        List<Event> expected = run(s, -1);
        List<Event> restored = run(r, -1);
        checkEquals(expected, restored, "restored session continues identically");
        check(r.isFinished(), "restored session finished");
      }
    }
    expectError(
        "INVALID_ARGUMENT",
        () -> Session.restore(new byte[] {(byte) 0xff, (byte) 0xff, 1}, Format.BINARY),
        "garbage snapshot");
  }

  @Test
  void pauseAndSignals() {
    byte[] routine = backBasics;
    long plainEnd;
    try (Session s = new Session(pack, routine, Format.BINARY)) {
      s.start(0);
      List<Event> all = run(s, -1);
      plainEnd = all.get(all.size() - 1).getAtMs();
    }
    try (Session s = new Session(pack, routine, Format.BINARY)) {
      s.start(0);
      run(s, 30_000);
      s.pause(30_000);
      checkEquals(-1L, s.nextDeadline(), "paused: no deadline");
      s.tick(45_000);
      s.resume(45_000);
      List<Event> rest = run(s, -1);
      checkEquals(plainEnd + 15_000, rest.get(rest.size() - 1).getAtMs(), "pause shifts the end");
      expectError("FAILED_PRECONDITION", () -> s.pause(plainEnd + 20_000), "pause after finish");
    }
    try (Session s = new Session(pack, routine, Format.BINARY)) {
      s.start(0);
      s.tick(10_000);
      expectError("INVALID_ARGUMENT", () -> s.tick(5_000), "time going backwards");
      s.stop(12_000);
      List<Event> events = s.events();
      checkEquals(
          Event.Type.SESSION_COMPLETED, events.get(events.size() - 1).getType(), "stop completes");
      check(s.recordJson().contains("SESSION_END_STOPPED"), "record says stopped");
    }
    try (Session s = new Session(pack, routine, Format.BINARY)) {
      s.start(0);
      List<Event> events = new ArrayList<>();
      while (!exercisesStarted(events).contains("prone_lift")) {
        s.tick(s.nextDeadline());
        events.addAll(s.events());
      }
      s.report(Session.Report.PAIN, 8, Event.Side.LEFT, events.get(events.size() - 1).getAtMs());
      boolean stopped = false;
      for (Event e : s.events()) {
        stopped |= e.getType() == Event.Type.SAFETY_STOP && e.getExerciseId().equals("prone_lift");
      }
      check(stopped, "pain 8 emits SAFETY_STOP for prone_lift");
      check(s.isFinished(), "pain 8 ends the session");
      check(s.recordJson().contains("SESSION_END_SAFETY_STOP"), "record says safety stop");
    }
    try (Session s = new Session(pack, routine, Format.BINARY)) {
      s.start(0);
      expectError(
          "INVALID_ARGUMENT", () -> s.report(Session.Report.PAIN, 11, Event.Side.NONE, 1), "pain 11");
    }
  }

  @Test
  void errorsAndHandles() {
    RegimenException e =
        expectError(
            "INVALID_ARGUMENT",
            () -> Catalog.parse("{\"exercises\": [{\"id\": \"a\"}, {\"id\": \"a\"}]}", Format.JSON),
            "duplicate exercise ids");
    checkEquals(3, e.getStatus(), "INVALID_ARGUMENT is 3");
    check(e.getMessage().contains("exercises[1]"), "message names the field: " + e.getMessage());
    expectError("NOT_FOUND", () -> pack.routine("nope", Format.BINARY), "unknown routine");
    expectError(
        "INVALID_ARGUMENT",
        () ->
            new Session(
                pack,
                "{\"blocks\": [{\"exerciseId\": \"moonwalk\"}]}".getBytes(StandardCharsets.UTF_8),
                Format.JSON),
        "unknown exercise");

    Catalog own = Catalog.defaultCatalog();
    byte[] routine = own.routine("back_basics", Format.BINARY);
    Session s = new Session(own, routine, Format.BINARY);
    own.close();
    own.close();
    check(!own.isOpen(), "closed catalog");
    expectError("FAILED_PRECONDITION", () -> own.routine("back_basics", Format.BINARY), "closed");
    s.start(0);
    checkEquals(Event.Type.SESSION_COMPLETED, last(run(s, -1)).getType(), "outlives catalog");
    s.close();
    s.close();
    expectError("FAILED_PRECONDITION", () -> s.tick(1), "closed session");
  }

  @Test
  void planning() {
    String routine = pack.generateJson("{\"minutesPerWeek\": 20, \"seed\": 11}");
    checkEquals(routine, pack.generateJson("{\"minutesPerWeek\": 20, \"seed\": 11}"), "stable");
    // Compact JSON: the primer's block is spelled exactly so, and the gated one must be absent
    // (the routine's notes may still name it, saying why it was left out).
    check(
        routine.contains("\"exerciseId\":\"grow_through_spine\""),
        "generated routine has the primer: " + routine);
    check(
        !routine.contains("\"exerciseId\":\"prone_rock\""),
        "the gated exercise is not generated: " + routine);
    try (Session s = new Session(pack, routine.getBytes(StandardCharsets.UTF_8), Format.JSON)) {
      s.start(0);
      checkEquals(Event.Type.SESSION_COMPLETED, last(run(s, -1)).getType(), "generated runs");
    }
    String plan =
        pack.scheduleJson("{\"profile\": {}, \"startDate\": \"2024-03-04\", \"days\": 7}");
    check(plan.contains("\"sessions\"") && plan.contains("posture_check"), "schedule: " + plan);
    expectError("INVALID_ARGUMENT", () -> pack.generateJson("{\"shoeSize\": 44}"), "bad profile");
  }

  /** FIT files: a workout of the routine, an activity of a session on the wall clock. */
  @Test
  void fitExports() {
    byte[] routine = backBasics;
    byte[] workout = pack.exportFitWorkout(routine, Format.BINARY);
    checkEquals(".FIT", new String(workout, 8, 4, StandardCharsets.US_ASCII), "FIT header");
    check(
        new String(workout, StandardCharsets.ISO_8859_1).contains("Prone leg lift (left)"),
        "a step per side");
    byte[] plus = pack.routine("back_basics_plus", Format.BINARY);
    expectError("FAILED_PRECONDITION", () -> pack.exportFitWorkout(plus, Format.BINARY), "gated");
    try (Session s = new Session(pack, routine, Format.BINARY)) {
      s.start(1796284800000L); // 2026-12-03T08:00:00Z
      run(s, -1);
      byte[] activity = pack.exportFitActivity(s.record(Format.BINARY), Format.BINARY);
      checkEquals(".FIT", new String(activity, 8, 4, StandardCharsets.US_ASCII), "activity");
    }
    byte[] atZero = "{\"routineId\": \"back_basics\"}".getBytes(StandardCharsets.UTF_8);
    expectError(
        "INVALID_ARGUMENT", () -> pack.exportFitActivity(atZero, Format.JSON), "virtual clock");
  }

  private static final byte[] ATTESTED =
      "{\"attestations\": [\"spine_flexible_strong_balanced\"]}"
          .getBytes(StandardCharsets.UTF_8);

  /** The gate: back_basics_plus holds the gated rock, which needs the user's attestation. */
  @Test
  void gateAndOptions() {
    byte[] plus = pack.routine("back_basics_plus", Format.BINARY);
    for (RegimenException e :
        List.of(
            expectError(
                "FAILED_PRECONDITION",
                () -> new Session(pack, plus, Format.BINARY),
                "back_basics_plus without options"),
            expectError(
                "FAILED_PRECONDITION",
                () -> new Session(pack, plus, Format.BINARY, null, Format.JSON),
                "null options are the defaults"),
            expectError(
                "FAILED_PRECONDITION",
                () ->
                    new Session(
                        pack,
                        plus,
                        Format.BINARY,
                        "{\"painStopThreshold\": 4}".getBytes(StandardCharsets.UTF_8),
                        Format.JSON),
                "other options do not open the gate"))) {
      checkEquals(9, e.getStatus(), "FAILED_PRECONDITION is 9");
      check(
          e.getMessage().contains("prone_rock")
              && e.getMessage().contains("spine_flexible_strong_balanced"),
          "the refusal names the exercise and the attestation: " + e.getMessage());
    }
    try (Session s = new Session(pack, plus, Format.BINARY, ATTESTED, Format.JSON)) {
      s.start(0);
      List<String> started = exercisesStarted(run(s, -1));
      List<String> all = new ArrayList<>(CORE);
      all.add("prone_rock");
      checkEquals(all, started, "with the attestation the rock runs");
      check(s.recordJson().contains("SESSION_END_COMPLETED"), "completed");
    }
    byte[] text =
        "attestations: \"spine_flexible_strong_balanced\"".getBytes(StandardCharsets.UTF_8);
    new Session(pack, plus, Format.BINARY, text, Format.TEXT).close();
    expectError(
        "INVALID_ARGUMENT",
        () ->
            new Session(
                pack,
                plus,
                Format.BINARY,
                "{\"attestations\": [".getBytes(StandardCharsets.UTF_8),
                Format.JSON),
        "options that do not parse");
    RegimenException unknown =
        expectError(
            "INVALID_ARGUMENT",
            () ->
                new Session(
                    pack,
                    plus,
                    Format.BINARY,
                    "{\"attestations\": [\"strong\"]}".getBytes(StandardCharsets.UTF_8),
                    Format.JSON),
            "an unknown attestation");
    check(unknown.getMessage().contains("options.attestations[0]"), unknown.getMessage());
  }

  /**
   * Pain 7 during the first core exercise (prone_lift) of back_basics_plus ends the session:
   * SAFETY_STOP, EXERCISE_COMPLETED, SESSION_COMPLETED, no exercise after it (the gated rock never
   * starts), and the record's end is SESSION_END_SAFETY_STOP.
   */
  @Test
  void painSeven() {
    byte[] plus = pack.routine("back_basics_plus", Format.BINARY);
    try (Session s = new Session(pack, plus, Format.BINARY, ATTESTED, Format.JSON)) {
      s.start(0);
      List<Event> events = new ArrayList<>();
      while (!exercisesStarted(events).contains("prone_lift")) {
        s.tick(s.nextDeadline());
        events.addAll(s.events());
      }
      long now = last(events).getAtMs() + 3000;
      s.tick(now);
      s.events();
      s.report(Session.Report.PAIN, 7, Event.Side.NONE, now);
      List<Event> after = run(s, -1);
      check(s.isFinished(), "pain 7 ends the session");
      List<Event.Type> types = new ArrayList<>();
      for (Event e : after) {
        if (e.getType() != Event.Type.CUE && e.getType() != Event.Type.CUE_SKIPPED) {
          types.add(e.getType());
        }
        if (e.getType() == Event.Type.SAFETY_STOP) {
          checkEquals("prone_lift", e.getExerciseId(), "the stop is in prone_lift");
          checkEquals(now, e.getAtMs(), "the stop is at the report");
        }
      }
      checkEquals(
          List.of(
              Event.Type.SAFETY_STOP, Event.Type.EXERCISE_COMPLETED, Event.Type.SESSION_COMPLETED),
          types,
          "after pain 7");
      checkEquals(List.of(), exercisesStarted(after), "no exercise starts after the stop");
      String record = s.recordJson();
      check(record.contains("\"end\":\"SESSION_END_SAFETY_STOP\""), "record end: " + record);
      check(record.contains("\"pain\":7"), "record keeps the pain: " + record);
      expectError("FAILED_PRECONDITION", () -> s.tick(now + 1000), "calls after the end");
    }
  }

  private static Event last(List<Event> events) {
    return events.get(events.size() - 1);
  }

  @Test
  void version() {
    check(Catalog.version().matches("\\d+\\.\\d+\\.\\d+"), "version");
    checkEquals(System.getProperty("regimen.version"), Catalog.version(), "the pom's version");
  }

  private Session inLocale(String locale) {
    byte[] options = ("{\"locale\":\"" + locale + "\"}").getBytes(StandardCharsets.UTF_8);
    return new Session(pack, backBasics, Format.BINARY, options, Format.JSON);
  }

  private static Event firstCue(List<Event> events) {
    for (Event e : events) {
      if (e.getType() == Event.Type.CUE) {
        return e;
      }
    }
    throw new AssertionError("no cue");
  }

  @Test
  void locales() {
    try (Session s = inLocale("de")) {
      s.start(0);
      List<Event> events = run(s, -1);
      String first = firstCue(events).getText();
      check(first.startsWith("Mach dich bereit"), "German count-in cue: " + first);
      String record = s.recordJson();
      check(record.contains("\"locale\":\"de\""), "record locale de: " + record);
      check(!record.contains("CUE_SKIPPED"), "no cue skipped");
    }
    try (Session s = inLocale("es-MX")) {
      s.start(0);
      run(s, -1);
      check(s.recordJson().contains("\"locale\":\"es\""), "es-MX falls back to es");
    }
    try (Session s = inLocale("xx")) {
      s.start(0);
      String first = firstCue(run(s, -1)).getText();
      check(first.startsWith("Get ready"), "xx speaks the source: " + first);
      check(s.recordJson().contains("is not in the pack"), "xx: a note in the record");
    }
    expectError("INVALID_ARGUMENT", () -> inLocale("de_AT").close(), "a malformed tag");
  }

  @Test
  void speechEndedHoldsTheNextCue() {
    try (Session s = new Session(pack, backBasics, Format.BINARY)) {
      expectError("FAILED_PRECONDITION", () -> s.speechEnded("count_in", 0), "before start");
      s.start(0);
      Event first = firstCue(s.events());
      long ended = first.getAtMs() + 10_000;
      s.speechEnded(first.getCueId(), ended);
      Event next = null;
      while (next == null) {
        s.tick(s.nextDeadline());
        for (Event e : s.events()) {
          if (next == null && e.getType() == Event.Type.CUE) {
            next = e;
          }
        }
      }
      // The default cue gap is 250 ms.
      check(next.getAtMs() >= ended + 250, "the next cue waits for the real end + gap: " + next);
      long later = next.getAtMs(); // time never goes backwards
      expectError("NOT_FOUND", () -> s.speechEnded("no_such_cue", later), "unknown cue");
      expectError("INVALID_ARGUMENT", () -> s.speechEnded(null, later), "null cue id");
      expectError("INVALID_ARGUMENT", () -> s.speechEnded("", later), "empty cue id");
      run(s, -1);
      check(s.isFinished(), "finished");
      s.speechEnded(first.getCueId(), ended + 1_000_000); // after the end: a no-op
    }
  }
}
