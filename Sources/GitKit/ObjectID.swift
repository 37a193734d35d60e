import Clibgit2

/// A git object id (SHA-1), held as its 40 lowercase hex digits.
public struct ObjectID: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// The full hex form.
  public let hex: String

  /// Creates an id from 40 hex digits; nil if `hex` is not one.
  public init?(hex: String) {
    let lower = hex.lowercased()
    guard lower.utf8.count == 40, lower.utf8.allSatisfy({ $0.isHexDigit }) else { return nil }
    self.hex = lower
  }

  init(_ oid: git_oid) {
    var oid = oid
    var buffer = [CChar](repeating: 0, count: 41)
    git_oid_tostr(&buffer, 41, &oid)
    self.hex = String(decoding: buffer.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  init(_ pointer: UnsafePointer<git_oid>) { self.init(pointer.pointee) }

  /// The raw libgit2 form.
  var oid: git_oid {
    var oid = git_oid()
    _ = git_oid_fromstr(&oid, hex)
    return oid
  }

  /// The first seven digits, as git abbreviates.
  public var short: String { String(hex.prefix(7)) }

  /// True for git's all-zeros id, which CI systems use for "no commit".
  public var isZero: Bool { hex.utf8.allSatisfy { $0 == UInt8(ascii: "0") } }

  public var description: String { hex }

  public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool { lhs.hex < rhs.hex }
}

extension UInt8 {
  var isHexDigit: Bool {
    (0x30...0x39).contains(self) || (0x61...0x66).contains(self) || (0x41...0x46).contains(self)
  }
}
