import Crypto
import GitKit

/// Why a history cache file was not read.
struct CacheFormatError: Error {
  let reason: String
}

/// The file's layout: `PGHC`, the format (u32), the key (string), the states, the records, and
/// the SHA-256 of everything before it. Little-endian integers; strings as a u32 byte count and
/// UTF-8; optional values after a 0/1 byte. Binary, so that a cache of 80,000 commits reads in a
/// few milliseconds.
extension HistoryCache {
  static let magic: [UInt8] = Array("PGHC".utf8)

  func encoded() -> [UInt8] {
    var writer = CacheWriter()
    writer.bytes += Self.magic
    writer.u32(Self.format)
    writer.string(key)
    writer.u32(UInt32(states.count))
    for state in states {
      let names = state.behaviors.keys.sorted()
      writer.u32(UInt32(names.count))
      for name in names {
        writer.string(name)
        writer.optional(state.behaviors[name] ?? nil) { $0.version($1) }
      }
      writer.u32(UInt32(state.paths.count))
      for (path, id) in zip(state.paths, state.entryIDs) {
        writer.string(path)
        writer.optional(id) { $0.id($1) }
      }
      writer.optional(state.warning) { $0.string($1) }
    }
    writer.u32(UInt32(records.count))
    for (id, record) in records.sorted(by: { $0.key < $1.key }) {
      writer.id(id)
      writer.id(record.tree)
      writer.u64(UInt64(bitPattern: record.time))
      writer.u32(UInt32(record.state))
      writer.u32(UInt32(record.parents.count))
      for parent in record.parents { writer.id(parent) }
    }
    writer.bytes += SHA256.hash(data: writer.bytes)
    return writer.bytes
  }

  /// The key, states and records of a file; throws when the file is not one of this format or,
  /// when `key` is given, was written under another key.
  static func decode(_ bytes: [UInt8], key: String?) throws
    -> (String, [State], [ObjectID: Record])
  {
    guard bytes.count >= magic.count + 4 + 32 else {
      throw CacheFormatError(reason: "it is too short")
    }
    let body = bytes.count - 32
    guard Array(SHA256.hash(data: bytes[..<body])) == Array(bytes[body...]) else {
      throw CacheFormatError(reason: "its checksum does not match its content")
    }
    var reader = CacheReader(bytes: bytes, end: body)
    guard try reader.take(magic.count) == magic[...] else {
      throw CacheFormatError(reason: "it is not a history cache")
    }
    let format = try reader.u32()
    guard format == Self.format else {
      throw CacheFormatError(reason: "it has format \(format), this build writes \(Self.format)")
    }
    let written = try reader.string()
    guard key == nil || written == key else {
      throw CacheFormatError(reason: "it was written for another mapping")
    }
    var states: [State] = []
    for _ in 0..<(try reader.count()) {
      var behaviors: [String: BehaviorVersion?] = [:]
      for _ in 0..<(try reader.count()) {
        let name = try reader.string()
        behaviors[name] = .some(try reader.optional { try $0.version() })
      }
      var paths: [String] = []
      var ids: [ObjectID?] = []
      for _ in 0..<(try reader.count()) {
        paths.append(try reader.string())
        ids.append(try reader.optional { try $0.id() })
      }
      let warning = try reader.optional { try $0.string() }
      states.append(State(behaviors: behaviors, paths: paths, entryIDs: ids, warning: warning))
    }
    let count = try reader.count()
    var records: [ObjectID: Record] = [:]
    records.reserveCapacity(count)
    for _ in 0..<count {
      let id = try reader.id()
      let tree = try reader.id()
      let time = Int64(bitPattern: try reader.u64())
      let state = Int(try reader.u32())
      guard state < states.count else {
        throw CacheFormatError(reason: "a commit names state \(state) of \(states.count)")
      }
      var parents: [ObjectID] = []
      for _ in 0..<(try reader.count()) { parents.append(try reader.id()) }
      records[id] = Record(parents: parents, tree: tree, time: time, state: state)
    }
    guard reader.position == body else {
      throw CacheFormatError(reason: "it has bytes after its records")
    }
    return (written, states, records)
  }
}

