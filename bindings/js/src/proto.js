// The protobuf binary format <-> objects in the protobuf JSON mapping, driven by a schema table
// (dist/schema.js, generated from proto/regimen/v1 by tools/gen-schema.mjs). The wasm module is
// built against protobuf-lite, which has no JSON; this codec gives JavaScript hosts the same
// shapes the C API's RGM_FORMAT_JSON gives native ones: lowerCamelCase names, 64-bit integers as
// decimal strings, enums by name, bytes as base64, fields at their default value left out.
//
// A schema maps a full message name to its fields, each
//   [number, name, jsonName, type, repeated, typeName, hasPresence]
// with `type` the FieldDescriptorProto.Type number, and a full enum name to { name: number }.

const TYPE_DOUBLE = 1;
const TYPE_FLOAT = 2;
const TYPE_INT64 = 3;
const TYPE_UINT64 = 4;
const TYPE_INT32 = 5;
const TYPE_FIXED64 = 6;
const TYPE_FIXED32 = 7;
const TYPE_BOOL = 8;
const TYPE_STRING = 9;
const TYPE_MESSAGE = 11;
const TYPE_BYTES = 12;
const TYPE_UINT32 = 13;
const TYPE_ENUM = 14;
const TYPE_SFIXED32 = 15;
const TYPE_SFIXED64 = 16;
const TYPE_SINT32 = 17;
const TYPE_SINT64 = 18;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

/** A malformed message or a value that does not fit its field; `path` says where. */
export class CodecError extends Error {
  constructor(message) {
    super(message);
    this.name = "CodecError";
  }
}

function wireTypeOf(type) {
  switch (type) {
    case TYPE_DOUBLE:
    case TYPE_FIXED64:
    case TYPE_SFIXED64:
      return WIRE_FIXED64;
    case TYPE_FLOAT:
    case TYPE_FIXED32:
    case TYPE_SFIXED32:
      return WIRE_FIXED32;
    case TYPE_STRING:
    case TYPE_BYTES:
    case TYPE_MESSAGE:
      return WIRE_LENGTH;
    default:
      return WIRE_VARINT;
  }
}

function isPackable(type) {
  return wireTypeOf(type) !== WIRE_LENGTH;
}

// --- Compiled schema ------------------------------------------------------------------------

class Field {
  constructor([number, name, jsonName, type, repeated, typeName, hasPresence]) {
    this.number = number;
    this.name = name;
    this.jsonName = jsonName;
    this.type = type;
    this.repeated = repeated;
    this.typeName = typeName;
    this.hasPresence = hasPresence;
  }
}

/** A schema table compiled for lookups by field number and by name. */
export class Schema {
  constructor(table) {
    this.enums = new Map();
    for (const [name, values] of Object.entries(table.enums)) {
      const byNumber = new Map();
      for (const [valueName, number] of Object.entries(values)) {
        if (!byNumber.has(number)) byNumber.set(number, valueName);
      }
      this.enums.set(name, { byName: new Map(Object.entries(values)), byNumber });
    }
    this.messages = new Map();
    for (const [name, fields] of Object.entries(table.messages)) {
      const list = fields.map((f) => new Field(f));
      const byNumber = new Map(list.map((f) => [f.number, f]));
      const byName = new Map();
      for (const f of list) {
        byName.set(f.jsonName, f);
        byName.set(f.name, f);
      }
      this.messages.set(name, { name, fields: list, byNumber, byName });
    }
  }

  message(name) {
    const m = this.messages.get(name);
    if (m === undefined) throw new CodecError(`unknown message type "${name}"`);
    return m;
  }

  enumType(name) {
    const e = this.enums.get(name);
    if (e === undefined) throw new CodecError(`unknown enum type "${name}"`);
    return e;
  }
}

// --- Decoding -------------------------------------------------------------------------------

class Reader {
  constructor(bytes, start, end, path) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
    this.end = end;
    this.path = path;
  }

  fail(what) {
    throw new CodecError(`${this.path || "message"}: ${what} at byte ${this.pos}`);
  }

  varint() {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; ++i) {
      if (this.pos >= this.end) this.fail("truncated varint");
      const b = this.bytes[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    this.fail("varint longer than 10 bytes");
    return 0n;
  }

  take(n) {
    if (n > this.end - this.pos) this.fail(`truncated: ${n} bytes needed`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  length() {
    const n = this.varint();
    if (n > BigInt(this.end - this.pos)) this.fail("length past the end");
    return Number(n);
  }

  skip(wireType) {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint();
        break;
      case WIRE_FIXED64:
        this.take(8);
        break;
      case WIRE_LENGTH:
        this.take(this.length());
        break;
      case WIRE_FIXED32:
        this.take(4);
        break;
      default:
        this.fail(`unsupported wire type ${wireType}`);
    }
  }
}

function base64Encode(bytes) {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function base64Decode(text, path) {
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; ++i) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    throw new CodecError(`${path}: not base64`);
  }
}

