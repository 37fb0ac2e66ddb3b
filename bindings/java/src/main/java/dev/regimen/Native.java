package dev.regimen;

import java.lang.ref.Cleaner;

/**
 * The JNI entry points (src/main/cpp/regimen_jni.cc), one per C API call. Handles are the C
 * pointers as longs; every failing call throws {@link RegimenException}.
 *
 * <p>The glue library is loaded from the path in the system property {@code regimen.jni.path}
 * when set (tests, desktop), else by {@code System.loadLibrary("regimen_jni")} (Android packs it
 * in the APK's lib/ABI folder next to libregimen.so).
 */
final class Native {
  static final Cleaner CLEANER = Cleaner.create();

  static {
    String path = System.getProperty("regimen.jni.path");
    if (path != null && !path.isEmpty()) {
      System.load(path);
    } else {
      System.loadLibrary("regimen_jni");
    }
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

  static native long sessionNextDeadline(long session);

  static native boolean sessionFinished(long session);

  /** The next event, or null when the queue is empty. */
  static native Event sessionPoll(long session);

  static native byte[] sessionSnapshot(long session, int format);

  static native byte[] sessionRecord(long session, int format);

  /** Owns one native handle; frees it at most once, from close() or from the Cleaner. */
  static final class Handle implements Runnable {
    private volatile long pointer;
    private final boolean session;

    Handle(long pointer, boolean session) {
      this.pointer = pointer;
      this.session = session;
    }

    long get(String what) {
      long p = pointer;
      if (p == 0) {
        throw RegimenException.closed(what);
      }
      return p;
    }

    boolean isOpen() {
      return pointer != 0;
    }

    @Override
    public synchronized void run() {
      long p = pointer;
      pointer = 0;
      if (p != 0) {
        if (session) {
          sessionFree(p);
        } else {
          catalogFree(p);
        }
      }
    }
  }
}
