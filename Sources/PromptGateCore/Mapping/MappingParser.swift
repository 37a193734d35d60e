import Foundation
import Yams

/// Reads and validates `promptgate.yaml`, collecting every problem with its line and fix.
public struct MappingParser {
  /// The mapping file's name at the repository root.
  public static let fileName = "promptgate.yaml"

  let file: String
  var problems: [Diagnostic] = []
  /// Where an explicit `maxRepeat` was written, by set label, and `hook.maxRepeat`: the
  /// minimum-runs check points there.
  var maxRepeatNodes: [String: YAMLNode] = [:]
  var hookMaxRepeatNode: YAMLNode?
  /// Patterns already read, by their text: large mappings repeat a few patterns many times.
  var knownGlobs: [String: Glob] = [:]
  /// The last list of known keys an unknown key was reported against, worded: a file of many
  /// unknown keys words it once.
  var knownKeysText: (keys: [String], text: String)?
  /// Where the earliest unknown keys reported so far are, in file order, at most
  /// ``Diagnostics/shownLimit`` of them: a key with that many before it is never printed.
  var earliestUnknownKeys: [Mark] = []

  /// Parses `text`, read from `file` (a label such as `HEAD:promptgate.yaml`).
  public static func parse(_ text: String, file: String) throws(Diagnostics) -> Mapping {
    var parser = MappingParser(file: file)
    let root: YAMLNode?
    do {
      root = try YAMLLoader.compose(text, file: file)
    } catch {
      throw Diagnostics([error])
    }
    let mapping = parser.mapping(root)
    guard parser.problems.isEmpty, let mapping else {
      throw Diagnostics(
        parser.problems.sorted { ($0.line ?? 0, $0.column ?? 0) < ($1.line ?? 0, $1.column ?? 0) })
    }
    return mapping
  }

  mutating func mapping(_ root: YAMLNode?) -> Mapping? {
    guard let root else {
      problems.append(
        Diagnostic(file: file, line: 1, "the file is empty", fix: "declare at least `behaviors:`"))
      return nil
    }
    guard let top = self.members(of: root, at: "the top level") else { return nil }
    var behaviors: [BehaviorDefinition] = []
    var evalSets: [EvalSetDefinition] = []
    var global: [Glob] = []
    var behaviorsNode: YAMLNode?
    var evalSetsNode: YAMLNode?
    var gate = GateConfig()
    for (key, value) in top {
      switch key.text {
      case "behaviors": behaviorsNode = value
      case "evalSets": evalSetsNode = value
      case "global": global = globs(value, key: "global") ?? []
      case .some(let name) where gateKey(name, value, into: &gate): break
      default: unknownKey(key, in: "the top level", known: Self.topLevelKeys)
      }
    }
    if let behaviorsNode, let entries = members(of: behaviorsNode, at: "behaviors") {
      var variables: [String: String] = [:]
      variables.reserveCapacity(entries.count)
      behaviors.reserveCapacity(entries.count)
      for (key, behavior) in self.behaviors(in: entries) {
        behaviors.append(behavior)
        // Keyed by the variable's suffix, which is short; one lookup for a name not seen.
        let suffix = Mapping.variableSuffix(for: behavior.name)
        if let other = variables.updateValue(behavior.name, forKey: suffix) {
          variables[suffix] = other
          problems.append(
            diagnostic(
              at: key,
              "behaviors \(Diagnostic.quote(other)) and \(Diagnostic.quote(behavior.name)) both "
                + "become the environment variable "
                + "\(Mapping.environmentVariable(for: behavior.name)) "
                + "(`promptgate version --format env`)",
              fix: "rename one: names that differ only in case or in '-', '.' and '_' collide"))
        }
      }
    } else if behaviorsNode == nil {
      problems.append(
        Diagnostic(
          file: file, line: 1, "no `behaviors:` key",
          fix:
            "declare the behaviors to version, e.g. `behaviors: {support-agent: {prompt: [prompts/**/*.md]}}`"
        ))
    }
    var setNodes: [String: YAMLNode] = [:]
    if let evalSetsNode, let entries = members(of: evalSetsNode, at: "evalSets") {
      let byName = Dictionary(behaviors.map { ($0.name, $0) }) { first, _ in first }
      for (key, value) in entries {
        if let set = evalSet(named: key, value, behaviors: byName) {
          evalSets.append(set)
          setNodes[set.name] = key
        }
      }
    }
    checkRuns(&evalSets, nodes: setNodes, config: gate)
    var mapping = Mapping(file: file, behaviors: behaviors, evalSets: evalSets, global: global)
    mapping.gate = gate
    return mapping
  }

