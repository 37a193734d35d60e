import Foundation

/// A direct reader of git's index file for the hook's no-op path: memory-mapped, entries of
/// versions 2 and 3 located by binary search on their paths.
///
/// It declines (returns nil) whatever it does not cover — version 4, a mandatory extension
/// (split or sparse index), unmerged or intent-to-add entries — and anything malformed: an
/// entry count the file cannot hold, a path running past its entry or not padded with NULs,
/// entries out of order, an unknown mode, an extension longer than the file, bytes left over.
///
/// Like git on every read but `git fsck`'s, it does not verify the trailing SHA-1: hashing a
/// 100,000-entry index (8 MB) was most of the pre-commit hook's time, and git commits the
/// entries it reads without that check. So the hook sees what `git commit` will record.
final class IndexFile {
  private let file: MappedFile
  /// Byte offsets of the entries, in index (path) order.
  private var offsets: [Int] = []
  /// Where each entry's path starts, relative to its offset (62, or 64 with extended flags).
  private var nameStarts: [UInt8] = []
  private var nameLengths: [Int] = []

  /// The smallest entry: 62 bytes of fields, a one-byte path and its terminating NUL, rounded
  /// up to a multiple of 8.
  private static let smallestEntry = 64

  /// Maps and checks the index at `path`; nil when the fast path does not cover it.
  init?(path: String) {
    // Every page is read by the entry pass, so they are faulted in at once.
    guard let file = MappedFile(path: path, minimumSize: 12 + 20, populate: true) else {
      return nil
    }
    self.file = file
    guard parse() else { return nil }
  }

  /// The number of entries.
  var count: Int { offsets.count }

  /// True while the file at `path` is still the one read.
  func isCurrent(at path: String) -> Bool { FileIdentity(path: path) == file.identity }

  /// The entries at `path` or below it ("" for all), in path order.
  func entries(under path: String) -> [FileEntry] {
    let prefix = Array(path.utf8)
    var index = lowerBound(prefix)
    var result: [FileEntry] = []
    while index < offsets.count {
      let name = self.name(at: index)
      guard name.starts(with: prefix) else { break }
      if prefix.isEmpty || name.count == prefix.count || name[prefix.count] == UInt8(ascii: "/") {
        if let entry = entry(at: index) { result.append(entry) }
      }
      index += 1
    }
    return result
  }

  private func parse() -> Bool {
    let file = self.file
    guard file.uint32(at: 0) == 0x4449_5243 else { return false }  // "DIRC"
    let version = file.uint32(at: 4)
    guard version == 2 || version == 3 else { return false }
    let count = Int(file.uint32(at: 8))
    let end = file.size - 20
    guard count <= (end - 12) / Self.smallestEntry else { return false }
    var offset = 12
    // Built in locals, not in the properties, so the loop pays no exclusivity checks.
    var offsets: [Int] = []
    var nameStarts: [UInt8] = []
    var nameLengths: [Int] = []
    offsets.reserveCapacity(count)
    nameStarts.reserveCapacity(count)
    nameLengths.reserveCapacity(count)
    defer {
      self.offsets = offsets
      self.nameStarts = nameStarts
      self.nameLengths = nameLengths
    }
    var previousName: UnsafeRawBufferPointer?
    for _ in 0..<count {
      guard offset + Self.smallestEntry <= end else { return false }
      guard FileMode(gitMode: file.uint32(at: offset + 24)) != nil else { return false }
      let flags = file.uint16(at: offset + 60)
      // Unmerged entries (a stage above 0) are left to libgit2, which reports them.
      guard flags & 0x3000 == 0 else { return false }
      var nameStart = 62
      if flags & 0x4000 != 0 {
        guard version == 3 else { return false }
        let extended = file.uint16(at: offset + 62)
        // Intent-to-add entries name no content yet; skip-worktree is the one other flag git
        // knows (it refuses the file for any other bit).
        guard extended & ~0x4000 == 0 else { return false }
        nameStart = 64
      }
      let start = offset + nameStart
      var length = Int(flags & 0x0FFF)
      if length == 0x0FFF {
        guard let nul = memchr(file.base + start, 0, end - start) else { return false }
        length = UnsafeRawPointer(nul) - (file.base + start)
        guard length >= 0x0FFF else { return false }
      }
      // The path, then one to eight NULs up to a multiple of 8.
      let entrySize = (nameStart + length + 8) & ~7
      guard length > 0, offset + entrySize <= end,
        memchr(file.base + start, 0, length) == nil,
        file.bytes(at: start + length, count: entrySize - nameStart - length).allSatisfy({
          $0 == 0
        })
      else { return false }
      // Paths in strictly increasing byte order, as git writes them and the search needs.
      let name = file.bytes(at: start, count: length)
      if let previousName, !previousName.lexicographicallyPrecedes(name) { return false }
      previousName = name
      offsets.append(offset)
      nameStarts.append(UInt8(nameStart))
      nameLengths.append(length)
      offset += entrySize
    }
    // Extensions: an optional one starts with an upper-case letter; a mandatory one (split
    // index `link`, sparse `sdir`) changes what the entries mean, so libgit2 must take over.
    while offset + 8 <= end {
      let first = file.byte(at: offset)
      guard (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first) else { return false }
      let size = Int(file.uint32(at: offset + 4))
      guard size <= end - offset - 8 else { return false }
      if file.uint32(at: offset) == 0x5452_4545,  // "TREE"
        IndexCacheTree.isRefused(file.bytes(at: offset + 8, count: size))
      {
        return false
      }
      offset += 8 + size
    }
    return offset == end
  }

  private func name(at index: Int) -> UnsafeRawBufferPointer {
    file.bytes(at: offsets[index] + Int(nameStarts[index]), count: nameLengths[index])
  }

  private func entry(at index: Int) -> FileEntry? {
    let offset = offsets[index]
    guard let mode = FileMode(gitMode: file.uint32(at: offset + 24)) else { return nil }
    let id = ObjectID(rawBytes: file.base + offset + 40)
    return FileEntry(path: String(decoding: name(at: index), as: UTF8.self), mode: mode, id: id)
  }

  /// The first entry whose path is not less than `prefix`, comparing bytes as git sorts them.
  private func lowerBound(_ prefix: [UInt8]) -> Int {
    var low = 0
    var high = offsets.count
    while low < high {
      let middle = (low + high) / 2
      if name(at: middle).lexicographicallyPrecedes(prefix) {
        low = middle + 1
      } else {
        high = middle
      }
    }
    return low
  }
}
