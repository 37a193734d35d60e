import Foundation

/// One pack and its version-2 index, read directly.
///
/// Opening checks what libgit2 checks before it trusts a pack (the fan-out table never
/// decreasing, the index's size matching its object count, the pack's header naming the same
/// count and its trailing checksum the one the index records), so that this reader never answers
/// from a pack libgit2 would refuse; every offset and length read later is checked against the
/// mapped files, and anything unexpected declines (nil) to libgit2 — except an index entry whose
/// offset lies past the end of the pack, which libgit2 1.5.1 follows past its mapping of the
/// pack (a segmentation fault in `git_odb_read` on the corruption tests' seed 0x1D70001,
/// variants 1, 103, 115, 172, 268, 412, 439, 460, 739 and 805): that is refused with a
/// ``GitError``, before libgit2 is asked.
final class PackFile {
  /// The pack's path without `.idx` or `.pack`, for messages.
  let path: String
  private let index: MappedFile
  private let pack: MappedFile
  /// The number of objects.
  let count: Int
  /// Where the 32-bit offsets start, and the 64-bit ones after them.
  private let smallOffsets: Int
  private let largeOffsets: Int
  /// The first byte past the objects: the pack's trailing checksum starts here.
  private let packEnd: Int

  /// Opens `path`.idx and `path`.pack; nil when either is missing, is not a format read here or
  /// does not pass the checks above.
  init?(path: String) {
    guard let index = MappedFile(path: path + ".idx", minimumSize: 8 + 1024 + 40),
      let pack = MappedFile(path: path + ".pack", minimumSize: 12 + 20),
      index.uint32(at: 0) == 0xFF74_4F63, index.uint32(at: 4) == 2,
      pack.uint32(at: 0) == 0x5041_434B, [2, 3].contains(pack.uint32(at: 4))
    else { return nil }
    guard let count = Self.fanoutCount(index, at: 8) else { return nil }
    // Sizes as libgit2 bounds them: the fixed tables, then at most count - 1 large offsets. No
    // stricter: a pack declined here is read by libgit2, which must then meet no entry this
    // reader would have refused.
    let minimum = 8 + 1024 + count * 28 + 40
    let maximum = minimum + max(0, count - 1) * 8
    guard (minimum...maximum).contains(index.size),
      Int(pack.uint32(at: 8)) == count,
      memcmp(pack.base + pack.size - 20, index.base + index.size - 40, 20) == 0
    else { return nil }
    self.path = path
    self.index = index
    self.pack = pack
    self.count = count
    smallOffsets = 8 + 1024 + count * 24
    largeOffsets = smallOffsets + count * 4
    packEnd = pack.size - 20
  }

  /// The number of objects a fan-out table at `start` counts (its last entry); nil when an
  /// entry is below the one before it.
  static func fanoutCount(_ bytes: some BigEndianBytes, at start: Int) -> Int? {
    var previous: UInt32 = 0
    for bucket in 0..<256 {
      let value = bytes.uint32(at: start + 4 * bucket)
      guard value >= previous else { return nil }
      previous = value
    }
    return Int(previous)
  }

  /// The byte offset of `id` in the pack, or nil when the pack does not hold it or its entry
  /// cannot be used; throws when libgit2 would crash reading it.
  func offset(of id: ObjectID) throws -> Int? {
    let (low, high) = bucket(of: id)
    let position = lowerBound(of: id, from: low, to: high)
    guard position < count, name(at: position) == id else { return nil }
    switch entry(position) {
    case .offset(let offset): return offset
    case .unusable: return nil
    case .pastTheEnd(let offset): throw pastTheEnd(id, offset)
    }
  }

  /// Throws when any entry of the index lies past the end of the pack: what libgit2 must not
  /// meet, checked before it reads this pack (one pass over the offset tables).
  func verifyOffsets() throws {
    for position in 0..<count {
      if case .pastTheEnd(let offset) = entry(position) {
        throw pastTheEnd(name(at: position), offset)
      }
    }
  }

  private func pastTheEnd(_ id: ObjectID, _ offset: Int?) -> GitError {
    Self.pastTheEnd(path: path, packSize: pack.size, id, offset)
  }

  private static func pastTheEnd(path: String, packSize: Int, _ id: ObjectID, _ offset: Int?)
    -> GitError
  {
    let place = offset.map { "offset \($0)" } ?? "an offset outside its table"
    return GitError(
      .other,
      "the pack index \(path).idx is corrupt: it puts object \(id.hex) at \(place), past the "
        + "end of the \(packSize)-byte pack\n"
        + "  fix: git index-pack \(path).pack (or clone the repository again)")
  }

