import Testing

@testable import PromptGateCore

@Suite("JSONSchema: the supported 2020-12 subset")
struct JSONSchemaTests {
  private func schema(_ yaml: String) throws -> JSONSchema {
    try JSONSchema(try YAMLLoader.load(yaml, file: "s.yaml"))
  }

  private func violations(_ schemaYAML: String, _ instanceJSON: String) throws -> [String] {
    try schema(schemaYAML).validate(try JSONText.parse(instanceJSON))
  }

  private func valid(_ schemaYAML: String, _ instanceJSON: String) throws -> Bool {
    try violations(schemaYAML, instanceJSON).isEmpty
  }

  private func schemaError(_ yaml: String) throws -> String? {
    let value = try YAMLLoader.load(yaml, file: "s.yaml")
    do {
      _ = try JSONSchema(value)
      Issue.record("expected a schema error")
      return nil
    } catch {
      return error.message
    }
  }

  @Test("type: a name or a list; integer is a number with no fraction")
  func types() throws {
    #expect(try valid("{type: integer}", "3.0"))
    #expect(try !valid("{type: integer}", "3.5"))
    #expect(try valid("{type: number}", "3"))
    #expect(try valid("{type: [string, 'null']}", "null"))
    #expect(try !valid("{type: [string, 'null']}", "1"))
    #expect(try violations("{type: string}", "true") == ["at /: expected string, found boolean"])
  }

