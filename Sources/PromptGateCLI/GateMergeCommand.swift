import ArgumentParser
import Foundation
import PromptGateCI
import PromptGateCore
import PromptGateWorkflows

/// `promptgate-gate merge`: one verdict from the results of every shard.
public struct GateMergeCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-gate merge",
    abstract: "Combine the results of `promptgate gate --shard i/n` runs into one verdict.",
    usage: "promptgate-gate merge [<options>] <file> ...",
    discussion: """
      Reads each shard's --shard-output file, refuses unless all n shards of the same base, \
      head and tier are present, stores their results, and gates with no provider call: the \
      verdict, the reports and the GitHub status are those of one unsharded gate.
      """)

  @OptionGroup public var common: CommonOptions
  @OptionGroup public var gate: GateOptions

  @Argument(help: ArgumentHelp("The shards' result files.", valueName: "file"))
  public var files: [String]

  public init() {}

  public func run() async throws {
    let shards = try ShardFiles.read(files)
    let run = try await ShardFiles.merge(
      shards, workspace: try common.workspace(), storePath: gate.store)
    let context = try? CIDetector.detect(environment: ProcessInfo.processInfo.environment)
    try await gate.deliver(run.result, context: context ?? nil)
  }
}
