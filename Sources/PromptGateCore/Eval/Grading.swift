import Foundation
import Subprocess
import SystemPackage

/// A grading an assertion needs beyond the output itself: a judge's verdict (`llm-rubric`) or a
/// team's script (`command`). Planned once the outputs are known, run by ``GateExecutor`` like a
/// model call (the same concurrency limits, retries, spending cap, call count, progress and
/// store), stored as a ``StoredJudgement``, and read back by the scorer, which runs nothing.
public struct PlannedGrading: Sendable {
  /// What to run.
  public enum Work: Sendable {
    /// Ask the set's judge provider, with the rubric, the output and the case's vars.
    case judge(provider: String, request: ProviderRequest, model: String?)
    /// Run the team's program with the output on stdin.
    case command(
      argv: [String], output: ProviderOutput, evalCase: EvalCase, directory: String,
      threshold: Double?)
  }

  /// The judgement key the verdict is stored under.
  public let key: String
  /// What to run.
  public let work: Work
  /// Who answers, for messages: `judge NAME` or `command`.
  public let label: String

  /// The assertion's outcome from a stored verdict: a judge's score meets the threshold (its
  /// pass when it gave none); a command's verdict is stored already decided.
  func outcome(_ stored: StoredJudgement, threshold: Double?) -> AssertionOutcome {
    switch work {
    case .judge:
      let pass = stored.score.map { $0 >= (threshold ?? 0.5) } ?? stored.pass
      return AssertionOutcome(pass: pass, score: stored.score, reason: "judge: \(stored.reason)")
    case .command:
      return AssertionOutcome(pass: stored.pass, score: stored.score, reason: stored.reason)
    }
  }
}

extension GatePlan {
  /// The judgement keys of every grading this plan's outputs in `store` need, stored or not
  /// (what a shard hands to `gate merge` with its results).
  public func gradingKeys(in store: ResultStore) -> [String] {
    Grading.needed(self, store: store, fresh: [:], includingStored: true).map(\.key)
  }

  /// How many gradings this plan's stored outputs need that the store lacks (`gate merge`
  /// refuses to make them).
  public func missingGradings(in store: ResultStore) -> Int {
    Grading.needed(self, store: store, fresh: [:]).count
  }
}

/// Which gradings a plan's assertions need.
enum Grading {
  /// The grading `assertion` needs on `output`, nil when the output alone decides it.
  static func plan(
    _ assertion: Assertion, output: ProviderOutput, set: PlannedSet, evalCase: EvalCase,
    plan: GatePlan
  ) throws -> PlannedGrading? {
    switch assertion.kind {
    case .rubric(let rubric):
      guard let spec = set.definition.run.judge,
        let definition = plan.providerDefinitions[spec.provider]
      else {
        throw ProviderError(
          provider: "judge",
          "eval set '\(set.definition.name)' uses llm-rubric without a `judge: {provider: NAME, model: M}`"
        )
      }
      let model = spec.model ?? definition.model
      let key = try ResultKey.judgement(
        provider: definition.settings, model: model, rubric: rubric, output: output.output)
      let request = ProviderRequest(
        caseID: evalCase.id,
        vars: [
          "rubric": .string(rubric), "output": .string(output.output),
          "vars": .object(evalCase.vars),
        ],
        behavior: BehaviorRun(
          name: "judge", id: "judge", model: model, temperature: 0, maxOutputTokens: 512,
          directory: set.harnessDirectory, promptFiles: [], toolSchemaFiles: []),
        messages: MessagesSpec(system: nil, user: Judge.template),
        harnessDirectory: set.harnessDirectory, repeatIndex: 0)
      return PlannedGrading(
        key: key, work: .judge(provider: spec.provider, request: request, model: model),
        label: "judge \(spec.provider)")
    case .command(let argv):
      let key = try Digest.canonical(
        .object([
          "v": .number(1), "command": .array(argv.map(JSONValue.string)),
          "harness": .string(set.harnessDigest), "case": .string(evalCase.id),
          "vars": .object(evalCase.vars), "output": .string(output.output),
          "threshold": assertion.threshold.map(JSONValue.number) ?? .null,
        ]))
      return PlannedGrading(
        key: key,
        work: .command(
          argv: argv, output: output, evalCase: evalCase, directory: set.harnessDirectory,
          threshold: assertion.threshold),
        label: "command")
    default:
      return nil
    }
  }

