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

/// Reads git objects straight from a repository's loose objects and packs, without libgit2:
/// for the pre-commit hook's no-op path, where starting libgit2 would cost more than the check,
/// and for history walks, which read one tree per commit.
///
/// It declines (nil) whatever it does not cover — alternates, a missing or malformed object —
/// so that the caller falls back to libgit2.
final class ObjectReader {
  private let directory: String
  private let packs: [PackFile]
  private var bases: [BaseKey: GitObject] = [:]
  private var cachedBytes = 0
  /// The zlib stream every object read here goes through.
  let inflater = Inflater()
  private static let cacheLimit = 32 << 20

  private struct BaseKey: Hashable {
    let pack: ObjectIdentifier
    let offset: Int
  }

  /// Opens the objects directory `directory`; nil when it uses alternates.
  init?(directory: String) {
    guard !FileManager.default.fileExists(atPath: directory + "/info/alternates") else {
      return nil
    }
    self.directory = directory
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/pack")) ?? []
    packs = names.filter { $0.hasSuffix(".idx") }.sorted().compactMap {
      PackFile(path: directory + "/pack/" + String($0.dropLast(4)))
    }
  }

  /// The object `id`, or nil when it cannot be read here.
  func read(_ id: ObjectID, depth: Int = 0) -> GitObject? {
    for pack in packs {
      if let offset = pack.offset(of: id) {
        return pack.object(at: offset, reader: self, depth: depth)
      }
    }
    return loose(id)
  }

  private func loose(_ id: ObjectID) -> GitObject? {
    let hex = id.hex
    let path = directory + "/" + hex.prefix(2) + "/" + hex.dropFirst(2)
    guard let file = MappedFile(path: path),
      let raw = Inflate.all(Array(file.bytes(at: 0, count: file.size))),
      let space = raw.firstIndex(of: 0x20), let nul = raw.firstIndex(of: 0)
    else { return nil }
    let kind: GitObject.Kind
    switch String(decoding: raw[..<space], as: UTF8.self) {
    case "commit": kind = .commit
    case "tree": kind = .tree
    case "blob": kind = .blob
    case "tag": kind = .tag
    default: return nil
    }
    guard let size = Int(String(decoding: raw[(space + 1)..<nul], as: UTF8.self)),
      raw.count - nul - 1 == size
    else { return nil }
    return GitObject(kind: kind, data: Array(raw[(nul + 1)...]))
  }

  func cachedBase(pack: ObjectIdentifier, offset: Int) -> GitObject? {
    bases[BaseKey(pack: pack, offset: offset)]
  }

  /// Keeps a delta base for the next delta against it, within a memory budget.
  func cacheBase(_ object: GitObject, pack: ObjectIdentifier, offset: Int) {
    if cachedBytes + object.data.count > Self.cacheLimit {
      bases.removeAll(keepingCapacity: true)
      cachedBytes = 0
    }
    bases[BaseKey(pack: pack, offset: offset)] = object
    cachedBytes += object.data.count
  }
}
