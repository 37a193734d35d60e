import PromptGateCore

/// The starter `promptgate.yaml` that `promptgate init` writes from a scan: a behavior per prompt
/// family, pointers to the settings found, eval sets for the datasets found, and a comment on
/// each guess saying why.
public struct StarterMapping: Sendable {
  /// The mapping's text.
  public let text: String
  /// The behaviors it declares.
  public let behaviors: [String]
  /// The eval sets it declares.
  public let evalSets: [String]

  /// The starter mapping for `scan`.
  public init(_ scan: RepositoryScan) {
    var lines = [
      "# promptgate.yaml, written by `promptgate init` from the files it found. Each behavior is",
      "# one prompt family with the settings that decide what the model does; the comments say what",
      "# was guessed and why. Check them, then run `promptgate check-config` and `promptgate version`.",
    ]
    var behaviors: [String] = []
    if scan.families.isEmpty {
      lines += [
        "# No prompt files were found (*.md, *.txt, *.jinja2, *.prompty, *.prompt under a prompts/",
        "# folder, or templates beside a flow.dag.yaml). Declare a behavior like this one:",
        "#   support-agent:",
        "#     prompt: [prompts/support/**/*.md]",
        "#     model: config/llm.yaml#/support/model",
        "behaviors: {}",
      ]
    } else {
      lines.append("behaviors:")
    }
    let sharedTools = scan.toolFiles.filter { file in
      !scan.families.contains { Self.mentions(file, $0.name) }
    }
    for family in scan.families {
      behaviors.append(family.name)
      lines.append("  \(family.name):")
      lines.append("    # prompt: \(family.reason)")
      lines.append(
        "    prompt: [\(family.patterns.map { Self.scalar($0, flow: true) }.joined(separator: ", "))]"
      )
      for kind in [RepositoryScan.Setting.Kind.model, .retrieval] {
        guard
          let (setting, why) = Self.choose(
            kind, for: family, in: scan.settings,
            others: scan.families.map(\.name).filter { $0 != family.name })
        else {
          continue
        }
        let key = kind == .model ? "model" : "retrievalPolicy"
        lines.append("    # \(key): \(why)")
        if let regex = setting.regex {
          lines.append(
            "    \(key): {file: \(Self.scalar(setting.file, flow: true)), regex: \(Self.quoted(regex))}"
          )
        } else {
          lines.append("    \(key): \(Self.scalar(setting.source, flow: false))")
        }
      }
      var decoding: [String] = []
      for kind in [RepositoryScan.Setting.Kind.temperature, .maxOutputTokens] {
        guard
          let (setting, why) = Self.choose(
            kind, for: family, in: scan.settings,
            others: scan.families.map(\.name).filter { $0 != family.name })
        else {
          continue
        }
        decoding.append("      # \(kind.rawValue): \(why)")
        decoding.append("      \(kind.rawValue): \(Self.scalar(setting.source, flow: false))")
      }
      if !decoding.isEmpty { lines += ["    decoding:"] + decoding }
      let tools = scan.toolFiles.filter { Self.mentions($0, family.name) } + sharedTools
      if !tools.isEmpty {
        lines.append(
          "    # toolSchema: JSON files with a tool's name and parameters, under a folder")
        lines.append(
          "    # named \(family.name) or in no behavior's folder; add new tool files here")
        lines.append("    toolSchema:")
        lines += tools.map { "      - \(Self.scalar($0, flow: false))" }
      }
      if !scan.safetyFiles.isEmpty {
        lines.append("    # safetyPolicy: files whose path says safety or guardrail")
        lines.append("    safetyPolicy:")
        lines += scan.safetyFiles.map { "      - \(Self.scalar($0, flow: false))" }
      }
    }
    var evalSets: [String] = []
    let usable = scan.datasets.filter { $0.problem == nil }
    if !usable.isEmpty {
      lines += [
        "# Eval sets for the datasets found, in the fast tier (the pre-commit hook and pull",
        "# requests) unless their name says release; move slow ones to `tier: release`. Add a",
        "# provider (docs/gate.md) so that `promptgate gate` can run them.",
        "evalSets:",
      ]
    }
    for dataset in usable {
      var name = Self.setName(dataset.path)
      while evalSets.contains(name) { name += "-2" }
      evalSets.append(name)
      lines.append("  \(name):")
      lines.append("    # cases: \(dataset.kind)")
      let slow = ["release", "regression", "full"].contains {
        dataset.path.lowercased().contains($0)
      }
      if slow { lines.append("    # tier: release, since its name says it is the slow, full set") }
      lines.append("    tier: \(slow ? "release" : "fast")")
      lines.append("    cases: \(Self.scalar(dataset.path, flow: false))")
      if let family = scan.families.first(where: { Self.mentions(dataset.path, $0.name) }) {
        lines.append("    # protects: its path names the behavior \(family.name)")
        lines.append("    protects: {\(family.name): all}")
      } else if let family = scan.families.first {
        let why =
          scan.families.count == 1
          ? "the only behavior"
          : "a guess, the first behavior: its path names none of them"
        lines.append("    # protects: \(why)")
        lines.append("    protects: {\(family.name): all}")
      }
    }
    for dataset in scan.datasets where dataset.problem != nil {
      lines.append(
        "# Found \(dataset.kind) at \(dataset.path), but it cannot be read as cases: "
          + "\(dataset.problem ?? ""). Convert it, then add it under evalSets.")
    }
    text = lines.joined(separator: "\n") + "\n"
    self.behaviors = behaviors
    self.evalSets = evalSets
  }

