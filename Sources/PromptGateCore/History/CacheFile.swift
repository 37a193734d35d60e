import Foundation
import GitKit

/// A history cache file as read: mapped, its checksum and layout checked once, its states,
/// records and stored walks then read in place, so that a walk served from the cache decodes
/// only what it returns.
///
/// The layout (format 2), little-endian; strings as a u32 byte count and UTF-8:
/// - `PGHC`, the format (u32), a ``FastHash`` of every byte after it (u64), the key (string);
/// - the states: a count, the offset of each (count + 1 u32s, from the end of that table),
///   then each state (``CacheWriter/state(_:)``);
/// - the records, sorted by commit id at a fixed stride: id, tree, time (i64), state number,
///   first parent's place in the parent table, parent count (u32s); then the count of parents
///   and that table of ids;
/// - the stored walks: a count, then each one's byte count (u32) and bytes (``StoredWalk``).
struct CacheFile {
  static let magic: [UInt8] = Array("PGHC".utf8)
  static let recordStride = 20 + 20 + 8 + 4 + 4 + 4

  let file: MappedFile
  let key: String
  let stateCount: Int
  private let stateTable: Int
  private let stateBodies: Int
  let recordCount: Int
  private let recordTable: Int
  let parentCount: Int
  private let parentTable: Int
  /// The stored walks, newest first.
  let walks: [StoredWalk.Slot]

  /// Reads the file at `path`; nil when there is none. Throws when it is not a cache of this
  /// format, is damaged or, when `key` is given, was written under another key.
  static func read(_ path: String, key: String?) throws -> CacheFile? {
    var info = stat()
    if stat(path, &info) != 0 && errno == ENOENT { return nil }
    // Prefaulted: the checksum reads every page at once.
    guard let file = MappedFile(path: path, populate: true) else {
      throw CacheFormatError(reason: info.st_size == 0 ? "it is empty" : "it cannot be read")
    }
    return try CacheFile(file, key: key)
  }

  private init(_ file: MappedFile, key expected: String?) throws {
    self.file = file
    let size = file.size
    let base = file.base
    guard size >= 16 else { throw CacheFormatError(reason: "it is too short") }
    guard Array(file.bytes[0..<4]) == Self.magic else {
      throw CacheFormatError(reason: "it is not a history cache")
    }
    var reader = CacheReader(base: base, position: 4, end: size)
    let format = try reader.u32()
    guard format == HistoryCache.format else {
      throw CacheFormatError(
        reason: "it has format \(format), this build writes \(HistoryCache.format)")
    }
    let checksum = try reader.u64()
    guard FastHash.hash(UnsafeRawBufferPointer(rebasing: file.bytes[16...])) == checksum else {
      throw CacheFormatError(reason: "its checksum does not match its content")
    }
    key = try reader.string()
    guard expected == nil || key == expected else {
      throw CacheFormatError(reason: "it was written for another mapping")
    }

    stateCount = try reader.count(of: 4)
    stateTable = try reader.advance(4 * (stateCount + 1))
    stateBodies = reader.position
    var previous = 0
    for number in 0...stateCount {
      let offset = Int(base.loadUnaligned(fromByteOffset: stateTable + 4 * number, as: UInt32.self))
      guard offset >= previous, offset <= size - stateBodies else {
        throw CacheFormatError(reason: "a state lies outside the file")
      }
      previous = offset
    }
    _ = try reader.advance(previous)

    recordCount = try reader.count(of: Self.recordStride)
    recordTable = try reader.advance(recordCount * Self.recordStride)
    parentCount = try reader.count(of: 20)
    parentTable = try reader.advance(parentCount * 20)
    func u32(at offset: Int) -> UInt32 {
      UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
    var last: ObjectID?
    for index in 0..<recordCount {
      let record = recordTable + index * Self.recordStride
      let id = ObjectID(rawBytes: base + record)
      guard last.map({ $0 < id }) ?? true else {
        throw CacheFormatError(reason: "its records are out of order")
      }
      last = id
      let state = Int(u32(at: record + 48))
      let first = Int(u32(at: record + 52))
      let count = Int(u32(at: record + 56))
      guard state < stateCount, first <= parentCount, count <= parentCount - first else {
        throw CacheFormatError(reason: "a commit names a state or parents the file lacks")
      }
    }

    var walks: [StoredWalk.Slot] = []
    for _ in 0..<(try reader.count(of: 4)) {
      let length = Int(try reader.u32())
      let start = try reader.advance(length)
      walks.append(try StoredWalk.Slot(base: base, start: start, length: length))
    }
    self.walks = walks
    guard reader.position == size else {
      throw CacheFormatError(reason: "it has bytes after its records")
    }
  }

  private func u32(at offset: Int) -> UInt32 {
    UInt32(littleEndian: file.base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
  }

  /// The bytes of state `number`, as ``CacheWriter/state(_:)`` wrote them.
  func stateBytes(_ number: Int) -> UnsafeRawBufferPointer {
    let start = Int(u32(at: stateTable + 4 * number))
    let end = Int(u32(at: stateTable + 4 * number + 4))
    return UnsafeRawBufferPointer(start: file.base + stateBodies + start, count: end - start)
  }

  /// The bytes all states take.
  var stateBytesTotal: Int { Int(u32(at: stateTable + 4 * stateCount)) }

  /// The decoded state `number`; nil when its bytes do not read as one.
  func state(_ number: Int) -> HistoryCache.State? {
    let bytes = stateBytes(number)
    guard let start = bytes.baseAddress else { return nil }
    var reader = CacheReader(base: start, end: bytes.count)
    guard let state = try? reader.state(), reader.position == bytes.count else { return nil }
    return state
  }

  /// The place of commit `id` in the record table.
  func recordIndex(of id: ObjectID) -> Int? {
    var (low, high) = (0, recordCount)
    while low < high {
      let middle = (low + high) / 2
      let found = recordID(at: middle)
      if found == id { return middle }
      if found < id { low = middle + 1 } else { high = middle }
    }
    return nil
  }

  /// The rows of the records at `indices`, as stored.
  func recordRows(_ indices: Range<Int>) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(
      start: file.base + recordTable + indices.lowerBound * Self.recordStride,
      count: indices.count * Self.recordStride)
  }

  /// The parent table, as stored.
  var parentRows: UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: file.base + parentTable, count: parentCount * 20)
  }

  /// The state number of the record at `index`.
  func recordState(at index: Int) -> Int {
    Int(u32(at: recordTable + index * Self.recordStride + 48))
  }

  func recordID(at index: Int) -> ObjectID {
    ObjectID(rawBytes: file.base + recordTable + index * Self.recordStride)
  }

  func record(at index: Int) -> HistoryCache.Record {
    let record = recordTable + index * Self.recordStride
    let first = Int(u32(at: record + 52))
    let count = Int(u32(at: record + 56))
    var parents: [ObjectID] = []
    parents.reserveCapacity(count)
    for parent in first..<(first + count) {
      parents.append(ObjectID(rawBytes: file.base + parentTable + 20 * parent))
    }
    return HistoryCache.Record(
      parents: parents, tree: ObjectID(rawBytes: file.base + record + 20),
      time: Int64(
        littleEndian: file.base.loadUnaligned(fromByteOffset: record + 40, as: Int64.self)),
      state: Int(u32(at: record + 48)))
  }
}

