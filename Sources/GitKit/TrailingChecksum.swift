internal import Crypto

/// The SHA-1 that git writes at the end of its index, pack index and commit-graph files, over
/// everything before it.
enum TrailingChecksum {
  /// True when the last 20 bytes of `bytes` are the SHA-1 of the rest.
  static func matches(_ bytes: some BigEndianBytes) -> Bool {
    guard bytes.size >= 20 else { return false }
    let digest = Insecure.SHA1.hash(data: bytes.bytes(at: 0, count: bytes.size - 20))
    return digest.elementsEqual(bytes.bytes(at: bytes.size - 20, count: 20))
  }

  /// The trailing checksum as 40 hex digits (how a commit-graph chain names its files).
  static func hex(_ bytes: some BigEndianBytes) -> String? {
    guard bytes.size >= 20 else { return nil }
    return ObjectID(rawBytes: bytes.base + bytes.size - 20).hex
  }
}

extension TrailingChecksum {
  /// The SHA-1 of `bytes`.
  static func sha1(_ bytes: [UInt8]) -> [UInt8] { Array(Insecure.SHA1.hash(data: bytes)) }
}
