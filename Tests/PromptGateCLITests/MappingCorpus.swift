import Foundation
import PromptGateCore
import TestSupport

/// The mapping files this repository shows: in the docs, in the example project, and written
/// out literally in the tests.
enum MappingCorpus {
  /// A mapping found somewhere, and where.
  struct Entry {
    let origin: String
    let text: String
  }

  static let topLevelKeys = Set(
    MappingParser.keyTables.first { $0.place == "the top level" }?.keys ?? [])

  /// True when `text` is YAML whose top-level keys are all mapping keys, one of them
  /// `behaviors` or `evalSets` (a mapping, or a fragment of one).
  static func isMapping(_ text: String) -> Bool {
    guard let value = try? YAMLLoader.load(text, file: "corpus"), case .object(let members) = value,
      !members.isEmpty
    else { return false }
    return Set(members.keys).isSubset(of: topLevelKeys)
      && (members["behaviors"] != nil || members["evalSets"] != nil)
  }

  /// Every ```yaml block of README.md and docs/*.md that is a mapping or a fragment of one.
  static func docs() throws -> [Entry] {
    let files =
      ["README.md"]
      + (try FileManager.default.contentsOfDirectory(atPath: PackageFiles.path("docs")))
      .filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
    var entries: [Entry] = []
    for file in files {
      let text = try String(contentsOfFile: PackageFiles.path(file), encoding: .utf8)
      var block: [String]?
      var start = 0
      for (number, line) in text.components(separatedBy: "\n").enumerated() {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if block == nil, trimmed == "```yaml" {
          block = []
          start = number + 1
        } else if let lines = block, trimmed == "```" {
          let indent = line.prefix { $0 == " " }.count
          let body = lines.map { String($0.dropFirst(min(indent, $0.prefix { $0 == " " }.count))) }
            .joined(separator: "\n")
          if isMapping(body) { entries.append(Entry(origin: "\(file):\(start)", text: body)) }
          block = nil
        } else if block != nil {
          block?.append(line)
        }
      }
    }
    return entries
  }

  /// Every promptgate.yaml under examples/.
  static func examples() throws -> [Entry] {
    let root = PackageFiles.path("examples")
    let found = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
    return try found.filter { $0.hasSuffix("promptgate.yaml") && !$0.hasPrefix("demo/") }.sorted()
      .map {
        Entry(
          origin: "examples/\($0)",
          text: try String(contentsOfFile: root + "/" + $0, encoding: .utf8))
      }
  }

  /// Every multi-line string literal in Tests/ without interpolation that is a mapping.
  static func tests() throws -> [Entry] {
    let root = PackageFiles.path("Tests")
    let found = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
    var entries: [Entry] = []
    for file in found.filter({ $0.hasSuffix(".swift") }).sorted() {
      let lines = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
        .components(separatedBy: "\n")
      var body: [String]?
      var start = 0
      for (number, line) in lines.enumerated() {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if body == nil, line.hasSuffix("\"\"\""), !trimmed.hasPrefix("\"\"\"") {
          body = []
          start = number + 1
        } else if let collected = body, trimmed.hasPrefix("\"\"\"") {
          let indent = line.prefix { $0 == " " }.count
          let text = collected.map { String($0.dropFirst(indent)) }.joined(separator: "\n") + "\n"
          if !text.contains("\\"), isMapping(text) {
            entries.append(Entry(origin: "Tests/\(file):\(start)", text: text))
          }
          body = nil
        } else if body != nil {
          body?.append(line)
        }
      }
    }
    return entries
  }
}
