extension MappingParser {
  /// Each behavior of `behaviors` that reads without a problem, with its key, in the order
  /// written. Read on one thread: shared out between two cores, the parts were slower than one
  /// pass (benchmarks/parse_scale.py), each contending for the reference counts of what they
  /// share.
  mutating func behaviors(in behaviors: YAMLNode.Mapping)
    -> [(key: YAMLNode, definition: BehaviorDefinition)]
  {
    var read: [(key: YAMLNode, definition: BehaviorDefinition)] = []
    read.reserveCapacity(behaviors.count)
    for (name, node) in behaviors {
      if let definition = behavior(named: name, node) { read.append((name, definition)) }
    }
    return read
  }
}
