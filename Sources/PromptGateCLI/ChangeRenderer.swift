import PromptGateCore

/// Renders change sets and selections for people (text) and machines (JSON).
enum ChangeRenderer {
  /// The JSON document of `diff` (and of `select` with its selection).
  struct Document: Encodable {
    let changes: ChangeSet
    let selection: Selection?

    func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(changes.base, forKey: .base)
      try container.encode(changes.head, forKey: .head)
      try container.encode(changes.behaviors.filter(\.isChange), forKey: .behaviors)
      try container.encode(changes.evalSets, forKey: .evalSets)
      try container.encode(changes.global, forKey: .global)
      try container.encode(changes.hasChanges, forKey: .changed)
    }

    enum CodingKeys: String, CodingKey { case base, head, behaviors, evalSets, global, changed }
  }

  static func text(_ changes: ChangeSet) -> String {
    var lines: [String] = []
    for change in changes.behaviors where change.isChange {
      lines += behaviorLines(change)
    }
    for set in changes.evalSets {
      let kinds = set.kinds.map(\.rawValue).joined(separator: ", ")
      let paths = set.paths.isEmpty ? "" : " (\(set.paths.joined(separator: ", ")))"
      lines.append("eval set \(set.evalSet): \(kinds)\(paths)")
    }
    if !changes.global.isEmpty {
      lines.append("global files:")
      lines += fileLines(changes.global, indent: "  ")
    }
    return lines.joined(separator: "\n")
  }

  static func behaviorLines(_ change: BehaviorChange) -> [String] {
    var lines: [String] = []
    let old = change.previousId.map { "pgv1-" + $0.short } ?? "absent"
    let new = change.id.map { "pgv1-" + $0.short } ?? "absent"
    switch change.status {
    case .changed: lines.append("\(change.behavior): changed \(old) -> \(new)")
    case .added:
      lines.append(
        "\(change.behavior): appeared \(new)"
          + (change.previousAbsence.map { " (was \($0))" } ?? ""))
    case .removed:
      lines.append(
        "\(change.behavior): disappeared, was \(old)"
          + (change.absence.map { " (now \($0))" } ?? ""))
    case .unchanged:
      lines.append(
        "\(change.behavior): definition changed in the mapping, "
          + (change.id == nil
            ? "absent at both sides" + (change.absence.map { " (\($0))" } ?? "")
            : "version unchanged \(new)"))
    }
    guard change.status == .changed else { return lines }
    for component in change.components {
      let name = component.component.rawValue
      if let files = component.files, !files.isEmpty {
        lines.append("  \(name):")
        lines += fileLines(files, indent: "    ", values: component.fileValues ?? [])
      } else if let values = component.values, !values.isEmpty {
        lines.append("  \(name):")
        lines += valueLines(values, omitted: component.omittedValues ?? 0, indent: "    ")
      } else {
        let old = ResolvedComponentText.describe(component.old, component: component.component)
        let new = ResolvedComponentText.describe(component.new, component: component.component)
        lines.append("  \(name): \(old) -> \(new)")
      }
    }
    return lines
  }

  /// One line per file; under a modified JSON or YAML file, the leaves that changed in it.
  static func fileLines(_ files: FileChanges, indent: String, values: [FileValueChanges] = [])
    -> [String]
  {
    files.added.map { "\(indent)added     \($0)" }
      + files.removed.map { "\(indent)removed   \($0)" }
      + files.modified.flatMap { path in
        var lines = ["\(indent)modified  \(path)"]
        if let leaves = values.first(where: { $0.path == path }) {
          lines += valueLines(leaves.values, omitted: leaves.omitted, indent: indent + "  ")
        }
        return lines
      }
      + files.renamed.map { "\(indent)renamed   \($0.from) -> \($0.to)" }
  }

  /// `POINTER: OLD -> NEW` for each leaf, then how many more there are.
  static func valueLines(_ values: [ValueChange], omitted: Int, indent: String) -> [String] {
    values.map {
      "\(indent)\($0.pointer.isEmpty ? "(whole value)" : $0.pointer): \(show($0.old)) -> \(show($0.new))"
    } + (omitted > 0 ? ["\(indent)and \(omitted) more"] : [])
  }

  static func show(_ value: JSONValue?) -> String {
    guard let value else { return "(none)" }
    return (try? CanonicalJSON.serialize(value)) ?? "?"
  }

  static func text(_ selection: Selection, tier: String?) -> String {
    guard !selection.evalSets.isEmpty else {
      return "no \(tier.map { "\($0) " } ?? "")eval set selected"
    }
    var lines: [String] = []
    for entry in selection.evalSets {
      lines.append("\(entry.evalSet) (\(entry.tier))")
      for reason in entry.reasons { lines.append("  \(reason)") }
    }
    return lines.joined(separator: "\n")
  }
}
