import GitKit

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

  mutating func raw(_ raw: UnsafeRawBufferPointer) { bytes += raw }

  /// Overwrites the u32 at `offset` (a count or length written before it was known).
  /// (Stored in place: `replaceSubrange` copied the whole buffer each time.)
  mutating func patch(_ value: UInt32, at offset: Int) {
    bytes.withUnsafeMutableBytes {
      $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self)
    }
  }

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
