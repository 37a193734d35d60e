import Foundation
import TestSupport
import Testing

@Suite("promptgate-report")
struct ReportCommandTests {
  static let mapping = """
    behaviors:
      agent:
        prompt: [prompts/agent/*.md]
        model: {value: small}
    prices:
      small: {input: 0.5, output: 2}

    """

  /// A repository whose `agent` has two versions, one commit each, and the ids of both.
  struct History {
    let repository: TemporaryRepository
    let first: String
    let second: String
    let firstId: String
    let secondId: String
  }

  static func history() throws -> History {
    let repository = try TemporaryRepository()
    try repository.write("promptgate.yaml", mapping)
    try repository.write("prompts/agent/system.md", "You are an agent.\n")
    let first = try repository.commit("Agent")
    try repository.write("README.md", "Docs.\n")
    try repository.commit("Docs")
    try repository.write("prompts/agent/system.md", "You are a careful agent.\n")
    let second = try repository.commit("Careful agent")
    let firstId = try #require(try repository.versionIDs(["--rev", first])["agent"])
    let secondId = try #require(try repository.versionIDs(["--rev", second])["agent"])
    return History(
      repository: repository, first: first, second: second, firstId: firstId, secondId: secondId)
  }

  /// One request as the test writes it and as it computes the expected figures from.
  struct Request {
    var id: String
    var ts: Int64
    var latency: Double
    var input: Int
    var output: Int
    var tools: [(String, Bool)]
    var refusal: Bool
    var route: String

    var line: String {
      let tools = self.tools.map { #"{"name":"\#($0.0)","error":\#($0.1)}"# }
      return
        #"{"ts":\#(ts),"behaviorId":"\#(id)","model":"small","latencyMs":\#(latency),"inputTokens":\#(input),"outputTokens":\#(output),"tools":[\#(tools.joined(separator: ","))],"refusal":\#(refusal),"route":"\#(route)"}"#
    }
  }

  /// Requests spread over both versions and a third id no commit has, from a fixed seed.
  static func requests(_ history: History, unknown: String) -> [Request] {
    var state: UInt64 = 42
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    return (0..<600).map { index in
      let pick = next(10)
      let id = pick < 5 ? history.firstId : pick < 9 ? history.secondId : unknown
      return Request(
        id: id, ts: 1_767_225_600_000 + Int64(index) * 60_000, latency: Double(50 + next(3000)),
        input: 100 + next(900), output: 1 + next(300),
        tools: (0..<next(3)).map { _ in (next(2) == 0 ? "lookup" : "refund", next(6) == 0) },
        refusal: next(15) == 0, route: next(3) == 0 ? "checkout" : "support")
    }
  }

  static func nearestRank(_ values: [Double], _ q: Double) -> Double {
    let sorted = values.sorted()
    return sorted[max(1, Int((q * Double(sorted.count)).rounded(.up))) - 1]
  }

  @Test("per version figures equal a direct computation; each version is labelled from git")
  func figures() throws {
    let history = try Self.history()
    let unknown = "pgv1-" + String(repeating: "0", count: 64)
    let requests = Self.requests(history, unknown: unknown)
    try history.repository.write(
      "telemetry/requests.jsonl", requests.map(\.line).joined(separator: "\n") + "\n")
    let result = try history.repository.run(
      "promptgate-report", ["telemetry/requests.jsonl", "--format", "json"])
    result.expect(exit: 0)
    #expect(result.stderr.isEmpty, "\(result)")
    let report = try JSONOutput.object(result.stdout)
    #expect(report["partial"] as? Bool == false)
    #expect(report["requests"] as? Int == requests.count)
    let versions = try #require(report["versions"] as? [[String: Any]])
    #expect(
      Set(versions.compactMap { $0["behaviorId"] as? String }) == [
        history.firstId, history.secondId, unknown,
      ])
    for version in versions {
      let id = try #require(version["behaviorId"] as? String)
      let mine = requests.filter { $0.id == id }
      let label = try #require(version["label"] as? [String: Any])
      switch id {
      case history.firstId:
        #expect(label["status"] as? String == "inHistory")
        #expect(label["commits"] as? [String] == [history.first])
        #expect(label["behaviors"] as? [String] == ["agent"])
      case history.secondId:
        #expect(label["status"] as? String == "inHistory")
        #expect(label["commits"] as? [String] == [history.second])
        #expect(label["atHead"] as? Bool == true)
      default:
        #expect(label["status"] as? String == "notInHistory")
        #expect(label["commits"] as? [String] == [])
      }
      let metrics = try #require(version["metrics"] as? [String: Any])
      #expect(metrics["requests"] as? Int == mine.count)
      let latency = try #require(metrics["latencyMs"] as? [String: Any])
      for (key, q) in [("p50", 0.5), ("p95", 0.95), ("p99", 0.99)] {
        let exact = Self.nearestRank(mine.map(\.latency), q)
        let shown = try #require(latency[key] as? Double)
        #expect(abs(shown - exact) <= 0.01 * exact, "\(key): \(shown) vs \(exact)")
      }
      let cost = try #require(metrics["cost"] as? [String: Any])
      let expectedCost = mine.map { (Double($0.input) * 0.5 + Double($0.output) * 2) / 1e6 }
        .reduce(0, +)
      #expect(abs((cost["total"] as? Double ?? -1) - expectedCost) < 1e-12)
      let refusals = try #require(metrics["refusalRate"] as? [String: Any])
      #expect(refusals["count"] as? Int == mine.filter(\.refusal).count)
      #expect(refusals["total"] as? Int == mine.count)
      let toolFailures = try #require(metrics["toolFailureRate"] as? [String: Any])
      let calls = mine.flatMap(\.tools)
      #expect(toolFailures["total"] as? Int == calls.count)
      #expect(toolFailures["count"] as? Int == calls.filter(\.1).count)
      let inputs = try #require(metrics["inputTokensPerRequest"] as? [String: Any])
      let meanInput = Double(mine.map(\.input).reduce(0, +)) / Double(mine.count)
      #expect(abs((inputs["mean"] as? Double ?? -1) - meanInput) < 1e-9)
    }

