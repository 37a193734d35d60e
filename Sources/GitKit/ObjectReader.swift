import Foundation

/// A git object's kind and content.
struct GitObject: Equatable {
  enum Kind: Int {
    case commit = 1
    case tree, blob, tag
  }

  let kind: Kind
  let data: [UInt8]
}

/// Where GitKit reads git objects from, in order of preference: the direct reader, then libgit2.
///
/// `read` returns nil to decline, and the next source answers: a source declines whatever it
/// does not cover or finds unexpected. It throws only where it must refuse outright (input known
/// to crash the next source).
protocol ObjectSource: AnyObject {
  /// The object `id`, or nil when this source declines it.
  func read(_ id: ObjectID) throws -> GitObject?
}

/// Reads git objects straight from a repository's loose objects and packs, without libgit2:
/// for the pre-commit hook's no-op path, where starting libgit2 would cost more than the check,
/// and for history walks, which read one tree per commit.
///
/// It declines (nil) whatever it does not cover — alternates, a missing or malformed object, a
/// pack or index that fails its checks — so that the caller falls back to libgit2.
final class ObjectReader: ObjectSource {
  /// The longest delta chain followed here; git's default is 50, and deeper chains (or a
  /// corrupt one that loops) are left to libgit2.
  static let maximumDeltaDepth = 64

  private let directory: String
  private let packs: [PackFile]
  /// The packs whose index this reader does not read (version 1), which libgit2 still reads.
  private let otherIndexes: [String]
  /// Objects read from packs, so that a delta whose base was read recently costs one inflate.
  let cache = PackObjectCache()
  /// The zlib stream every object read here goes through.
  let inflater = Inflater()
  /// The largest pack's commits, read ahead on other threads while a walk without a
  /// commit-graph lists a range (``startReadingCommits()``).
  private var prefetch: CommitPrefetch?

  /// Opens the objects directory `directory`; nil when it uses alternates.
  init?(directory: String) {
    guard !FileManager.default.fileExists(atPath: directory + "/info/alternates") else {
      return nil
    }
    self.directory = directory
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/pack")) ?? []
    var packs: [PackFile] = []
    var otherIndexes: [String] = []
    for name in names.filter({ $0.hasSuffix(".idx") }).sorted() {
      let path = directory + "/pack/" + String(name.dropLast(4))
      if let pack = PackFile(path: path) { packs.append(pack) } else { otherIndexes.append(path) }
    }
    self.packs = packs
    self.otherIndexes = otherIndexes
  }

  /// A reader of the same packs for another thread: the packs (mapped once, read-only) are
  /// shared, while the object cache and the zlib stream, which every read changes, are its own.
  init(sharing other: ObjectReader) {
    directory = other.directory
    packs = other.packs
    otherIndexes = other.otherIndexes
  }

  /// Throws when a pack index here has an entry past the end of its pack, which libgit2 1.5.1
  /// would follow past its mapping of the pack: checked before libgit2 reads these packs.
  func verifyPackIndexes() throws {
    for pack in packs { try pack.verifyOffsets() }
    for path in otherIndexes { try PackFile.verifyVersion1(path) }
  }

  /// The same check for the packs of `directory` (an objects directory this reader does not
  /// open, such as an alternate).
  static func verifyPackIndexes(in directory: String) throws {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/pack")) ?? []
    for name in names where name.hasSuffix(".idx") {
      let path = directory + "/pack/" + String(name.dropLast(4))
      if let pack = PackFile(path: path) {
        try pack.verifyOffsets()
      } else {
        try PackFile.verifyVersion1(path)
      }
    }
  }

