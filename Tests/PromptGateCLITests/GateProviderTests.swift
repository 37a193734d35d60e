import Foundation
import TestSupport
import Testing

/// `promptgate-gate` with the HTTP providers, against a real loopback server.
@Suite("promptgate-gate with HTTP providers")
struct GateProviderTests {
  /// A distinctive key that may appear in the Authorization header and nowhere else.
  static let secret = "sk-test-SECRET-1234"

  /// Answers as a model would under the fixture's prompt: the refund answer depends on the
  /// system prompt, so breaking the prompt's refund line breaks the refund case.
  static let responder: LoopbackResponder = { request in
    switch request.user {
    case "refund":
      let system = request.system ?? ""
      return ScriptedAnswer(
        system.contains("full refund") ? "We offer a full refund." : "Store credit only.")
    case "greeting": return ScriptedAnswer("Hello! How can I help?")
    case "shipping": return ScriptedAnswer("We ship in two days.")
    default: return ScriptedAnswer("I don't know")
    }
  }

  /// The fixture's mapping with an HTTP provider `llm` of `type` at `baseURL`.
  static func mapping(type: String, baseURL: String, extra: String = "retries: 1, timeout: 5")
    -> String
  {
    GateFixture.mapping(
      set: ["messages: {system: prompts/system.md, user: \"{{topic}}\"}"],
      provider:
        "llm: {type: \(type), baseURL: \"\(baseURL)\", apiKeyEnv: GATE_TEST_KEY, \(extra)}"
    ).replacingOccurrences(of: "provider: harness", with: "provider: llm")
  }

  /// A fixture gating an openai (or anthropic) provider at `server`, with a commit that breaks
  /// the refund answer; returns it and the range to gate.
  private func brokenRefund(
    _ server: LoopbackLLMServer, type: String = "openai", extra: String = "retries: 1, timeout: 5"
  ) throws -> (GateFixture, String) {
    let base = type == "openai" ? server.openAIBaseURL : server.baseURL
    let fixture = try GateFixture(
      mapping: Self.mapping(type: type, baseURL: base, extra: extra))
    try fixture.breakRefund()
    let head = try fixture.repository.commit("Store credit only")
    return (fixture, "\(fixture.baseline)..\(head)")
  }

  private let key = ["GATE_TEST_KEY": secret]

  @Test("openai: an answer that follows the system prompt makes a prompt change regress")
  func openAIRegression() throws {
    let server = try LoopbackLLMServer(responder: Self.responder)
    defer { server.stop() }
    let (fixture, range) = try brokenRefund(server)
    let result = try fixture.gate([range, "--format", "json"], environment: key)
    result.expect(exit: 1)
    let document = try JSONOutput.object(result.stdout)
    // Three cases a side, then the refund case re-sampled to 15 runs a side.
    #expect(document["calls"] as? Int == 6 + 28)
    let sets = try #require(document["sets"] as? [[String: Any]])
    let cases = try #require(sets.first?["cases"] as? [[String: Any]])
    let refund = try #require(cases.first { $0["id"] as? String == "refund" })
    #expect(refund["status"] as? String == "regressed")
    #expect((refund["head"] as? [String: Any])?["output"] as? String == "Store credit only.")
    // Each side sent its own prompt file as the system message, and the case's topic as the user.
    let bodies = server.requests.compactMap(\.json)
    #expect(bodies.count == 6 + 28)
    let systems = Set(
      bodies.compactMap { body in
        ((body["messages"] as? [[String: Any]])?.first { $0["role"] as? String == "system" })?[
          "content"] as? String
      })
    #expect(systems == [GateFixture.prompt, try fixture.repository.read("prompts/system.md")])
    #expect(bodies.allSatisfy { $0["model"] as? String == "test-model" })
    #expect(server.requests.allSatisfy { $0.path == "/v1/chat/completions" })
  }

  @Test("a cost cap with an HTTP model missing from prices: exit 2 naming the model, no call")
  func costCapWithoutPrice() throws {
    let server = try LoopbackLLMServer(responder: Self.responder)
    defer { server.stop() }
    let (fixture, range) = try brokenRefund(server)
    let result = try fixture.gate([range, "--max-cost", "5"], environment: key)
    result.expect(exit: 2)
    #expect(result.stderr.contains("the model 'test-model' of provider 'llm'"), "\(result)")
    #expect(result.stderr.contains("has no price"))
    #expect(server.requestCount == 0)
  }

