import Foundation
import GitKit
import PromptGateCore

/// What `promptgate init` found in a working tree: prompt families, model settings in config
/// files, tool schemas, and eval datasets.
public struct RepositoryScan: Sendable {
  /// Prompt files that belong together: one folder of a prompts folder, a flat prompts folder,
  /// or a flow folder's templates.
  public struct Family: Sendable, Hashable {
    /// The behavior name it becomes.
    public var name: String
    /// Its patterns.
    public var patterns: [String]
    /// Why these files are one family.
    public var reason: String
    /// The flow file whose nodes hold this family's settings, for a flow folder.
    public var flowFile: String?
  }

  /// A model setting found in a YAML or JSON file.
  public struct Setting: Sendable, Hashable {
    /// What it sets.
    public enum Kind: String, Sendable, CaseIterable {
      case model, temperature, maxOutputTokens, retrieval
    }
    /// What it sets.
    public var kind: Kind
    /// The file.
    public var file: String
    /// The JSON Pointer, encoded.
    public var pointer: String
    /// The key that named it (`max_tokens`).
    public var key: String
    /// For a model set in code: the regex that captures it (then ``pointer`` is empty).
    public var regex: String? = nil
    /// True when it is in the front matter of a `.prompt` or `.prompty` file.
    public var inFrontMatter = false

    /// The source shorthand, `FILE#/POINTER`, or the file and regex.
    public var source: String { regex.map { "\(file) =~ \($0)" } ?? "\(file)#\(pointer)" }
  }

  /// An eval dataset: its path and what kind of file it is.
  public struct Dataset: Sendable, Hashable {
    /// The path.
    public var path: String
    /// "an Inspect dataset", "a promptfoo config", ...
    public var kind: String
    /// Why it cannot be used as it is, when it cannot.
    public var problem: String?
  }

  /// The prompt families, by name.
  public var families: [Family] = []
  /// Model, decoding and retrieval settings.
  public var settings: [Setting] = []
  /// Tool schema files.
  public var toolFiles: [String] = []
  /// Safety policy files.
  public var safetyFiles: [String] = []
  /// Eval datasets.
  public var datasets: [Dataset] = []

  static let promptExtensions: Set<String> = [
    "md", "txt", "jinja2", "jinja", "j2", "prompty", "prompt", "tmpl", "mustache",
  ]
  static let promptFolders: Set<String> = [
    "prompts", "prompt", "preprompts", "prompt_templates", "prompt-templates", "templates",
  ]
  static let skippedFolders: Set<String> = [
    "node_modules", "venv", "__pycache__", "dist", "build", "site-packages", "vendor",
  ]
  static let settingKeys: [String: Setting.Kind] = [
    "model": .model, "model_name": .model, "modelName": .model, "deployment_name": .model,
    "temperature": .temperature, "max_tokens": .maxOutputTokens,
    "max_output_tokens": .maxOutputTokens, "maxOutputTokens": .maxOutputTokens,
    "max_new_tokens": .maxOutputTokens, "max_completion_tokens": .maxOutputTokens,
    "maxTokens": .maxOutputTokens, "retrieval": .retrieval, "retriever": .retrieval,
  ]
  static let codeExtensions: Set<String> = ["py", "ts", "js", "mjs", "rb", "go"]
  static let modelVariables: Set<String> = [
    "MODEL", "MODEL_NAME", "DEFAULT_MODEL", "LLM_MODEL", "model", "model_name",
  ]

