import PromptGateCore
import Testing

@Suite("CanonicalJSON (RFC 8785)")
struct CanonicalJSONTests {
  @Test(
    "numbers are written as ECMAScript writes a double",
    arguments: [
      (0.0, "0"), (-0.0, "0"), (1.0, "1"), (0.1, "0.1"), (1e21, "1e+21"),
      (1e20, "100000000000000000000"), (1e-7, "1e-7"), (0.000001, "0.000001"),
      (123.456, "123.456"), (Double.leastNonzeroMagnitude, "5e-324"), (-1.5, "-1.5"),
      (1024.0, "1024"),
      (0.2, "0.2"), (-Double.leastNonzeroMagnitude, "-5e-324"),
    ])
  func numbers(value: Double, expected: String) throws {
    #expect(CanonicalJSON.format(value) == expected)
    #expect(try CanonicalJSON.serialize(.number(value)) == expected)
  }

  /// The IEEE 754 bit patterns and expected texts of RFC 8785, Appendix B.
  @Test(
    "RFC 8785 appendix B bit patterns",
    arguments: [
      (0x7fef_ffff_ffff_ffff, "1.7976931348623157e+308"),
      (0xffef_ffff_ffff_ffff, "-1.7976931348623157e+308"),
      (0x4340_0000_0000_0000, "9007199254740992"),
      (0xc340_0000_0000_0000, "-9007199254740992"),
      (0x4430_0000_0000_0000, "295147905179352830000"),
      (0x44b5_2d02_c7e1_4af5, "9.999999999999997e+22"),
      (0x44b5_2d02_c7e1_4af6, "1e+23"),
      (0x44b5_2d02_c7e1_4af7, "1.0000000000000001e+23"),
      (0x444b_1ae4_d6e2_ef4e, "999999999999999700000"),
      (0x444b_1ae4_d6e2_ef4f, "999999999999999900000"),
      (0x444b_1ae4_d6e2_ef50, "1e+21"),
      (0x3eb0_c6f7_a0b5_ed8c, "9.999999999999997e-7"),
      (0x3eb0_c6f7_a0b5_ed8d, "0.000001"),
      (0x41b3_de43_5555_5553, "333333333.3333332"),
      (0x41b3_de43_5555_5554, "333333333.33333325"),
      (0x41b3_de43_5555_5555, "333333333.3333333"),
      (0x41b3_de43_5555_5556, "333333333.3333334"),
      (0x41b3_de43_5555_5557, "333333333.33333343"),
      (0xbecb_f647_612f_3696, "-0.0000033333333333333333"),
      (0x4314_3ff3_c1cb_0959, "1424953923781206.2"),
    ] as [(UInt64, String)])
  func appendixB(bits: UInt64, expected: String) {
    #expect(CanonicalJSON.format(Double(bitPattern: bits)) == expected)
  }

  @Test("NaN and infinities cannot be written")
  func nonFinite() {
    #expect(CanonicalJSON.format(.nan) == nil)
    #expect(CanonicalJSON.format(.infinity) == nil)
    #expect(throws: CanonicalJSON.NotRepresentable.self) {
      try CanonicalJSON.serialize(.array([.number(.nan)]))
    }
    #expect(throws: CanonicalJSON.NotRepresentable.self) {
      try CanonicalJSON.serialize(.object(["t": .number(-.infinity)]))
    }
  }

  @Test("keys are sorted by UTF-16 code units, recursively")
  func keyOrder() throws {
    // RFC 8785 section 3.2.3: U+1F600 is a surrogate pair (D83D DE00) and so sorts before U+FB33,
    // although its code point is larger.
    let value = JSONValue.object([
      "\u{20AC}": .string("Euro Sign"), "\r": .string("Carriage Return"),
      "\u{FB33}": .string("Hebrew Letter Dalet With Dagesh"), "1": .string("One"),
      "\u{1F600}": .string("Emoji: Grinning Face"), "\u{80}": .string("Control"),
      "\u{F6}": .string("Latin Small Letter O With Diaeresis"),
    ])
    let expected =
      "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\","
      + "\"\u{F6}\":\"Latin Small Letter O With Diaeresis\",\"\u{20AC}\":\"Euro Sign\","
      + "\"\u{1F600}\":\"Emoji: Grinning Face\",\"\u{FB33}\":\"Hebrew Letter Dalet With Dagesh\"}"
    #expect(try CanonicalJSON.serialize(value) == expected)

    let nested = JSONValue.object([
      "b": .array([.object(["z": .null, "a": .bool(true)]), .number(2)]),
      "a": .object(["y": .bool(false), "x": .string("")]),
    ])
    #expect(
      try CanonicalJSON.serialize(nested)
        == #"{"a":{"x":"","y":false},"b":[{"a":true,"z":null},2]}"#)
  }

  @Test("strings escape only what JSON requires")
  func stringEscapes() throws {
    let text = "a\"b\\c\n\r\t\u{08}\u{0C}\u{01}\u{1F}\u{7F}é😀\u{2028}/"
    let expected = "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f\u{7F}é😀\u{2028}/\""
    #expect(try CanonicalJSON.serialize(.string(text)) == expected)
    // Hex digits of \u escapes are lowercase.
    #expect(try CanonicalJSON.serialize(.string("\u{1B}")) == "\"\\u001b\"")
  }

  @Test("literals and empty containers")
  func literals() throws {
    #expect(try CanonicalJSON.serialize(.null) == "null")
    #expect(try CanonicalJSON.serialize(.bool(true)) == "true")
    #expect(try CanonicalJSON.serialize(.bool(false)) == "false")
    #expect(try CanonicalJSON.serialize(.array([])) == "[]")
    #expect(try CanonicalJSON.serialize(.object([:])) == "{}")
  }
}