  /// The alternate objects directories of `directory` that libgit2 reads too: those listed in
  /// `info/alternates` (relative ones from `directory`, `#` lines skipped), their own alternates
  /// (a few levels, as libgit2 follows them), and `GIT_ALTERNATE_OBJECT_DIRECTORIES`.
  static func alternates(of directory: String, environment: [String: String]) -> [String] {
    var result: [String] = []
    var pending = [(directory, 0)]
    while let (current, depth) = pending.popLast() {
      guard depth < 5,
        let text = try? String(contentsOfFile: current + "/info/alternates", encoding: .utf8)
      else { continue }
      for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
        let path = line.hasPrefix("/") ? String(line) : current + "/" + line
        guard !result.contains(path) else { continue }
        result.append(path)
        pending.append((path, depth + 1))
      }
    }
    for path in (environment["GIT_ALTERNATE_OBJECT_DIRECTORIES"] ?? "").split(separator: ":") {
      result.append(String(path))
    }
    return result
  }

  /// The object `id`, or nil when it cannot be read here; throws when a pack's index is
  /// corrupt in a way that would crash libgit2.
  func read(_ id: ObjectID) throws -> GitObject? { try read(id, keeping: true) }

  /// The object `id`; kept in ``cache`` only with `keeping` (a walk reads each commit once,
  /// and keeping them would push out the trees that later deltas are made against).
  func read(_ id: ObjectID, keeping: Bool) throws -> GitObject? {
    for pack in packs {
      if let offset = try pack.offset(of: id) {
        return try pack.object(at: offset, reader: self, keeping: keeping)
      }
    }
    return loose(id)
  }

  /// Starts reading the largest pack's commits ahead on other threads, for a walk that reads
  /// commits without a commit-graph; ``stopReadingCommits()`` ends it.
  func startReadingCommits() {
    guard prefetch == nil, let pack = packs.max(by: { $0.count < $1.count }) else { return }
    prefetch = CommitPrefetch(pack: pack)
  }

  /// About how many commits the commits read ahead are (0 when none are read ahead): room a
  /// walk that meets them makes at once.
  var commitEstimate: Int { prefetch?.estimatedCommits ?? 0 }

  /// How many threads read commits ahead now (0 when none do).
  var commitReaders: Int { prefetch?.partCount ?? 0 }

  /// Stops the reading ``startReadingCommits()`` started, waiting for its threads to end.
  func stopReadingCommits() {
    prefetch?.stop()
    prefetch = nil
  }

  /// The tree, parents and time of commit `id` (from the commits read ahead, when they hold it);
  /// nil when it cannot be read here, is not a commit, or has a header this parser does not read.
  func commitFields(_ id: ObjectID) throws -> CommitFields? {
    for pack in packs {
      guard let offset = try pack.offset(of: id) else { continue }
      if let prefetch, prefetch.pack === pack, let fields = prefetch.fields(at: offset) {
        return fields
      }
      guard let object = try pack.object(at: offset, reader: self, keeping: false),
        object.kind == .commit
      else { return nil }
      return CommitFields(parsing: object.data)
    }
    guard let object = loose(id), object.kind == .commit else { return nil }
    return CommitFields(parsing: object.data)
  }

  /// Where each of `ids` lies in the packs (nil for an object not packed here), found with one
  /// forward pass over each pack's index.
  func locate(_ ids: [ObjectID]) -> [ObjectLocation?] {
    let order = Self.sortedOrder(ids)
    let sortedIDs = order.map { ids[$0] }
    var result = [ObjectLocation?](repeating: nil, count: ids.count)
    for (number, pack) in packs.enumerated() {
      for (rank, offset) in pack.offsets(ofSorted: sortedIDs).enumerated() {
        if let offset, result[order[rank]] == nil {
          result[order[rank]] = ObjectLocation(pack: number, offset: offset)
        }
      }
    }
    return result
  }

  /// The positions of `ids` in ascending order of id: a counting sort on the leading bits, then
  /// insertion within each bucket, which holds one or two ids since ids are uniformly spread.
  static func sortedOrder(_ ids: [ObjectID]) -> [Int] {
    let bits = min(16, max(4, Int.bitWidth - ids.count.leadingZeroBitCount))
    func bucket(_ id: ObjectID) -> Int { Int(truncatingIfNeeded: id.high >> (64 - bits)) }
    var starts = [Int](repeating: 0, count: (1 << bits) + 1)
    for id in ids { starts[bucket(id) + 1] += 1 }
    for index in 1..<starts.count { starts[index] += starts[index - 1] }
    let begins = starts
    var order = [Int](repeating: 0, count: ids.count)
    for (position, id) in ids.enumerated() {
      let slot = bucket(id)
      var place = starts[slot]
      starts[slot] += 1
      // Insertion among the bucket's ids placed so far.
      while place > begins[slot], ids[order[place - 1]] > id {
        order[place] = order[place - 1]
        place -= 1
      }
      order[place] = position
    }
    return order
  }

  /// The object `id`, read at `location` when it is known.
  func read(_ id: ObjectID, at location: ObjectLocation?) throws -> GitObject? {
    guard let location, location.pack < packs.count else { return try read(id) }
    return try packs[location.pack].object(at: location.offset, reader: self)
  }

  private func loose(_ id: ObjectID) -> GitObject? {
    let hex = id.hex
    let path = directory + "/" + hex.prefix(2) + "/" + hex.dropFirst(2)
    guard let file = MappedFile(path: path),
      let raw = Inflate.all(Array(file.bytes(at: 0, count: file.size)))
    else { return nil }
    // `KIND SIZE\0` and the content; the header is short, so it is looked for at the start only.
    let header = raw.prefix(32)
    guard let space = header.firstIndex(of: 0x20),
      let nul = header[(space + 1)...].firstIndex(of: 0)
    else { return nil }
    let kind: GitObject.Kind
    switch String(decoding: raw[..<space], as: UTF8.self) {
    case "commit": kind = .commit
    case "tree": kind = .tree
    case "blob": kind = .blob
    case "tag": kind = .tag
    default: return nil
    }
    let digits = raw[(space + 1)..<nul]
    guard !digits.isEmpty, digits.allSatisfy({ (0x30...0x39).contains($0) }),
      let size = Int(String(decoding: digits, as: UTF8.self)), raw.count - nul - 1 == size
    else { return nil }
    return GitObject(kind: kind, data: Array(raw[(nul + 1)...]))
  }
}

