import Foundation
import PromptGateCore
import Testing

@Suite("BehaviorVersion(tuple:) is the inverse of tuple")
struct BehaviorVersionTupleTests {
  /// Versions with every field present, absent, and at awkward values.
  static let versions: [BehaviorVersion] = {
    let digests: [String?] = [nil, String(repeating: "ab", count: 32), ""]
    let models: [String?] = [nil, "gpt-4o", "ünïcode/model:latest"]
    let temperatures: [Double?] = [nil, 0, 0.2, 1.5e-7, 2]
    let tokens: [Int?] = [nil, 0, 1024, 1_000_000_000_000]
    var result: [BehaviorVersion] = []
    for (index, digest) in digests.enumerated() {
      for model in models {
        for temperature in temperatures {
          for count in tokens {
            result.append(
              BehaviorVersion(
                promptSha: digest, model: model, toolSchemaSha: digests[(index + 1) % 3],
                retrievalPolicySha: digests[(index + 2) % 3], safetyPolicySha: digest,
                temperature: temperature, maxOutputTokens: count))
          }
        }
      }
    }
    return result
  }()

  @Test("every version decodes from its own tuple, with the same id")
  func roundTrip() throws {
    for version in Self.versions {
      let decoded = try #require(BehaviorVersion(tuple: version.tuple))
      #expect(decoded == version)
      #expect(decoded.id == version.id)
    }
  }

  @Test("a tuple read back from JSON text (as a release tag stores it) decodes to the same id")
  func throughJSONText() throws {
    for version in Self.versions.prefix(40) {
      let text = try CanonicalJSON.serialize(version.tuple)
      let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
      #expect(BehaviorVersion(tuple: value)?.id == version.id)
    }
  }

  @Test("anything that is not exactly a tuple is refused, never decoded to another version")
  func refusesOthers() throws {
    let good = BehaviorVersion(promptSha: "a", model: "m", temperature: 0.2, maxOutputTokens: 8)
    guard case .object(let fields) = good.tuple, case .object(let decoding)? = fields["decoding"]
    else {
      Issue.record("the tuple is an object with a decoding object")
      return
    }
    var extra = fields
    extra["surprise"] = .string("x")
    var missing = fields
    missing["model"] = nil
    var wrongType = fields
    wrongType["model"] = .number(4)
    func withTokens(_ value: JSONValue) -> JSONValue {
      var inner = decoding
      inner["maxOutputTokens"] = value
      var outer = fields
      outer["decoding"] = .object(inner)
      return .object(outer)
    }
    for bad in [
      JSONValue.object(extra), .object(missing), .object(wrongType), .string("tuple"), .null,
      withTokens(.number(3.5)), withTokens(.number(1e300)), withTokens(.string("8")),
    ] {
      #expect(BehaviorVersion(tuple: bad) == nil, "\(bad)")
    }
  }
}