    let text = try history.repository.run("promptgate-report", ["telemetry/requests.jsonl"])
    text.expect(exit: 0)
    #expect(
      text.stdout.contains("agent pgv1-\(history.firstId.dropFirst(5).prefix(12))"), "\(text)")
    #expect(text.stdout.contains("commits         \(history.second.prefix(12))"), "\(text)")
    #expect(
      text.stdout.contains(
        "(unknown behavior) pgv1-000000000000\n  not in this repository's history"), "\(text)")
    #expect(
      text.stdout.contains("requests        \(requests.filter { $0.id == unknown }.count)"),
      "\(text)")
    let markdown = try history.repository.run(
      "promptgate-report", ["telemetry/requests.jsonl", "--format", "markdown"])
    markdown.expect(exit: 0)
    #expect(markdown.stdout.hasPrefix("## PromptGate: telemetry by behavior version"))
    #expect(
      markdown.stdout.contains(
        "| agent | `pgv1-\(history.secondId.dropFirst(5).prefix(12))` | \(history.second.prefix(12)) |"
      ), "\(markdown)")
  }

  @Test("bad lines make the report partial: counted on stderr with file, line and reason; exit 0")
  func partial() throws {
    let history = try Self.history()
    let good = #"{"ts":"2026-01-01T00:00:00Z","behaviorId":"\#(history.firstId)","latencyMs":10}"#
    try history.repository.write(
      "t.jsonl",
      [good, "{\"ts\": 1, \"behaviorId\"", good, #"{"ts":1,"behaviorId":"nope"}"#, good].joined(
        separator: "\n"))
    let result = try history.repository.run("promptgate-report", ["t.jsonl", "--format", "json"])
    result.expect(exit: 0)
    #expect(
      result.stderr.contains("2 lines skipped: line 2 of t.jsonl: not JSON at column"), "\(result)")
    #expect(
      result.stderr.contains("line 4 of t.jsonl: behaviorId: 'nope' is not a behavior version id"),
      "\(result)")
    let report = try JSONOutput.object(result.stdout)
    #expect(report["partial"] as? Bool == true)
    #expect(report["requests"] as? Int == 3)
    let text = try history.repository.run("promptgate-report", ["t.jsonl"])
    #expect(text.stdout.hasPrefix("partial: 2 lines skipped"), "\(text)")
  }

  @Test("no request at all, a missing file and a bad --since exit 2 with what to do")
  func nothing() throws {
    let history = try Self.history()
    try history.repository.write("empty.jsonl", "\n")
    let empty = try history.repository.run("promptgate-report", ["empty.jsonl"])
    empty.expect(exit: 2)
    #expect(empty.stdout.isEmpty)
    #expect(empty.stderr.contains("no requests to report in empty.jsonl"), "\(empty)")
    let missing = try history.repository.run("promptgate-report", ["absent.jsonl"])
    missing.expect(exit: 2)
    #expect(missing.stderr.contains("cannot open telemetry file absent.jsonl"), "\(missing)")
    let since = try history.repository.run(
      "promptgate-report", ["empty.jsonl", "--since", "last week"])
    since.expect(exit: 2)
    #expect(since.stderr.contains("--since 'last week' is neither an RFC 3339 time"), "\(since)")
    let none = try history.repository.run("promptgate-report", [])
    none.expect(exit: 2)
    #expect(none.stderr.contains("name the telemetry files"), "\(none)")
    let group = try history.repository.run(
      "promptgate-report", ["empty.jsonl", "--group-by", "user"])
    group.expect(exit: 2)
    #expect(group.stderr.contains("--group-by takes route, tenant or model"), "\(group)")
  }

  @Test("standard input and globs; --since/--until, --behavior and --group-by select and split")
  func selection() throws {
    let history = try Self.history()
    let requests = Self.requests(history, unknown: "pgv1-" + String(repeating: "1", count: 64))
    let lines = requests.map(\.line)
    try history.repository.write("logs/a.jsonl", lines[..<300].joined(separator: "\n") + "\n")
    try history.repository.write("logs/b.jsonl", lines[300...].joined(separator: "\n") + "\n")
    let globbed = try history.repository.run(
      "promptgate-report", ["logs/*.jsonl", "--format", "json"])
    globbed.expect(exit: 0)
    #expect(try JSONOutput.object(globbed.stdout)["requests"] as? Int == requests.count)
    #expect(
      try JSONOutput.object(globbed.stdout)["sources"] as? [String] == [
        "logs/a.jsonl", "logs/b.jsonl",
      ])

    // Requests 100 to 199 by time: since is inclusive, until exclusive.
    let since = "2026-01-01T01:40:00Z"  // request 100
    let until = "2026-01-01T03:20:00Z"  // request 200
    let windowed = try history.repository.run(
      "promptgate-report",
      [
        "-", "--since", since, "--until", until, "--behavior", "agent", "--group-by", "route",
        "--format", "json",
      ],
      stdin: lines.joined(separator: "\n") + "\n")
    windowed.expect(exit: 0)
    let report = try JSONOutput.object(windowed.stdout)
    let inWindow = requests[100..<200].filter {
      $0.id != "pgv1-" + String(repeating: "1", count: 64)
    }
    #expect(report["requests"] as? Int == inWindow.count)
    #expect(report["outsideWindow"] as? Int == 500)
    #expect(report["groupBy"] as? String == "route")
    let versions = try #require(report["versions"] as? [[String: Any]])
    for version in versions {
      let id = version["behaviorId"] as? String
      let group = version["group"] as? String
      let expected = inWindow.filter { $0.id == id && $0.route == group }.count
      #expect((version["metrics"] as? [String: Any])?["requests"] as? Int == expected)
    }
    #expect(versions.count == 4)

    let unknownBehavior = try history.repository.run(
      "promptgate-report", ["logs/a.jsonl", "--behavior", "nobody"])
    unknownBehavior.expect(exit: 2)
    #expect(
      unknownBehavior.stderr.contains(
        "no commit in HEAD's history defines a behavior named 'nobody'; defined: agent"),
      "\(unknownBehavior)")
  }

  @Test("a released version is labelled with its release tag")
  func released() throws {
    let fixture = try ReleaseFixture.make()
    try fixture.release().expect(exit: 0)
    let id = try fixture.botId()
    try fixture.repository.write(
      "../t.jsonl", #"{"ts":0,"behaviorId":"\#(id)","latencyMs":5}"# + "\n")
    let result = try fixture.repository.run(
      "promptgate-report", ["../t.jsonl", "--format", "json"])
    result.expect(exit: 0)
    let versions = try #require(
      try JSONOutput.object(result.stdout)["versions"] as? [[String: Any]])
    let label = try #require(versions.first?["label"] as? [String: Any])
    #expect(label["releases"] as? [String] == [GateFixture.botTag(id)])
    let text = try fixture.repository.run("promptgate-report", ["../t.jsonl"])
    #expect(text.stdout.contains("released as     \(GateFixture.botTag(id))"), "\(text)")
  }

  @Test("in a shallow clone, a version older than the boundary is said to be beyond it")
  func shallow() throws {
    let history = try Self.history()
    let clone = history.repository.container + "/shallow"
    try history.repository.git([
      "clone", "-q", "--depth", "1", "file://" + history.repository.path, clone,
    ])
    let lines = [history.firstId, history.secondId].map { #"{"ts":0,"behaviorId":"\#($0)"}"# }
    try lines.joined(separator: "\n").write(
      toFile: clone + "/t.jsonl", atomically: true, encoding: .utf8)
    let result = try history.repository.run(
      "promptgate-report", ["t.jsonl", "--format", "json"], in: clone)
    result.expect(exit: 0)
    let versions = try #require(
      try JSONOutput.object(result.stdout)["versions"] as? [[String: Any]])
    let labels = Dictionary(
      uniqueKeysWithValues: versions.map {
        ($0["behaviorId"] as? String ?? "", $0["label"] as? [String: Any] ?? [:])
      })
    #expect(labels[history.firstId]?["status"] as? String == "beyondShallowBoundary")
    #expect(labels[history.firstId]?["atHead"] as? Bool == false)
    #expect(labels[history.secondId]?["atHead"] as? Bool == true)
    let text = try history.repository.run("promptgate-report", ["t.jsonl"], in: clone)
    #expect(text.stdout.contains("beyond the shallow boundary"), "\(text)")
  }
}
