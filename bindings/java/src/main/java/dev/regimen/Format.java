package dev.regimen;

/** How a message (catalog, routine, profile, snapshot, record, ...) is encoded. */
public enum Format {
  /** Protobuf wire format. */
  BINARY(0),
  /** Protobuf JSON mapping (lowerCamelCase field names). */
  JSON(1),
  /** Protobuf text format. */
  TEXT(2);

  final int value;

  Format(int value) {
    this.value = value;
  }
}
