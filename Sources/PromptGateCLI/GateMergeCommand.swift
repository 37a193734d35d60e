import ArgumentParser
import Foundation
import PromptGateCI
import PromptGateCore

/// `promptgate-gate merge`: one verdict from the results of every shard.
public struct GateMergeCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-gate merge",
    abstract: "Combine the results of `promptgate gate --shard i/n` runs into one verdict.",
    discussion: """
      Reads each shard's --shard-output file, refuses unless all n shards of the same base,
      head and tier are present, stores their results, and gates with no provider call: the
      verdict, the reports and the GitHub status are those of one unsharded gate.
      """)

  @OptionGroup public var common: CommonOptions
  @OptionGroup public var gate: GateOptions

  @Argument(help: ArgumentHelp("The shards' result files.", valueName: "file"))
  public var files: [String]

  public init() {}

  public func run() throws {
    var shards: [ShardResults] = []
    for file in files {
      guard let data = FileManager.default.contents(atPath: file) else {
        throw ExitWith(.usage, "cannot read \(file)")
      }
      do {
        shards.append(try JSONDecoder().decode(ShardResults.self, from: data))
      } catch {
        throw ExitWith(.usage, "\(file) is not a shard's results (from --shard-output)")
      }
    }
    guard let first = shards.first else { throw ExitWith(.usage, "give the shards' files") }
    for shard in shards
    where shard.base != first.base || shard.head != first.head || shard.tier != first.tier
      || shard.shard.count != first.shard.count
    {
      throw ExitWith(
        .usage,
        "shard \(shard.shard) gated \(shard.base.prefix(12))..\(shard.head.prefix(12)) (tier \(shard.tier ?? "all")) of \(shard.shard.count), but shard \(first.shard) gated \(first.base.prefix(12))..\(first.head.prefix(12)) (tier \(first.tier ?? "all")) of \(first.shard.count): they are not one gate"
      )
    }
    let indexes = shards.map(\.shard.index)
    let missing = (1...first.shard.count).filter { !indexes.contains($0) }
    let repeated = Set(indexes.filter { index in indexes.filter { $0 == index }.count > 1 })
    guard missing.isEmpty, repeated.isEmpty else {
      throw ExitWith(
        .usage,
        (missing.isEmpty
          ? ""
          : "missing shards: \(missing.map { "\($0)/\(first.shard.count)" }.joined(separator: ", ")). ")
          + (repeated.isEmpty ? "" : "shards given twice: \(repeated.sorted()). ")
          + "merge needs each of the \(first.shard.count) shards once")
    }
    let workspace = try common.workspace()
    let store = ResultStore(
      directory: gate.store
        ?? ResultStore.defaultDirectory(commonDir: workspace.repository.commonDir))
    try store.withLock(exclusive: false) {
      for shard in shards { for result in shard.results { try store.write(result) } }
    }
    var gateRun = GateRun(
      workspace: workspace, base: first.base.isEmpty ? .empty : .revision(first.base),
      head: .revision(first.head), tier: first.tier, storePath: store.directory, refresh: false,
      maxCalls: nil, maxCost: nil)
    gateRun.requireStored = true
    let result = try gateRun.execute()
    let context = try? CIDetector.detect(environment: ProcessInfo.processInfo.environment)
    try gate.deliver(result, context: context ?? nil)
  }
}
