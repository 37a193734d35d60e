import Foundation

/// git's commit-graph file(s), read directly: a commit's parents, tree and time without
/// decompressing the commit, as git itself reads them during history walks.
///
/// Covers the single file `objects/info/commit-graph` and split chains under
/// `objects/info/commit-graphs/`. Commits not in the graph (newer than it) are read through
/// libgit2 by the caller.
final class CommitGraph {
  /// One file of the graph: a chain has several, the base first.
  private struct Layer {
    let data: MappedBytes
    let count: Int
    /// Positions of this layer start after the commits of the layers before it.
    let base: Int
    let fanout: Int
    let ids: Int
    let commits: Int
    /// The EDGE chunk's start and end, for octopus merges.
    let edges: (start: Int, end: Int)?
  }

  private let layers: [Layer]
  /// The mapped files the layers read, kept open.
  private let files: [MappedFile]

  /// Reads the graph of the objects directory `objects`; nil when there is none or it is not a
  /// format this reader knows, or any file fails its checks (then every commit is read through
  /// libgit2).
  ///
  /// Every file's trailing checksum is verified (about a millisecond per megabyte, once per
  /// walk): a graph answers for whole histories, and a flipped bit in a parent or tree would be
  /// a silently wrong answer that no structural check can see.
  init?(objects: String) {
    var files: [String] = []
    var names: [String?] = []
    let chain = objects + "/info/commit-graphs/commit-graph-chain"
    if let text = try? String(contentsOfFile: chain, encoding: .utf8) {
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      // One 40-digit checksum per line, each line ended by a newline, at least one.
      guard lines.count >= 2, lines.last == "",
        lines.dropLast().allSatisfy({ ObjectID(hex: String($0)) != nil })
      else { return nil }
      for line in lines.dropLast() {
        files.append(objects + "/info/commit-graphs/graph-\(line).graph")
        names.append(String(line).lowercased())
      }
    } else {
      files = [objects + "/info/commit-graph"]
      names = [nil]
    }
    var layers: [Layer] = []
    var mapped: [MappedFile] = []
    var base = 0
    for (number, file) in files.enumerated() {
      guard let data = MappedFile(path: file, minimumSize: 8 + 12 * 4 + 1024 + 20),
        TrailingChecksum.matches(data),
        names[number] == nil || TrailingChecksum.hex(data) == names[number],
        let layer = CommitGraph.layer(data.view, base: base, bases: names.prefix(number))
      else { return nil }
      layers.append(layer)
      mapped.append(data)
      base += layer.count
    }
    // Positions are 31-bit numbers in the parent fields.
    guard !layers.isEmpty, base < 0x7000_0000 else { return nil }
    self.layers = layers
    self.files = mapped
  }

  /// The layer in `data`, numbered from `base`, whose BASE chunk must name `bases` (the files
  /// below it in the chain) in order; nil when anything about it is unexpected.
  private static func layer(_ data: MappedBytes, base: Int, bases: ArraySlice<String?>) -> Layer? {
    // "CGPH", format version 1, hash version 1 (SHA-1); the number of chunks; the number of
    // graphs below this one.
    guard data.uint32(at: 0) == 0x4347_5048, data.byte(at: 4) == 1, data.byte(at: 5) == 1,
      Int(data.byte(at: 7)) == bases.count
    else { return nil }
    let chunkCount = Int(data.byte(at: 6))
    let tableEnd = 8 + 12 * (chunkCount + 1)
    let trailer = data.size - 20
    guard tableEnd <= trailer else { return nil }
    // The table's entries, then a terminating entry with id 0 whose offset ends the last chunk;
    // chunks lie in table order between the table and the trailer.
    var chunks: [String: (start: Int, size: Int)] = [:]
    var previous = tableEnd
    var previousName: String?
    for index in 0...chunkCount {
      let entry = 8 + 12 * index
      let high = data.uint32(at: entry + 4)
      let offset = Int(data.uint32(at: entry + 8))
      guard high == 0, offset >= previous, offset <= trailer else { return nil }
      if let previousName { chunks[previousName] = (previous, offset - previous) }
      let id = data.uint32(at: entry)
      if index == chunkCount {
        guard id == 0 else { return nil }
      } else {
        let name = String(decoding: data.bytes(at: entry, count: 4), as: UTF8.self)
        guard id != 0, chunks[name] == nil else { return nil }
        previousName = name
      }
      previous = offset
    }
    guard let fanout = chunks["OIDF"], fanout.size == 1024,
      let count = PackFile.fanoutCount(data, at: fanout.start),
      let ids = chunks["OIDL"], ids.size == 20 * count,
      let commits = chunks["CDAT"], commits.size == 36 * count
    else { return nil }
    let edges = chunks["EDGE"]
    if let edges, edges.size % 4 != 0 { return nil }
    if bases.isEmpty {
      guard chunks["BASE"] == nil else { return nil }
    } else {
      guard let named = chunks["BASE"], named.size == 20 * bases.count else { return nil }
      for (number, name) in bases.enumerated()
      where ObjectID(rawBytes: data.base + named.start + 20 * number).hex != name {
        return nil
      }
    }
    return Layer(
      data: data, count: count, base: base, fanout: fanout.start, ids: ids.start,
      commits: commits.start, edges: edges.map { ($0.start, $0.start + $0.size) })
  }

