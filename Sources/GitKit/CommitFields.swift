/// A commit's tree, parents and committer time, parsed from its raw text without libgit2 (and
/// so without its per-object hash check, which git does not make on ordinary reads either).
///
/// The first parent is held inline, so that reading an ordinary commit ahead on one thread and
/// using it on another allocates, retains and releases nothing (a shared array of parents was
/// the listing thread's most expensive retain, and its allocation and release the readers').
struct CommitFields {
  let tree: ObjectID
  /// How many parents the commit names (laid out in the room after the tree's 20 bytes).
  private let count: Int32
  /// The committer time, in seconds since the epoch.
  let time: Int64
  /// The first parent (meaningful when there is one), and those after it (a merge's).
  private let first: ObjectID
  private let more: [ObjectID]?

  /// How many parents the commit names.
  var parentCount: Int { Int(count) }

  /// Its parents' ids, first parent first.
  var parents: [ObjectID] {
    var result: [ObjectID] = []
    appendParents(to: &result)
    return result
  }

  /// Appends the parents' ids, first parent first, to `list`.
  func appendParents(to list: inout [ObjectID]) {
    if count > 0 { list.append(first) }
    if let more { list += more }
  }

  /// The fields of `object`; throws when it is not a commit or names no tree. Header lines in
  /// an unusual order are still read (the time is then 0: only history walks use it, and they
  /// read such commits through libgit2).
  init(_ object: GitObject) throws {
    guard object.kind == .commit else { throw GitError(.invalid, "the object is not a commit") }
    if let fields = CommitFields(parsing: object.data) {
      self = fields
      return
    }
    var tree: ObjectID?
    var parents: [ObjectID] = []
    for line in object.data.split(separator: 0x0A, omittingEmptySubsequences: false) {
      if line.isEmpty { break }
      let text = String(decoding: line, as: UTF8.self)
      if text.hasPrefix("tree ") { tree = ObjectID(hex: String(text.dropFirst(5))) }
      if text.hasPrefix("parent "), let parent = ObjectID(hex: String(text.dropFirst(7))) {
        parents.append(parent)
      }
    }
    guard let tree else { throw GitError(.invalid, "the commit names no tree") }
    self.init(tree: tree, parents: parents, time: 0)
  }

  /// Parses the header of a commit: `tree`, then any `parent` lines, then `author` and
  /// `committer` (whose time is the number after the last `>`). Nil for anything else at
  /// those places (a missing tree, a malformed id or time): the caller then asks libgit2.
  init?(parsing data: [UInt8]) {
    guard let parsed = data.withUnsafeBufferPointer({ CommitFields(parsing: $0) }) else {
      return nil
    }
    self = parsed
  }

  /// ``init(parsing:)`` over bytes in place (a reader's reused buffer).
  init?(parsing bytes: UnsafeBufferPointer<UInt8>) {
    var position = 0
    guard let tree = Self.id(after: "tree ", in: bytes, at: &position) else { return nil }
    var count = 0
    var first = tree
    var more: [ObjectID]?
    while let parent = Self.id(after: "parent ", in: bytes, at: &position) {
      if count == 0 {
        first = parent
      } else {
        more = (more ?? []) + [parent]
      }
      count += 1
    }
    // The committer line follows the author line; either may be long (a name), so both
    // are searched for their ends rather than held to a size.
    guard Self.skipLine(starting: "author ", in: bytes, at: &position),
      let time = Self.committerTime(in: bytes, at: position)
    else { return nil }
    self.init(tree: tree, time: time, count: count, first: first, more: more)
  }

  private init(tree: ObjectID, parents: [ObjectID], time: Int64) {
    self.init(
      tree: tree, time: time, count: parents.count, first: parents.first ?? tree,
      more: parents.count > 1 ? Array(parents[1...]) : nil)
  }

  private init(tree: ObjectID, time: Int64, count: Int, first: ObjectID, more: [ObjectID]?) {
    self.tree = tree
    self.count = Int32(clamping: count)
    self.time = time
    self.first = first
    self.more = more
  }

  private static func starts(
    _ prefix: StaticString, in bytes: UnsafeBufferPointer<UInt8>, at position: Int
  ) -> Bool {
    let count = prefix.utf8CodeUnitCount
    guard position + count <= bytes.count else { return false }
    let start = prefix.utf8Start
    for offset in 0..<count where bytes[position + offset] != start[offset] { return false }
    return true
  }

  /// The id on a `PREFIX<40 hex>\n` line at `position`, moving past it; nil otherwise.
  private static func id(
    after prefix: StaticString, in bytes: UnsafeBufferPointer<UInt8>, at position: inout Int
  ) -> ObjectID? {
    guard starts(prefix, in: bytes, at: position) else { return nil }
    let start = position + prefix.utf8CodeUnitCount
    guard start + 41 <= bytes.count, bytes[start + 40] == 0x0A else { return nil }
    var valid = true
    let high = hexWord(bytes, from: start, digits: 16, valid: &valid)
    let middle = hexWord(bytes, from: start + 16, digits: 16, valid: &valid)
    let low = hexWord(bytes, from: start + 32, digits: 8, valid: &valid)
    guard valid else { return nil }
    position = start + 41
    return ObjectID(high: high, middle: middle, low: UInt32(low))
  }

  /// The value of `digits` lower-case hex digits at `start` (which the caller has checked lie
  /// in `bytes`); `valid` is cleared when one is not a digit. Checked all at once rather than
  /// digit by digit: a walk without a commit-graph parses two or three ids per commit, and
  /// the branch at each digit was most of parsing a commit.
  @inline(__always)
  private static func hexWord(
    _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, digits: Int, valid: inout Bool
  ) -> UInt64 {
    var value: UInt64 = 0
    var allDigits = true
    for index in start..<(start + digits) {
      let byte = bytes[index]
      let decimal = byte &- 0x30
      let letter = byte &- 0x61
      let isDecimal = decimal < 10
      allDigits = allDigits && (isDecimal || letter < 6)
      value = value << 4 | UInt64(isDecimal ? decimal : letter &+ 10)
    }
    valid = valid && allDigits
    return value
  }

  private static func skipLine(
    starting prefix: StaticString, in bytes: UnsafeBufferPointer<UInt8>, at position: inout Int
  ) -> Bool {
    guard starts(prefix, in: bytes, at: position) else { return false }
    while position < bytes.count, bytes[position] != 0x0A { position += 1 }
    guard position < bytes.count else { return false }
    position += 1
    return true
  }

  /// The time on the `committer NAME <EMAIL> TIME ZONE` line at `position`.
  private static func committerTime(in bytes: UnsafeBufferPointer<UInt8>, at position: Int)
    -> Int64?
  {
    guard starts("committer ", in: bytes, at: position) else { return nil }
    var end = position
    var lastBracket = -1
    while end < bytes.count, bytes[end] != 0x0A {
      if bytes[end] == 0x3E { lastBracket = end }
      end += 1
    }
    guard lastBracket >= 0 else { return nil }
    var index = lastBracket + 1
    while index < end, bytes[index] == 0x20 { index += 1 }
    var time: Int64 = 0
    var digits = 0
    while index < end, (0x30...0x39).contains(bytes[index]), digits < 18 {
      time = time * 10 + Int64(bytes[index] - 0x30)
      digits += 1
      index += 1
    }
    guard digits > 0, index == end || bytes[index] == 0x20 else { return nil }
    return time
  }
}
