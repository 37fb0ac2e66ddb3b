import dev.regimen.Catalog;
import dev.regimen.Event;
import dev.regimen.Format;
import dev.regimen.RegimenException;
import dev.regimen.Session;
import java.nio.charset.StandardCharsets;

/**
 * Runs a built-in routine (back_basics by default) to the end through the Java binding, printing
 * each cue as an app would speak it. Simulated time: it ticks straight to each deadline instead
 * of sleeping. Run: java -Dregimen.jni.path=.../libregimen_jni.so -cp regimen.jar:. RunSession
 * [routine_id [attestation ...]]; a routine with a gated exercise runs only with the attestations
 * the user gives (back_basics_plus: spine_flexible_strong_balanced).
 */
public final class RunSession {
  public static void main(String[] args) {
    String routineId = args.length > 0 ? args[0] : "back_basics";
    // The session options as JSON: the attestations given on the command line (ids are slugs).
    StringBuilder attestations = new StringBuilder();
    for (int i = 1; i < args.length; i++) {
      attestations.append(i > 1 ? ", " : "").append('"').append(args[i]).append('"');
    }
    byte[] options =
        ("{\"attestations\": [" + attestations + "]}").getBytes(StandardCharsets.UTF_8);
    try (Catalog pack = Catalog.defaultCatalog();
        Session session =
            new Session(
                pack,
                pack.routine(routineId, Format.BINARY),
                Format.BINARY,
                options,
                Format.JSON)) {
      long now = 0;
      session.start(now);
      while (true) {
        for (Event e : session.events()) {
          if (e.getType() == Event.Type.CUE) {
            System.out.printf("%7.1fs  %-20s %s%n", e.getAtMs() / 1000.0, e.getExerciseId(),
                e.getText());
          } else if (e.getType() == Event.Type.SESSION_COMPLETED) {
            System.out.printf("%7.1fs  session completed%n", e.getAtMs() / 1000.0);
          }
        }
        if (session.isFinished()) {
          break;
        }
        long deadline = session.nextDeadline();
        // -1: nothing is timed (a phase waits for the user); tap "done" for them.
        if (deadline < 0) {
          session.repDone(now);
        } else {
          now = deadline;
          session.tick(now);
        }
      }
      System.out.println(session.recordJson());
    } catch (RegimenException e) {
      System.err.println("regimen: " + e.getCode() + ": " + e.getMessage());
      System.exit(1);
    }
  }
}