function jsonDouble(x) {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  return x;
}

function enumName(schema, field, number) {
  const name = schema.enumType(field.typeName).byNumber.get(number);
  return name === undefined ? number : name;
}

function readScalar(schema, field, reader, wireType, options) {
  switch (field.type) {
    case TYPE_DOUBLE:
      return jsonDouble(reader.view.getFloat64(reader.take(8), true));
    case TYPE_FLOAT:
      return jsonDouble(reader.view.getFloat32(reader.take(4), true));
    case TYPE_FIXED64:
      return reader.view.getBigUint64(reader.take(8), true).toString();
    case TYPE_SFIXED64:
      return reader.view.getBigInt64(reader.take(8), true).toString();
    case TYPE_FIXED32:
      return reader.view.getUint32(reader.take(4), true);
    case TYPE_SFIXED32:
      return reader.view.getInt32(reader.take(4), true);
    case TYPE_INT64:
      return BigInt.asIntN(64, reader.varint()).toString();
    case TYPE_UINT64:
      return reader.varint().toString();
    case TYPE_INT32:
      return Number(BigInt.asIntN(32, reader.varint()));
    case TYPE_UINT32:
      return Number(BigInt.asUintN(32, reader.varint()));
    case TYPE_SINT32:
    case TYPE_SINT64: {
      const n = reader.varint();
      const v = (n >> 1n) ^ -(n & 1n);
      return field.type === TYPE_SINT32 ? Number(BigInt.asIntN(32, v)) : v.toString();
    }
    case TYPE_BOOL:
      return reader.varint() !== 0n;
    case TYPE_ENUM:
      return enumName(schema, field, Number(BigInt.asIntN(32, reader.varint())));
    case TYPE_STRING: {
      const n = reader.length();
      const at = reader.take(n);
      try {
        return utf8Decoder.decode(reader.bytes.subarray(at, at + n));
      } catch {
        return reader.fail(`field ${field.name}: invalid UTF-8`);
      }
    }
    case TYPE_BYTES: {
      const n = reader.length();
      const at = reader.take(n);
      return base64Encode(reader.bytes.subarray(at, at + n));
    }
    case TYPE_MESSAGE: {
      const n = reader.length();
      const at = reader.take(n);
      const sub = new Reader(reader.bytes, at, at + n, `${reader.path}.${field.jsonName}`);
      return decodeMessage(schema, field.typeName, sub, options);
    }
    default:
      return reader.fail(`field ${field.name}: unsupported type ${field.type} (wire ${wireType})`);
  }
}

function defaultValue(schema, field) {
  switch (field.type) {
    case TYPE_INT64:
    case TYPE_UINT64:
    case TYPE_FIXED64:
    case TYPE_SFIXED64:
    case TYPE_SINT64:
      return "0";
    case TYPE_BOOL:
      return false;
    case TYPE_STRING:
    case TYPE_BYTES:
      return "";
    case TYPE_ENUM:
      return enumName(schema, field, 0);
    default:
      return 0;
  }
}

function isDefault(schema, field, value) {
  if (field.type === TYPE_ENUM) {
    return value === 0 || schema.enumType(field.typeName).byName.get(value) === 0;
  }
  return value === 0 || value === "0" || value === false || value === "";
}

