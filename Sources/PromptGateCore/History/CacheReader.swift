import GitKit

/// Why a history cache file was not read.
struct CacheFormatError: Error {
  let reason: String
}

/// Reads the file's values, every one checked against the end.
struct CacheReader {
  let base: UnsafeRawPointer
  let end: Int
  var position: Int

  /// Reads `base[position..<end]`; the bytes must outlive the reader.
  init(base: UnsafeRawPointer, position: Int = 0, end: Int) {
    self.base = base
    self.position = position
    self.end = end
  }

  mutating func take(_ count: Int) throws -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: base + (try advance(count)), count: count)
  }

  /// Checks that `count` bytes remain and moves past them; returns where they start.
  mutating func advance(_ count: Int) throws -> Int {
    guard count >= 0, end - position >= count else {
      throw CacheFormatError(reason: "it ends in the middle of a record")
    }
    defer { position += count }
    return position
  }

  mutating func u8() throws -> UInt8 {
    base.load(fromByteOffset: try advance(1), as: UInt8.self)
  }

  mutating func u32() throws -> UInt32 {
    UInt32(littleEndian: base.loadUnaligned(fromByteOffset: try advance(4), as: UInt32.self))
  }

  mutating func u64() throws -> UInt64 {
    UInt64(littleEndian: base.loadUnaligned(fromByteOffset: try advance(8), as: UInt64.self))
  }

  /// A count of items of at least `size` bytes each, which cannot exceed the bytes left.
  mutating func count(of size: Int = 1) throws -> Int {
    let value = Int(try u32())
    guard value <= (end - position) / size else {
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
    ObjectID(rawBytes: base + (try advance(20)))
  }

  mutating func optional<Value>(_ read: (inout CacheReader) throws -> Value) throws -> Value? {
    switch try u8() {
    case 0: return nil
    case 1: return try read(&self)
    default: throw CacheFormatError(reason: "a presence flag is neither 0 nor 1")
    }
  }

  mutating func version() throws -> BehaviorVersion {
    let flags = try u8()
    guard flags < 1 << 7 else {
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
