package dev.regimen;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JNI entry points (src/main/cpp/regimen_jni.cc), one per C API call. Handles are the C
 * pointers as longs; every failing call throws {@link RegimenException}.
 *
 * <p>The native libraries are loaded once, when this class initializes, from the first of:
 *
 * <ol>
 *   <li>the path in the system property {@code regimen.jni.path} (the glue; its libregimen.so is
 *       found by the glue's own run path or the system's search path);
 *   <li>{@code System.loadLibrary("regimen")} then {@code System.loadLibrary("regimen_jni")}: an
 *       Android app carries both in its APK's lib/ABI folder, and a desktop may put them on
 *       {@code java.library.path}. libregimen.so is loaded first because Android's linker before
 *       API 23 does not look in the app's folder for a library's dependencies;
 *   <li>the copies inside the jar, {@code dev/regimen/native/<os>-<arch>/} (linux-x86_64 in the
 *       Maven artifact), extracted to a new temporary folder that is deleted when the JVM exits,
 *       and loaded by path: libregimen.so first, so the glue's dependency on it (by its soname)
 *       resolves to the copy already loaded.
 * </ol>
 *
 * <p>Only APIs of Android API level 21 are used here and in the other classes: no {@code
 * java.lang.ref.Cleaner} (API 33), no {@code Reference.reachabilityFence} (API 28), no {@code
 * java.nio.file} (API 26). The safety net for handles that were never closed is a {@link
 * PhantomReference} per owner, freed by a daemon thread; see {@link Handle}.
 */
final class Native {
  /** Where the jar keeps the libraries: {@code <folder><os>-<arch>/<file>}. */
  static final String RESOURCE_FOLDER = "/dev/regimen/native/";

  /** How the libraries were found: "property", "library path" or "jar". For the tests. */
  static final String LOADED_FROM;

  static {
    LOADED_FROM = load();
  }

  private static String load() {
    String path = System.getProperty("regimen.jni.path");
    if (path != null && !path.isEmpty()) {
      System.load(path);
      return "property";
    }
    UnsatisfiedLinkError notOnPath;
    try {
      System.loadLibrary("regimen");
      System.loadLibrary("regimen_jni");
      return "library path";
    } catch (UnsatisfiedLinkError e) {
      notOnPath = e;
    }
    String platform = platform();
    String folder = RESOURCE_FOLDER + platform + "/";
    if (Native.class.getResource(folder + "libregimen_jni.so") == null) {
      UnsatisfiedLinkError error =
          new UnsatisfiedLinkError(
              "regimen: no native library for "
                  + platform
                  + " on java.library.path, none in the jar ("
                  + folder
                  + "), and no -Dregimen.jni.path: "
                  + notOnPath.getMessage());
      error.initCause(notOnPath);
      throw error;
    }
    try {
      File dir = extractionFolder();
      System.load(extract(folder, "libregimen.so", dir).getPath());
      System.load(extract(folder, "libregimen_jni.so", dir).getPath());
    } catch (IOException e) {
      UnsatisfiedLinkError error =
          new UnsatisfiedLinkError("regimen: cannot extract the native library: " + e);
      error.initCause(e);
      throw error;
    }
    return "jar";
  }