  // MARK: Behaviors

  static let behaviorKeys = [
    "prompt", "model", "toolSchema", "retrievalPolicy", "safetyPolicy", "decoding", "messages",
  ]

  mutating func behavior(named key: YAMLNode, _ node: YAMLNode) -> BehaviorDefinition? {
    let name = key.text ?? ""
    guard Self.isValidName(name) else {
      problems.append(
        diagnostic(
          at: key, "\(Diagnostic.quote(name)) is not a valid behavior name",
          fix: "use letters, digits, '.', '_' and '-', starting with a letter or digit"))
      return nil
    }
    guard let entries = members(of: node, at: "behaviors.\(name)") else { return nil }
    var sources = ComponentMap<Source>(minimumCapacity: entries.count)
    // Where each source that was read is written.
    var marks = ComponentMap<Mark>(minimumCapacity: entries.count)
    var messages: MessagesSpec?
    // Worded only for a problem: a large mapping has hundreds of thousands of fields.
    func label(_ field: YAMLNode) -> String { "behaviors.\(name).\(field.text ?? "")" }
    for (field, value) in entries {
      switch field.text {
      case "messages": messages = self.messages(value, label: label(field))
      case "decoding":
        guard let decoding = members(of: value, at: label(field)) else { continue }
        for (inner, innerValue) in decoding {
          let component: Component
          switch inner.text {
          case "temperature": component = .temperature
          case "maxOutputTokens": component = .maxOutputTokens
          default:
            unknownKey(inner, in: label(field), known: Self.decodingKeys)
            continue
          }
          guard
            let source = source(
              innerValue, for: component, key: inner,
              label: "\(label(field)).\(inner.text ?? "")")
          else { continue }
          sources[component] = source
          marks[component] = innerValue.mark
        }
      case let fieldName:
        guard let component = fieldName.flatMap(Component.init(rawValue:)) else {
          unknownKey(field, in: "behaviors.\(name)", known: Self.behaviorKeys)
          continue
        }
        guard let source = source(value, for: component, key: field, label: label(field))
        else { continue }
        sources[component] = source
        marks[component] = value.mark
      }
    }
    return BehaviorDefinition(name: name, sources: sources, messages: messages, sourceMarks: marks)
  }

  // MARK: Eval sets

  static let evalSetKeys = ["tier", "cases", "files", "protects", "description"]

