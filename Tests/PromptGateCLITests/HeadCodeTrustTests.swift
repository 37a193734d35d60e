import Foundation
import TestSupport
import Testing

/// Under CI events that run with the base repository's secrets, the head's code never runs:
/// its providers, harness and `command` assertions are replaced by the base's, however the sides
/// are given.
@Suite("The head's code under secret-holding events")
struct HeadCodeTrustTests {
  static let secret = "sk-test-HEAD-MUST-NOT-SEE-0042"

  /// A script that leaves a marker (naming itself) and prints the secret, as a hostile head would.
  static let hostile = """
    import os, sys
    open(os.environ["MARKER"], "a").write(sys.argv[0] + " " + os.environ.get("SECRET_KEY", "") + "\\n")
    print("Hello refund ship")

    """

  /// `main` at the baseline; `pr` rewords a prompt line, rewrites the harness, and points the
  /// provider at a script of its own.
  func hostilePullRequest() throws -> (GateFixture, head: String, marker: String) {
    let fixture = try GateFixture()
    _ = try fixture.repository.git("checkout", "-q", "-b", "pr")
    try fixture.rewordShipping()
    try fixture.repository.write("evals/evil.py", Self.hostile)
    try fixture.repository.write("evals/harness.py", Self.hostile + GateFixture.harness)
    try fixture.repository.write(
      "promptgate.yaml",
      GateFixture.mapping(
        set: ["files: [evals/harness.py, evals/evil.py]"],
        provider:
          "harness: {type: exec, command: [python3, evals/evil.py], concurrency: 4, timeout: 20}"
      ).replacingOccurrences(of: "    files: [evals/harness.py]\n", with: ""))
    let head = try fixture.repository.commit("Reword shipping")
    return (fixture, head, fixture.repository.container + "/marker")
  }

  func environment(_ event: String, marker: String) -> [String: String] {
    ["GITHUB_EVENT_NAME": event, "MARKER": marker, "SECRET_KEY": Self.secret]
  }

  @Test(
    "pull_request_target, workflow_run and issue_comment with --base/--head run the base's provider and harness; --trust-head-code runs the head's"
  )
  func sidesGiven() throws {
    let (fixture, head, marker) = try hostilePullRequest()
    for event in ["pull_request_target", "workflow_run", "issue_comment"] {
      let result = try fixture.gate(
        ["--base", "main", "--head", head, "--store", fixture.store + "-" + event],
        environment: environment(event, marker: marker))
      result.expect(exit: 0)
      #expect(!FileManager.default.fileExists(atPath: marker), "\(event): \(result)")
      #expect(result.stderr.contains("only the base's providers"), "\(result.stderr)")
      #expect(result.stderr.contains(event))
      #expect(!result.stdout.contains(Self.secret) && !result.stderr.contains(Self.secret))
    }
    // The base's harness answered the head's prompt: its calls are logged.
    #expect(fixture.calls().count > 0)

    let trusted = try fixture.gate(
      ["--base", "main", "--head", head, "--store", fixture.store, "--trust-head-code"],
      environment: environment("pull_request_target", marker: marker))
    #expect(FileManager.default.fileExists(atPath: marker), "\(trusted)")
    #expect(!trusted.stderr.contains("only the base's providers"))
  }

  @Test("under pull_request_target with no sides, the event's base and head are gated, base-only")
  func fromThePayload() throws {
    let (fixture, head, marker) = try hostilePullRequest()
    let payload: [String: Any] = [
      "number": 3,
      "pull_request": [
        "number": 3, "head": ["sha": head], "base": ["sha": fixture.baseline],
      ],
      "repository": ["full_name": "acme/bot", "default_branch": "main"],
    ]
    let path = fixture.repository.container + "/event.json"
    try JSONSerialization.data(withJSONObject: payload).write(to: URL(fileURLWithPath: path))
    var environment = environment("pull_request_target", marker: marker)
    environment["GITHUB_ACTIONS"] = "true"
    environment["GITHUB_EVENT_PATH"] = path
    let result = try fixture.gate(["--store", fixture.store], environment: environment)
    result.expect(exit: 0)
    #expect(result.stderr.contains("pull_request_target: \(fixture.baseline)"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: marker))
  }