  /// For an index this reader does not read: when libgit2 would take it as a version-1 index
  /// (no signature, fan-out increasing, `1024 + 24 * count + 40` bytes) of a pack it accepts,
  /// throws if an entry lies past the end of the pack, as for version 2.
  static func verifyVersion1(_ path: String) throws {
    guard let index = MappedFile(path: path + ".idx", minimumSize: 1024 + 40),
      index.uint32(at: 0) != 0xFF74_4F63, let count = fanoutCount(index, at: 0),
      index.size == 1024 + 24 * count + 40,
      let pack = MappedFile(path: path + ".pack", minimumSize: 12 + 20),
      pack.uint32(at: 0) == 0x5041_434B, [2, 3].contains(pack.uint32(at: 4)),
      Int(pack.uint32(at: 8)) == count,
      memcmp(pack.base + pack.size - 20, index.base + index.size - 40, 20) == 0
    else { return }
    for position in 0..<count {
      let entry = 1024 + 24 * position
      let offset = Int(index.uint32(at: entry))
      if offset >= pack.size - 20 {
        throw pastTheEnd(
          path: path, packSize: pack.size, ObjectID(rawBytes: index.base + entry + 4), offset)
      }
    }
  }

  /// The offsets of `ids`, which must be in ascending order (nil for those not in the pack),
  /// found in one forward pass over the index: when a walk reads thousands of objects, the
  /// index is then read in order rather than probed at random.
  func offsets(ofSorted ids: [ObjectID]) -> [Int?] {
    var position = 0
    return ids.map { id in
      var (low, high) = bucket(of: id)
      low = min(max(low, position), high)
      // Dense lookups find their entry a few steps on; sparse ones search the rest of the bucket.
      var steps = 0
      while low < high, steps < 16, name(at: low) < id {
        low += 1
        steps += 1
      }
      position = steps == 16 ? lowerBound(of: id, from: low, to: high) : low
      return offset(of: id, at: position)
    }
  }

  /// The index positions whose ids share `id`'s first byte (the fan-out table's bucket); the
  /// table was checked to increase up to `count`, so both ends lie within the names.
  private func bucket(of id: ObjectID) -> (Int, Int) {
    let first = Int(id.high >> 56)
    return (
      first == 0 ? 0 : Int(index.uint32(at: 8 + 4 * (first - 1))),
      Int(index.uint32(at: 8 + 4 * first))
    )
  }

  private func name(at position: Int) -> ObjectID {
    ObjectID(rawBytes: index.base + 8 + 1024 + 20 * position)
  }

  /// The first position in `low..<high` whose id is not below `id`.
  private func lowerBound(of id: ObjectID, from low: Int, to high: Int) -> Int {
    Self.lowerBound(of: id, from: low, to: high) { name(at: $0) }
  }

  /// The first position in `low..<high` (a fan-out bucket: ids sharing `id`'s first byte,
  /// ascending) whose `name` is not below `id`.
  ///
  /// Ids are spread evenly, so the search starts where `id` would lie among them and widens
  /// from there: a few neighbouring names are read instead of a binary search's probes spread
  /// over the whole bucket, each a cache miss (a walk without a commit-graph looks up every
  /// commit).
  static func lowerBound(
    of id: ObjectID, from low: Int, to high: Int, name: (Int) -> ObjectID
  ) -> Int {
    guard high - low > 8 else { return binarySearch(id, from: low, to: high, name: name) }
    // The 56 bits after the first byte, as a fraction of the bucket.
    let fraction = id.high << 8 | id.middle >> 56
    let guess = low + Int(fraction.multipliedFullWidth(by: UInt64(high - low)).high)
    var step = 1
    if name(guess) < id {
      // The answer lies after the guess: widen forward until a name is not below `id`.
      var first = guess + 1
      while true {
        let last = first + step - 1
        if last >= high { return binarySearch(id, from: first, to: high, name: name) }
        if !(name(last) < id) { return binarySearch(id, from: first, to: last, name: name) }
        first = last + 1
        step *= 2
      }
    }
    // The answer is the guess or before it: widen backward until a name is below `id`.
    var last = guess
    while true {
      let first = last - step
      if first < low { return binarySearch(id, from: low, to: last, name: name) }
      if name(first) < id { return binarySearch(id, from: first + 1, to: last, name: name) }
      last = first
      step *= 2
    }
  }

  /// The first position in `low..<high` whose `name` is not below `id` (`high` when none is),
  /// by halving.
  private static func binarySearch(
    _ id: ObjectID, from low: Int, to high: Int, name: (Int) -> ObjectID
  ) -> Int {
    var (low, high) = (low, high)
    while low < high {
      let middle = (low + high) / 2
      if name(middle) < id { low = middle + 1 } else { high = middle }
    }
    return low
  }