function decodeMessage(schema, typeName, reader, options) {
  const type = schema.message(typeName);
  const values = new Map();
  while (reader.pos < reader.end) {
    const key = reader.varint();
    const number = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (number === 0) reader.fail("field number 0");
    const field = type.byNumber.get(number);
    if (field === undefined) {
      reader.skip(wireType);
      continue;
    }
    if (field.repeated) {
      let list = values.get(field);
      if (list === undefined) values.set(field, (list = []));
      if (wireType === WIRE_LENGTH && isPackable(field.type)) {
        const n = reader.length();
        const sub = new Reader(reader.bytes, reader.pos, reader.pos + n, reader.path);
        reader.take(n);
        while (sub.pos < sub.end) list.push(readScalar(schema, field, sub, wireTypeOf(field.type)));
      } else {
        if (wireType !== wireTypeOf(field.type)) reader.fail(`field ${field.name}: wire type ${wireType}`);
        list.push(readScalar(schema, field, reader, wireType, options));
      }
    } else {
      if (wireType !== wireTypeOf(field.type)) reader.fail(`field ${field.name}: wire type ${wireType}`);
      const value = readScalar(schema, field, reader, wireType, options);
      if (field.type === TYPE_MESSAGE && values.has(field)) {
        Object.assign(values.get(field), value);  // a message field seen twice is merged
      } else {
        values.set(field, value);
      }
    }
  }
  const out = {};
  for (const field of type.fields) {
    const seen = values.has(field);
    const value = values.get(field);
    if (field.repeated) {
      if (seen) out[field.jsonName] = value;
      else if (options.allFields) out[field.jsonName] = [];
    } else if (field.type === TYPE_MESSAGE || field.hasPresence) {
      if (seen) out[field.jsonName] = value;
    } else if (seen && !isDefault(schema, field, value)) {
      out[field.jsonName] = value;
    } else if (options.allFields) {
      out[field.jsonName] = defaultValue(schema, field);
    }
  }
  return out;
}

/** Decodes `bytes` as message `typeName` into an object in the JSON mapping. */
export function decode(schema, typeName, bytes, options = {}) {
  if (!(bytes instanceof Uint8Array)) throw new CodecError(`${typeName}: expected a Uint8Array`);
  return decodeMessage(schema, typeName, new Reader(bytes, 0, bytes.length, ""), options);
}

// --- Encoding -------------------------------------------------------------------------------

class Writer {
  constructor() {
    this.chunks = [];
    this.buffer = new Uint8Array(256);
    this.view = new DataView(this.buffer.buffer);
    this.pos = 0;
  }

