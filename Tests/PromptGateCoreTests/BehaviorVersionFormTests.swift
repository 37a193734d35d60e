import Testing

@testable import PromptGateCore

/// The canonical form written field by field must be the tuple serialised by ``CanonicalJSON``,
/// byte for byte: version ids must not change with how they are computed.
@Suite("BehaviorVersion canonical form")
struct BehaviorVersionFormTests {
  @Test("the direct form equals the serialised tuple, and defers to it when it cannot write one")
  func directFormMatchesSerialized() {
    let plain: [String?] = [nil, "", "gpt-4o", String(repeating: "ab", count: 32), "ünïcödé 🙂"]
    let escaped: [String?] = ["quote\"d", "back\\slash", "new\nline", "\u{01}", "tab\t"]
    let numbers: [Double?] = [
      nil, 0, -0.0, 0.2, 1, 1e21, 1e-7, 123_456.789, -3.5, .infinity, .nan, .leastNonzeroMagnitude,
    ]
    let tokens: [Int?] = [nil, 0, 1024, -1, Int(Int32.max), 1 << 60]
    var checked = 0
    var seed: UInt64 = 0x0BE4_A510
    func pick<Value>(_ values: [Value]) -> Value {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return values[Int(seed >> 33) % values.count]
    }
    // A text that needs escapes one time in twelve, so that most versions take the direct form.
    func text() -> String? { pick(Array(0..<12)) == 0 ? pick(escaped) : pick(plain) }
    for _ in 0..<2_000 {
      let version = BehaviorVersion(
        promptSha: text(), model: text(), toolSchemaSha: text(),
        retrievalPolicySha: text(), safetyPolicySha: text(),
        temperature: pick(numbers), maxOutputTokens: pick(tokens))
      if let direct = version.directForm {
        #expect(direct == version.serializedForm, "\(version)")
        checked += 1
      } else {
        #expect(version.canonicalForm == version.serializedForm)
      }
    }
    // Most draws need no escape, so the direct form is what they are compared by.
    #expect(checked > 500)
  }
}