  /// The pack offset of `id` when the index holds it at `position`, for the batched lookup:
  /// nil for an entry that cannot be used (reading the object by id then says why).
  private func offset(of id: ObjectID, at position: Int) -> Int? {
    guard position < count, name(at: position) == id, case .offset(let offset) = entry(position)
    else { return nil }
    return offset
  }

  /// What an index entry says about where its object is.
  enum Entry: Equatable {
    /// A usable offset.
    case offset(Int)
    /// An offset inside the pack's header: libgit2 reads it and reports a bad object.
    case unusable
    /// An offset past the pack's objects (nil: a 64-bit entry past the index's table), which
    /// libgit2 1.5 would read past its mapping of the pack.
    case pastTheEnd(Int?)
  }

  /// Where index position `position` puts its object: a 32-bit entry, or, with its top bit set,
  /// the number of an entry of the 64-bit table.
  func entry(_ position: Int) -> Entry {
    let small = index.uint32(at: smallOffsets + 4 * position)
    var offset = Int(small)
    if small & 0x8000_0000 != 0 {
      let large = largeOffsets + 8 * Int(small & 0x7FFF_FFFF)
      guard large + 8 <= index.size - 40 else { return .pastTheEnd(nil) }
      let value = UInt64(index.uint32(at: large)) << 32 | UInt64(index.uint32(at: large + 4))
      guard value < UInt64(packEnd) else { return .pastTheEnd(nil) }
      offset = Int(value)
    }
    if offset >= packEnd { return .pastTheEnd(offset) }
    return offset >= 12 ? .offset(offset) : .unusable
  }

  /// The type and inflated size of the object at `offset` (which must lie in the pack), and
  /// where its data (or a delta's base reference) starts; nil for a size no one stores.
  private func header(at offset: Int) -> (type: Int, size: Int, data: Int)? {
    var position = offset
    var byte = pack.byte(at: position)
    position += 1
    let type = Int((byte >> 4) & 7)
    var size = Int(byte & 0x0F)
    var shift = 4
    while byte & 0x80 != 0 {
      // Sizes past 2^53 bytes are not objects anyone stores; the cap also keeps `size` positive.
      guard position < packEnd, shift <= 46 else { return nil }
      byte = pack.byte(at: position)
      position += 1
      size |= Int(byte & 0x7F) << shift
      shift += 7
    }
    return (type, size, position)
  }

  /// Reads the commits stored one after another from `position` (the first object's offset to
  /// start) up to `end`, calling `body` with each one's offset and fields, until an object that
  /// is not a plain commit, one whose header this parser does not read, or `body` returning
  /// false; `position` is left after the last commit read. (git writes a pack's commits first.)
  func readCommits(
    from position: inout Int, before end: Int = .max, inflater: Inflater,
    _ body: (Int, CommitFields) -> Bool
  ) {
    while position >= 12, position < min(packEnd, end) {
      guard let (type, size, next) = header(at: position), type == 1, next < packEnd,
        let commit = inflater.inflated(
          size, from: pack.base + next, available: packEnd - next, CommitFields.init(parsing:))
      else { return }
      let offset = position
      position = next + inflater.consumed
      guard body(offset, commit) else { return }
    }
  }

  /// The offsets of commits among `samples` index entries spread over the index, ascending,
  /// that lie before the first sampled object that is not a commit: commits spread over the
  /// run of commits the pack starts with (git writes a pack's commits first), where reading
  /// them can be split between threads. Only the sampled commits' headers are read.
  func leadingCommitOffsets(samples: Int) -> [Int] {
    guard count > 0, samples > 0 else { return [] }
    var offsets: [Int] = []
    offsets.reserveCapacity(min(count, samples) + 1)
    for position in stride(from: 0, to: count, by: max(1, count / samples)) {
      if case .offset(let offset) = entry(position) { offsets.append(offset) }
    }
    offsets.sort()
    var commits: [Int] = []
    for offset in offsets {
      guard let (type, _, _) = header(at: offset), type == 1 else { break }
      commits.append(offset)
    }
    return commits
  }