  @Test(
    "under pull_request_target a head case's command assertion the base lacks is refused with its line"
  )
  func commandAssertions() throws {
    let fixture = try GateFixture()
    let marker = fixture.repository.container + "/marker"
    _ = try fixture.repository.git("checkout", "-q", "-b", "pr")
    try fixture.rewordShipping()
    try fixture.repository.write("evals/evil.py", Self.hostile)
    try fixture.repository.write(
      "evals/smoke.jsonl",
      GateFixture.cases
        + "{\"id\": \"sneaky\", \"vars\": {\"topic\": \"greeting\"}, \"assert\": [{\"type\": \"command\", \"value\": \"python3 evals/evil.py\"}]}\n"
    )
    let head = try fixture.repository.commit("Add a check")
    let result = try fixture.gate(
      ["--base", "main", "--head", head, "--store", fixture.store],
      environment: environment("pull_request_target", marker: marker))
    result.expect(exit: 2)
    #expect(result.stderr.contains("evals/smoke.jsonl"), "\(result.stderr)")
    #expect(result.stderr.contains(":4"), "\(result.stderr)")
    #expect(result.stderr.contains("case 'sneaky' runs the command 'python3 evals/evil.py'"))
    #expect(!FileManager.default.fileExists(atPath: marker))
  }

  @Test("under pull_request_target a command assertion the base's cases already run still runs")
  func baseCommandAssertion() throws {
    let check = "import sys\nsys.exit(0 if 'ship' in sys.stdin.read() else 1)\n"
    let line =
      "{\"id\": \"checked\", \"vars\": {\"topic\": \"shipping\"}, \"assert\": [{\"type\": \"command\", \"value\": \"python3 evals/check.py\"}]}\n"
    let fixture = try GateFixture(
      mapping: GateFixture.mapping(set: ["files: [evals/harness.py, evals/check.py]"])
        .replacingOccurrences(of: "    files: [evals/harness.py]\n", with: ""),
      files: ["evals/check.py": check, "evals/smoke.jsonl": GateFixture.cases + line])
    _ = try fixture.repository.git("checkout", "-q", "-b", "pr")
    try fixture.repository.edit(
      "prompts/system.md", replacing: "Orders ship in two days.", with: "Parcels leave in a day.")
    let head = try fixture.repository.commit("Break shipping")
    let result = try fixture.gate(
      ["--base", "main", "--head", head, "--store", fixture.store, "--format", "json"],
      environment: environment("pull_request_target", marker: fixture.repository.container + "/m"))
    // The base's check ran on the head's answer and failed it: a regression, not a refusal.
    result.expect(exit: 1)
    #expect(result.stdout.contains("\"checked\""), "\(result)")
  }

  @Test(
    "under pull_request_target a head provider pointing at its own server with any secret is never contacted"
  )
  func headProviderServer() throws {
    let server = try LoopbackLLMServer()
    defer { server.stop() }
    let fixture = try GateFixture()
    _ = try fixture.repository.git("checkout", "-q", "-b", "pr")
    try fixture.rewordShipping()
    try fixture.repository.write(
      "promptgate.yaml",
      GateFixture.mapping(
        set: ["messages: {system: prompts/system.md, user: \"{{topic}}\"}"],
        provider:
          "harness: {type: openai, baseURL: \"\(server.openAIBaseURL)\", apiKeyEnv: SECRET_KEY, timeout: 5}"
      ))
    let head = try fixture.repository.commit("Use my server")
    let result = try fixture.gate(
      ["--base", "main", "--head", head, "--store", fixture.store],
      environment: environment("workflow_run", marker: fixture.repository.container + "/m"))
    result.expect(exit: 0)
    #expect(server.requestCount == 0, "\(result)")
    #expect(!result.stdout.contains(Self.secret) && !result.stderr.contains(Self.secret))
  }

  @Test("a set defined only at the head is not evaluated under pull_request_target, and says why")
  func headOnlySet() throws {
    let fixture = try GateFixture()
    _ = try fixture.repository.git("checkout", "-q", "-b", "pr")
    try fixture.rewordShipping()
    try fixture.repository.write("evals/more.jsonl", GateFixture.cases)
    try fixture.repository.write(
      "promptgate.yaml",
      GateFixture.mapping()
        + "  more:\n    tier: fast\n    provider: harness\n    cases: evals/more.jsonl\n    protects: {bot: [prompt]}\n"
    )
    let head = try fixture.repository.commit("Add a set")
    let result = try fixture.gate(
      ["--base", "main", "--head", head, "--store", fixture.store],
      environment: environment("pull_request_target", marker: fixture.repository.container + "/m"))
    result.expect(exit: 3)
    #expect(result.stdout.contains("it is defined only at the head"), "\(result)")
  }
}
