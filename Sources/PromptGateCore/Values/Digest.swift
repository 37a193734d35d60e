import Crypto

/// SHA-256 digests as lowercase hex, the form every hash in a behavior version takes.
public enum Digest {
  /// The SHA-256 of `bytes`.
  public static func sha256<Bytes: Sequence>(_ bytes: Bytes) -> String
  where Bytes.Element == UInt8 {
    hex(SHA256.hash(data: Array(bytes)))
  }

  /// The SHA-256 of the UTF-8 bytes of `text`.
  public static func sha256(_ text: String) -> String { sha256(Array(text.utf8)) }

  /// The SHA-256 of `value`'s RFC 8785 canonical form.
  public static func canonical(_ value: JSONValue) throws -> String {
    sha256(try CanonicalJSON.serialize(value))
  }

  private static let digits = Array("0123456789abcdef".utf8)

  private static func hex(_ digest: SHA256.Digest) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(64)
    for byte in digest {
      bytes.append(digits[Int(byte >> 4)])
      bytes.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
