import Foundation

/// One pack and its version-2 index, read directly.
final class PackFile {
  private let index: MappedFile
  private let pack: MappedFile
  private let count: Int

  /// Opens `path`.idx and `path`.pack; nil when either is missing or not a format read here.
  init?(path: String) {
    guard let index = MappedFile(path: path + ".idx", minimumSize: 8 + 1024 + 40),
      let pack = MappedFile(path: path + ".pack", minimumSize: 12 + 20),
      index.uint32(at: 0) == 0xFF74_4F63, index.uint32(at: 4) == 2,
      pack.uint32(at: 0) == 0x5041_434B, [2, 3].contains(pack.uint32(at: 4))
    else { return nil }
    self.index = index
    self.pack = pack
    count = Int(index.uint32(at: 8 + 255 * 4))
    guard 8 + 1024 + count * 28 + 40 <= index.size else { return nil }
  }

  /// The byte offset of `id` in the pack, or nil when the pack does not hold it.
  func offset(of id: ObjectID) -> Int? {
    let (low, high) = bucket(of: id)
    return offset(of: id, at: lowerBound(of: id, from: low, to: high))
  }

  /// The offsets of `ids`, which must be in ascending order (nil for those not in the pack),
  /// found in one forward pass over the index: when a walk reads thousands of objects, the
  /// index is then read in order rather than probed at random.
  func offsets(ofSorted ids: [ObjectID]) -> [Int?] {
    var position = 0
    return ids.map { id in
      var (low, high) = bucket(of: id)
      low = max(low, position)
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

  /// The index positions whose ids share `id`'s first byte (the fan-out table's bucket).
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
    var (low, high) = (low, high)
    while low < high {
      let middle = (low + high) / 2
      if name(at: middle) < id { low = middle + 1 } else { high = middle }
    }
    return low
  }

  /// The pack offset of `id` when the index holds it at `position`.
  private func offset(of id: ObjectID, at position: Int) -> Int? {
    position < count && name(at: position) == id ? entryOffset(position) : nil
  }

  private func entryOffset(_ position: Int) -> Int? {
    let table = 8 + 1024 + count * 24
    let small = index.uint32(at: table + 4 * position)
    guard small & 0x8000_0000 != 0 else { return Int(small) }
    let large = table + count * 4 + 8 * Int(small & 0x7FFF_FFFF)
    guard large + 8 <= index.size - 40 else { return nil }
    return Int(UInt64(index.uint32(at: large)) << 32 | UInt64(index.uint32(at: large + 4)))
  }

  /// The object at `offset`: its type and content, with deltas applied. `base` reads a delta's
  /// base by id (for deltas against objects elsewhere).
  func object(at offset: Int, reader: ObjectReader, depth: Int = 0) -> GitObject? {
    guard depth < 64, offset + 2 < pack.size - 20 else { return nil }
    if let cached = reader.cache.object(pack: ObjectIdentifier(self), offset: offset) {
      return cached
    }
    var position = offset
    var byte = pack.byte(at: position)
    position += 1
    let type = Int((byte >> 4) & 7)
    var size = Int(byte & 0x0F)
    var shift = 4
    while byte & 0x80 != 0 {
      guard position < pack.size - 20, shift < 60 else { return nil }
      byte = pack.byte(at: position)
      position += 1
      size |= Int(byte & 0x7F) << shift
      shift += 7
    }
    let result: GitObject?
    switch type {
    case 1...4:
      guard let kind = GitObject.Kind(rawValue: type),
        let data = reader.inflater.exactly(
          size, from: pack.base + position, available: pack.size - 20 - position)
      else { return nil }
      result = GitObject(kind: kind, data: data)
    case 6:
      // An offset delta: the base lies earlier in this pack, at a varint distance back.
      byte = pack.byte(at: position)
      position += 1
      var distance = Int(byte & 0x7F)
      while byte & 0x80 != 0 {
        guard position < pack.size - 20 else { return nil }
        byte = pack.byte(at: position)
        position += 1
        distance = ((distance + 1) << 7) | Int(byte & 0x7F)
      }
      guard distance > 0, distance <= offset,
        let base = object(at: offset - distance, reader: reader, depth: depth + 1),
        let delta = reader.inflater.exactly(
          size, from: pack.base + position, available: pack.size - 20 - position),
        let data = Delta.apply(delta, to: base.data)
      else { return nil }
      result = GitObject(kind: base.kind, data: data)
    case 7:
      // A reference delta: the base is named by id.
      guard position + 20 <= pack.size - 20 else { return nil }
      let baseID = ObjectID(rawBytes: pack.base + position)
      position += 20
      guard let base = reader.read(baseID, depth: depth + 1),
        let delta = reader.inflater.exactly(
          size, from: pack.base + position, available: pack.size - 20 - position),
        let data = Delta.apply(delta, to: base.data)
      else { return nil }
      result = GitObject(kind: base.kind, data: data)
    default:
      return nil
    }
    if let result { reader.cache.keep(result, pack: ObjectIdentifier(self), offset: offset) }
    return result
  }
}

/// git's delta format: a base size, a result size, then copy and insert instructions.
enum Delta {
  /// `delta` applied to `base`; nil when the delta is malformed or does not fit the base.
  static func apply(_ delta: [UInt8], to base: [UInt8]) -> [UInt8]? {
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
        if shift > 56 { return nil }
      }
      return nil
    }
    guard let baseSize = varint(), baseSize == base.count, let resultSize = varint() else {
      return nil
    }
    var result: [UInt8] = []
    result.reserveCapacity(resultSize)
    while position < delta.count {
      let instruction = delta[position]
      position += 1
      if instruction & 0x80 != 0 {
        var offset = 0
        var size = 0
        for bit in 0..<4 where instruction & (1 << bit) != 0 {
          guard position < delta.count else { return nil }
          offset |= Int(delta[position]) << (8 * bit)
          position += 1
        }
        for bit in 0..<3 where instruction & (0x10 << bit) != 0 {
          guard position < delta.count else { return nil }
          size |= Int(delta[position]) << (8 * bit)
          position += 1
        }
        if size == 0 { size = 0x10000 }
        guard offset + size <= base.count else { return nil }
        result += base[offset..<(offset + size)]
      } else if instruction != 0 {
        let size = Int(instruction)
        guard position + size <= delta.count else { return nil }
        result += delta[position..<(position + size)]
        position += size
      } else {
        return nil
      }
    }
    return result.count == resultSize ? result : nil
  }
}
