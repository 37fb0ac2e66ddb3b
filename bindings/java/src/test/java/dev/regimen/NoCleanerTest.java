package dev.regimen;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The classes that go into the jar (target/classes) use nothing above Android API 21: a class
 * file names every class and method it references in its constant pool, so a byte search finds
 * any use.
 */
final class NoCleanerTest {
  /** API 33, API 28, API 26, API 24. */
  private static final String[] FORBIDDEN = {
    "java/lang/ref/Cleaner", "reachabilityFence", "java/nio/file/", "java/util/stream/",
    "java/util/function/"
  };

  @Test
  void noClassReferencesAnApiAboveAndroid21() throws IOException, URISyntaxException {
    Path classes = Paths.get(Native.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(classes)) {
      walk.filter(p -> p.toString().endsWith(".class")).forEach(files::add);
    }
    assertTrue(files.size() >= 6, "the main classes are found in " + classes);
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      for (String name : FORBIDDEN) {
        assertFalse(text.contains(name), file + " references " + name);
      }
      int major = ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff);
      assertTrue(major <= 52, file + " is Java 8 bytecode (major 52), not " + major);
    }
  }
}