  /// Every grading the plan's outputs need that the store does not hold, once each; outputs
  /// come from `fresh` or the store (a run that failed has none, and needs no grading).
  static func needed(
    _ plan: GatePlan, store: ResultStore, fresh: [String: ProviderOutput],
    includingStored: Bool = false
  ) -> [PlannedGrading] {
    var seen = Set<String>()
    var needed: [PlannedGrading] = []
    for set in plan.sets {
      for planned in set.cases {
        let graded = planned.evalCase.assertions.filter {
          if case .rubric = $0.kind { return true }
          if case .command = $0.kind { return true }
          return false
        }
        guard !graded.isEmpty else { continue }
        for key in planned.headKeys + (planned.baselineKeys ?? []) {
          guard let output = fresh[key] ?? store.result(key)?.output else { continue }
          for assertion in graded {
            guard
              let grading = try? Grading.plan(
                assertion, output: output, set: set, evalCase: planned.evalCase, plan: plan),
              seen.insert(grading.key).inserted,
              includingStored || store.judgement(grading.key) == nil
            else { continue }
            needed.append(grading)
          }
        }
      }
    }
    return needed
  }

  /// Runs `grading`: asks the judge, or runs the command.
  static func run(_ grading: PlannedGrading, plan: GatePlan) async throws -> (
    StoredJudgement, ProviderOutput?
  ) {
    switch grading.work {
    case .judge(let provider, let request, _):
      guard let judge = plan.providers[provider] else {
        throw ProviderError(provider: provider, "the judge provider could not be set up")
      }
      let answer = try await judge.complete(request)
      let parsed = Judge.parse(answer.output)
      return (
        StoredJudgement(
          key: grading.key, pass: parsed.pass, score: parsed.score, reason: parsed.reason),
        answer
      )
    case .command(let argv, let output, let evalCase, let directory, let threshold):
      let outcome = try await CommandAssertion.run(
        argv, output: output, evalCase: evalCase, directory: directory, threshold: threshold)
      return (
        StoredJudgement(
          key: grading.key, pass: outcome.pass, score: outcome.score, reason: outcome.reason),
        nil
      )
    }
  }
}

/// The grading prompt and answer format for `llm-rubric`.
enum Judge {
  static let template = """
    You are grading an AI assistant's answer against a rubric.
    Rubric: {{rubric}}
    Answer: {{output}}
    Reply with JSON only: {"pass": true or false, "score": a number from 0 to 1, "reason": "one sentence"}
    """

  /// Reads a judge's answer: JSON with pass/score/reason, anywhere in the text.
  static func parse(_ text: String) -> (pass: Bool, score: Double?, reason: String) {
    if let start = text.firstIndex(of: "{"), let end = text.lastIndex(of: "}"),
      let data = String(text[start...end]).data(using: .utf8),
      case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: data)
    {
      var score: Double?
      if case .number(let value)? = object["score"] { score = value }
      var pass = (score ?? 0) >= 0.5
      if case .bool(let flag)? = object["pass"] { pass = flag }
      var reason = ""
      if case .string(let text)? = object["reason"] { reason = text }
      return (pass, score, reason)
    }
    return (false, nil, "the judge's answer was not JSON: \(text.prefix(200))")
  }
}

/// Runs a `command` assertion: the team's script, with the output on stdin.
enum CommandAssertion {
  static func run(
    _ argv: [String], output: ProviderOutput, evalCase: EvalCase, directory: String,
    threshold: Double?
  ) async throws -> AssertionOutcome {
    guard let program = argv.first else {
      return AssertionOutcome(pass: false, score: nil, reason: "command is empty")
    }
    let executable = Executable.team(program, in: directory)
    let vars = (try? CanonicalJSON.serialize(.object(evalCase.vars))) ?? "{}"
    let result: ExecutionResult<Void, StringOutput<UTF8>, StringOutput<UTF8>>
    do {
      result = try await InputFile.with(output.output) { stdin in
        try await Subprocess.run(
          executable, arguments: Arguments(Array(argv.dropFirst())),
          environment: .inherit.updating([
            "PROMPTGATE_CASE_ID": evalCase.id, "PROMPTGATE_VARS": vars,
          ]),
          workingDirectory: FilePath(directory),
          input: .fileDescriptor(stdin, closeAfterSpawningProcess: false),
          output: .string(limit: 1 << 20), error: .string(limit: 1 << 20))
      }
    } catch {
      throw ProviderError(
        provider: "command", "cannot run `\(argv.joined(separator: " "))`: \(error)")
    }
    let text = result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    if case .exited(let code) = result.terminationStatus, code == 0 || code == 1 {
      if let score = Double(text) {
        let bound = threshold ?? 0.5
        return AssertionOutcome(
          pass: score >= bound, score: score, reason: "score \(score) (threshold \(bound))")
      }
      if text.hasPrefix("{") {
        let parsed = Judge.parse(text)
        return AssertionOutcome(pass: parsed.pass, score: parsed.score, reason: parsed.reason)
      }
      return AssertionOutcome(
        pass: code == 0, score: nil,
        reason: code == 0
          ? "command passed" : (text.isEmpty ? "command failed" : String(text.prefix(300))))
    }
    throw ProviderError(
      provider: "command",
      "`\(argv.joined(separator: " "))` ended with \(ExecProvider.describe(result.terminationStatus)): exit 0 passes, 1 fails, anything else cannot evaluate"
    )
  }
}