  mutating func evalSet(
    named key: YAMLNode, _ node: YAMLNode, behaviors: [String: BehaviorDefinition]
  )
    -> EvalSetDefinition?
  {
    let name = key.text ?? ""
    guard Self.isValidName(name) else {
      problems.append(
        diagnostic(
          at: key, "\(Diagnostic.quote(name)) is not a valid eval set name",
          fix: "use letters, digits, '.', '_' and '-', starting with a letter or digit"))
      return nil
    }
    let label = "evalSets.\(name)"
    guard let entries = members(of: node, at: label) else { return nil }
    var tier: String?
    var cases: String?
    var hasCasesKey = false
    var files: [Glob] = []
    var protects: [String: Set<Component>] = [:]
    var run = EvalSetRun()
    for (field, value) in entries {
      switch field.text {
      case "tier": tier = string(value, key: "\(label).tier")
      case "cases":
        hasCasesKey = true
        cases = path(value, key: "\(label).cases")
      case "files": files = globs(value, key: "\(label).files") ?? []
      case "description": _ = string(value, key: "\(label).description")
      case "protects":
        protects = self.protects(value, label: "\(label).protects", behaviors: behaviors)
      case .some(let key) where runKey(key, value, label: label, into: &run): break
      default: unknownKey(field, in: label, known: Self.evalSetKeys + Self.runKeys)
      }
    }
    if tier == nil {
      problems.append(
        diagnostic(
          at: key, "eval set \(Diagnostic.quote(name)) has no `tier`",
          fix: "add `tier: fast` or `tier: release`"))
    }
    if !hasCasesKey {
      problems.append(
        diagnostic(
          at: key, "eval set \(Diagnostic.quote(name)) has no `cases`",
          fix: "add `cases: evals/\(name).jsonl`"))
    }
    guard let tier, let cases else { return nil }
    var set = EvalSetDefinition(
      name: name, tier: tier, cases: cases, files: files, protects: protects,
      definition: canonical(node))
    set.run = run
    set.mark = key.mark
    return set
  }

  mutating func protects(_ node: YAMLNode, label: String, behaviors: [String: BehaviorDefinition])
    -> [String: Set<Component>]
  {
    guard let entries = members(of: node, at: label) else { return [:] }
    var result: [String: Set<Component>] = [:]
    for (key, value) in entries {
      let name = key.text ?? ""
      guard let behavior = behaviors[name] else {
        let names = behaviors.keys.sorted()
        problems.append(
          diagnostic(
            at: key,
            "\(label) names behavior \(Diagnostic.quote(name)), which `behaviors` does not define",
            fix: suggestion(for: name, among: names) ?? "define it under `behaviors:` or remove it")
        )
        continue
      }
      let names: [YAMLNode]
      switch value {
      case .scalar: names = [value]
      case .sequence(let sequence): names = Array(sequence)
      default:
        problems.append(
          diagnostic(at: value, "\(label).\(name) must be `all` or a list of components", fix: nil))
        continue
      }
      var components: Set<Component> = []
      for item in names {
        let text = item.text ?? ""
        guard let expanded = Component.expanding(text) else {
          let known = ["all", "decoding"] + Component.allCases.map(\.rawValue)
          problems.append(
            diagnostic(
              at: item, "\(Diagnostic.quote(text)) is not a component",
              fix: suggestion(for: text, among: known)
                ?? "use one of: \(known.joined(separator: ", "))"))
          continue
        }
        if text != "all", expanded.allSatisfy({ behavior.sources[$0] == nil }) {
          problems.append(
            diagnostic(
              at: item,
              "\(label).\(name) protects \(Diagnostic.quote(text)), which behavior \(Diagnostic.quote(name)) does not declare",
              fix: "declare `\(text)` under behaviors.\(name), or remove it from this list"))
          continue
        }
        components.formUnion(expanded)
      }
      result[name] = components
    }
    return result
  }

  // MARK: Sources

  mutating func source(
    _ node: YAMLNode, for component: Component, key: YAMLNode, label: @autoclosure () -> String
  ) -> Source? {
    switch node {
    case .sequence:
      guard component.kind == .digest else {
        return filesNotAllowed(node, component: component, label: label())
      }
      return globs(node, key: label()).map { Source(.files($0)) }
    case .scalar(let scalar):
      if YAMLLoader.tag(of: scalar) == .str,
        let pointer = pointerShorthand(node, text: scalar.string, label: label())
      {
        return pointer
      }
      if component.kind == .digest {
        guard YAMLLoader.tag(of: scalar) == .str else {
          problems.append(
            diagnostic(
              at: node, "\(label()) must name files or a value",
              fix: "write {value: \(scalar.string)} for a literal"))
          return nil
        }
        return globs(node, key: label()).map { Source(.files($0)) }
      }
      return literal(node, for: component, label: label()).map { Source(.value($0)) }
    case .mapping(let mapping):
      return longSource(mapping, node: node, for: component, label: label())
    }
  }