  @Test("the cost cap counts what is in flight: a call that could pass the cap is not started")
  func costCapInFlight() throws {
    let server = try LoopbackLLMServer(responder: Self.responder)
    defer { server.stop() }
    let base = server.openAIBaseURL
    // A dollar a token: each call may cost its input (characters / 4) plus 1,024 output tokens,
    // over 1,024 dollars, so under a cap of 1,100 one call is in flight at a time, and once a
    // few calls' real cost (tens of dollars) is spent, the next could pass the cap.
    let mapping =
      Self.mapping(type: "openai", baseURL: base, extra: "retries: 1, timeout: 5, concurrency: 4")
      + "prices:\n  test-model: {input: 1000000, output: 1000000}\n"
    let fixture = try GateFixture(mapping: mapping)
    try fixture.breakRefund()
    let head = try fixture.repository.commit("Store credit only")
    let result = try fixture.gate(
      ["\(fixture.baseline)..\(head)", "--max-cost", "1100"], environment: key)
    result.expect(exit: 3)
    #expect(result.stdout.contains("cost cap of 1100.0"), "\(result.stdout)")
    #expect((1...4).contains(server.requestCount), "\(server.requestCount) calls")
  }

  @Test("a server answering 500 every time: exit 3, not 1")
  func outage() throws {
    let server = try LoopbackLLMServer(responder: Self.responder)
    defer { server.stop() }
    server.inject(.serverError, count: 1000)
    let (fixture, range) = try brokenRefund(server)
    let result = try fixture.gate([range], environment: key)
    result.expect(exit: 3)
    #expect(result.stdout.contains("smoke: NOT EVALUATED"))
    #expect(result.stdout.contains("HTTP 500"))
    #expect(result.stderr.contains("could not evaluate: smoke"))
    // One attempt and one retry per run.
    #expect(server.requestCount == 12)
  }

  @Test("a stopped server: exit 3, and --on-unavailable warn passes")
  func stoppedServer() throws {
    let server = try LoopbackLLMServer(responder: Self.responder)
    let (fixture, range) = try brokenRefund(server, extra: "retries: 0, timeout: 1")
    server.stop()
    let result = try fixture.gate([range], environment: key)
    result.expect(exit: 3)
    #expect(result.stderr.contains("could not evaluate: smoke"))
    let warned = try fixture.gate([range, "--on-unavailable", "warn"], environment: key)
    warned.expect(exit: 0)
    #expect(warned.stderr.contains("warning: could not evaluate smoke"))
  }

  @Test("a refused connection fails at once, as refused, instead of waiting out the timeout")
  func refusedConnectionIsPrompt() throws {
    let server = try LoopbackLLMServer(responder: Self.responder)
    let (fixture, range) = try brokenRefund(
      server, extra: "retries: 0, timeout: 6, concurrency: 8")
    server.stop()
    let result = try fixture.gate([range], environment: key)
    result.expect(exit: 3)
    // Nothing listens on the port: the kernel refuses at once, and the report says so rather
    // than blaming a timeout.
    #expect(!result.stdout.contains("timed out"), "\(result)")
  }

  @Test("a server that never answers: the attempt times out and the gate exits 3")
  func hangingServer() throws {
    let server = try LoopbackLLMServer(responder: Self.responder)
    defer { server.stop() }
    server.inject(.hang, count: 1000)
    let (fixture, range) = try brokenRefund(server, extra: "retries: 0, timeout: 0.5")
    let result = try fixture.gate([range], environment: key)
    result.expect(exit: 3)
    #expect(result.stdout.contains("timed out"))
  }

  @Test("a 429 with Retry-After, then success, still gives a verdict")
  func rateLimitedThenSuccess() throws {
    let server = try LoopbackLLMServer(responder: Self.responder)
    defer { server.stop() }
    server.inject(.rateLimited(retryAfter: "1"))
    let (fixture, range) = try brokenRefund(server)
    let started = Date()
    let result = try fixture.gate([range], environment: key)
    result.expect(exit: 1)
    #expect(result.stdout.contains("regressed refund"))
    #expect(server.requestCount == 7 + 28)
    #expect(Date().timeIntervalSince(started) >= 1)
  }

