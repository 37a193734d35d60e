internal import Clibgit2

/// A git object id (SHA-1): 20 raw bytes, printed as 40 lowercase hex digits.
public struct ObjectID: Hashable, Comparable, Sendable, CustomStringConvertible {
  // Held as three words so that hashing and comparing in history walks cost no allocation.
  let high: UInt64
  let middle: UInt64
  let low: UInt32

  /// Creates an id from 40 hex digits; nil if `hex` is not one.
  public init?(hex: String) {
    let bytes = Array(hex.utf8)
    guard bytes.count == 40 else { return nil }
    var raw = [UInt8](repeating: 0, count: 20)
    for index in 0..<20 {
      guard let upper = Self.nibble(bytes[2 * index]), let lower = Self.nibble(bytes[2 * index + 1])
      else {
        return nil
      }
      raw[index] = upper << 4 | lower
    }
    self.init(bytes: raw)
  }

  /// Hashes the first eight bytes alone: they are already uniformly spread, and a history walk
  /// keys dictionaries of tens of thousands of commits by id, where hashing all three words
  /// was a visible part of recording them.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(high)
  }

  init(high: UInt64, middle: UInt64, low: UInt32) {
    self.high = high
    self.middle = middle
    self.low = low
  }

  /// Creates an id from its 20 raw bytes.
  public init<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8, Bytes.Index == Int {
    precondition(bytes.count >= 20, "an object id has 20 bytes")
    let start = bytes.startIndex
    func word(_ from: Int, _ count: Int) -> UInt64 {
      (0..<count).reduce(UInt64(0)) { $0 << 8 | UInt64(bytes[start + from + $1]) }
    }
    high = word(0, 8)
    middle = word(8, 8)
    low = UInt32(word(16, 4))
  }

  /// Creates an id from the 20 bytes at `pointer`, without copying them into an array.
  public init(rawBytes pointer: UnsafeRawPointer) {
    high = UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
    middle = UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    low = UInt32(bigEndian: pointer.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
  }

  init(_ oid: git_oid) {
    (high, middle, low) = withUnsafeBytes(of: oid.id) { buffer in
      (
        UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
        UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
        UInt32(bigEndian: buffer.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
      )
    }
  }

  init(_ pointer: UnsafePointer<git_oid>) { self.init(pointer.pointee) }

  /// The 20 raw bytes.
  public var bytes: [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
      + (0..<8).map { UInt8(truncatingIfNeeded: middle >> (56 - 8 * $0)) }
      + (0..<4).map { UInt8(truncatingIfNeeded: low >> (24 - 8 * $0)) }
  }

  /// Appends the 20 raw bytes to `buffer`, without making an array of them first.
  public func append(to buffer: inout [UInt8]) {
    // One append of the three words laid out together (20 bytes, no padding between them).
    withUnsafeBytes(of: (high.bigEndian, middle.bigEndian, low.bigEndian)) {
      buffer += UnsafeRawBufferPointer(rebasing: $0[0..<20])
    }
  }

  /// Stores the 20 raw bytes at `pointer`, which must have room for them.
  public func store(to pointer: UnsafeMutableRawPointer) {
    pointer.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
    pointer.storeBytes(of: middle.bigEndian, toByteOffset: 8, as: UInt64.self)
    pointer.storeBytes(of: low.bigEndian, toByteOffset: 16, as: UInt32.self)
  }

  /// The raw libgit2 form.
  var oid: git_oid {
    var oid = git_oid()
    withUnsafeMutableBytes(of: &oid.id) { buffer in
      buffer.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
      buffer.storeBytes(of: middle.bigEndian, toByteOffset: 8, as: UInt64.self)
      buffer.storeBytes(of: low.bigEndian, toByteOffset: 16, as: UInt32.self)
    }
    return oid
  }

  /// The full hex form.
  public var hex: String {
    String(unsafeUninitializedCapacity: 40) { text in
      let digits: StaticString = "0123456789abcdef"
      let table = digits.utf8Start
      func put(_ word: UInt64, bytes: Int, at start: Int) {
        for index in 0..<bytes {
          let byte = Int(truncatingIfNeeded: word >> (8 * (bytes - 1 - index))) & 0xFF
          text[start + 2 * index] = table[byte >> 4]
          text[start + 2 * index + 1] = table[byte & 0x0F]
        }
      }
      put(high, bytes: 8, at: 0)
      put(middle, bytes: 8, at: 16)
      put(UInt64(low), bytes: 4, at: 32)
      return 40
    }
  }

  /// The first seven digits, as git abbreviates.
  public var short: String { String(hex.prefix(7)) }

  /// True for git's all-zeros id, which CI systems use for "no commit".
  public var isZero: Bool { high == 0 && middle == 0 && low == 0 }

  public var description: String { hex }

  public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
    (lhs.high, lhs.middle, lhs.low) < (rhs.high, rhs.middle, rhs.low)
  }

  private static func nibble(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: return byte - 0x30
    case 0x61...0x66: return byte - 0x61 + 10
    case 0x41...0x46: return byte - 0x41 + 10
    default: return nil
    }
  }
}

extension ObjectID {
  /// The positions of `ids` in ascending order of id: a counting sort on the leading bits,
  /// where a comparison sort of a walk's 80,000 ids was a visible part of writing its cache.
  public static func sortedOrder(_ ids: [ObjectID]) -> [Int] { ObjectReader.sortedOrder(ids) }
}
