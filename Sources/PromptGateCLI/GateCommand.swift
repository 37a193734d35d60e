import ArgumentParser
import Foundation
import GitKit
import PromptGateCI
import PromptGateCore
import PromptGateWorkflows

/// `promptgate-gate`: run the selected eval sets at both sides, compare, decide.
public struct GateCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-gate",
    abstract:
      "Run the eval sets a change selects on the head and the baseline, and fail what regresses.",
    discussion: """
      Selects eval sets as promptgate-select does, runs each on the head's behaviour and on the \
      baseline's (reading results already in the store), and compares them case by case. A case \
      regresses when it passed at the baseline and fails at the head; a set regresses when its \
      pass rate falls significantly (exact McNemar test at the set's alpha), falls below its \
      floor, or breaks a metric budget. Revisions are read from git objects and --staged from \
      the index; the working tree is read only when it is a side (--worktree, or a single REV). \
      See docs/gate.md.

      In GitHub Actions and GitLab CI, with no sides given, the base and head come from the \
      event (see docs/ci.md). `promptgate gate merge FILE...` combines the results of --shard \
      runs into one verdict.

      Exit status: 0 pass (or nothing selected), 1 a set regressed, 2 usage or configuration \
      error, 3 could not evaluate (a provider failed, the spending cap was reached) unless \
      --on-unavailable warn (the default for a pull request from a fork), 4 the environment \
      failed (the result store or a temporary directory unwritable, a lock not obtained).
      """)

  @OptionGroup public var common: CommonOptions
  @OptionGroup public var comparison: ComparisonOptions
  @OptionGroup public var gate: GateOptions
  @OptionGroup public var trust: TrustOptions

  @Option(help: ArgumentHelp("The baseline revision (with --head).", valueName: "rev"))
  public var base: String?

  @Option(help: ArgumentHelp("The head revision (with --base).", valueName: "rev"))
  public var head: String?

  @Option(
    help: ArgumentHelp(
      "Run only shard i of n (1-based) and write its results with --shard-output.",
      valueName: "i/n"))
  public var shard: String?

  @Option(help: ArgumentHelp("Where --shard writes its results.", valueName: "path"))
  public var shardOutput: String?

  public init() {}

  /// `promptgate-gate merge ...` goes to the merge command; anything else is parsed here.
  public static func entry(_ arguments: [String]) async -> Never {
    if arguments.first == "merge" {
      await CommandRunner.main(GateMergeCommand.self, arguments: Array(arguments.dropFirst()))
    }
    await CommandRunner.main(Self.self, arguments: arguments)
  }

  public mutating func validate() throws {
    if (base == nil) != (head == nil) {
      throw ValidationError("--base and --head go together")
    }
    if base != nil, !comparison.revisions.isEmpty || comparison.staged || comparison.worktree {
      throw ValidationError("give --base/--head, or revisions, or --staged, not several")
    }
    if let shard {
      guard Shard(shard) != nil else {
        throw ValidationError("--shard takes i/n with 1 <= i <= n, e.g. --shard 2/4")
      }
      guard shardOutput != nil else {
        throw ValidationError("--shard needs --shard-output PATH for the merge job to read")
      }
      if gate.githubStatus {
        throw ValidationError(
          "a shard does not report a status; `promptgate gate merge` does, once all shards ran")
      }
      if comparison.staged || comparison.worktree {
        throw ValidationError("shards gate commits, not the index or the working tree")
      }
    } else if shardOutput != nil {
      throw ValidationError("--shard-output goes with --shard")
    }
  }

  public func run() async throws {
    let workspace = try common.workspace()
    let repository = workspace.repository
    var context: CIContext?
    let sides: (Side, Side)
    if let base, let head {
      sides = (.revision(base), .revision(head))
    } else if comparison.staged, comparison.revisions.isEmpty {
      sides = (try PreCommitWorkflow.baseline(repository), .index)
    } else if comparison.revisions.isEmpty, !comparison.worktree {
      let environment = ProcessInfo.processInfo.environment
      do {
        context = try CIDetector.detect(environment: environment)
      } catch let error as CIError {
        throw PromptGateError(.usage, error.description)
      }
      guard let context else {
        throw ValidationError(
          "say what to gate: --staged (HEAD against the index), --base REV --head REV, or a range A..B (in GitHub Actions or GitLab CI the event says)"
        )
      }
      let run: GateWorkflow.Run
      do {
        let (old, new, note) = try CISides.sides(for: context, in: repository)
        Output.error(
          "promptgate-gate: \(context.service.rawValue) \(context.event): \(old) -> \(new) (\(note))"
        )
        run = try await gateRun(workspace, (old, new))
      } catch {
        // A required check must never hang: a gate that could not even start says so.
        if gate.githubStatus {
          for warning in await GitHubStatus.postError(error, context: context) {
            Output.error("promptgate-gate: warning: \(warning)")
          }
        }
        throw error
      }
      try await gate.deliver(run.result, context: context)
      return
    } else {
      sides = try comparison.sides(in: repository)
    }
    // Sides given explicitly inside CI: the event still says where to report.
    if gate.githubStatus, context == nil {
      context = (try? CIDetector.detect(environment: ProcessInfo.processInfo.environment)) ?? nil
    }
    let run = try await gateRun(workspace, sides)
    try await gate.deliver(run.result, context: context)
  }

  /// Gates `sides`, writing this shard's results when it is one.
  private func gateRun(_ workspace: Workspace, _ sides: (Side, Side)) async throws
    -> GateWorkflow.Run
  {
    try Mapping.requireTier(gate.tier, in: workspace, at: [sides.0, sides.1])
    var inputs = GateWorkflow.Inputs(
      base: sides.0, head: sides.1, tier: gate.tier, storePath: gate.store)
    inputs.refresh = gate.refresh
    inputs.maxCalls = gate.maxCalls
    inputs.maxCost = gate.maxCost
    inputs.maxSeconds = gate.maxSeconds
    inputs.shard = shard.flatMap(Shard.init)
    inputs.trust = trust.trust
    let run = try await GateWorkflow(
      workspace: workspace, inputs: inputs, progress: GateRenderer.progressBar()
    ).run()
    for warning in run.warnings { Output.error("promptgate-gate: warning: \(warning)") }
    if let shard = inputs.shard, let shardOutput {
      let count = try ShardFiles.write(shard, run: run, to: shardOutput)
      Output.error("promptgate-gate: shard \(shard): \(count) results written to \(shardOutput)")
    }
    return run
  }
}

