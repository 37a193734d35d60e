import AsyncHTTPClient
import Foundation
import GitKit
import PromptGateCore
import PromptGateProviders

/// One gate, from two sides to a result: what `promptgate-gate` and the pre-commit hook share.
struct GateRun {
  let workspace: Workspace
  let base: Side
  let head: Side
  let tier: String?
  let storePath: String?
  let refresh: Bool
  let maxCalls: Int?
  let maxCost: Double?
  /// Only this shard's cases.
  var shard: Shard? = nil
  /// Refuse to call any provider: every result must already be stored (`gate merge`).
  var requireStored = false
  /// Only the sets whose cases run one of these behaviors (a release gates the behaviors it
  /// releases, not the others).
  var behaviors: Set<String>? = nil

  /// Selects, plans, runs what the store lacks, and scores.
  func execute() throws -> GateResult {
    try run().result
  }

  /// The result, with the plan and store behind it (for shard output).
  func run() throws -> (result: GateResult, plan: GatePlan, store: ResultStore) {
    let (old, new) = try workspace.states(base, head)
    let changes = try ChangeDetector.compare(old, new)
    return try run(
      old, new, changes: changes,
      selection: Selection(changes: changes, head: new.mapping, tier: tier))
  }

  /// The same, for sides already resolved and compared (the hook has, to print what changed).
  func run(_ old: SideState, _ new: SideState, changes: ChangeSet, selection: Selection) throws
    -> (result: GateResult, plan: GatePlan, store: ResultStore)
  {
    var selection = selection
    if let behaviors {
      selection = selection.filter { entry in
        guard let set = new.mapping?.evalSet(named: entry.evalSet) else { return false }
        return set.run.behavior.map(behaviors.contains) ?? false
      }
    }
    let store = ResultStore(
      directory: storePath
        ?? ResultStore.defaultDirectory(commonDir: workspace.repository.commonDir))
    let materializer = try Materializer()
    defer { materializer.removeAll() }
    let environment = ProcessInfo.processInfo.environment
    // One client for every HTTP provider, its pool as wide as their concurrency together
    // (AsyncHTTPClient's default of 8 connections per host would cap a provider at 8 calls).
    let httpProviders = (new.mapping?.gate.providers.values).map { Array($0) } ?? []
    let width = httpProviders.filter { $0.kind != .exec }.map(\.limits.concurrency).reduce(0, +)
    let client = HTTPClientHolder(connections: width)
    defer { client.shutdown() }
    let planner = GatePlanner(
      store: store, materializer: materializer,
      options: .init(
        tier: tier, refresh: refresh, maxCalls: maxCalls, maxCost: maxCost, shard: shard),
      makeProvider: { definition in
        switch definition.kind {
        case .exec: return ExecProvider(definition)
        case .openai, .anthropic:
          return try HTTPProviderFactory.make(
            definition, environment: environment, client: client.client)
        }
      })
    let plan = try planner.plan(base: old, head: new, changes: changes, selection: selection)
    if requireStored, !plan.missing.isEmpty {
      throw ExitWith(
        .usage,
        "the shards' results lack \(plan.missing.count) of the \(plan.runs.count) runs this gate needs: were all shards run on the same commits, tier and mapping?"
      )
    }
    let progress = Self.progressReporter()
    let evaluate = {
      blocking {
        let outcome = await GateExecutor.run(plan, store: store, progress: progress)
        return await GateScorer(plan: plan, store: store, outcome: outcome).score()
      }
    }
    // Nothing to read or run (every selected set lacks a provider): leave the store untouched.
    let result = plan.runs.isEmpty ? evaluate() : try store.withLock(exclusive: false, evaluate)
    return (result, plan, store)
  }

  /// Throws the exit that `result` calls for.
  static func finish(_ result: GateResult, onUnavailable: UnavailablePolicy) throws {
    let regressed = result.sets.filter(\.regressed).map(\.evalSet)
    if !regressed.isEmpty {
      throw ExitWith(.found, "regressed: \(regressed.joined(separator: ", "))")
    }
    guard !result.notEvaluated.isEmpty else { return }
    let names = result.notEvaluated.map(\.evalSet).joined(separator: ", ")
    switch onUnavailable {
    case .fail: throw ExitWith(.unavailable, "could not evaluate: \(names)")
    case .warn: Output.error("promptgate: warning: could not evaluate \(names); letting it pass")
    }
  }

  /// A progress line on stderr when it is a terminal; nothing otherwise (CI logs stay clean).
  static func progressReporter() -> GateExecutor.Progress? {
    guard isatty(2) == 1 else { return nil }
    return { done, total in
      let width = 30
      let filled = total == 0 ? width : width * done / total
      let bar =
        String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
      let line = "\rpromptgate: [\(bar)] \(done)/\(total) runs" + (done == total ? "\n" : "")
      FileHandle.standardError.write(Data(line.utf8))
    }
  }
}

/// Runs async work to completion from synchronous code (the commands are synchronous).
func blocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
  let box = BlockingBox<T>()
  let done = DispatchSemaphore(value: 0)
  Task {
    box.value = await body()
    done.signal()
  }
  done.wait()
  return box.value!
}

/// Carries a value out of the task `blocking` waits for; the semaphore orders the accesses.
private final class BlockingBox<T>: @unchecked Sendable {
  var value: T?
}

/// The gate's HTTP client, made on first use and shut down when the gate ends.
final class HTTPClientHolder {
  private let connections: Int
  private var made: HTTPClient?

  init(connections: Int) { self.connections = connections }

  var client: HTTPClient {
    if let made { return made }
    let client = HTTPClient(
      eventLoopGroupProvider: .singleton,
      configuration: HTTPProviderFactory.clientConfiguration(concurrency: connections))
    made = client
    return client
  }

  func shutdown() {
    try? made?.syncShutdown()
  }
}
