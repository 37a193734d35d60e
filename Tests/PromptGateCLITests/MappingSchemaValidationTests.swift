import Foundation
import PromptGateCore
import TestSupport
import Testing

/// check-jsonschema (from PyPI) with schema/promptgate.schema.json agrees with the parser: every
/// mapping the docs, the example and the tests use validates, and what the parser rejects for
/// its shape the schema rejects too.
@Suite("Mapping schema validation")
struct MappingSchemaValidationTests {
  /// The files check-jsonschema found errors in, by file name, for one run over `files`.
  static func failures(_ files: [String: String]) throws -> [String: [String]] {
    let scratch = try TemporaryRepository()
    for (name, text) in files { try scratch.write(name, text) }
    let result = try TestTools.run(
      "check-jsonschema",
      ["--schemafile", PackageFiles.path("schema/promptgate.schema.json"), "-o", "json"]
        + files.keys.sorted(),
      in: scratch.path)
    let data = Data(result.stdout.utf8)
    guard let report = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw CommandError("check-jsonschema printed no JSON report: \(result)")
    }
    var failed: [String: [String]] = [:]
    for key in ["errors", "parse_errors"] {
      for error in report[key] as? [[String: Any]] ?? [] {
        let file = error["filename"] as? String ?? "?"
        let message = "\(error["path"] ?? ""): \(error["message"] ?? error)"
        failed[file, default: []].append(message)
      }
    }
    return failed
  }

  static func json(_ value: JSONValue) throws -> String {
    try CanonicalJSON.pretty(value) + "\n"
  }

  static func rejects(_ text: String) -> [Diagnostic]? {
    do {
      _ = try MappingParser.parse(text, file: "promptgate.yaml")
      return nil
    } catch {
      return error.items
    }
  }

  @Test("the schema is a valid draft 2020-12 schema")
  func metaschema() throws {
    let result = try TestTools.run(
      "check-jsonschema", ["--check-metaschema", "schema/promptgate.schema.json"],
      in: PackageFiles.root)
    #expect(result.exitCode == 0, "\(result)")
  }

  @Test("every mapping in the docs, the example and the tests validates")
  func corpusValidates() throws {
    let docs = try MappingCorpus.docs()
    let examples = try MappingCorpus.examples()
    let tests = try MappingCorpus.tests()
    // Enough found that a broken scan cannot pass by finding nothing.
    #expect(docs.count >= 3, "docs: \(docs.map(\.origin))")
    #expect(examples.count >= 1)
    #expect(tests.count >= 20, "tests: \(tests.count)")
    var files: [String: String] = [:]
    var origins: [String: String] = [:]
    for (index, entry) in (docs + examples).enumerated() {
      var text = entry.text
      // A fragment (providers and eval sets, say) is checked inside a mapping.
      if !text.contains("behaviors:") { text = "behaviors: {}\n" + text }
      files["docs-\(index).yaml"] = text
      origins["docs-\(index).yaml"] = entry.origin
    }
    var parsed = 0
    for (index, entry) in tests.enumerated() where Self.rejects(entry.text) == nil {
      files["test-\(index).yaml"] = entry.text
      origins["test-\(index).yaml"] = entry.origin
      parsed += 1
    }
    #expect(parsed >= 10)
    let failed = try Self.failures(files)
    for (file, messages) in failed.sorted(by: { $0.key < $1.key }) {
      Issue.record(
        "\(origins[file] ?? file) does not validate:\n\(messages.joined(separator: "\n"))\n\(files[file] ?? "")"
      )
    }
  }

  @Test("each place's examples are accepted by the parser and the schema")
  func examplesValidate() throws {
    let probes = MappingSchemaProbes.examples()
    #expect(probes.count >= MappingSchema.places.count)
    var files: [String: String] = [:]
    for probe in probes {
      let text = try Self.json(probe.mapping)
      if let problems = Self.rejects(text) {
        Issue.record("the parser rejects \(probe.what):\n\(problems)\n\(text)")
      }
      files[probe.name + ".json"] = text
    }
    for (file, messages) in try Self.failures(files) {
      Issue.record("the schema rejects \(file):\n\(messages.joined(separator: "\n"))")
    }
  }

  @Test("what the parser rejects for shape, the schema rejects: unknown keys, wrong types, ranges")
  func shapeErrorsAreRejected() throws {
    for place in MappingSchema.places where MappingSchemaProbes.hosts[place.name] == nil {
      Issue.record(
        "place '\(place.name)' has no host in MappingSchemaProbes.hosts: add where it sits in a valid mapping"
      )
    }
    let probes = MappingSchemaProbes.shapeErrors() + Self.handWritten
    #expect(probes.count > 100)
    var files: [String: String] = [:]
    var whats: [String: String] = [:]
    for probe in probes {
      let text = try Self.json(probe.mapping)
      guard Self.rejects(text) != nil else {
        Issue.record("the parser accepts \(probe.what); the probe is wrong:\n\(text)")
        continue
      }
      files[probe.name + ".json"] = text
      whats[probe.name + ".json"] = probe.what
    }
    let failed = try Self.failures(files)
    for file in files.keys.sorted() where failed[file] == nil {
      Issue.record(
        "the parser rejects \(whats[file] ?? file), the schema accepts it:\n\(files[file] ?? "")")
    }
  }

  @Test("the tests' mappings the parser rejects for an unknown key or a type, the schema rejects")
  func rejectedTestMappings() throws {
    var files: [String: String] = [:]
    var origins: [String: String] = [:]
    for (index, entry) in try MappingCorpus.tests().enumerated() {
      guard let problems = Self.rejects(entry.text),
        problems.allSatisfy({ Self.isShape($0.message) })
      else { continue }
      files["rejected-\(index).yaml"] = entry.text
      origins["rejected-\(index).yaml"] = entry.origin
    }
    #expect(files.count >= 2, "\(origins.values.sorted())")
    let failed = try Self.failures(files)
    for file in files.keys.sorted() where failed[file] == nil {
      Issue.record(
        "the parser rejects \(origins[file] ?? file) for its shape, the schema accepts it:\n\(files[file] ?? "")"
      )
    }
  }

  /// A problem with the file's shape: a key, a type or a range, not a reference between keys.
  static func isShape(_ message: String) -> Bool {
    [
      "unknown key", "must be a mapping", "must be a string", "must be a list", "must be true",
      "must be a whole number", "must be a number", "is not a valid behavior name",
      "is not a valid eval set name", "is not a component",
    ]
    .contains { message.contains($0) }
  }

  /// Shapes across keys: a source's forms, required keys, names.
  static let handWritten: [MappingSchemaProbes.Probe] = {
    let base = MappingSchemaProbes.base
    let set = MappingSchemaProbes.setting
    let prompt = ["behaviors", "support-agent", "prompt"]
    let files: JSONValue = .array([.string("prompts/*.md")])
    return [
      .init(
        name: "source-two-forms",
        mapping: set(.object(["files": files, "value": .string("x")]), prompt, base),
        what: "a source with files and value"),
      .init(
        name: "source-pointer-regex",
        mapping: set(
          .object(["file": .string("a.yaml"), "pointer": .string("/a"), "regex": .string("a")]),
          prompt, base),
        what: "a source with pointer and regex"),
      .init(
        name: "source-no-form",
        mapping: set(.object(["optional": .bool(true)]), prompt, base),
        what: "a source with no form"),
      .init(
        name: "source-pointer-no-file",
        mapping: set(.object(["pointer": .string("/a")]), prompt, base),
        what: "a pointer without file"),
      .init(
        name: "model-files",
        mapping: set(.object(["files": files]), ["behaviors", "support-agent", "model"], base),
        what: "a model given as files"),
      .init(
        name: "exec-no-command",
        mapping: set(.object(["type": .string("exec")]), ["providers", "harness"], base),
        what: "an exec provider without a command"),
      .init(
        name: "messages-no-user",
        mapping: set(
          .object(["system": .string("a.md")]), ["behaviors", "support-agent", "messages"], base),
        what: "messages without user"),
      .init(
        name: "judge-no-provider",
        mapping: set(
          .object(["model": .string("m")]), ["evalSets", "support-smoke", "judge"], base),
        what: "a judge without a provider"),
      .init(
        name: "set-no-tier",
        mapping: set(
          .object(["cases": .string("c.jsonl")]), ["evalSets", "support-smoke"], base),
        what: "an eval set without a tier"),
      .init(
        name: "no-behaviors", mapping: .object(["global": .array([.string("a")])]),
        what: "a mapping without behaviors"),
      .init(
        name: "bad-behavior-name",
        mapping: .object([
          "behaviors": .object(["-agent": .object(["model": .string("m")])])
        ]),
        what: "a behavior name starting with '-'"),
      .init(
        name: "bad-set-name",
        mapping: set(
          .object(["tier": .string("fast"), "cases": .string("c.jsonl")]),
          ["evalSets", "a..b"], base),
        what: "an eval set name with '..'"),
      .init(
        name: "bad-protects-component",
        mapping: set(
          .array([.string("promt")]), ["evalSets", "support-smoke", "protects", "support-agent"],
          base),
        what: "protects naming 'promt'"),
    ]
  }()
}
