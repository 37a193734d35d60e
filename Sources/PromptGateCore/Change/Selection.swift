/// The eval sets a change selects, each with why.
public struct Selection: Sendable, Encodable {
  /// One selected eval set.
  public struct Entry: Sendable, Encodable {
    /// The eval set's name.
    public let evalSet: String
    /// Its tier.
    public let tier: String
    /// Why it was selected.
    public let reasons: [Reason]
  }

  /// Why an eval set was selected.
  public struct Reason: Sendable, Encodable, Hashable, CustomStringConvertible {
    /// The kinds of reason.
    public enum Kind: String, Sendable, Encodable, Hashable, CaseIterable {
      /// A component the set protects changed.
      case component
      /// A file under `global:` changed.
      case global
      /// The eval set is new.
      case added
      /// The set's definition in the mapping changed.
      case definition
      /// Its cases file changed.
      case cases
      /// One of its `files:` changed.
      case files
    }

    /// The kind of reason.
    public let kind: Kind
    /// The behavior, for a component reason.
    public let behavior: String?
    /// The component, for a component reason.
    public let component: Component?
    /// The file, for a global, cases or files reason.
    public let path: String?

    public var description: String {
      switch kind {
      case .component: return "\(behavior ?? "?").\(component?.rawValue ?? "?") changed"
      case .global: return "global file \(path ?? "?") changed"
      case .added: return "the eval set is new"
      case .definition: return "its definition changed"
      case .cases: return "its cases changed (\(path ?? "?"))"
      case .files: return "its file \(path ?? "?") changed"
      }
    }
  }

  /// The selected sets, in the head mapping's order.
  public let evalSets: [Entry]

  private init(evalSets: [Entry]) { self.evalSets = evalSets }

  /// The selection restricted to the sets `keep` accepts.
  public func filter(_ keep: (Entry) -> Bool) -> Selection {
    Selection(evalSets: evalSets.filter(keep))
  }

  /// Selects from `head`'s eval sets (of `tier`, when given) those that protect a changed
  /// component, whose own definition or files changed, or all of them when a global file changed.
  public init(changes: ChangeSet, head: Mapping?, tier: String?) {
    var entries: [Entry] = []
    let behaviorChanges = Dictionary(
      changes.behaviors.map { ($0.behavior, $0) }, uniquingKeysWith: { a, _ in a })
    for set in head?.evalSets ?? [] where tier == nil || set.tier == tier {
      var reasons: [Reason] = []
      for (behavior, protected) in set.protects.sorted(by: { $0.key < $1.key }) {
        for component in behaviorChanges[behavior]?.changed ?? []
        where protected.contains(component) {
          reasons.append(
            Reason(kind: .component, behavior: behavior, component: component, path: nil))
        }
      }
      for path in changes.global.paths {
        reasons.append(Reason(kind: .global, behavior: nil, component: nil, path: path))
      }
      if let own = changes.evalSets.first(where: { $0.evalSet == set.name }) {
        for kind in own.kinds {
          switch kind {
          case .added:
            reasons.append(Reason(kind: .added, behavior: nil, component: nil, path: nil))
          case .definition:
            reasons.append(Reason(kind: .definition, behavior: nil, component: nil, path: nil))
          case .cases:
            reasons.append(Reason(kind: .cases, behavior: nil, component: nil, path: set.cases))
          case .files:
            for path in own.paths where path != set.cases {
              reasons.append(Reason(kind: .files, behavior: nil, component: nil, path: path))
            }
          case .removed: break
          }
        }
      }
      if !reasons.isEmpty {
        entries.append(Entry(evalSet: set.name, tier: set.tier, reasons: reasons))
      }
    }
    evalSets = entries
  }
}