/// What every gate (one run or a merge of shards) does with its result.
public struct GateOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp("Only eval sets of this tier (fast, release, ...).", valueName: "tier"))
  public var tier: String?

  @Option(
    help: ArgumentHelp(
      "The result store's directory (default: promptgate/store in the git directory).",
      valueName: "path"))
  public var store: String?

  @Flag(help: "Run again what the store already holds.")
  public var refresh = false

  @Option(help: ArgumentHelp("Stop after this many provider calls (exit 3).", valueName: "n"))
  public var maxCalls: Int?

  @Option(
    help: ArgumentHelp(
      "Stop once this much is spent, by the price table (exit 3).", valueName: "amount"))
  public var maxCost: Double?

  @Option(
    help: ArgumentHelp(
      "Stop the runs after this many seconds; what did not finish is not evaluated (exit 3).",
      valueName: "seconds"))
  public var maxSeconds: Double?

  @Option(
    help:
      "When the gate could not evaluate: fail (exit 3) or warn (exit 0). Default: fail, or warn for a pull request from a fork, which has no secrets."
  )
  public var onUnavailable: UnavailablePolicy?

  @Option(help: "Output format: text or json.")
  public var format: OutputFormat = .text

  @Option(
    name: .customLong("report"),
    help: ArgumentHelp(
      "Also write a report: junit=PATH, markdown=PATH, json=PATH, or annotations (GitHub workflow commands on stdout). Repeatable.",
      valueName: "kind[=path]"))
  public var reports: [ReportSpec] = []

  @Flag(
    help:
      "Report on GitHub: a commit status (context promptgate/gate), a check run and one pull-request comment, with GITHUB_TOKEN."
  )
  public var githubStatus = false

  public init() {}

  public func validate() throws {
    if let maxSeconds, !(maxSeconds > 0 && maxSeconds <= 86_400) {
      throw ValidationError("--max-seconds takes a number of seconds above 0 and at most 86400")
    }
    if let maxCalls, maxCalls < 1 {
      throw ValidationError("--max-calls takes a count of 1 or more")
    }
    if let maxCost, !(maxCost >= 0 && maxCost.isFinite) {
      throw ValidationError("--max-cost takes an amount of 0 or more")
    }
  }

  /// Prints, writes the reports, posts the status, and exits as the result calls for.
  func deliver(_ result: GateResult, context: CIContext?) async throws {
    switch format {
    case .json: Output.write(try Output.json(result))
    case .text:
      let text = GateRenderer.text(result)
      if !text.isEmpty { Output.write(text) }
    }
    try GateReports.write(reports, result: result)
    if githubStatus {
      for warning in await GitHubStatus.post(result, context: context) {
        Output.error("promptgate-gate: warning: \(warning)")
      }
    }
    let policy = onUnavailable ?? ((context?.isFork ?? false) ? .warn : .fail)
    try GateRenderer.finish(GateDecision(result, onUnavailable: policy))
  }
}

extension UnavailablePolicy: ExpressibleByArgument {}
