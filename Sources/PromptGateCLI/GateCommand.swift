import ArgumentParser
import Foundation
import GitKit
import PromptGateCI
import PromptGateCore

/// `promptgate-gate`: run the selected eval sets at both sides, compare, decide.
public struct GateCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-gate",
    abstract:
      "Run the eval sets a change selects on the head and the baseline, and fail what regresses.",
    discussion: """
      Selects eval sets as promptgate-select does, runs each on the head's behaviour and on the
      baseline's (reading results already in the store), and compares them case by case. A case
      regresses when it passed at the baseline and fails at the head; a set regresses when its
      pass rate falls significantly (exact McNemar test at the set's alpha), falls below its
      floor, or breaks a metric budget. Both sides are materialised from git objects (the index
      for --staged), never from the working tree. See docs/gate.md.

      In GitHub Actions and GitLab CI, with no sides given, the base and head come from the
      event (see docs/ci.md). `promptgate gate merge FILE...` combines the results of --shard
      runs into one verdict.

      Exit status: 0 pass (or nothing selected), 1 a set regressed, 2 usage or configuration
      error, 3 could not evaluate (a provider failed, the spending cap was reached) unless
      --on-unavailable warn (the default for a pull request from a fork).
      """)

  @OptionGroup public var common: CommonOptions
  @OptionGroup public var comparison: ComparisonOptions
  @OptionGroup public var gate: GateOptions

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
  public static func main(_ arguments: [String]) -> Never {
    if arguments.first == "merge" {
      CommandRunner.main(GateMergeCommand.self, arguments: Array(arguments.dropFirst()))
    }
    CommandRunner.main(Self.self, arguments: arguments)
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

  public func run() throws {
    let workspace = try common.workspace()
    let repository = workspace.repository
    var context: CIContext?
    let sides: (Side, Side)
    if let base, let head {
      sides = (.revision(base), .revision(head))
    } else if comparison.staged, comparison.revisions.isEmpty {
      sides = (try HookCommand.baseline(repository), .index)
    } else if comparison.revisions.isEmpty, !comparison.worktree {
      let environment = ProcessInfo.processInfo.environment
      do {
        context = try CIDetector.detect(environment: environment)
      } catch let error as CIError {
        throw ExitWith(.usage, error.description)
      }
      guard let context else {
        throw ValidationError(
          "say what to gate: --staged (HEAD against the index), --base REV --head REV, or a range A..B (in GitHub Actions or GitLab CI the event says)"
        )
      }
      do {
        let (old, new, note) = try CISides.sides(for: context, in: repository)
        Output.error(
          "promptgate-gate: \(context.service.rawValue) \(context.event): \(old) -> \(new) (\(note))"
        )
        try gateAndDeliver(workspace, (old, new), context: context)
      } catch {
        // A required check must never hang: a gate that could not even start says so.
        if gate.githubStatus { GitHubStatus.postError(error, context: context) }
        throw error
      }
      return
    } else {
      sides = try comparison.sides(in: repository)
    }
    // Sides given explicitly inside CI: the event still says where to report.
    if gate.githubStatus, context == nil {
      context = (try? CIDetector.detect(environment: ProcessInfo.processInfo.environment)) ?? nil
    }
    try gateAndDeliver(workspace, sides, context: context)
  }

  private func gateAndDeliver(_ workspace: Workspace, _ sides: (Side, Side), context: CIContext?)
    throws
  {
    try Mapping.requireTier(gate.tier, in: workspace, at: [sides.0, sides.1])
    var gateRun = GateRun(
      workspace: workspace, base: sides.0, head: sides.1, tier: gate.tier, storePath: gate.store,
      refresh: gate.refresh, maxCalls: gate.maxCalls, maxCost: gate.maxCost)
    gateRun.shard = shard.flatMap(Shard.init)
    let (result, plan, store) = try gateRun.run()
    if let shard = gateRun.shard, let shardOutput {
      try Self.writeShard(shard, result: result, plan: plan, store: store, to: shardOutput)
    }
    try gate.deliver(result, context: context)
  }

  static func writeShard(
    _ shard: Shard, result: GateResult, plan: GatePlan, store: ResultStore, to path: String
  ) throws {
    guard let base = result.base.commit ?? (result.base.side == .empty ? "" : nil),
      let head = result.head.commit
    else {
      throw ExitWith(.usage, "shards gate commits: give --base and --head, or run in CI")
    }
    let keys = Set(plan.sets.flatMap { $0.cases.flatMap { $0.headKeys + ($0.baselineKeys ?? []) } })
    let results = keys.sorted().compactMap { store.result($0) }
    let document = ShardResults(
      shard: shard, base: base, head: head, tier: result.tier, results: results)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    guard FileManager.default.createFile(atPath: path, contents: try encoder.encode(document))
    else {
      throw ExitWith(.usage, "cannot write the shard's results to \(path)")
    }
    Output.error(
      "promptgate-gate: shard \(shard): \(results.count) results written to \(path)")
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

  /// Prints, writes the reports, posts the status, and exits as the result calls for.
  func deliver(_ result: GateResult, context: CIContext?) throws {
    switch format {
    case .json: Output.write(try Output.json(result))
    case .text:
      let text = GateRenderer.text(result)
      if !text.isEmpty { Output.write(text) }
    }
    try GateReports.write(reports, result: result)
    if githubStatus { GitHubStatus.post(result, context: context) }
    let policy = onUnavailable ?? ((context?.isFork ?? false) ? .warn : .fail)
    try GateRun.finish(result, onUnavailable: policy)
  }
}

extension UnavailablePolicy: ExpressibleByArgument {}
