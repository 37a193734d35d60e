import Foundation
import PromptGateCore
import TestSupport
import Testing

/// The JSON Schema of promptgate.yaml says what the parser reads: the same keys at the same
/// places, examples the parser accepts, and a committed copy that is the generated one.
@Suite("Mapping schema")
struct MappingSchemaTests {
  static let regenerate =
    "run `swift run promptgate-schema > schema/promptgate.schema.json` (or `make schema`)"

  @Test("every place has the keys the parser reads there, and no other")
  func keysMatchTheParser() {
    let parser = Dictionary(MappingParser.keyTables.map { ($0.place, Set($0.keys)) }) {
      $0.union($1)
    }
    let schema = Dictionary(MappingSchema.places.map { ($0.name, Set($0.keys.map(\.name))) }) {
      $0.union($1)
    }
    var problems: [String] = []
    for place in Set(parser.keys).union(schema.keys).sorted() {
      guard let parsed = parser[place] else {
        problems.append(
          "place '\(place)' is in MappingSchema.places but not in MappingParser.keyTables: "
            + "add the parser's table for it to MappingParser+Keys.swift")
        continue
      }
      guard let described = schema[place] else {
        problems.append(
          "place '\(place)' is in MappingParser.keyTables but the schema has no place for it: "
            + "add a Place to MappingSchema+Places.swift")
        continue
      }
      for key in parsed.subtracting(described).sorted() {
        problems.append(
          "key '\(key)' at \(place): the parser reads it, the schema does not describe it; add "
            + "a Key to that place in MappingSchema+Places.swift and use it in an example")
      }
      for key in described.subtracting(parsed).sorted() {
        problems.append(
          "key '\(key)' at \(place): the schema describes it, the parser does not read it; "
            + "remove it from MappingSchema+Places.swift or teach the parser")
      }
    }
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))\nthen \(Self.regenerate)")
  }

  @Test("every key appears in an example of its place, so editors can show one")
  func examplesCoverEveryKey() {
    var missing: [String] = []
    for place in MappingSchema.places {
      for key in place.keys where MappingSchema.example(of: key.name, in: place) == nil {
        missing.append("key '\(key.name)' at \(place.name) is in no example of its place")
      }
    }
    #expect(missing.isEmpty, "\(missing.joined(separator: "\n"))")
  }

  @Test("every key and every place has a description")
  func descriptions() {
    for place in MappingSchema.places {
      #expect(!place.description.isEmpty, "\(place.name)")
      for key in place.keys {
        #expect(key.description.count > 10, "\(key.name) at \(place.name)")
      }
    }
  }

  @Test("schema/promptgate.schema.json is the generated schema")
  func committedCopyIsCurrent() throws {
    let committed = try String(
      contentsOfFile: PackageFiles.path("schema/promptgate.schema.json"), encoding: .utf8)
    #expect(
      committed == (try MappingSchema.text()),
      "schema/promptgate.schema.json is out of date: \(Self.regenerate)")
  }

  @Test("the schema declares draft 2020-12 and requires behaviors at the top level")
  func documentShape() throws {
    guard case .object(let root) = MappingSchema.document() else {
      Issue.record("the schema is not an object")
      return
    }
    #expect(root["$schema"] == .string("https://json-schema.org/draft/2020-12/schema"))
    #expect(root["required"] == .array([.string("behaviors")]))
    #expect(root["additionalProperties"] == .bool(false))
    guard case .object(let definitions) = root["$defs"] else {
      Issue.record("no $defs")
      return
    }
    for place in MappingSchema.places {
      if let name = place.definition { #expect(definitions[name] != nil, "\(name)") }
    }
  }
}
