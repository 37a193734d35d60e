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
    let edges: Int?
  }

  private let layers: [Layer]
  /// The mapped files the layers read, kept open.
  private let files: [MappedFile]

  /// Reads the graph of the objects directory `objects`; nil when there is none or it is not a
  /// format this reader knows (then every commit is read through libgit2).
  init?(objects: String) {
    var files: [String] = []
    let chain = objects + "/info/commit-graphs/commit-graph-chain"
    if let text = try? String(contentsOfFile: chain, encoding: .utf8) {
      files = text.split(separator: "\n").map { objects + "/info/commit-graphs/graph-\($0).graph" }
    } else {
      files = [objects + "/info/commit-graph"]
    }
    var layers: [Layer] = []
    var mapped: [MappedFile] = []
    var base = 0
    for file in files {
      guard let data = MappedFile(path: file, minimumSize: 8 + 12),
        let layer = CommitGraph.layer(data.view, base: base)
      else { return nil }
      layers.append(layer)
      mapped.append(data)
      base += layer.count
    }
    guard !layers.isEmpty else { return nil }
    self.layers = layers
    self.files = mapped
  }

  private static func layer(_ data: MappedBytes, base: Int) -> Layer? {
    // "CGPH", format version 1, hash version 1 (SHA-1).
    guard data.uint32(at: 0) == 0x4347_5048, data.byte(at: 4) == 1, data.byte(at: 5) == 1 else {
      return nil
    }
    let chunkCount = Int(data.byte(at: 6))
    var chunks: [String: Int] = [:]
    for index in 0..<chunkCount {
      let entry = 8 + 12 * index
      guard entry + 12 <= data.size else { return nil }
      let name = String(decoding: data.bytes(at: entry, count: 4), as: UTF8.self)
      chunks[name] = Int(
        UInt64(data.uint32(at: entry + 4)) << 32 | UInt64(data.uint32(at: entry + 8)))
    }
    guard let fanout = chunks["OIDF"], let ids = chunks["OIDL"], let commits = chunks["CDAT"],
      fanout + 1024 <= data.size
    else { return nil }
    let count = Int(data.uint32(at: fanout + 255 * 4))
    guard ids + 20 * count <= data.size, commits + 36 * count <= data.size else { return nil }
    return Layer(
      data: data, count: count, base: base, fanout: fanout, ids: ids, commits: commits,
      edges: chunks["EDGE"])
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
  /// record cannot be read.
  func parentPositions(at position: Int, into parents: inout [Int]) -> Bool {
    parents.removeAll(keepingCapacity: true)
    guard let (layer, local) = locate(position) else { return false }
    let record = layer.commits + 36 * local
    let first = layer.data.uint32(at: record + 20)
    let second = layer.data.uint32(at: record + 24)
    let none: UInt32 = 0x7000_0000
    if first != none { parents.append(Int(first)) }
    if second == none { return true }
    guard second & 0x8000_0000 != 0 else {
      parents.append(Int(second))
      return true
    }
    // An octopus merge: the rest of the parents are listed in the EDGE chunk.
    guard let edges = layer.edges else { return false }
    var index = Int(second & 0x7FFF_FFFF)
    while edges + 4 * index + 4 <= layer.data.size {
      let value = layer.data.uint32(at: edges + 4 * index)
      parents.append(Int(value & 0x7FFF_FFFF))
      if value & 0x8000_0000 != 0 { return true }
      index += 1
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
