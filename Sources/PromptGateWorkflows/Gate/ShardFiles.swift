import Foundation
import PromptGateCore

/// The files `gate --shard i/n --shard-output FILE` writes and `gate merge` reads back.
public enum ShardFiles {
  /// Writes the results `run` needed (from the run or the store) for `shard` to `path`;
  /// returns how many.
  public static func write(_ shard: Shard, run: GateWorkflow.Run, to path: String) throws -> Int {
    let result = run.result
    guard let base = result.base.commit ?? (result.base.side == .empty ? "" : nil),
      let head = result.head.commit
    else {
      throw PromptGateError(.usage, "shards gate commits: give --base and --head, or run in CI")
    }
    let keys = Set(
      run.plan.sets.flatMap { $0.cases.flatMap { $0.headKeys + ($0.baselineKeys ?? []) } })
    let results = keys.sorted().compactMap { run.store.result($0) }
    let judgements = run.plan.gradingKeys(in: run.store).sorted().compactMap {
      run.store.judgement($0)
    }
    let document = ShardResults(
      shard: shard, base: base, head: head, tier: result.tier, results: results,
      judgements: judgements)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    guard FileManager.default.createFile(atPath: path, contents: try encoder.encode(document))
    else {
      throw PromptGateError(.environment, "cannot write the shard's results to \(path)")
    }
    return results.count
  }

  /// Reads every shard's file and checks that together they are one gate: the same base, head,
  /// tier and count, each shard once.
  public static func read(_ files: [String]) throws -> [ShardResults] {
    var shards: [ShardResults] = []
    for file in files {
      guard let data = FileManager.default.contents(atPath: file) else {
        throw PromptGateError(.usage, "cannot read \(file)")
      }
      do {
        shards.append(try JSONDecoder().decode(ShardResults.self, from: data))
      } catch {
        throw PromptGateError(.usage, "\(file) is not a shard's results (from --shard-output)")
      }
    }
    guard let first = shards.first else { throw PromptGateError(.usage, "give the shards' files") }
    for shard in shards
    where shard.base != first.base || shard.head != first.head || shard.tier != first.tier
      || shard.shard.count != first.shard.count
    {
      throw PromptGateError(
        .usage,
        "shard \(shard.shard) gated \(shard.base.prefix(12))..\(shard.head.prefix(12)) (tier \(shard.tier ?? "all")) of \(shard.shard.count), but shard \(first.shard) gated \(first.base.prefix(12))..\(first.head.prefix(12)) (tier \(first.tier ?? "all")) of \(first.shard.count): they are not one gate"
      )
    }
    let total = first.shard.count
    let indexes = shards.map(\.shard.index)
    let missing = (1...total).filter { !indexes.contains($0) }
    let repeated = Set(indexes.filter { index in indexes.filter { $0 == index }.count > 1 })
    guard missing.isEmpty, repeated.isEmpty else {
      let named = { (indexes: [Int]) in indexes.map { "\($0)/\(total)" }.joined(separator: ", ") }
      throw PromptGateError(
        .usage,
        (missing.isEmpty ? "" : "missing shards: \(named(missing)). ")
          + (repeated.isEmpty ? "" : "shards given twice: \(named(repeated.sorted())). ")
          + "merge needs each of the \(total) shards once")
    }
    return shards
  }

  /// One gate over the shards' results: stores them, then gates with no provider call.
  public static func merge(
    _ shards: [ShardResults], workspace: Workspace, storePath: String?
  ) async throws -> GateWorkflow.Run {
    guard let first = shards.first else { throw PromptGateError(.usage, "give the shards' files") }
    let store = ResultStore(
      directory: storePath
        ?? ResultStore.defaultDirectory(commonDir: workspace.repository.commonDir))
    try store.withLock(exclusive: false) {
      for shard in shards {
        for result in shard.results { try store.write(result) }
        for judgement in shard.judgements ?? [] { try store.write(judgement) }
      }
    }
    var inputs = GateWorkflow.Inputs(
      base: first.base.isEmpty ? .empty : .revision(first.base), head: .revision(first.head),
      tier: first.tier, storePath: store.directory)
    inputs.requireStored = true
    return try await GateWorkflow(workspace: workspace, inputs: inputs).run()
  }
}