  reserve(n) {
    if (this.pos + n <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.pos + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.pos));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }

  varint(value) {
    let v = BigInt.asUintN(64, BigInt(value));
    this.reserve(10);
    while (v >= 0x80n) {
      this.buffer[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buffer[this.pos++] = Number(v);
  }

  key(number, wireType) {
    this.varint((BigInt(number) << 3n) | BigInt(wireType));
  }

  raw(bytes) {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  finish() {
    return this.buffer.slice(0, this.pos);
  }
}

function describe(value) {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function toBigInt(value, path, signed, bits) {
  let v;
  if (typeof value === "bigint") {
    v = value;
  } else if (typeof value === "number" && Number.isInteger(value)) {
    v = BigInt(value);
  } else if (typeof value === "string" && /^-?[0-9]+$/.test(value.trim())) {
    v = BigInt(value.trim());
  } else {
    throw new CodecError(`${path}: expected an integer, got ${describe(value)}`);
  }
  const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
  const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  if (v < min || v > max) throw new CodecError(`${path}: ${v} is out of range for ${bits} bits`);
  return v;
}

function toNumber(value, path) {
  if (typeof value === "number") return value;
  if (value === "NaN") return NaN;
  if (value === "Infinity") return Infinity;
  if (value === "-Infinity") return -Infinity;
  if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) {
    return Number(value);
  }
  throw new CodecError(`${path}: expected a number, got ${describe(value)}`);
}

function enumNumber(schema, field, value, path) {
  const e = schema.enumType(field.typeName);
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && e.byName.has(value)) return e.byName.get(value);
  throw new CodecError(
    `${path}: ${describe(value)} is not a value of ${field.typeName} (${[...e.byName.keys()].join(", ")})`);
}

function writeScalar(schema, field, value, writer, path) {
  switch (field.type) {
    case TYPE_DOUBLE:
      writer.reserve(8);
      writer.view.setFloat64(writer.pos, toNumber(value, path), true);
      writer.pos += 8;
      return;
    case TYPE_FLOAT:
      writer.reserve(4);
      writer.view.setFloat32(writer.pos, toNumber(value, path), true);
      writer.pos += 4;
      return;
    case TYPE_FIXED64:
    case TYPE_SFIXED64:
      writer.reserve(8);
      writer.view.setBigUint64(writer.pos,
        BigInt.asUintN(64, toBigInt(value, path, field.type === TYPE_SFIXED64, 64)), true);
      writer.pos += 8;
      return;
    case TYPE_FIXED32:
    case TYPE_SFIXED32:
      writer.reserve(4);
      writer.view.setUint32(writer.pos,
        Number(BigInt.asUintN(32, toBigInt(value, path, field.type === TYPE_SFIXED32, 32))), true);
      writer.pos += 4;
      return;
    case TYPE_INT64:
      writer.varint(toBigInt(value, path, true, 64));
      return;
    case TYPE_UINT64:
      writer.varint(toBigInt(value, path, false, 64));
      return;
    case TYPE_INT32:
      writer.varint(toBigInt(value, path, true, 32));
      return;
    case TYPE_UINT32:
      writer.varint(toBigInt(value, path, false, 32));
      return;
    case TYPE_SINT32:
    case TYPE_SINT64: {
      const v = toBigInt(value, path, true, field.type === TYPE_SINT32 ? 32 : 64);
      writer.varint(v >= 0n ? v << 1n : ((-v) << 1n) - 1n);
      return;
    }
    case TYPE_BOOL:
      if (typeof value !== "boolean") throw new CodecError(`${path}: expected true or false, got ${describe(value)}`);
      writer.varint(value ? 1 : 0);
      return;
    case TYPE_ENUM:
      writer.varint(BigInt.asUintN(64, BigInt(enumNumber(schema, field, value, path))));
      return;
    case TYPE_STRING: {
      if (typeof value !== "string") throw new CodecError(`${path}: expected a string, got ${describe(value)}`);
      const bytes = utf8Encoder.encode(value);
      writer.varint(bytes.length);
      writer.raw(bytes);
      return;
    }
    case TYPE_BYTES: {
      const bytes = value instanceof Uint8Array ? value
        : typeof value === "string" ? base64Decode(value, path) : null;
      if (bytes === null) throw new CodecError(`${path}: expected base64 or a Uint8Array`);
      writer.varint(bytes.length);
      writer.raw(bytes);
      return;
    }
    case TYPE_MESSAGE: {
      const bytes = encodeMessage(schema, field.typeName, value, path);
      writer.varint(bytes.length);
      writer.raw(bytes);
      return;
    }
    default:
      throw new CodecError(`${path}: unsupported field type ${field.type}`);
  }
}

function isDefaultInput(schema, field, value) {
  if (field.type === TYPE_ENUM) {
    try {
      return enumNumber(schema, field, value, "") === 0;
    } catch {
      return false;
    }
  }
  return value === 0 || value === 0n || value === "0" || value === false || value === "" ||
    (value instanceof Uint8Array && value.length === 0);
}

function encodeMessage(schema, typeName, object, path) {
  const type = schema.message(typeName);
  if (object === null || typeof object !== "object" || Array.isArray(object)) {
    throw new CodecError(`${path || typeName}: expected an object for ${typeName}`);
  }
  for (const key of Object.keys(object)) {
    if (!type.byName.has(key)) {
      throw new CodecError(`${path || typeName}: ${typeName} has no field "${key}"`);
    }
  }
  const writer = new Writer();
  for (const field of type.fields) {
    let value = object[field.jsonName];
    if (value === undefined && field.name !== field.jsonName) value = object[field.name];
    if (value === undefined || value === null) continue;
    const at = path ? `${path}.${field.jsonName}` : field.jsonName;
    if (field.repeated) {
      if (!Array.isArray(value)) throw new CodecError(`${at}: expected an array`);
      if (value.length === 0) continue;
      if (isPackable(field.type)) {
        const packed = new Writer();
        value.forEach((v, i) => writeScalar(schema, field, v, packed, `${at}[${i}]`));
        writer.key(field.number, WIRE_LENGTH);
        writer.varint(packed.pos);
        writer.raw(packed.finish());
      } else {
        value.forEach((v, i) => {
          writer.key(field.number, WIRE_LENGTH);
          writeScalar(schema, field, v, writer, `${at}[${i}]`);
        });
      }
      continue;
    }
    if (field.type !== TYPE_MESSAGE && !field.hasPresence && isDefaultInput(schema, field, value)) {
      continue;
    }
    writer.key(field.number, wireTypeOf(field.type));
    writeScalar(schema, field, value, writer, at);
  }
  return writer.finish();
}

/** Encodes `object` (JSON mapping or proto field names) as message `typeName`. */
export function encode(schema, typeName, object) {
  return encodeMessage(schema, typeName, object, "");
}