/// Appends the file's values.
struct CacheWriter {
  var bytes: [UInt8] = []

  mutating func u32(_ value: UInt32) {
    withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
  }

  mutating func u64(_ value: UInt64) {
    withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
  }

  mutating func string(_ text: String) {
    u32(UInt32(text.utf8.count))
    bytes += text.utf8
  }

  mutating func id(_ id: ObjectID) { id.append(to: &bytes) }

  mutating func optional<Value>(_ value: Value?, _ write: (inout CacheWriter, Value) -> Void) {
    guard let value else {
      bytes.append(0)
      return
    }
    bytes.append(1)
    write(&self, value)
  }

  /// A version: one flag bit per field, then the fields present, in tuple order.
  mutating func version(_ version: BehaviorVersion) {
    let texts = [
      version.promptSha, version.model, version.toolSchemaSha, version.retrievalPolicySha,
      version.safetyPolicySha,
    ]
    var flags: UInt8 = 0
    for (bit, text) in texts.enumerated() where text != nil { flags |= 1 << bit }
    if version.temperature != nil { flags |= 1 << 5 }
    if version.maxOutputTokens != nil { flags |= 1 << 6 }
    bytes.append(flags)
    for text in texts { if let text { string(text) } }
    if let temperature = version.temperature { u64(temperature.bitPattern) }
    if let tokens = version.maxOutputTokens { u64(UInt64(bitPattern: Int64(tokens))) }
  }
}

/// Reads the file's values, every one checked against the end.
struct CacheReader {
  let bytes: [UInt8]
  let end: Int
  var position = 0

  init(bytes: [UInt8], end: Int) {
    self.bytes = bytes
    self.end = end
  }

  mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
    guard count >= 0, end - position >= count else {
      throw CacheFormatError(reason: "it ends in the middle of a record")
    }
    defer { position += count }
    return bytes[position..<(position + count)]
  }

  /// Checks that `count` bytes remain and moves past them; returns where they start.
  private mutating func advance(_ count: Int) throws -> Int {
    guard end - position >= count else {
      throw CacheFormatError(reason: "it ends in the middle of a record")
    }
    defer { position += count }
    return position
  }

  mutating func u32() throws -> UInt32 {
    let start = try advance(4)
    return bytes.withUnsafeBytes {
      UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: start, as: UInt32.self))
    }
  }

  mutating func u64() throws -> UInt64 {
    let start = try advance(8)
    return bytes.withUnsafeBytes {
      UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: start, as: UInt64.self))
    }
  }

  /// A count, which cannot exceed the bytes left (each item takes at least one).
  mutating func count() throws -> Int {
    let value = Int(try u32())
    guard value <= end - position else {
      throw CacheFormatError(reason: "a count of \(value) exceeds the file")
    }
    return value
  }

  mutating func string() throws -> String {
    let bytes = try take(Int(try u32()))
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw CacheFormatError(reason: "a name is not UTF-8")
    }
    return text
  }

  mutating func id() throws -> ObjectID {
    let start = try advance(20)
    return bytes.withUnsafeBytes { ObjectID(rawBytes: $0.baseAddress! + start) }
  }

  mutating func optional<Value>(_ read: (inout CacheReader) throws -> Value) throws -> Value? {
    switch try take(1).first {
    case 0: return nil
    case 1: return try read(&self)
    default: throw CacheFormatError(reason: "a presence flag is neither 0 nor 1")
    }
  }

  mutating func version() throws -> BehaviorVersion {
    guard let flags = try take(1).first, flags < 1 << 7 else {
      throw CacheFormatError(reason: "a version has unknown fields")
    }
    var texts: [String?] = []
    for bit in 0..<5 { texts.append(flags & (1 << bit) != 0 ? try string() : nil) }
    let temperature = flags & (1 << 5) != 0 ? Double(bitPattern: try u64()) : nil
    let tokens = flags & (1 << 6) != 0 ? Int(Int64(bitPattern: try u64())) : nil
    return BehaviorVersion(
      promptSha: texts[0], model: texts[1], toolSchemaSha: texts[2],
      retrievalPolicySha: texts[3], safetyPolicySha: texts[4], temperature: temperature,
      maxOutputTokens: tokens)
  }
}