  mutating func longSource(
    _ mapping: YAMLNode.Mapping, node: YAMLNode, for component: Component,
    label: @autoclosure () -> String
  ) -> Source? {
    var fields = SourceFields()
    var optional = false
    var hashesBody = false
    for (key, value) in mapping.entries {
      if let text = key.text, let field = SourceFields.Key(rawValue: text) {
        fields[field] = value
      } else if key.text == "optional" {
        guard let flag = bool(value, key: "\(label()).optional") else { return nil }
        optional = flag
      } else {
        unknownKey(key, in: label(), known: Self.sourceKeys)
        return nil
      }
    }
    var form: SourceFields.Key?
    var formsWritten = 0
    for candidate in SourceFields.forms where fields[candidate] != nil {
      form = form ?? candidate
      formsWritten += 1
    }
    guard let form, formsWritten == 1 else {
      // The forms written, listed only for a problem.
      let forms = SourceFields.forms.filter { fields[$0] != nil }.map(\.rawValue)
      problems.append(
        diagnostic(
          at: node,
          forms.isEmpty
            ? "\(label()) names no source" : "\(label()) mixes \(forms.joined(separator: " and "))",
          fix:
            "use exactly one of {files: [GLOB]}, {file: F, pointer: /P}, {file: F, regex: R}, {value: V}"
        ))
      return nil
    }
    if form != .regex, let group = fields[.group] {
      problems.append(diagnostic(at: group, "`group` belongs with `regex`", fix: "remove it"))
      return nil
    }
    if let hash = fields[.hash] {
      guard form == .files else {
        problems.append(
          diagnostic(
            at: hash, "`hash` belongs with `files`",
            fix: "remove it: a value is hashed as the value it selects"))
        return nil
      }
      guard let how = sourceHash(hash, label: label()) else { return nil }
      hashesBody = how == "body"
    }
    // The one form's node: present, since `written` lists the keys `fields` has.
    guard let formNode = fields[form] else { return nil }
    switch form {
    case .files:
      guard component.kind == .digest else {
        return filesNotAllowed(node, component: component, label: label())
      }
      if let file = fields[.file] {
        problems.append(
          diagnostic(
            at: file, "`file` does not go with `files`", fix: "list every pattern under `files`"))
        return nil
      }
      return globs(formNode, key: "\(label()).files").map {
        Source(.files($0), optional: optional, hashesBody: hashesBody)
      }
    case .pointer:
      guard let file = requiredFile(fields, node: node, label: label()),
        let text = string(formNode, key: "\(label()).pointer")
      else { return nil }
      guard let pointer = JSONPointer(text) else {
        problems.append(badPointer(formNode, text: text, label: label()))
        return nil
      }
      return Source(.pointer(file: file, pointer: pointer), optional: optional)
    case .regex:
      guard let file = requiredFile(fields, node: node, label: label()),
        let pattern = string(formNode, key: "\(label()).regex")
      else { return nil }
      let expression: NSRegularExpression
      do {
        expression = try NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
      } catch {
        problems.append(
          diagnostic(
            at: formNode, "\(label()).regex is not a valid regular expression",
            fix: "check its brackets and escapes"))
        return nil
      }
      var group = expression.numberOfCaptureGroups > 0 ? 1 : 0
      if let node = fields[.group] {
        guard case .scalar(let scalar) = node, YAMLLoader.tag(of: scalar) == .int,
          let value = Int(scalar.string),
          value >= 0, value <= expression.numberOfCaptureGroups
        else {
          problems.append(
            diagnostic(
              at: node,
              "\(label()).group must be a capture group of the regex (0 to \(expression.numberOfCaptureGroups))",
              fix: "count the regex's parenthesised groups from 1; 0 is the whole match"))
          return nil
        }
        group = value
      }
      return Source(.regex(file: file, pattern: pattern, group: group), optional: optional)
    default:  // `value`, the one form left
      let valueNode = formNode
      if component.kind == .digest {
        return Source(.value(canonical(valueNode)), optional: optional)
      }
      return literal(valueNode, for: component, label: "\(label()).value").map {
        Source(.value($0), optional: optional)
      }
    }
  }