  @Test("properties, required and additionalProperties, with paths")
  func objects() throws {
    let person =
      "{type: object, required: [name], properties: {name: {type: string}, age: {type: integer}}, "
      + "additionalProperties: false}"
    #expect(try valid(person, #"{"name": "Ada", "age": 36}"#))
    #expect(
      try violations(person, #"{"age": "old", "nick": "A"}"#) == [
        "at /: missing required property 'name'",
        "at /age: expected integer, found string",
        "at /: property 'nick' is not allowed",
      ])
    #expect(try valid("{additionalProperties: {type: number}}", #"{"a": 1, "b": 2}"#))
    #expect(
      try violations("{additionalProperties: {type: number}}", #"{"a/b": "x"}"#) == [
        "at /a~1b: expected number, found string"
      ])
    #expect(try !valid("{minProperties: 2}", #"{"a": 1}"#))
    #expect(try !valid("{maxProperties: 1}", #"{"a": 1, "b": 2}"#))
  }

  @Test("items, prefixItems, minItems, maxItems and uniqueItems")
  func arrays() throws {
    #expect(try valid("{items: {type: string}}", #"["a", "b"]"#))
    #expect(
      try violations("{items: {type: string}}", #"["a", 2]"#) == [
        "at /1: expected string, found integer"
      ])
    let tuple = "{prefixItems: [{type: string}, {type: number}], items: {type: boolean}}"
    #expect(try valid(tuple, #"["a", 1, true, false]"#))
    #expect(try !valid(tuple, #"[1, "a"]"#))
    #expect(try !valid(tuple, #"["a", 1, "x"]"#))
    #expect(try !valid("{minItems: 2}", "[1]"))
    #expect(try !valid("{maxItems: 1}", "[1, 2]"))
    #expect(try valid("{uniqueItems: true}", "[1, 2]"))
    #expect(try !valid("{uniqueItems: true}", #"[{"a": 1}, {"a": 1.0}]"#))
  }

  @Test("enum and const")
  func enumAndConst() throws {
    #expect(try valid("{enum: [red, green]}", #""red""#))
    #expect(
      try violations("{enum: [red, green]}", #""blue""#) == [
        #"at /: expected one of ["red","green"], found "blue""#
      ])
    #expect(try valid("{const: {a: 1}}", #"{"a": 1}"#))
    #expect(try !valid("{const: {a: 1}}", #"{"a": 2}"#))
  }

  @Test("numeric bounds and multipleOf")
  func numbers() throws {
    #expect(try valid("{minimum: 1, maximum: 3}", "3"))
    #expect(try !valid("{minimum: 1}", "0.5"))
    #expect(try !valid("{maximum: 3}", "3.1"))
    #expect(try !valid("{exclusiveMinimum: 1}", "1"))
    #expect(try !valid("{exclusiveMaximum: 3}", "3"))
    #expect(try valid("{multipleOf: 0.1}", "0.3"))
    #expect(try !valid("{multipleOf: 2}", "3"))
  }

  @Test("string lengths count code points; pattern is unanchored")
  func strings() throws {
    #expect(try valid("{minLength: 2, maxLength: 3}", #""héé""#))
    #expect(try !valid("{maxLength: 3}", #""abcd""#))
    #expect(try !valid("{minLength: 2}", #""a""#))
    #expect(try valid("{pattern: '\\d{3}'}", #""ab123""#))
    #expect(try !valid("{pattern: '^\\d+$'}", #""12a""#))
    #expect(try valid("{type: number, pattern: x}", "5"))
  }

  @Test("allOf, anyOf, oneOf and not")
  func combinators() throws {
    #expect(try valid("{allOf: [{type: integer}, {minimum: 2}]}", "3"))
    #expect(try !valid("{allOf: [{type: integer}, {minimum: 2}]}", "1"))
    #expect(try valid("{anyOf: [{type: string}, {type: integer}]}", "1"))
    #expect(
      try violations("{anyOf: [{type: string}, {type: integer}]}", "1.5") == [
        "at /: matches none of the 2 anyOf schemas"
      ])
    #expect(try valid("{oneOf: [{type: integer}, {type: string}]}", "1"))
    #expect(try !valid("{oneOf: [{type: integer}, {type: number}]}", "1"))
    #expect(try !valid("{not: {type: string}}", #""x""#))
    #expect(try valid("{not: {type: string}}", "1"))
  }

  @Test("boolean schemas")
  func booleans() throws {
    #expect(try valid("true", "1"))
    #expect(try !valid("false", "1"))
    #expect(try !valid("{properties: {a: false}}", #"{"a": 1}"#))
  }

  @Test("$ref to #/$defs and #/definitions, including recursion")
  func references() throws {
    let tree =
      "{$defs: {node: {type: object, required: [value], properties: {value: {type: integer}, "
      + "children: {type: array, items: {$ref: '#/$defs/node'}}}}}, $ref: '#/$defs/node'}"
    #expect(try valid(tree, #"{"value": 1, "children": [{"value": 2, "children": []}]}"#))
    #expect(
      try violations(tree, #"{"value": 1, "children": [{"value": "x"}]}"#) == [
        "at /children/0/value: expected integer, found string"
      ])
    #expect(
      try valid("{definitions: {n: {type: number}}, items: {$ref: '#/definitions/n'}}", "[1]"))
    #expect(
      try schemaError("{$ref: '#/$defs/missing'}")?.contains("does not name a schema") == true)
    #expect(try schemaError("{$ref: 'https://example.com/s.json'}") != nil)
  }

  @Test("a $ref cycle that consumes nothing stops with a violation, not a crash")
  func referenceCycle() throws {
    let found = try violations("{$defs: {a: {$ref: '#/$defs/a'}}, $ref: '#/$defs/a'}", "1")
    #expect(found.count == 1)
    #expect(found.first?.contains("recurses too deeply") == true)
  }

  @Test("annotations are accepted")
  func annotations() throws {
    #expect(
      try valid(
        "{$schema: 'https://json-schema.org/draft/2020-12/schema', $id: x, $comment: c, title: t, "
          + "description: d, default: 1, examples: [1], readOnly: true, "
          + "writeOnly: false, deprecated: false, type: string}",
        #""not an email""#))
  }

  @Test("`format` is refused, not silently unchecked, wherever it is")
  func format() throws {
    let top = try #require(try schemaError("{type: string, format: email}"))
    #expect(top.contains("#/format"))
    #expect(top.contains("`format` is not checked"))
    let nested = try #require(
      try schemaError("{properties: {when: {type: string, format: date-time}}}"))
    #expect(nested.contains("#/properties/when/format"))
  }

  @Test("an unsupported keyword is an error naming it and where it is")
  func unknownKeyword() throws {
    let message = try #require(
      try schemaError("{properties: {a: {type: string, contentEncoding: base64}}}"))
    #expect(message.contains("#/properties/a/contentEncoding"))
    #expect(message.contains("unsupported keyword 'contentEncoding'"))
    #expect(message.contains("prefixItems"))
    #expect(try schemaError("{patternProperties: {}}")?.contains("patternProperties") == true)
  }

  @Test("malformed keyword values are errors")
  func malformedValues() throws {
    #expect(try schemaError("{type: text}")?.contains("#/type") == true)
    #expect(try schemaError("{items: [{type: string}]}")?.contains("prefixItems") == true)
    #expect(try schemaError("{minLength: -1}")?.contains("non-negative integer") == true)
    #expect(try schemaError("{multipleOf: 0}")?.contains("greater than 0") == true)
    #expect(try schemaError("{pattern: '('}")?.contains("regular expression") == true)
    #expect(try schemaError("{required: name}")?.contains("list of property names") == true)
    #expect(try schemaError("{anyOf: []}")?.contains("non-empty list") == true)
    #expect(try schemaError("{properties: {a: 3}}")?.contains("#/properties/a") == true)
    #expect(try schemaError("{exclusiveMinimum: true}")?.contains("must be a number") == true)
  }
}
