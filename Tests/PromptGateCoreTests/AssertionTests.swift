import Testing

@testable import PromptGateCore

@Suite("Assertion: parsing and deterministic evaluation")
struct AssertionTests {
  private func assertion(_ yaml: String) throws -> Assertion {
    try Assertion.parse(try YAMLLoader.load(yaml, file: "a.yaml"), file: "a.yaml", line: 4)
  }

  /// The diagnostic parsing reports; fails the test when parsing succeeds.
  private func problem(_ yaml: String) throws -> Diagnostic? {
    let value = try YAMLLoader.load(yaml, file: "a.yaml")
    do {
      let parsed = try Assertion.parse(value, file: "a.yaml", line: 4)
      Issue.record("expected an error, parsed \(parsed)")
      return nil
    } catch {
      return error
    }
  }

  private func outcome(
    _ yaml: String, _ output: ProviderOutput, context: AssertionContext = AssertionContext()
  ) throws -> AssertionOutcome {
    try #require(try assertion(yaml).evaluate(output, context: context))
  }

  private func passes(_ yaml: String, _ text: String) throws -> Bool {
    try outcome(yaml, ProviderOutput(output: text)).pass
  }

  // promptfoo src/assertions/levenshtein.ts: distance(output, value) <= (threshold ?? 5), with
  // fastest-levenshtein over UTF-16 code units.
  @Test("levenshtein passes within threshold edits (default 5), counted in UTF-16 code units")
  func levenshtein() throws {
    #expect(try passes("{type: levenshtein, value: kitten}", "sitting"))
    #expect(try !passes("{type: levenshtein, value: kitten, threshold: 2}", "sitting"))
    #expect(try passes("{type: levenshtein, value: kitten, threshold: 3}", "sitting"))
    #expect(try !passes("{type: levenshtein, value: a, threshold: 1}", "\u{1F600}"))
    #expect(try problem("{type: not-levenshtein, value: a}")?.message.contains("invert") == true)
  }

  // promptfoo src/assertions/wordCount.ts: countWords trims, splits on /\s+/ and drops empty
  // strings; value is an exact count or {min, max}.
  @Test("word-count counts words as promptfoo does, exact or within bounds, with its not- form")
  func wordCount() throws {
    #expect(try passes("{type: word-count, value: 3}", "  one two\u{00A0}three\n"))
    #expect(try !passes("{type: word-count, value: 3}", "one two"))
    #expect(try passes("{type: word-count, value: {min: 2, max: 4}}", "a b c d"))
    #expect(try !passes("{type: word-count, value: {max: 2}}", "a b c"))
    #expect(try passes("{type: not-word-count, value: {min: 5}}", "a b c"))
    #expect(try passes("{type: word-count, value: 0}", "   "))
    #expect(try problem("{type: word-count, value: 2.5}")?.message.contains("whole number") == true)
    let failed = try outcome("{type: word-count, value: 1}", ProviderOutput(output: "a b"))
    #expect(failed.reason == "expected output to have 1 words; it has 2")
  }

  @Test("equals: text is exact; other values compare the output parsed as JSON")
  func equals() throws {
    #expect(try passes("{type: equals, value: Paris}", "Paris"))
    #expect(try !passes("{type: equals, value: Paris}", "Paris."))
    #expect(try passes("{type: equals, value: {answer: 4}}", #" {"answer": 4.0} "#))
    #expect(try !passes("{type: equals, value: {answer: 4}}", #"{"answer": 5}"#))
    #expect(try !passes("{type: equals, value: 4}", "four"))
    #expect(try passes("{type: not-equals, value: Paris}", "London"))
    let failed = try outcome("{type: equals, value: Paris}", ProviderOutput(output: "London"))
    #expect(failed.reason == "expected output to equal 'Paris'; it was 'London'")
  }

  @Test("contains and icontains, with their -any and -all forms")
  func contains() throws {
    #expect(try passes("{type: contains, value: refund}", "a refund is due"))
    #expect(try !passes("{type: contains, value: refund}", "a Refund is due"))
    #expect(try passes("{type: icontains, value: refund}", "a REFUND is due"))
    #expect(try passes("{type: contains-any, value: [cat, dog]}", "hot dog"))
    #expect(try !passes("{type: contains-any, value: [cat, dog]}", "bird"))
    #expect(try passes("{type: contains-all, value: [cat, dog]}", "cat and dog"))
    #expect(try !passes("{type: contains-all, value: [cat, dog]}", "cat only"))
    #expect(try passes("{type: icontains-all, value: [CAT, Dog]}", "cat and DOG"))
    #expect(try passes("{type: icontains-any, value: 'cat, dog'}", "DOG"))
    let missing = try outcome(
      "{type: contains-all, value: [cat, dog]}", ProviderOutput(output: "cat only"))
    #expect(missing.reason == "expected output to contain all of 'cat', 'dog'; missing 'dog'")
    let reason = try outcome("{type: icontains, value: refund}", ProviderOutput(output: "no"))
    #expect(reason.reason == "expected output to contain 'refund' (ignoring case)")
  }