  @Test("the API key goes in the Authorization header and nowhere in output or the store")
  func keyNeverLeaks() throws {
    let server = try LoopbackLLMServer(responder: Self.responder)
    defer { server.stop() }
    let (fixture, range) = try brokenRefund(server)
    var outputs: [String] = []
    let json = try fixture.gate(
      [range, "--store", fixture.store, "--format", "json"], environment: key)
    json.expect(exit: 1)
    outputs += [json.stdout, json.stderr]
    let text = try fixture.gate([range, "--store", fixture.store, "--refresh"], environment: key)
    text.expect(exit: 1)
    outputs += [text.stdout, text.stderr]
    // A server that echoes the key in its error (as some do) must not get it printed either.
    server.inject(
      .status(
        401,
        body: "{\"error\": {\"message\": \"Incorrect API key provided: \(Self.secret)\"}}"),
      count: 100)
    let refused = try fixture.gate(
      [range, "--store", fixture.store, "--refresh"], environment: key)
    refused.expect(exit: 3)
    #expect(refused.stdout.contains("HTTP 401"))
    outputs += [refused.stdout, refused.stderr]
    for output in outputs {
      #expect(!output.contains(Self.secret))
      #expect(!output.contains("SECRET-1234"))
    }
    let stored = GateFixture.files(under: fixture.store)
    #expect(!stored.isEmpty)
    for (path, contents) in stored {
      #expect(!contents.contains("SECRET-1234"), "the key is in \(path)")
    }
    let headers = server.requests.map { $0.header("authorization") }
    #expect(headers.count >= 12)
    #expect(headers.allSatisfy { $0 == "Bearer \(Self.secret)" })
    #expect(server.requests.allSatisfy { !$0.bodyText.contains(Self.secret) })
  }

  @Test("an unset key variable cannot evaluate (exit 3) and names the variable, not a value")
  func missingKey() throws {
    let server = try LoopbackLLMServer(responder: Self.responder)
    defer { server.stop() }
    let (fixture, range) = try brokenRefund(server)
    let result = try fixture.gate([range])
    #expect(result.exitCode != 0 && result.exitCode != 1)
    #expect((result.stdout + result.stderr).contains("GATE_TEST_KEY"))
    #expect(server.requestCount == 0)
    result.expect(exit: 3)
  }

  @Test(
    "in the hook, an unset key variable warns and lets the commit through (onUnavailable: warn)")
  func missingKeyInHook() throws {
    let server = try LoopbackLLMServer(responder: Self.responder)
    defer { server.stop() }
    let fixture = try GateFixture(
      mapping: Self.mapping(type: "openai", baseURL: server.openAIBaseURL))
    try fixture.installHook()
    try fixture.breakRefund()
    try fixture.repository.git("add", "-A")
    let result = try fixture.repository.runProgram("git", ["commit", "-q", "-m", "No key here"])
    #expect(result.stderr.contains("GATE_TEST_KEY"), "\(result)")
    #expect(server.requestCount == 0)
    result.expect(exit: 0)
    #expect(try fixture.repository.head() != fixture.baseline)
  }

  @Test("in the hook, an outage warns and lets the commit through; a regression blocks it")
  func hookWithHTTPProvider() throws {
    let server = try LoopbackLLMServer(responder: Self.responder)
    defer { server.stop() }
    let fixture = try GateFixture(
      mapping: Self.mapping(
        type: "openai", baseURL: server.openAIBaseURL, extra: "retries: 0, timeout: 5"))
    try fixture.installHook()
    try fixture.breakRefund()
    try fixture.repository.git("add", "-A")
    let commit = { () throws -> CommandResult in
      try fixture.repository.runProgram(
        "git", ["commit", "-q", "-m", "Store credit only"], environment: key)
    }
    let blocked = try commit()
    #expect(blocked.exitCode != 0, "\(blocked)")
    #expect(blocked.stderr.contains("regressed refund"))
    #expect(try fixture.repository.head() == fixture.baseline)
    // Under an outage (and with fresh results needed) the commit goes through with a warning.
    try fixture.repository.write("prompts/system.md", GateFixture.prompt + "greeting: Hi!\n")
    try fixture.repository.git("add", "-A")
    server.inject(.serverError, count: 100)
    let warned = try commit()
    warned.expect(exit: 0)
    #expect(warned.stderr.contains("could not evaluate smoke"))
    #expect(warned.stderr.contains("HTTP 500"))
  }

  @Test("anthropic: the messages API gates a prompt change the same way")
  func anthropicRegression() throws {
    let server = try LoopbackLLMServer(responder: Self.responder)
    defer { server.stop() }
    let (fixture, range) = try brokenRefund(server, type: "anthropic")
    let result = try fixture.gate([range], environment: key)
    result.expect(exit: 1)
    #expect(result.stdout.contains("regressed refund"))
    #expect(result.stdout.contains("output: Store credit only."))
    #expect(server.requestCount == 6 + 28)
    #expect(server.requests.allSatisfy { $0.path == "/v1/messages" })
    #expect(server.requests.allSatisfy { $0.header("x-api-key") == Self.secret })
    let systems = Set(server.requests.compactMap { $0.json?["system"] as? String })
    #expect(systems.count == 2)
    let harmless = try GateFixture(
      mapping: Self.mapping(type: "anthropic", baseURL: server.baseURL))
    try harmless.rewordShipping()
    let head = try harmless.repository.commit("Reword")
    try harmless.gate(["\(harmless.baseline)..\(head)"], environment: key).expect(exit: 0)
  }
}