  /// The object at `offset`: its type and content, with deltas applied; nil when anything
  /// about it is unexpected (then libgit2 reads it, or explains why it cannot).
  func object(at offset: Int, reader: ObjectReader, depth: Int = 0, keeping: Bool = true) throws
    -> GitObject?
  {
    guard depth < ObjectReader.maximumDeltaDepth, offset >= 12, offset < packEnd else { return nil }
    if let cached = reader.cache.object(pack: ObjectIdentifier(self), offset: offset) {
      return cached
    }
    guard let (type, size, start) = header(at: offset) else { return nil }
    var position = start
    let result: GitObject?
    switch type {
    case 1...4:
      guard let kind = GitObject.Kind(rawValue: type),
        let data = reader.inflater.exactly(
          size, from: pack.base + position, available: packEnd - position)
      else { return nil }
      result = GitObject(kind: kind, data: data)
    case 6:
      // An offset delta: the base lies earlier in this pack, at a varint distance back.
      guard position < packEnd else { return nil }
      var byte = pack.byte(at: position)
      position += 1
      var distance = Int(byte & 0x7F)
      while byte & 0x80 != 0 {
        guard position < packEnd, distance < 1 << 48 else { return nil }
        byte = pack.byte(at: position)
        position += 1
        distance = ((distance + 1) << 7) | Int(byte & 0x7F)
      }
      guard distance > 0, distance < offset,
        let base = try object(at: offset - distance, reader: reader, depth: depth + 1),
        // The delta is inflated into the inflater's own buffer: only the result is kept.
        let data = reader.inflater.inflated(
          size, from: pack.base + position, available: packEnd - position,
          { Delta.apply($0, to: base.data) })
      else { return nil }
      result = GitObject(kind: base.kind, data: data)
    case 7:
      // A reference delta: the base is named by id and, as libgit2 requires, in this pack.
      guard position + 20 <= packEnd else { return nil }
      let baseID = ObjectID(rawBytes: pack.base + position)
      position += 20
      guard let baseOffset = try self.offset(of: baseID), baseOffset != offset,
        let base = try object(at: baseOffset, reader: reader, depth: depth + 1),
        // The delta is inflated into the inflater's own buffer: only the result is kept.
        let data = reader.inflater.inflated(
          size, from: pack.base + position, available: packEnd - position,
          { Delta.apply($0, to: base.data) })
      else { return nil }
      result = GitObject(kind: base.kind, data: data)
    default:
      return nil
    }
    if keeping, let result {
      reader.cache.keep(result, pack: ObjectIdentifier(self), offset: offset)
    }
    return result
  }
}

/// git's delta format: a base size, a result size, then copy and insert instructions.
enum Delta {
  /// `delta` applied to `base`; nil when the delta is malformed or does not fit the base.
  static func apply(_ delta: [UInt8], to base: [UInt8]) -> [UInt8]? {
    delta.withUnsafeBufferPointer { apply($0, to: base) }
  }

  /// `delta`, read in place (an inflater's reused buffer), applied to `base`.
  static func apply(_ delta: UnsafeBufferPointer<UInt8>, to base: [UInt8]) -> [UInt8]? {
    var position = 0
    func varint() -> Int? {
      var value = 0
      var shift = 0
      while position < delta.count {
        let byte = delta[position]
        position += 1
        value |= Int(byte & 0x7F) << shift
        if byte & 0x80 == 0 { return value }
        shift += 7
        if shift > 49 { return nil }
      }
      return nil
    }
    guard let baseSize = varint(), baseSize == base.count, let resultSize = varint(),
      // Each instruction takes a byte at least and makes at most 0x10000: a larger declared
      // size cannot be made, and is refused before anything is allocated for it.
      resultSize <= delta.count * 0x10000
    else { return nil }
    var failed = false
    let result = base.withUnsafeBufferPointer { base in
      [UInt8](unsafeUninitializedCapacity: resultSize) { output, written in
        while position < delta.count {
          let instruction = delta[position]
          position += 1
          if instruction & 0x80 != 0 {
            var offset = 0
            var size = 0
            for bit in 0..<4 where instruction & (1 << bit) != 0 {
              guard position < delta.count else {
                failed = true
                return
              }
              offset |= Int(delta[position]) << (8 * bit)
              position += 1
            }
            for bit in 0..<3 where instruction & (0x10 << bit) != 0 {
              guard position < delta.count else {
                failed = true
                return
              }
              size |= Int(delta[position]) << (8 * bit)
              position += 1
            }
            if size == 0 { size = 0x10000 }
            guard offset + size <= base.count, written + size <= resultSize else {
              failed = true
              return
            }
            UnsafeMutableRawPointer(output.baseAddress! + written).copyMemory(
              from: base.baseAddress! + offset, byteCount: size)
            written += size
          } else if instruction != 0 {
            let size = Int(instruction)
            guard position + size <= delta.count, written + size <= resultSize else {
              failed = true
              return
            }
            UnsafeMutableRawPointer(output.baseAddress! + written).copyMemory(
              from: delta.baseAddress! + position, byteCount: size)
            written += size
            position += size
          } else {
            failed = true
            return
          }
        }
      }
    }
    return !failed && result.count == resultSize ? result : nil
  }
}
