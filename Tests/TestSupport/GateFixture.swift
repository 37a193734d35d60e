import Foundation

/// A small repository for gate tests: one behavior `bot` (a prompt file and a model value), an
/// `exec` harness committed in the repository, and an eval set `smoke` of three cases that all
/// pass on the first commit, "Baseline".
///
/// The harness answers each case with the line of `prompts/system.md` named by the case's
/// `topic`, so editing a line of the prompt changes exactly one case's answer. It appends one
/// line per invocation (`case repeat behaviorId`) to ``log``, a file outside the repository that
/// the environment variable `GATE_LOG` names, so that tests count provider calls. Other
/// variables steer it:
///
/// - `GATE_CRASH=1`: exit 7 (the harness could not evaluate);
/// - `GATE_SLOW=TEXT` with `GATE_BLOCK=PATH`: cases whose id contains TEXT wait while PATH exists
///   (at most 30 s), so that a test can stop a gate while they run;
/// - a prompt line `flaky: 0,2`: the runs with those `PROMPTGATE_REPEAT`s answer "flaked".
public final class GateFixture {
  /// The repository; its first commit is "Baseline".
  public let repository: TemporaryRepository
  /// The harness's call log, outside the working tree.
  public let log: String
  /// A result store directory outside the repository, for `--store`.
  public let store: String
  /// The first commit.
  public private(set) var baseline = ""

  /// The harness: python3, reading the case from stdin and the prompt from the behavior dir.
  public static let harness = """
    import json, os, sys, time

    case = json.load(sys.stdin)
    repeat = int(os.environ.get("PROMPTGATE_REPEAT", "0"))
    log = os.environ.get("GATE_LOG")
    if log:
        with open(log, "a") as handle:
            handle.write("%s %d %s\\n" % (case["id"], repeat, os.environ.get("PROMPTGATE_BEHAVIOR_ID", "")))
    if os.environ.get("GATE_CRASH") == "1":
        sys.stderr.write("harness: the model is unreachable\\n")
        sys.exit(7)
    slow, block = os.environ.get("GATE_SLOW"), os.environ.get("GATE_BLOCK")
    if slow and block and slow in case["id"]:
        deadline = time.time() + 30
        while os.path.exists(block) and time.time() < deadline:
            time.sleep(0.02)
    with open(os.path.join(os.environ["PROMPTGATE_BEHAVIOR_DIR"], "prompts/system.md")) as handle:
        lines = dict(line.split(":", 1) for line in handle.read().splitlines() if ":" in line)
    flaky = [int(text) for text in lines.get("flaky", "").split(",") if text.strip()]
    if repeat in flaky:
        print("flaked")
    else:
        print(lines.get(case["vars"].get("topic", ""), " I don't know").strip())

    """

  /// The baseline prompt: every case passes.
  public static let prompt = """
    greeting: Hello, how can I help?
    refund: We offer a full refund within 30 days.
    shipping: Orders ship in two days.

    """

  /// The prompt line whose replacement with ``brokenRefund`` breaks the `refund` case.
  public static let refundLine = "refund: We offer a full refund within 30 days."
  /// A refund answer that fails `icontains refund`.
  public static let brokenRefund = "refund: We offer store credit only."

  /// One JSONL case.
  public static func caseLine(_ id: String, topic: String? = nil, _ type: String, _ value: String)
    -> String
  {
    "{\"id\": \"\(id)\", \"vars\": {\"topic\": \"\(topic ?? id)\"}, "
      + "\"assert\": [{\"type\": \"\(type)\", \"value\": \"\(value)\"}]}"
  }

  /// The three cases: greeting, refund, shipping.
  public static let cases =
    [
      caseLine("greeting", "icontains", "hello"),
      caseLine("refund", "icontains", "refund"),
      caseLine("shipping", "contains", "ship"),
    ].joined(separator: "\n") + "\n"

