import Foundation

extension MappingParser {
  /// Behaviors from which a mapping's are read on every core.
  static let parallelBehaviors = 8_192

  /// Each behavior of `behaviors` that reads without a problem, with its key, in the order
  /// written, in one list per part. A large mapping's are shared out among the cores, each part
  /// read by a parser of its own through its own handle on the document; their problems are
  /// gathered here.
  mutating func behaviors(in behaviors: YAMLNode.Mapping)
    -> [[(key: YAMLNode, definition: BehaviorDefinition)]]
  {
    let keys = behaviors.keyPositions
    let parts = Parts.count(for: keys.count, threshold: Self.parallelBehaviors)
    guard parts > 1 else {
      return [
        keys.compactMap { key in
          let (name, node) = behaviors.pair(at: key, through: behaviors.document)
          return behavior(named: name, node).map { (name, $0) }
        }
      ]
    }
    let file = self.file
    let ranges = Parts.ranges(of: keys.count, in: parts)
    let found = Parts.run(parts) { part in
      let handle = behaviors.document.sharingRecords()
      var parser = MappingParser(file: file)
      var read: [(key: YAMLNode, definition: BehaviorDefinition)] = []
      read.reserveCapacity(ranges[part].count)
      for key in keys[ranges[part]] {
        let (name, node) = behaviors.pair(at: key, through: handle)
        if let definition = parser.behavior(named: name, node) { read.append((name, definition)) }
      }
      return (read: read, problems: parser.problems)
    }
    for part in found { problems += part.problems }
    return found.map(\.read)
  }
}
