import Dispatch
import Foundation

extension MappingParser {
  /// Behaviors from which a mapping's are read on every core.
  static let parallelBehaviors = 8_192

  /// Each behavior of `behaviors` that reads without a problem, with its key, in the order
  /// written. A large mapping's are shared out among the cores, each part read by a parser of
  /// its own through its own handle on the document; their problems are gathered here.
  mutating func behaviors(in behaviors: YAMLNode.Mapping)
    -> [(key: YAMLNode, definition: BehaviorDefinition)]
  {
    let keys = behaviors.keyPositions
    let parts =
      keys.count < Self.parallelBehaviors
      ? 1 : min(ProcessInfo.processInfo.activeProcessorCount, 8)
    guard parts > 1 else {
      return keys.compactMap { key in
        let (name, node) = behaviors.pair(at: key, through: behaviors.document)
        return behavior(named: name, node).map { (name, $0) }
      }
    }
    let size = (keys.count + parts - 1) / parts
    let results = PartResults(count: parts)
    let file = self.file
    DispatchQueue.concurrentPerform(iterations: parts) { part in
      let handle = behaviors.document.sharingRecords()
      var parser = MappingParser(file: file)
      var read: [(key: YAMLNode, definition: BehaviorDefinition)] = []
      read.reserveCapacity(size)
      for key in keys[min(keys.count, part * size)..<min(keys.count, (part + 1) * size)] {
        let (name, node) = behaviors.pair(at: key, through: handle)
        if let definition = parser.behavior(named: name, node) { read.append((name, definition)) }
      }
      results.store(part, read: read, problems: parser.problems)
    }
    var all: [(key: YAMLNode, definition: BehaviorDefinition)] = []
    all.reserveCapacity(keys.count)
    for part in 0..<parts {
      all += results[part].read
      problems += results[part].problems
    }
    return all
  }
}

/// What each part of a parallel read found, in slots of fixed memory: each part writes only
/// its own, and they are read once every part has ended (`concurrentPerform` returns only
/// then), so no lock is needed and no shared array is mutated.
private final class PartResults: @unchecked Sendable {
  typealias Found = (
    read: [(key: YAMLNode, definition: BehaviorDefinition)], problems: [Diagnostic]
  )
  private let slots: UnsafeMutableBufferPointer<Found>

  init(count: Int) {
    slots = .allocate(capacity: count)
    slots.initialize(repeating: ([], []))
  }

  deinit {
    slots.deinitialize()
    slots.deallocate()
  }

  func store(
    _ part: Int, read found: [(key: YAMLNode, definition: BehaviorDefinition)],
    problems diagnosed: [Diagnostic]
  ) {
    slots[part] = (found, diagnosed)
  }

  subscript(part: Int) -> Found { slots[part] }
}
