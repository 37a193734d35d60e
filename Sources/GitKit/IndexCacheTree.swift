/// The index's cache-tree extension (`TREE`), read only as far as git reads it to decide
/// whether to refuse the whole index.
///
/// git drops a damaged cache-tree silently and reads the entries all the same, with one
/// exception: a directory that lists the same subtree name twice makes it stop ("cache-tree:
/// internal error"). The direct index reader declines exactly that, so that it never reads an
/// index git refuses.
enum IndexCacheTree {
  /// True when git would refuse an index whose `TREE` extension is `data`.
  static func isRefused(_ data: UnsafeRawBufferPointer) -> Bool {
    // git reads only a cache-tree that starts at the root (an empty name).
    guard let first = data.first, first == 0 else { return false }
    var reader = Reader(data: data)
    return reader.node() == .refused
  }

  private enum Outcome: Equatable {
    /// The node and its subtrees read as git reads them.
    case read
    /// git stops reading the extension here and drops it.
    case dropped
    /// git refuses the index.
    case refused
  }

  private struct Reader {
    let data: UnsafeRawBufferPointer
    var offset = 0
    /// Where the names of the subtrees read so far lie, for every directory being read.
    var names: [Range<Int>] = []

    /// One directory: its name, `entry_count subtree_count\n`, an object id when the count is
    /// not negative, then its subtrees.
    mutating func node() -> Outcome {
      guard let nul = data[offset...].firstIndex(of: 0) else { return .dropped }
      offset = nul + 1
      guard let entries = number(), let subtreeCount = number(),
        let newline = data[offset...].firstIndex(of: UInt8(ascii: "\n"))
      else { return .dropped }
      offset = newline + 1
      if entries >= 0 {
        guard data.count - offset >= 20 else { return .dropped }
        offset += 20
      }
      // The subtrees' names, on a stack shared by every level: git writes them sorted, so
      // names that increase are distinct, and only damage needs the set below.
      let first = names.count
      defer { names.removeSubrange(first...) }
      var index = 0
      while index < subtreeCount {
        let start = offset
        switch node() {
        case .read:
          names.append(start..<(data[start...].firstIndex(of: 0) ?? start))
        case let other:
          return other
        }
        index += 1
      }
      let children = names[first...]
      let increasing = zip(children, children.dropFirst()).allSatisfy {
        data[$0.0].lexicographicallyPrecedes(data[$0.1])
      }
      guard !increasing else { return .read }
      return Set(children.map { Array(data[$0]) }).count == children.count ? .read : .refused
    }

    /// A decimal number as C's `strtol` reads it: spaces, a sign, digits; nil without digits.
    mutating func number() -> Int? {
      while offset < data.count, data[offset] == 0x20 || (0x09...0x0D).contains(data[offset]) {
        offset += 1
      }
      var negative = false
      if offset < data.count, data[offset] == UInt8(ascii: "-") || data[offset] == UInt8(ascii: "+")
      {
        negative = data[offset] == UInt8(ascii: "-")
        offset += 1
      }
      var value = 0
      var digits = 0
      while offset < data.count, (0x30...0x39).contains(data[offset]) {
        value = min(value * 10 + Int(data[offset] - 0x30), Int(Int32.max))
        digits += 1
        offset += 1
      }
      return digits == 0 ? nil : (negative ? -value : value)
    }
  }
}