  /// The mapping: `bot`, the `harness` provider, the fast set `smoke` with `floor: 1.0`;
  /// `set` adds lines to the set's entry, `top` top-level lines, `provider` replaces the
  /// provider's entry.
  public static func mapping(
    set: [String] = [], top: [String] = [],
    provider: String =
      "harness: {type: exec, command: [python3, evals/harness.py], concurrency: 4, timeout: 20}"
  ) -> String {
    var lines = [
      "behaviors:",
      "  bot:",
      "    prompt: [prompts/*.md]",
      "    model: {value: test-model}",
      "providers:",
      "  \(provider)",
      "evalSets:",
      "  smoke:",
      "    tier: fast",
      "    provider: harness",
      "    files: [evals/harness.py]",
      "    cases: evals/smoke.jsonl",
      "    floor: 1.0",
      "    protects: {bot: [prompt, model]}",
    ]
    lines += set.map { "    " + $0 }
    lines += top
    return lines.joined(separator: "\n") + "\n"
  }

  /// Writes the files (the defaults, with `files` replacing or adding some) and commits them as
  /// "Baseline".
  public init(mapping: String = GateFixture.mapping(), files: [String: String] = [:]) throws {
    repository = try TemporaryRepository()
    log = repository.container + "/calls.log"
    store = repository.container + "/store"
    var all = [
      "promptgate.yaml": mapping,
      "prompts/system.md": Self.prompt,
      "evals/harness.py": Self.harness,
      "evals/smoke.jsonl": Self.cases,
      "README.md": "A bot.\n",
    ]
    all.merge(files) { $1 }
    for (path, text) in all.sorted(by: { $0.key < $1.key }) {
      try repository.write(path, text)
    }
    baseline = try repository.commit("Baseline")
  }

  /// The variables the harness reads, for `run` and `git commit`.
  public var environment: [String: String] { ["GATE_LOG": log] }

  /// Runs `promptgate-gate` with `arguments` in the working tree, with ``environment``.
  @discardableResult
  public func gate(_ arguments: [String], environment extra: [String: String] = [:]) throws
    -> CommandResult
  {
    try repository.run(
      "promptgate-gate", arguments, environment: environment.merging(extra) { $1 })
  }

  /// The harness's calls so far, one `case repeat behaviorId` line each.
  public func calls() -> [String] {
    guard let data = FileManager.default.contents(atPath: log) else { return [] }
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
  }

  /// How many calls so far ran the case `id`.
  public func calls(of id: String) -> Int {
    calls().filter { $0.hasPrefix(id + " ") }.count
  }

  /// Replaces the refund line of the prompt so that the `refund` case fails (not committed).
  public func breakRefund() throws {
    try repository.edit("prompts/system.md", replacing: Self.refundLine, with: Self.brokenRefund)
  }

  /// Rewords the shipping line of the prompt: a change every case still passes (not committed).
  public func rewordShipping() throws {
    try repository.edit(
      "prompts/system.md", replacing: "Orders ship in two days.", with: "Orders ship within 48h.")
  }

  /// The result files under the store at `directory` (default: ``store``).
  public func resultFiles(in directory: String? = nil) -> [String] {
    let root = (directory ?? store) + "/results"
    guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
    return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }
      .map { root + "/" + $0 }
  }

  /// Every regular file under `directory`, recursively, with its text.
  public static func files(under directory: String) -> [String: String] {
    var found: [String: String] = [:]
    guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [:] }
    for case let relative as String in enumerator {
      let path = directory + "/" + relative
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
        !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path)
      else { continue }
      found[relative] = String(decoding: data, as: UTF8.self)
    }
    return found
  }

  /// Installs the package's hooks/pre-commit, as committed, into the repository.
  public func installHook() throws {
    let hooks = repository.absolute(".git/hooks")
    try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
    let hook = hooks + "/pre-commit"
    try? FileManager.default.removeItem(atPath: hook)
    try FileManager.default.copyItem(atPath: PackageFiles.path("hooks/pre-commit"), toPath: hook)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)
  }
}