  /** "linux-x86_64", "linux-aarch64", "mac-aarch64", ...: the jar folder for this JVM. */
  static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (os.startsWith("mac") || os.startsWith("darwin")) {
      os = "mac";
    } else if (os.startsWith("windows")) {
      os = "windows";
    } else if (os.startsWith("linux")) {
      os = "linux";
    }
    if (arch.equals("amd64") || arch.equals("x86-64")) {
      arch = "x86_64";
    } else if (arch.equals("arm64")) {
      arch = "aarch64";
    }
    return os + "-" + arch;
  }

  /** A new, private temporary folder (java.io only: java.nio.file needs Android API 26). */
  private static File extractionFolder() throws IOException {
    File marker = File.createTempFile("regimen-native", "");
    File dir = new File(marker.getPath() + ".d");
    if (!dir.mkdir()) {
      marker.delete();
      throw new IOException("cannot create " + dir);
    }
    // deleteOnExit runs in reverse order of registration: the files go before the folder.
    marker.deleteOnExit();
    dir.deleteOnExit();
    return dir;
  }

  private static File extract(String folder, String name, File dir) throws IOException {
    File out = new File(dir, name);
    out.deleteOnExit();
    InputStream in = Native.class.getResourceAsStream(folder + name);
    if (in == null) {
      throw new IOException("no " + folder + name + " in the jar");
    }
    try {
      OutputStream sink = new FileOutputStream(out);
      try {
        byte[] buffer = new byte[64 * 1024];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          sink.write(buffer, 0, n);
        }
      } finally {
        sink.close();
      }
    } finally {
      in.close();
    }
    return out;
  }

  private Native() {}

  static native String version();

  static native long catalogDefault();

  static native long catalogParse(byte[] data, int format);

  static native void catalogFree(long catalog);

  static native byte[] catalogRoutine(long catalog, String routineId, int format);

  static native byte[] routineGenerate(long catalog, byte[] profile, int format);

  static native byte[] progress(long catalog, byte[] request, int format);

  static native byte[] schedule(long catalog, byte[] request, int format);

  static native byte[] routineExportFit(long catalog, byte[] routine, int format);

  static native byte[] recordExportFit(long catalog, byte[] record, int format);

  static native long sessionNew(long catalog, byte[] routine, int format);

  /** rgm_session_new_with_options; a null {@code options} is NULL/0 (the defaults). */
  static native long sessionNewWithOptions(
      long catalog, byte[] routine, int format, byte[] options, int optionsFormat);

  static native long sessionRestore(byte[] snapshot, int format);

  static native void sessionFree(long session);

  static native void sessionStart(long session, long nowMs);

  static native void sessionTick(long session, long nowMs);

  static native void sessionSignal(long session, int signal, long nowMs);

  static native void sessionReport(long session, int kind, int value, int side, long nowMs);

  static native void sessionSpeechEnded(long session, String cueId, long nowMs);

  static native long sessionNextDeadline(long session);

  static native boolean sessionFinished(long session);

  /** The next event, or null when the queue is empty. */
  static native Event sessionPoll(long session);

  static native byte[] sessionSnapshot(long session, int format);

  static native byte[] sessionRecord(long session, int format);

  /** Native handles not yet freed, catalogs and sessions; for the tests. */
  private static final AtomicInteger LIVE = new AtomicInteger();

  static int liveHandles() {
    return LIVE.get();
  }

  /**
   * Owns one native handle and frees it exactly once: at {@link #close()}, or after its owner (the
   * Catalog or Session) became unreachable without being closed, from the reaper thread.
   *
   * <p>Every native call brackets its use of the pointer with {@link #acquire} and {@link
   * #release}, and the handle frees the pointer only when no call holds it. That also takes the
   * place of {@code Reference.reachabilityFence} (Android API 28): the JIT may consider an owner
   * unreachable while its native call still runs, and then the reaper may see it, but the handle
   * itself stays reachable (from the caller's frame until release, and from its phantom
   * reference until freed), so the free waits for the call to return. A close() on one thread
   * while another thread is inside a call is safe in the same way.
   */
  static final class Handle {
    private long pointer;
    private final boolean session;
    private int calls; // in flight
    private boolean closed;
    private final Reaper.Ref ref;

    /** Takes ownership of {@code pointer} (non-zero), to be freed when {@code owner} is gone. */
    Handle(Object owner, long pointer, boolean session) {
      this.pointer = pointer;
      this.session = session;
      LIVE.incrementAndGet();
      ref = Reaper.track(owner, this);
    }

    /**
     * The pointer, for one native call; pair with {@link #release()} in a finally block.
     *
     * @throws RegimenException FAILED_PRECONDITION when closed
     */
    synchronized long acquire(String what) {
      if (closed) {
        throw RegimenException.closed(what);
      }
      calls++;
      return pointer;
    }

    void release() {
      long free = 0;
      synchronized (this) {
        if (--calls == 0 && closed) {
          free = take();
        }
      }
      free(free);
    }

    synchronized boolean isOpen() {
      return !closed;
    }

    /** Closes now; the pointer is freed now, or when the last call in flight returns. */
    void close() {
      long free = 0;
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        Reaper.untrack(ref);
        if (calls == 0) {
          free = take();
        }
      }
      free(free);
    }

    private long take() {
      long p = pointer;
      pointer = 0;
      return p;
    }

    private void free(long p) {
      if (p == 0) {
        return;
      }
      if (session) {
        sessionFree(p);
      } else {
        catalogFree(p);
      }
      LIVE.decrementAndGet();
    }
  }

  /**
   * The safety net for owners that were never closed: a phantom reference per open handle, kept
   * in a set so that it stays reachable, and a daemon thread that closes the handle of each
   * owner the collector found unreachable (what java.lang.ref.Cleaner does from API 33).
   */
  private static final class Reaper implements Runnable {
    static final class Ref extends PhantomReference<Object> {
      final Handle handle;

      Ref(Object owner, Handle handle) {
        super(owner, QUEUE);
        this.handle = handle;
      }
    }

    private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<Object>();
    private static final Set<Ref> REFS = Collections.synchronizedSet(new HashSet<Ref>());

    static {
      Thread thread = new Thread(new Reaper(), "regimen-reaper");
      thread.setDaemon(true);
      thread.start();
    }

    static Ref track(Object owner, Handle handle) {
      Ref ref = new Ref(owner, handle);
      REFS.add(ref);
      return ref;
    }

    static void untrack(Ref ref) {
      REFS.remove(ref);
      ref.clear();
    }

    @Override
    public void run() {
      while (true) {
        try {
          Ref ref = (Ref) QUEUE.remove();
          ref.handle.close();
        } catch (InterruptedException e) {
          // A daemon: keep serving until the JVM exits.
        } catch (RuntimeException e) {
          // A free cannot fail; never let the thread die with handles still tracked.
        }
      }
    }
  }
}
