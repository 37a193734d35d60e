import Foundation
import PromptGateCore

/// Mappings made from the schema's own places: each place's examples in a mapping that is valid
/// around them, and each key given a value of the wrong shape, and each place an unknown key.
enum MappingSchemaProbes {
  /// A mapping that is valid on its own, with a value at every place a probe goes.
  static let base: JSONValue = .object([
    "behaviors": .object([
      "support-agent": .object([
        "model": .string("gpt-4o"), "prompt": .array([.string("prompts/**/*.md")]),
      ])
    ]),
    "providers": .object([
      "harness": .object([
        "type": .string("exec"),
        "command": .array([.string("python3"), .string("evals/harness.py")]),
      ])
    ]),
    "evalSets": .object([
      "support-smoke": .object([
        "tier": .string("fast"), "cases": .string("evals/smoke.jsonl"),
        "protects": .object(["support-agent": .string("all")]),
      ])
    ]),
  ])

  /// Where each place is in ``base``, and what it holds before a probe adds a key.
  static let hosts: [String: (path: [String], holds: JSONValue)] = [
    "the top level": ([], base),
    "behaviors.NAME": (
      ["behaviors", "support-agent"], .object(["model": .string("gpt-4o")])
    ),
    "behaviors.NAME.decoding": (
      ["behaviors", "support-agent", "decoding"], .object(["temperature": .number(0.2)])
    ),
    "a long-form source": (
      ["behaviors", "support-agent", "prompt"],
      .object(["files": .array([.string("prompts/**/*.md")])])
    ),
    "messages": (
      ["behaviors", "support-agent", "messages"], .object(["user": .string("{{question}}")])
    ),
    "evalSets.NAME": (
      ["evalSets", "support-smoke"],
      .object([
        "tier": .string("fast"), "cases": .string("evals/smoke.jsonl"),
        "protects": .object(["support-agent": .string("all")]),
      ])
    ),
    "evalSets.NAME.budgets": (
      ["evalSets", "support-smoke", "budgets"], .object(["refusalRate": .number(0.05)])
    ),
    "evalSets.NAME.judge": (
      ["evalSets", "support-smoke", "judge"], .object(["provider": .string("harness")])
    ),
    "providers.NAME": (
      ["providers", "harness"],
      .object(["type": .string("exec"), "command": .array([.string("python3")])])
    ),
    "prices.MODEL": (["prices", "gpt-4o"], .object(["input": .number(1)])),
    "limits": (["limits"], .object(["maxCalls": .number(5)])),
    "hook": (["hook"], .object(["timeout": .number(5)])),
    "telemetry": (["telemetry"], .object(["files": .array([.string("telemetry/*.jsonl")])])),
    "telemetry.clickhouse": (
      ["telemetry", "clickhouse"], .object(["url": .string("http://127.0.0.1:8123")])
    ),
  ]

  /// A mapping with a name and what it shows.
  struct Probe {
    let name: String
    let mapping: JSONValue
    let what: String
  }

  /// ``base`` with `value` at `path`.
  static func setting(_ value: JSONValue, at path: [String], in document: JSONValue = base)
    -> JSONValue
  {
    guard let first = path.first else { return value }
    var members: [String: JSONValue] = [:]
    if case .object(let existing) = document { members = existing }
    members[first] = setting(value, at: Array(path.dropFirst()), in: members[first] ?? .null)
    return .object(members)
  }

  /// Each example of each place, where it goes in ``base``.
  static func examples() -> [Probe] {
    var probes: [Probe] = []
    for place in MappingSchema.places {
      guard let host = hosts[place.name] else { continue }
      for (index, example) in place.examples.enumerated() {
        probes.append(
          Probe(
            name: "example-\(slug(place.name))-\(index)",
            mapping: setting(example, at: host.path),
            what: "example \(index + 1) of \(place.name)"))
      }
    }
    return probes
  }

  /// Values of the wrong shape for a key of `type`.
  static func wrongValues(for type: MappingSchema.KeyType) -> [JSONValue] {
    switch type {
    case .text: return [.object(["a": .number(1)]), .null]
    case .texts: return [.string("x")]
    case .flag: return [.string("yes")]
    case .integer(let range):
      return [
        .string("many"), .number(Double(range.upperBound) + 1),
        .number(Double(range.lowerBound) - 1),
      ]
    case .number(let range):
      var values: [JSONValue] = [.string("lots"), .number(range.minimum - 1)]
      if let maximum = range.maximum { values.append(.number(maximum + 1)) }
      return values
    case .choice: return [.string("sometimes")]
    case .place: return [.string("x")]
    case .named: return [.array([.string("x")])]
    case .patterns: return [.object(["a": .number(1)]), .array([])]
    case .source(let component):
      switch component.kind {
      case .digest: return [.number(5), .array([])]
      case .name: return [.array([.string("gpt-4o")]), .null]
      case .number: return [.string("hot"), .bool(true)]
      case .count: return [.number(-1), .number(2.5), .string("many")]
      }
    case .protects: return [.string("all")]
    case .anyValue: return []
    }
  }

  /// Each key with each wrong value, and each place with an unknown key.
  static func shapeErrors() -> [Probe] {
    var probes: [Probe] = []
    for place in MappingSchema.places {
      guard let host = hosts[place.name], case .object(let holds) = host.holds else { continue }
      var unknown = holds
      unknown["zzUnknownKey"] = .number(1)
      probes.append(
        Probe(
          name: "unknown-\(slug(place.name))",
          mapping: setting(.object(unknown), at: host.path),
          what: "an unknown key at \(place.name)"))
      for key in place.keys {
        for (index, value) in wrongValues(for: key.type).enumerated() {
          var members = holds
          members[key.name] = value
          probes.append(
            Probe(
              name: "wrong-\(slug(place.name))-\(key.name)-\(index)",
              mapping: setting(.object(members), at: host.path),
              what: "\(key.name) at \(place.name) set to \(value)"))
        }
      }
    }
    return probes
  }

  static func slug(_ text: String) -> String {
    String(text.map { $0.isLetter || $0.isNumber ? $0 : "_" })
  }
}
