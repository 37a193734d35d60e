import Testing

@testable import PromptGateCore

@Suite("CaseFields: a case's and an assertion's fields found in one pass")
struct CaseFieldsTests {
  @Test("a key counts as a native case's, an Inspect sample's or an assertion's as the lists say")
  func flagsAgreeWithKeyLists() {
    let keys = Set(EvalCase.nativeKeys + EvalCase.inspectKeys + ["other", "Vars", "", "type"])
    for key in keys.sorted() {
      // Read into copies first: the fields themselves are never copied, as #expect would.
      let found = CaseFields([key: .null])
      let (native, inspect) = (found.hasOtherThanNative, found.hasOtherThanInspect)
      #expect(native == !EvalCase.nativeKeys.contains(key), "key \(key)")
      #expect(inspect == !EvalCase.inspectKeys.contains(key), "key \(key)")
    }
    for key in Assertion.knownKeys + ["other", "Type", "vars", ""] {
      let unknown = AssertionFields([key: .null]).hasUnknownKey
      #expect(unknown == !Assertion.knownKeys.contains(key), "key \(key)")
    }
  }

  @Test("each field holds its own member, and a missing one is nil")
  func fieldsHoldTheirMembers() {
    let keys = EvalCase.nativeKeys + EvalCase.inspectKeys + ["other"]
    let all = CaseFields(Dictionary(keys.map { ($0, JSONValue.string($0)) }) { first, _ in first })
    let fields: [(String, JSONValue?)] = [
      ("id", all.id), ("description", all.description), ("vars", all.vars),
      ("assert", all.assert), ("metadata", all.metadata), ("options", all.options),
      ("threshold", all.threshold), ("input", all.input), ("target", all.target),
      ("choices", all.choices),
    ]
    for (key, value) in fields { #expect(value == .string(key), "key \(key)") }
    let allIsSample = all.isInspectSample
    #expect(!allIsSample)
    let none = CaseFields(["other": .null])
    let absent = [none.id, none.vars, none.assert, none.input, none.target]
    #expect(absent.allSatisfy { $0 == nil })
    let samples = [
      CaseFields(["input": .string("hi")]).isInspectSample,
      CaseFields(["input": .null]).isInspectSample,
      CaseFields(["input": .string("hi"), "vars": .object([:])]).isInspectSample,
    ]
    #expect(samples == [true, true, false])

    let assertion = AssertionFields(
      Dictionary(uniqueKeysWithValues: Assertion.knownKeys.map { ($0, JSONValue.string($0)) }))
    let members: [(String, JSONValue?)] = [
      ("type", assertion.type), ("value", assertion.value),
      ("description", assertion.description), ("threshold", assertion.threshold),
      ("weight", assertion.weight),
    ]
    for (key, value) in members { #expect(value == .string(key), "key \(key)") }
    let noType = AssertionFields([:]).type
    #expect(noType == nil)
  }
}