  /// A model name assigned to a constant in code (`MODEL = "gpt-4o"`), as a regex that matches
  /// the file exactly once.
  static func modelInCode(_ bytes: [UInt8], file: String) -> Setting? {
    let text = String(decoding: bytes, as: UTF8.self)
    guard
      let line = try? NSRegularExpression(
        pattern:
          #"^([ \t]*(?:const |let |var )?([A-Za-z_]+)[ \t]*(?::[ \t]*\w+[ \t]*)?=[ \t]*)(["'])([^"'{}$\n]+)(["'])[ \t]*;?$"#,
        options: [.anchorsMatchLines])
    else { return nil }
    let range = NSRange(text.startIndex..., in: text)
    let found = line.matches(in: text, range: range).filter { match in
      Range(match.range(at: 2), in: text).map { modelVariables.contains(String(text[$0])) } ?? false
    }
    guard found.count == 1, let match = found.first,
      let prefix = Range(match.range(at: 1), in: text),
      let quote = Range(match.range(at: 3), in: text)
    else { return nil }
    let mark = String(text[quote])
    let pattern =
      "^" + NSRegularExpression.escapedPattern(for: String(text[prefix])) + mark + "([^" + mark
      + "]+)" + mark
    guard let check = try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines]),
      check.numberOfMatches(in: text, range: range) == 1
    else { return nil }
    return Setting(kind: .model, file: file, pointer: "", key: "MODEL", regex: pattern)
  }

  /// Files larger than this are not read for settings.
  static let largestDataFile = 512 * 1024

  /// Scans `snapshot` (the working tree, as `git add -A` would stage it).
  public static func scan(_ snapshot: WorkTreeSnapshot) throws -> RepositoryScan {
    let entries = try snapshot.files(under: "").filter { entry in
      let parts = entry.path.split(separator: "/")
      return (entry.mode == .regular || entry.mode == .executable)
        && !parts.contains { $0.hasPrefix(".") || skippedFolders.contains(String($0)) }
        && entry.path != MappingParser.fileName
    }
    let paths = entries.map(\.path)
    var scan = RepositoryScan()
    scan.families = families(paths)
    let promptFiles = Set(
      paths.filter { path in scan.families.contains { family in family.covers(path) } })
    for entry in entries where promptFiles.contains(entry.path) {
      guard FrontMatter.isPromptFile(entry.path) else { continue }
      let bytes = try snapshot.contents(of: entry)
      // A prompt file whose front matter does not parse is left to `check-config` to report.
      guard bytes.count <= largestDataFile,
        let value = try? FrontMatter.parse(bytes, file: entry.path)
      else { continue }
      scan.settings += frontMatterSettings(value, file: entry.path)
    }
    for entry in entries where !promptFiles.contains(entry.path) {
      let path = entry.path
      let lower = path.lowercased()
      let name = (lower as NSString).lastPathComponent
      let ext = (name as NSString).pathExtension
      let isData = ["yaml", "yml", "json", "jsonl"].contains(ext)
      if codeExtensions.contains(ext) {
        let bytes = try snapshot.contents(of: entry)
        if bytes.count <= largestDataFile, let setting = modelInCode(bytes, file: path) {
          scan.settings.append(setting)
        }
        continue
      }
      if (lower.contains("safety") || lower.contains("guardrail"))
        && ["md", "txt", "yaml", "yml"].contains(ext)
      {
        scan.safetyFiles.append(path)
        continue
      }
      guard isData else { continue }
      let bytes = try snapshot.contents(of: entry)
      guard bytes.count <= largestDataFile else { continue }
      if name.hasPrefix("promptfooconfig.") {
        scan.datasets.append(dataset(path, bytes, kind: "a promptfoo config"))
        continue
      }
      if ext == "jsonl" {
        if let kind = caseKind(bytes) { scan.datasets.append(dataset(path, bytes, kind: kind)) }
        continue
      }
      let value: JSONValue
      do {
        value =
          ext == "json"
          ? try JSONFile.parse(bytes, file: path)
          : try YAMLLoader.load(String(decoding: bytes, as: UTF8.self), file: path)
      } catch {
        continue
      }
      if ext == "json", isToolSchema(value) {
        scan.toolFiles.append(path)
        continue
      }
      collect(value, file: path, pointer: "", into: &scan.settings)
      // A retrieval config: each top-level section is a candidate retrieval policy.
      if name.contains("retriev"), case .object(let sections) = value {
        for (key, section) in sections.sorted(by: { $0.key < $1.key }) {
          if case .object = section {
            scan.settings.append(
              Setting(kind: .retrieval, file: path, pointer: "/" + escape(key), key: key))
          }
        }
      }
    }
    return scan
  }

  // MARK: Prompt families

  static func families(_ paths: [String]) -> [Family] {
    var grouped: [String: (patterns: Set<String>, reason: String, flow: String?)] = [:]
    let flows = Set(
      paths.filter { $0 == "flow.dag.yaml" || $0.hasSuffix("/flow.dag.yaml") }.map {
        ($0 as NSString).deletingLastPathComponent
      })
    for path in paths {
      let parts = path.split(separator: "/").map(String.init)
      let name = parts.last ?? path
      let ext = (name as NSString).pathExtension.lowercased()
      guard !name.lowercased().hasPrefix("readme") else { continue }
      let folder = parts.dropLast().joined(separator: "/")
      if flows.contains(folder), ["jinja2", "jinja", "j2", "md", "txt"].contains(ext) {
        let family = folder.isEmpty ? "flow" : (folder as NSString).lastPathComponent
        let prefix = folder.isEmpty ? "" : folder + "/"
        grouped[family, default: ([], "", nil)].patterns.insert("\(prefix)*.\(ext)")
        grouped[family]?.reason = "the templates beside \(prefix)flow.dag.yaml, a flow"
        grouped[family]?.flow = prefix + "flow.dag.yaml"
        continue
      }
      guard
        let rootIndex = parts.dropLast().lastIndex(where: {
          promptFolders.contains($0.lowercased())
        })
      else { continue }
      let isPreprompt = parts[rootIndex].lowercased() == "preprompts"
      guard promptExtensions.contains(ext) || (isPreprompt && ext.isEmpty) else { continue }
      let root = parts[...rootIndex].joined(separator: "/")
      let pattern = ext.isEmpty ? "*" : "*.\(ext)"
      if rootIndex + 1 < parts.count - 1 {
        let sub = parts[rootIndex + 1]
        grouped[sub, default: ([], "", nil)].patterns.insert("\(root)/\(sub)/**/\(pattern)")
        grouped[sub]?.reason = "the files under \(root)/\(sub)/, one family per folder of \(root)/"
      } else {
        let family =
          rootIndex > 0 ? parts[rootIndex - 1] : parts[rootIndex]
        grouped[family, default: ([], "", nil)].patterns.insert("\(root)/\(pattern)")
        grouped[family]?.reason = "the files directly in \(root)/"
      }
    }
    var used: Set<String> = []
    return grouped.sorted { $0.key < $1.key }.map { key, value in
      var name = behaviorName(key)
      while used.contains(name) { name += "-2" }
      used.insert(name)
      return Family(
        name: name, patterns: value.patterns.sorted(), reason: value.reason, flowFile: value.flow)
    }
  }

  /// `text` as a valid behavior name: letters, digits, '.', '_' and '-'.
  static func behaviorName(_ text: String) -> String {
    var name = String(
      text.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "-" })
    while let first = name.first, !(first.isLetter || first.isNumber) { name.removeFirst() }
    name = name.replacingOccurrences(of: "..", with: ".")
    if name.hasSuffix(".lock") { name = String(name.dropLast(5)) }
    return name.isEmpty ? "prompt" : name
  }

  // MARK: Data files

  static func collect(
    _ value: JSONValue, file: String, pointer: String, into settings: inout [Setting]
  ) {
    switch value {
    case .object(let members):
      // A flow's retrieval node: its inputs are the retrieval policy.
      if case .string(let name)? = members["name"], name.lowercased().contains("retriev"),
        case .object(let inputs)? = members["inputs"], !inputs.isEmpty
      {
        settings.append(
          Setting(kind: .retrieval, file: file, pointer: pointer + "/inputs", key: "inputs"))
      }
      for (key, member) in members.sorted(by: { $0.key < $1.key }) {
        let step = pointer + "/" + escape(key)
        if let kind = settingKeys[key], fits(member, kind) {
          settings.append(Setting(kind: kind, file: file, pointer: step, key: key))
        } else {
          collect(member, file: file, pointer: step, into: &settings)
        }
      }
    case .array(let items):
      let names = items.map { item -> String? in
        if case .object(let members) = item, case .string(let name)? = members["name"] {
          return name
        }
        return nil
      }
      for (index, item) in items.enumerated() {
        var step = pointer + "/\(index)"
        if let name = names[index], names.filter({ $0 == name }).count == 1,
          !name.contains("]"), !name.contains("/"), !name.contains("~")
        {
          step = pointer + "/[name=\(name)]"
        }
        collect(item, file: file, pointer: step, into: &settings)
      }
    default: break
    }
  }

  static func fits(_ value: JSONValue, _ kind: Setting.Kind) -> Bool {
    switch (kind, value) {
    case (.model, .string(let name)): return !name.isEmpty && !name.contains("{")
    case (.temperature, .number(let number)): return number.isFinite
    case (.maxOutputTokens, .number(let number)): return number >= 0 && number.rounded() == number
    case (.retrieval, .object(let members)): return !members.isEmpty
    default: return false
    }
  }

  static func escape(_ key: String) -> String {
    let escaped = key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(
      of: "/", with: "~1")
    return escaped.hasPrefix("[") ? "~2" + escaped.dropFirst() : escaped
  }

  /// A tool definition: `{name, parameters}`, `{type: function, function: {...}}`,
  /// `{name, input_schema}`, or a list of them.
  static func isToolSchema(_ value: JSONValue) -> Bool {
    switch value {
    case .array(let items): return !items.isEmpty && items.allSatisfy(isToolSchema)
    case .object(let members):
      if case .object? = members["function"] { return true }
      guard case .string? = members["name"] else { return false }
      if case .object? = members["parameters"] { return true }
      if case .object? = members["input_schema"] { return true }
      return false
    default: return false
    }
  }

  /// "an Inspect dataset" or "cases" when the first line of JSON lines is a case.
  static func caseKind(_ bytes: [UInt8]) -> String? {
    let text = String(decoding: bytes.prefix(64 * 1024), as: UTF8.self)
    guard
      let line = text.split(separator: "\n").first(where: {
        !$0.trimmingCharacters(in: .whitespaces).isEmpty
      }),
      case .object(let members)? = try? JSONFile.parse(Array(line.utf8), file: "line")
    else { return nil }
    if members["input"] != nil { return "an Inspect dataset (JSON lines with input and target)" }
    if members["vars"] != nil || members["assert"] != nil {
      return "cases (JSON lines with vars and assert)"
    }
    return nil
  }

  static func dataset(_ path: String, _ bytes: [UInt8], kind: String) -> Dataset {
    do {
      _ = try CaseFile.parse(bytes, file: path)
      return Dataset(path: path, kind: kind)
    } catch {
      let first = error.items.first.map { $0.message } ?? "it does not parse"
      return Dataset(path: path, kind: kind, problem: first)
    }
  }
}

extension RepositoryScan.Family {
  /// True when one of the family's patterns matches `path`.
  func covers(_ path: String) -> Bool {
    patterns.contains { pattern in (try? Glob(pattern))?.matches(path) == true }
  }
}