extension HistoryCache {
  /// The file's bytes for `key`: the states of `base` and then `addedStates`, the records of
  /// `base` merged with `rows` (whose parents lie in `parents`; those `base` holds are kept as
  /// it holds them), and `walks`, in the order given.
  static func encode(
    key: String, base: CacheFile?, addedStates: [State], rows: [AddedRow], parents: [ObjectID],
    walks: [[UInt8]]
  ) -> [UInt8] {
    // Reserved once, generously: pages never written are never resident, where growing the
    // buffer step by step held two copies of it at once.
    var writer = CacheWriter()
    writer.bytes.reserveCapacity(
      64 + key.utf8.count + 4 * ((base?.stateCount ?? 0) + addedStates.count)
        + (base.map { $0.stateBytesTotal } ?? 0) + 4096 * addedStates.count
        + CacheFile.recordStride * ((base?.recordCount ?? 0) + rows.count)
        + 20 * ((base?.parentCount ?? 0) + parents.count)
        + walks.reduce(0) { $0 + $1.count + 4 })
    writer.bytes += CacheFile.magic
    writer.u32(format)
    writer.u64(0)
    writer.string(key)

    let baseStates = base?.stateCount ?? 0
    writer.u32(UInt32(baseStates + addedStates.count))
    let table = writer.bytes.count
    writer.bytes += [UInt8](repeating: 0, count: 4 * (baseStates + addedStates.count + 1))
    let bodies = writer.bytes.count
    for number in 0..<(baseStates + addedStates.count) {
      writer.patch(UInt32(writer.bytes.count - bodies), at: table + 4 * number)
      if let base, number < baseStates {
        writer.raw(base.stateBytes(number))
      } else {
        writer.state(addedStates[number - baseStates])
      }
    }
    writer.patch(
      UInt32(writer.bytes.count - bodies), at: table + 4 * (baseStates + addedStates.count))

    // The file's rows are copied as they are, their parents too; the added rows, merged in
    // by id, point past those.
    // Written in id order through a sorted list of positions: copying the rows into that
    // order held a second copy of a first walk's 80,000 rows at its peak.
    let fresh = base == nil ? rows : rows.filter { base?.recordIndex(of: $0.id) == nil }
    var order = ObjectID.sortedOrder(fresh.map(\.id))
    // A commit recorded twice keeps its first record: the sort keeps equal ids in the order
    // they were recorded, so the later ones follow it.
    var kept = 0
    for position in order.indices
    where kept == 0 || fresh[order[position]].id != fresh[order[kept - 1]].id {
      order[kept] = order[position]
      kept += 1
    }
    order.removeLast(order.count - kept)
    let baseCount = base?.recordCount ?? 0
    var parentsWritten = 0
    writer.u32(UInt32(baseCount + order.count))
    let baseParents = base?.parentCount ?? 0
    // Writes the rows `order[positions]`, each stored in place in room made for all at once:
    // appending field by field was most of writing a first walk's 80,000 rows.
    func write(_ positions: Range<Int>) {
      let start = writer.bytes.count
      writer.bytes += repeatElement(0, count: positions.count * CacheFile.recordStride)
      writer.bytes.withUnsafeMutableBytes { buffer in
        var place = buffer.baseAddress! + start
        for position in positions {
          let row = fresh[order[position]]
          row.id.store(to: place)
          row.tree.store(to: place + 20)
          place.storeBytes(
            of: UInt64(bitPattern: row.time).littleEndian, toByteOffset: 40, as: UInt64.self)
          place.storeBytes(of: UInt32(row.state).littleEndian, toByteOffset: 48, as: UInt32.self)
          place.storeBytes(
            of: UInt32(baseParents + parentsWritten).littleEndian, toByteOffset: 52,
            as: UInt32.self)
          place.storeBytes(
            of: UInt32(row.parents.count).littleEndian, toByteOffset: 56, as: UInt32.self)
          parentsWritten += row.parents.count
          place += CacheFile.recordStride
        }
      }
    }
    var next = 0
    if let base {
      var run = 0
      for index in 0..<baseCount {
        let id = base.recordID(at: index)
        guard next < order.count, fresh[order[next]].id < id else { continue }
        writer.raw(base.recordRows(run..<index))
        run = index
        let first = next
        while next < order.count, fresh[order[next]].id < id { next += 1 }
        write(first..<next)
      }
      writer.raw(base.recordRows(run..<baseCount))
    }
    write(next..<order.count)
    writer.u32(UInt32(baseParents + parentsWritten))
    if let base { writer.raw(base.parentRows) }
    let parentStart = writer.bytes.count
    writer.bytes += repeatElement(0, count: 20 * parentsWritten)
    writer.bytes.withUnsafeMutableBytes { buffer in
      var place = buffer.baseAddress! + parentStart
      for position in order {
        for parent in parents[fresh[position].parents] {
          parent.store(to: place)
          place += 20
        }
      }
    }

    writer.u32(UInt32(walks.count))
    for walk in walks {
      writer.u32(UInt32(walk.count))
      writer.bytes += walk
    }
    let checksum = writer.bytes.withUnsafeBytes {
      FastHash.hash(UnsafeRawBufferPointer(rebasing: $0[16...]))
    }
    writer.bytes.withUnsafeMutableBytes {
      $0.storeBytes(of: checksum.littleEndian, toByteOffset: 8, as: UInt64.self)
    }
    return writer.bytes
  }
}

extension CacheWriter {
  /// A state: its behaviors in name order, its paths with their entry ids, its warning.
  mutating func state(_ state: HistoryCache.State) {
    let names = state.behaviors.keys.sorted()
    u32(UInt32(names.count))
    for name in names {
      string(name)
      optional(state.behaviors[name] ?? nil) { $0.version($1) }
    }
    u32(UInt32(state.paths.count))
    for (path, id) in zip(state.paths, state.entryIDs) {
      string(path)
      optional(id) { $0.id($1) }
    }
    optional(state.warning) { $0.string($1) }
  }
}

extension CacheReader {
  /// A state, as ``CacheWriter/state(_:)`` wrote it.
  mutating func state() throws -> HistoryCache.State {
    var behaviors: [String: BehaviorVersion?] = [:]
    for _ in 0..<(try count()) {
      let name = try string()
      behaviors[name] = .some(try optional { try $0.version() })
    }
    var paths: [String] = []
    var ids: [ObjectID?] = []
    for _ in 0..<(try count()) {
      paths.append(try string())
      ids.append(try optional { try $0.id() })
    }
    let warning = try optional { try $0.string() }
    return HistoryCache.State(behaviors: behaviors, paths: paths, entryIDs: ids, warning: warning)
  }
}
