import PromptGateCore
import TestSupport
import Testing

@Suite("BehaviorVersion and BehaviorID")
struct BehaviorVersionTests {
  static let emptyForm =
    #"{"decoding":{"maxOutputTokens":null,"temperature":null},"model":null,"promptSha":null,"#
    + #""retrievalPolicySha":null,"safetyPolicySha":null,"schema":1,"toolSchemaSha":null}"#

  @Test("the canonical form has every key, null when absent")
  func emptyCanonicalForm() {
    #expect(BehaviorVersion().canonicalForm == Self.emptyForm)
  }

  @Test("the id is pgv1- and the SHA-256 of the canonical form, computed independently")
  func golden() throws {
    let prompt = String(repeating: "ab", count: 32)
    let version = BehaviorVersion(
      promptSha: prompt, model: "gpt-4o", safetyPolicySha: String(repeating: "0", count: 64),
      temperature: 0.2, maxOutputTokens: 1024)
    let handWritten =
      #"{"decoding":{"maxOutputTokens":1024,"temperature":0.2},"model":"gpt-4o","promptSha":""#
      + prompt + #"","retrievalPolicySha":null,"safetyPolicySha":""#
      + String(repeating: "0", count: 64) + #"","schema":1,"toolSchemaSha":null}"#
    #expect(version.canonicalForm == handWritten)
    #expect(version.id.full == "pgv1-" + (try Subprocess.sha256(handWritten)))
    #expect(BehaviorVersion().id.full == "pgv1-" + (try Subprocess.sha256(Self.emptyForm)))
  }

  @Test("every field takes part in the id")
  func everyFieldCounts() {
    let base = BehaviorVersion(
      promptSha: "a", model: "m", toolSchemaSha: "t", retrievalPolicySha: "r",
      safetyPolicySha: "s", temperature: 0.2, maxOutputTokens: 10)
    var variants: [BehaviorVersion] = []
    for index in 0..<7 {
      var copy = base
      switch index {
      case 0: copy.promptSha = "b"
      case 1: copy.model = nil
      case 2: copy.toolSchemaSha = "u"
      case 3: copy.retrievalPolicySha = nil
      case 4: copy.safetyPolicySha = "t"
      case 5: copy.temperature = 0.3
      default: copy.maxOutputTokens = 11
      }
      variants.append(copy)
    }
    let ids = Set(([base] + variants).map(\.id))
    #expect(ids.count == 8)
    #expect(
      BehaviorVersion(temperature: 0.2).id
        == BehaviorVersion(temperature: 0.2000000000000000111).id)
    #expect(BehaviorVersion(temperature: 0).id != BehaviorVersion().id)
  }

  @Test("the id's text forms")
  func idForms() throws {
    let id = BehaviorVersion(model: "gpt-4o").id
    #expect(id.full.hasPrefix("pgv1-"))
    #expect(BehaviorID.prefix == "pgv1-")
    #expect(id.digest.count == 64)
    #expect(id.digest.allSatisfy { "0123456789abcdef".contains($0) })
    #expect(id.full == "pgv1-" + id.digest)
    #expect(id.description == id.full)
    #expect(id.short.count == 12)
    #expect(id.digest.hasPrefix(id.short))
    #expect(BehaviorID(id.full) == id)
    #expect(BehaviorID(id.digest) == id)
    #expect(BehaviorID(String(id.full.dropLast())) == nil)
    #expect(BehaviorID("pgv1-" + String(repeating: "g", count: 64)) == nil)
  }

  @Test("a prefix of 7 or more digits names the id, with or without pgv1-")
  func abbreviations() {
    let id = BehaviorVersion(model: "gpt-4o").id
    let other = BehaviorVersion(model: "gpt-4o-mini").id
    #expect(id.matches(String(id.digest.prefix(7))))
    #expect(id.matches("pgv1-" + id.digest.prefix(7)))
    #expect(id.matches(id.short))
    #expect(id.matches("pgv1-" + id.short))
    #expect(id.matches(id.full))
    #expect(id.matches(id.digest))
    #expect(!id.matches(String(id.digest.prefix(6))))
    #expect(!id.matches("pgv1-" + id.digest.prefix(6)))
    #expect(!id.matches(""))
    #expect(!id.matches("pgv1-"))
    #expect(!id.matches("zzzzzzz"))
    #expect(!id.matches(id.digest + "0"))
    #expect(!id.matches(String(other.digest.prefix(12))))
  }
}