  @Test("not- forms invert the check and say so")
  func negations() throws {
    #expect(try passes("{type: not-contains, value: sorry}", "Sure!"))
    let failed = try outcome("{type: not-icontains, value: sorry}", ProviderOutput(output: "Sorry"))
    #expect(!failed.pass)
    #expect(failed.reason == "expected output not to contain 'sorry' (ignoring case)")
    #expect(try passes("{type: not-contains-any, value: [a1, b2]}", "c3"))
    let found = try outcome(
      "{type: not-contains-any, value: [a1, b2]}", ProviderOutput(output: "has b2"))
    #expect(!found.pass)
    #expect(found.reason.hasSuffix("found 'b2'"))
    #expect(try passes("{type: not-contains-all, value: [a1, b2]}", "a1 only"))
    #expect(try !passes("{type: not-contains-all, value: [a1, b2]}", "a1 and b2"))
    #expect(try passes("{type: not-regex, value: '\\d'}", "no digits"))
    #expect(try passes("{type: not-starts-with, value: Sure}", "No"))
    #expect(try passes("{type: not-is-json}", "plain text"))
    #expect(try !passes("{type: not-is-json}", "[1]"))
  }

  @Test("a passing outcome says what held")
  func passReasons() throws {
    let held = try outcome("{type: icontains, value: refund}", ProviderOutput(output: "Refund"))
    #expect(
      held == AssertionOutcome(pass: true, reason: "output did contain 'refund' (ignoring case)"))
    let negated = try outcome("{type: not-contains, value: sorry}", ProviderOutput(output: "ok"))
    #expect(negated.reason == "output did not contain 'sorry'")
  }

  @Test("output JSON is read strictly (RFC 8259)")
  func strictJSON() throws {
    #expect(try passes("{type: equals, value: [\"\u{1F600}é\"]}", #"["\ud83d\ude00\u00e9"]"#))
    for text in ["{'a': 1}", "[1,]", "NaN", "01", "[1] [2]", #"{"a": 1, "a": 2}"#, #""\ud800""#] {
      #expect(try !passes("{type: is-json}", text), "\(text) is not JSON")
    }
    #expect(try passes("{type: is-json}", " \n\t-0.5e+3 "))
  }

  @Test("regex and starts-with")
  func regexAndPrefix() throws {
    #expect(try passes(#"{type: regex, value: '\b\d{3}-\d{4}\b'}"#, "call 555-1234 now"))
    #expect(try !passes(#"{type: regex, value: '^\d+$'}"#, "12a"))
    #expect(try passes("{type: starts-with, value: 'Dear '}", "Dear Ada"))
    #expect(try !passes("{type: starts-with, value: 'Dear '}", "Hi Ada"))
  }

  @Test("is-json, with and without a schema, and json-schema")
  func json() throws {
    #expect(try passes("{type: is-json}", #"{"a": [1, 2]}"#))
    let notJSON = try outcome("{type: is-json}", ProviderOutput(output: "```json\n{}\n```"))
    #expect(!notJSON.pass)
    #expect(notJSON.reason.contains("output is not JSON (column 1"))
    let schema = "{type: object, required: [answer], properties: {answer: {type: integer}}}"
    #expect(try passes("{type: is-json, value: \(schema)}", #"{"answer": 4}"#))
    #expect(try !passes("{type: is-json, value: \(schema)}", #"{"answer": "4"}"#))
    #expect(try passes("{type: json-schema, value: \(schema)}", #"{"answer": 4}"#))
    let failed = try outcome(
      "{type: json-schema, value: \(schema)}", ProviderOutput(output: "{}"))
    #expect(failed.reason.contains("at /: missing required property 'answer'"))
  }

  @Test("json-pointer: the value at the pointer equals")
  func jsonPointer() throws {
    let check = "{type: json-pointer, value: {pointer: /order/status, equals: shipped}}"
    #expect(try passes(check, #"{"order": {"status": "shipped"}}"#))
    #expect(try !passes(check, #"{"order": {"status": "pending"}}"#))
    let missing = try outcome(check, ProviderOutput(output: #"{"order": {}}"#))
    #expect(missing.reason.hasSuffix("nothing is at /order/status"))
    #expect(try !passes(check, "not json"))
  }

  @Test("tool-call: name, and arguments as a subset whose values deep-equal")
  func toolCall() throws {
    let call = ToolCall(
      name: "lookup_order",
      arguments: .object([
        "id": .number(42), "fields": .array([.string("status"), .string("eta")]),
        "verbose": .bool(true),
      ]))
    let output = ProviderOutput(
      output: "", toolCalls: [ToolCall(name: "greet", arguments: .null), call])
    func passes(_ yaml: String) throws -> Bool { try outcome(yaml, output).pass }
    #expect(try passes("{type: tool-call, value: lookup_order}"))
    #expect(try passes("{type: tool-call, value: {name: lookup_order, arguments: {id: 42}}}"))
    #expect(
      try passes(
        "{type: tool-call, value: {name: lookup_order, arguments: {id: 42, fields: [status, eta]}}}"
      ))
    #expect(
      try !passes("{type: tool-call, value: {name: lookup_order, arguments: {fields: [status]}}}"))
    #expect(try !passes("{type: tool-call, value: {name: lookup_order, arguments: {id: 43}}}"))
    #expect(try !passes("{type: tool-call, value: {name: lookup_order, arguments: {other: 1}}}"))
    #expect(try !passes("{type: tool-call, value: refund}"))
    #expect(try passes("{type: not-tool-call, value: refund}"))
    let none = try outcome("{type: tool-call, value: refund}", ProviderOutput(output: "hi"))
    #expect(none.reason == "expected the model to call tool 'refund'; it made no tool calls")
  }

  @Test("tool-call arguments given as a JSON string are parsed before matching")
  func toolCallStringArguments() throws {
    let output = ProviderOutput(
      output: "", toolCalls: [ToolCall(name: "f", arguments: .string(#"{"x": 1, "y": 2}"#))])
    #expect(try outcome("{type: tool-call, value: {name: f, arguments: {x: 1}}}", output).pass)
  }

  @Test("length counts characters within min and max")
  func length() throws {
    #expect(try passes("{type: length, value: {min: 2, max: 4}}", "héé"))
    #expect(try !passes("{type: length, value: {min: 2, max: 4}}", "hello"))
    #expect(try !passes("{type: length, value: {min: 2}}", "h"))
    #expect(try passes("{type: length, value: {max: 1}}", "👍🏽"))
  }

  @Test("latency and cost bound by threshold; unknown cost fails naming the model")
  func latencyAndCost() throws {
    #expect(
      try outcome("{type: latency, threshold: 500}", ProviderOutput(output: "", latencyMs: 499))
        .pass)
    let slow = try outcome(
      "{type: latency, threshold: 500}", ProviderOutput(output: "", latencyMs: 812))
    #expect(!slow.pass)
    #expect(slow.reason == "expected the call to take at most 500 ms; it took 812 ms")
    let fast = try outcome(
      "{type: not-latency, threshold: 500}", ProviderOutput(output: "", latencyMs: 120))
    #expect(fast.reason == "expected the call not to take at most 500 ms; it took 120 ms")
    let output = ProviderOutput(output: "", model: "gpt-x")
    #expect(try outcome("{type: cost, threshold: 0.01}", output, context: .init(cost: 0.005)).pass)
    #expect(try !outcome("{type: cost, threshold: 0.01}", output, context: .init(cost: 0.02)).pass)
    let unknown = try outcome("{type: cost, threshold: 0.01}", output)
    #expect(!unknown.pass)
    #expect(unknown.reason.contains("price table lacks model 'gpt-x'"))
    #expect(try !outcome("{type: not-cost, threshold: 0.01}", output).pass)
  }

  @Test("is-refusal: default phrases, typographic apostrophes, empty output")
  func refusal() throws {
    #expect(try passes("{type: is-refusal}", "I'm sorry, but I can't share that."))
    #expect(try passes("{type: is-refusal}", "i can\u{2019}t help with that"))
    #expect(try passes("{type: is-refusal}", "  \n "))
    #expect(try !passes("{type: is-refusal}", "Your refund is on its way."))
    let failed = try outcome("{type: not-is-refusal}", ProviderOutput(output: "As an AI, no."))
    #expect(failed.reason == "expected output not to read as a refusal; it says 'As an AI'")
  }

  @Test("is-refusal with custom phrases replaces the defaults")
  func customRefusalPhrases() throws {
    let context = AssertionContext(refusalPhrases: ["Das kann ich nicht"])
    #expect(
      try outcome(
        "{type: is-refusal}", ProviderOutput(output: "das kann ich NICHT tun"), context: context
      )
      .pass)
    #expect(
      try !outcome("{type: is-refusal}", ProviderOutput(output: "I can't help"), context: context)
        .pass)
  }

  @Test("command and llm-rubric parse, default their threshold, and are left to the caller")
  func scoredKinds() throws {
    let command = try assertion("{type: command, value: 'python3 score.py --strict'}")
    #expect(command.kind == .command(["python3", "score.py", "--strict"]))
    #expect(command.threshold == 0.5)
    #expect(command.evaluate(ProviderOutput(output: "x"), context: AssertionContext()) == nil)
    #expect(try assertion("{type: command, value: [a, 'b c']}").kind == .command(["a", "b c"]))
    let rubric = try assertion(
      "{type: llm-rubric, value: polite, threshold: 0.8, description: tone}")
    #expect(rubric.kind == .rubric("polite"))
    #expect(rubric.threshold == 0.8)
    #expect(rubric.description == "tone")
    #expect(rubric.evaluate(ProviderOutput(output: "x"), context: AssertionContext()) == nil)
  }

  @Test("an unknown type lists the known types")
  func unknownType() throws {
    let found = try #require(try problem("{type: jvascript, value: 'output.length > 3'}"))
    #expect(found.file == "a.yaml")
    #expect(found.line == 4)
    #expect(found.message == "unknown assertion type 'jvascript'")
    #expect(found.fix?.contains("icontains-any") == true)
    #expect(found.fix?.contains("llm-rubric") == true)
  }

  @Test("command cannot be negated; not-llm-rubric is read (promptfoo's inverted rubric)")
  func unnegatable() throws {
    #expect(
      try problem("{type: not-command, value: x}")?.message.contains("cannot be negated") == true)
    let inverted = try Assertion.parse(
      try YAMLLoader.load("{type: not-llm-rubric, value: x}", file: "a.yaml"), file: "a.yaml",
      line: 1)
    #expect(inverted.negated && inverted.kind == .rubric("x"))
  }

  @Test("promptfoo's types and keys PromptGate cannot honour are refused with the reason")
  func peerRefusals() throws {
    let javascript = try problem("{type: javascript, value: output.length < 200}")
    #expect(javascript?.message.contains("'javascript'") == true)
    #expect(javascript?.fix?.contains("command") == true)
    #expect(try problem("{type: is-sql, value: x}")?.message.contains("SQL parser") == true)
    let transform = try problem("{type: contains, value: x, transform: output.trim()}")
    #expect(transform?.message.contains("`transform`") == true)
    #expect(transform?.fix?.contains("harness") == true)
  }

  @Test("a wrong value says what is expected")
  func wrongValues() throws {
    #expect(try problem("{type: contains}")?.message.contains("needs a `value`") == true)
    #expect(
      try problem("{type: contains-any, value: {a: 1}}")?.message.contains("list of texts") == true)
    #expect(try problem("{type: starts-with, value: [a]}")?.message.contains("not a list") == true)
    #expect(
      try problem("{type: length, value: {min: 5, max: 2}}")?.message.contains("greater") == true)
    #expect(
      try problem("{type: json-pointer, value: {pointer: a, equals: 1}}")?.fix?.contains(
        "start it with /") == true)
    #expect(
      try problem("{type: tool-call, value: {name: f, arguments: [1]}}")?.message.contains(
        "mapping") == true)
    #expect(try problem("{type: latency}")?.message.contains("threshold") == true)
    #expect(
      try problem("{type: is-refusal, value: x}")?.message.contains("takes no `value`") == true)
    #expect(
      try problem("{type: contains, value: x, threshold: 0.5}")?.message.contains("threshold")
        == true)
    #expect(
      try problem("{type: contains, value: x, transform: y}")?.message.contains("`transform`")
        == true)
    #expect(try problem("[contains, x]")?.message.contains("must be a mapping") == true)
  }

  @Test("an invalid regex is an error when the file is read")
  func invalidRegex() throws {
    let found = try #require(try problem("{type: regex, value: '(unclosed'}"))
    #expect(found.message.contains("not a valid regular expression"))
    #expect(found.fix != nil)
  }

  @Test("an unsupported schema keyword is an error when the file is read")
  func invalidSchema() throws {
    let found = try #require(
      try problem("{type: json-schema, value: {type: object, patternProperties: {}}}"))
    #expect(found.message.contains("patternProperties"))
  }

  @Test("weight and metric are accepted")
  func promptfooExtras() throws {
    #expect(
      try assertion("{type: contains, value: x, weight: 3, metric: m}").kind
        == .contains(["x"], mode: .one, caseInsensitive: false))
  }
}