  mutating func pointerShorthand(_ node: YAMLNode, text: String, label: @autoclosure () -> String)
    -> Source?
  {
    guard let hash = text.firstIndex(of: "#") else { return nil }
    let file = String(text[..<hash])
    let rest = String(text[text.index(after: hash)...])
    guard rest.isEmpty || rest.hasPrefix("/") || file.contains(".") else { return nil }
    guard validPath(file, node: node, label: label()) else { return Source(.value(.null)) }
    guard let pointer = JSONPointer(rest) else {
      problems.append(badPointer(node, text: rest, label: label()))
      return Source(.value(.null))
    }
    return Source(.pointer(file: file, pointer: pointer))
  }

  /// A literal for a name or number component, checked now so that a typo fails at once.
  mutating func literal(
    _ node: YAMLNode, for component: Component, label: @autoclosure () -> String
  ) -> JSONValue? {
    let value = canonical(node)
    do {
      _ = try ComponentValue.coerce(value, for: component)
      return value
    } catch {
      problems.append(diagnostic(at: node, "\(label()): \(error.reason)", fix: error.fix))
      return nil
    }
  }

  mutating func filesNotAllowed(
    _ node: YAMLNode, component: Component, label: @autoclosure () -> String
  ) -> Source? {
    problems.append(
      diagnostic(
        at: node, "\(label()) takes a value, not files",
        fix: "point at it with FILE#/POINTER, {file: F, regex: R}, or write {value: V}"))
    return nil
  }

  mutating func requiredFile(
    _ fields: SourceFields, node: YAMLNode, label: @autoclosure () -> String
  ) -> String? {
    guard let fileNode = fields[.file] else {
      problems.append(
        diagnostic(
          at: node, "\(label()) has no `file`",
          fix: "add `file: PATH` relative to the repository root"))
      return nil
    }
    return path(fileNode, key: "\(label()).file")
  }

  func badPointer(_ node: YAMLNode, text: String, label: @autoclosure () -> String) -> Diagnostic {
    diagnostic(
      at: node, "\(label()): \(Diagnostic.quote(text)) is not a JSON Pointer",
      fix: "start it with '/', separate keys with '/', write '~0' for '~', '~1' for '/' and "
        + "'~2' for a leading '[', and select a list element by value as '[KEY=VALUE]'")
  }
}

/// The keys of a long-form source and their nodes, one slot per key: a long form is read for
/// every source of a large mapping, and a list or a table would be allocated for each.
struct SourceFields {
  /// The keys a long-form source writes, besides `optional`.
  enum Key: String, CaseIterable {
    case files, file, pointer, regex, group, value, hash
  }

  /// The keys of which a long-form source writes exactly one.
  static let forms: [Key] = [.files, .pointer, .regex, .value]

  private var files, file, pointer, regex, group, value, hash: YAMLNode?

  subscript(key: Key) -> YAMLNode? {
    get {
      switch key {
      case .files: files
      case .file: file
      case .pointer: pointer
      case .regex: regex
      case .group: group
      case .value: value
      case .hash: hash
      }
    }
    set {
      switch key {
      case .files: files = newValue
      case .file: file = newValue
      case .pointer: pointer = newValue
      case .regex: regex = newValue
      case .group: group = newValue
      case .value: value = newValue
      case .hash: hash = newValue
      }
    }
  }
}
