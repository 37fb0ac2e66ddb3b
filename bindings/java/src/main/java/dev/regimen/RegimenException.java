package dev.regimen;

import java.nio.charset.StandardCharsets;

/**
 * A failed call into Regimen: the canonical status (equal to {@code absl::StatusCode} and {@code
 * rgm_status}) and the library's message, which names what was wrong and where.
 *
 * <p>Unchecked, like {@link IllegalArgumentException}: most failures are programming errors or bad
 * content, and Android code rarely wants a {@code throws} clause on every session call.
 */
public class RegimenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  public RegimenException(int status, String code, String message) {
    super(code + ": " + message);
    this.status = status;
    this.code = code;
  }

  /** Called by the JNI glue: strings arrive as UTF-8 bytes. */
  static RegimenException fromNative(int status, byte[] code, byte[] message) {
    return new RegimenException(
        status,
        new String(code, StandardCharsets.UTF_8),
        new String(message, StandardCharsets.UTF_8));
  }

  /** The numeric status, e.g. 3 for INVALID_ARGUMENT. */
  public int getStatus() {
    return status;
  }

  /** The status name without prefix, e.g. "INVALID_ARGUMENT", "NOT_FOUND". */
  public String getCode() {
    return code;
  }

  static RegimenException closed(String what) {
    return new RegimenException(9, "FAILED_PRECONDITION", "the " + what + " is closed");
  }
}
