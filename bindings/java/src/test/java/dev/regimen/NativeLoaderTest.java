package dev.regimen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * The test JVM has neither regimen.jni.path nor the build's lib folder on java.library.path (see
 * the pom's surefire configuration), so the libraries must come from the jar's copies.
 */
final class NativeLoaderTest {
  @Test
  void loadsTheJarsCopiesWhenNothingElseIsGiven() throws IOException {
    assertNull(System.getProperty("regimen.jni.path"), "the test sets no override");
    assertEquals("linux-x86_64", Native.platform());
    assertNotNull(
        Native.class.getResource(Native.RESOURCE_FOLDER + "linux-x86_64/libregimen.so"),
        "libregimen.so is packaged");
    assertNotNull(
        Native.class.getResource(Native.RESOURCE_FOLDER + "linux-x86_64/libregimen_jni.so"),
        "libregimen_jni.so is packaged");

    assertTrue(Catalog.version().matches("\\d+\\.\\d+\\.\\d+"), "a native call works");
    assertEquals("jar", Native.LOADED_FROM);

    // Both libraries are mapped from the extraction folder: the glue's dependency on
    // libregimen.so resolved to the extracted copy, not to the build tree's.
    String maps = new String(Files.readAllBytes(Paths.get("/proc/self/maps")), StandardCharsets.UTF_8);
    boolean extractedCore = false;
    boolean extractedGlue = false;
    for (String line : maps.split("\n")) {
      if (line.endsWith(".so") || line.contains(".so.")) {
        String path = line.substring(line.indexOf('/') < 0 ? 0 : line.indexOf('/'));
        if (path.contains("libregimen")) {
          assertTrue(path.contains("regimen-native"), "mapped from the extraction folder: " + path);
          extractedCore |= path.endsWith("/libregimen.so");
          extractedGlue |= path.endsWith("/libregimen_jni.so");
        }
      }
    }
    assertTrue(extractedCore && extractedGlue, "both libraries are mapped:\n" + maps);
  }
}