  /// The graph position of commit `id`, or nil when the graph does not hold it.
  func position(of id: ObjectID) -> Int? {
    let first = Int(id.high >> 56)
    for layer in layers {
      var low = first == 0 ? 0 : Int(layer.data.uint32(at: layer.fanout + 4 * (first - 1)))
      var high = Int(layer.data.uint32(at: layer.fanout + 4 * first))
      while low < high {
        let middle = (low + high) / 2
        let candidate = ObjectID(rawBytes: layer.data.base + layer.ids + 20 * middle)
        if candidate == id { return layer.base + middle }
        if candidate < id { low = middle + 1 } else { high = middle }
      }
    }
    return nil
  }

  /// The number of commits in the graph.
  var count: Int { layers.last.map { $0.base + $0.count } ?? 0 }

  /// The layer holding graph position `position` and the position's index within it.
  private func locate(_ position: Int) -> (Layer, Int)? {
    guard let layer = layers.last(where: { $0.base <= position }),
      position - layer.base < layer.count
    else {
      return nil
    }
    return (layer, position - layer.base)
  }

  /// The graph positions of the parents of the commit at `position`, in order; false when the
  /// record cannot be read (a parent that is not in this layer or one below it).
  func parentPositions(at position: Int, into parents: inout [Int]) -> Bool {
    parents.removeAll(keepingCapacity: true)
    return visitParentPositions(at: position) { parents.append($0) }
  }

  /// Appends the ids of the parents of the commit at `position` to `ids`, first parent first;
  /// false when its record cannot be read (what was appended is then to be dropped).
  func appendParentIDs(at position: Int, to ids: inout [ObjectID]) -> Bool {
    var readable = true
    let parsed = visitParentPositions(at: position) { parent in
      if let id = id(at: parent) { ids.append(id) } else { readable = false }
    }
    return parsed && readable
  }

  /// Calls `body` with the graph position of each parent of the commit at `position`, first
  /// parent first; false when its record cannot be read.
  private func visitParentPositions(at position: Int, _ body: (Int) -> Void) -> Bool {
    guard let (layer, local) = locate(position) else { return false }
    let limit = layer.base + layer.count
    let record = layer.commits + 36 * local
    let first = layer.data.uint32(at: record + 20)
    let second = layer.data.uint32(at: record + 24)
    let none: UInt32 = 0x7000_0000
    if first != none {
      guard Int(first) < limit else { return false }
      body(Int(first))
    }
    if second == none { return true }
    guard second & 0x8000_0000 != 0 else {
      guard first != none, Int(second) < limit else { return false }
      body(Int(second))
      return true
    }
    // An octopus merge: the rest of the parents are listed in the EDGE chunk.
    guard first != none, let edges = layer.edges else { return false }
    var offset = edges.start + 4 * Int(second & 0x7FFF_FFFF)
    while offset + 4 <= edges.end {
      let value = layer.data.uint32(at: offset)
      guard Int(value & 0x7FFF_FFFF) < limit else { return false }
      body(Int(value & 0x7FFF_FFFF))
      if value & 0x8000_0000 != 0 { return true }
      offset += 4
    }
    return false
  }

  /// The root tree and committer time of the commit at graph position `position`.
  func treeAndTime(at position: Int) -> (tree: ObjectID, time: Int64)? {
    guard let (layer, local) = locate(position) else { return nil }
    let record = layer.commits + 36 * local
    let high = UInt64(layer.data.uint32(at: record + 28) & 0x3)
    let time = Int64(high << 32 | UInt64(layer.data.uint32(at: record + 32)))
    return (ObjectID(rawBytes: layer.data.base + record), time)
  }

  /// The commit at graph position `position`.
  func commit(at position: Int) -> Commit? {
    var positions: [Int] = []
    guard let id = id(at: position), let (tree, time) = treeAndTime(at: position),
      parentPositions(at: position, into: &positions)
    else { return nil }
    var parents: [ObjectID] = []
    for parent in positions {
      guard let parentID = self.id(at: parent) else { return nil }
      parents.append(parentID)
    }
    return Commit(id: id, parents: parents, tree: tree, time: time)
  }

  /// The id of the commit at graph position `position`.
  func id(at position: Int) -> ObjectID? {
    guard let (layer, local) = locate(position) else { return nil }
    return ObjectID(rawBytes: layer.data.base + layer.ids + 20 * local)
  }
}