/// Where a packed object lies: which pack and at what offset.
public struct ObjectLocation: Sendable, Equatable {
  let pack: Int
  let offset: Int
}

/// Recently read pack objects by pack and offset, in a fixed number of slots (a newer object
/// replaces an older one in its slot) and within a memory budget.
///
/// A history walk reads one root tree per commit, and each is usually a delta against the one
/// read just before: keeping every object read, not only delta bases, makes that one inflate,
/// and replacing by slot keeps memory flat over thousands of commits.
final class PackObjectCache {
  private struct Entry {
    let pack: ObjectIdentifier
    let offset: Int
    let object: GitObject
  }

  private var slots = [Entry?](repeating: nil, count: 1024)
  private var bytes = 0
  private static let budget = 32 << 20

  private func slot(_ pack: ObjectIdentifier, _ offset: Int) -> Int {
    let mixed = (UInt(bitPattern: offset) &* 0x9E37_79B9_7F4A_7C15) ^ UInt(bitPattern: pack)
    return Int(truncatingIfNeeded: mixed >> 52) & (slots.count - 1)
  }

  /// The object at `offset` in `pack`, when it is kept.
  func object(pack: ObjectIdentifier, offset: Int) -> GitObject? {
    guard let entry = slots[slot(pack, offset)], entry.offset == offset, entry.pack == pack else {
      return nil
    }
    return entry.object
  }

  /// Keeps `object`, unless it alone would take an eighth of the budget.
  func keep(_ object: GitObject, pack: ObjectIdentifier, offset: Int) {
    let size = object.data.count
    guard size <= Self.budget / 8 else { return }
    let index = slot(pack, offset)
    bytes -= slots[index]?.object.data.count ?? 0
    if bytes + size > Self.budget {
      slots = [Entry?](repeating: nil, count: slots.count)
      bytes = 0
    }
    slots[index] = Entry(pack: pack, offset: offset, object: object)
    bytes += size
  }
}