  /// The setting of `kind` for `family`, and why it was chosen.
  static func choose(
    _ kind: RepositoryScan.Setting.Kind, for family: RepositoryScan.Family,
    in settings: [RepositoryScan.Setting], others: [String]
  ) -> (RepositoryScan.Setting, String)? {
    var candidates = settings.filter { $0.kind == kind }
    if let flow = family.flowFile {
      let own = candidates.filter { $0.file == flow }
      if !own.isEmpty { candidates = own }
    }
    // A value under another behavior's name is that behavior's, never a guess for this one;
    // so is one in the front matter of another family's prompt file.
    candidates = candidates.filter { candidate in
      guard !candidate.inFrontMatter else { return family.covers(candidate.file) }
      return Self.mentions(candidate.file + candidate.pointer, family.name)
        || !others.contains { Self.mentions(candidate.file + candidate.pointer, $0) }
    }
    // The family's own prompt files carry their settings: those win over any config file.
    let own = candidates.filter(\.inFrontMatter)
    if let first = own.first {
      let more = own.count > 1 ? " (the first of \(own.count) prompt files that set it)" : ""
      return (
        first,
        "`\(first.key)` in the front matter of \(first.file), a prompt file of the family\(more)"
      )
    }
    guard let first = candidates.first else { return nil }
    let key = "`\(first.key)`"
    if let flow = family.flowFile, first.file == flow {
      let others = candidates.count > 1 ? " (the first of \(candidates.count) there)" : ""
      return (first, "\(key) in the flow's own \(flow)\(others)")
    }
    if let named = candidates.first(where: { Self.mentions($0.file + $0.pointer, family.name) }) {
      if named.regex != nil {
        return (named, "a model name assigned in code, in a file whose path names \(family.name)")
      }
      return (named, "the `\(named.key)` under a key or file named \(family.name)")
    }
    guard kind != .retrieval else { return nil }
    if candidates.count == 1 {
      return (first, "the only \(key) key found in the repository")
    }
    let others = candidates.dropFirst().prefix(3).map(\.source).joined(separator: ", ")
    return (first, "a guess, the first of \(candidates.count) found (also \(others))")
  }

  /// True when a path component, a key or a `[name=...]` selector of `text` is `name`.
  static func mentions(_ text: String, _ name: String) -> Bool {
    let parts = text.lowercased().split { "/#.=[]".contains($0) }.map(String.init)
    return parts.contains(name.lowercased())
  }

  /// An eval set's name from its dataset's path.
  static func setName(_ path: String) -> String {
    let parts = path.split(separator: "/").map(String.init)
    let file = parts.last ?? path
    let stem = file.split(separator: ".").first.map(String.init) ?? file
    if stem == "promptfooconfig", parts.count > 1 {
      return RepositoryScan.behaviorName(parts[parts.count - 2] + "-promptfoo")
    }
    let generic: Set<String> = ["evals", "eval", "tests", "test", "data", "datasets", "cases"]
    if parts.count > 1, !generic.contains(parts[parts.count - 2].lowercased()) {
      return RepositoryScan.behaviorName(parts[parts.count - 2] + "-" + stem)
    }
    return RepositoryScan.behaviorName(stem)
  }

  /// `text` single-quoted.
  static func quoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
  }

  /// `text` as a YAML scalar: plain when that reads back as the same string, else single-quoted.
  static func scalar(_ text: String, flow: Bool) -> String {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./#*-=~+")
      .union(flow ? [] : ["[", "]"])
    let plain =
      !text.isEmpty && text.allSatisfy { allowed.contains($0) }
      && (text.first.map { $0.isLetter || $0.isNumber || "_./".contains($0) } ?? false)
      && (try? YAMLLoader.load(text, file: "scalar")) == .string(text)
    return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
  }
}
