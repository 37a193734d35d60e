import PromptGateCore
import Testing

@Suite("ComponentValue coercion")
struct ComponentValueTests {
  @Test(
    "temperature: numbers and numeric strings",
    arguments: [
      (JSONValue.string("0.7"), 0.7), (.number(0.2), 0.2), (.string("0"), 0), (.number(1), 1),
      (.string("1e-1"), 0.1),
    ])
  func temperature(value: JSONValue, expected: Double) throws {
    #expect(try ComponentValue.coerce(value, for: .temperature) == .number(expected))
  }

  @Test(
    "temperature: anything else is an error",
    arguments: [JSONValue.string("hot"), .string(""), .bool(true), .null, .array([]), .object([:])])
  func temperatureInvalid(value: JSONValue) {
    #expect(throws: ComponentValue.Mismatch.self) {
      try ComponentValue.coerce(value, for: .temperature)
    }
  }

  @Test(
    "maxOutputTokens: non-negative integers, also as strings",
    arguments: [
      (JSONValue.string("1024"), 1024.0), (.number(1024), 1024), (.number(0), 0), (.string("0"), 0),
    ])
  func maxOutputTokens(value: JSONValue, expected: Double) throws {
    #expect(try ComponentValue.coerce(value, for: .maxOutputTokens) == .number(expected))
  }

  @Test(
    "maxOutputTokens: fractions, negatives and words are errors",
    arguments: [
      JSONValue.number(1024.5), .string("1024.5"), .number(-1), .string("-1"), .string("lots"),
      .bool(false), .null,
    ])
  func maxOutputTokensInvalid(value: JSONValue) throws {
    let error = try #require(throws: ComponentValue.Mismatch.self) {
      try ComponentValue.coerce(value, for: .maxOutputTokens)
    }
    #expect(error.reason.contains("maxOutputTokens"))
    #expect(!error.fix.isEmpty)
  }

  @Test(
    "model: a name, also from a number or boolean scalar",
    arguments: [
      (JSONValue.string("gpt-4o"), "gpt-4o"), (.number(4), "4"), (.number(3.5), "3.5"),
      (.bool(true), "true"),
    ])
  func model(value: JSONValue, expected: String) throws {
    #expect(try ComponentValue.coerce(value, for: .model) == .string(expected))
  }

  @Test(
    "model: a list, a mapping or null is an error",
    arguments: [JSONValue.array([.string("a")]), .object([:]), .null])
  func modelInvalid(value: JSONValue) {
    #expect(throws: ComponentValue.Mismatch.self) { try ComponentValue.coerce(value, for: .model) }
  }
}
