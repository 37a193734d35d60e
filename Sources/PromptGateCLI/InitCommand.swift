import ArgumentParser
import PromptGateCore
import PromptGateWorkflows

/// `promptgate-init`: writes a starter promptgate.yaml from what a repository holds.
public struct InitCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-init",
    abstract: "Write a starter promptgate.yaml from the prompts, settings, tools and evals found.",
    usage: "promptgate-init [--dry-run] [--config <path>] [-C <path>]",
    discussion:
      "Scans the working tree (as `git add -A` would stage it) for prompt files, the model, temperature and token settings in YAML and JSON config, tool schemas, and eval datasets, and writes a mapping with a behavior per prompt family and a comment on each guess. An existing mapping is never overwritten."
  )

  @OptionGroup public var common: CommonOptions

  @Flag(help: "Print the mapping instead of writing it.")
  public var dryRun = false

  public init() {}

  public func run() async throws {
    let outcome = try InitWorkflow.run(
      InitWorkflow.Input(repository: common.repository, output: common.config, dryRun: dryRun))
    if dryRun {
      Output.write(String(outcome.mapping.text.dropLast()))
      if outcome.exists {
        Output.error(
          "promptgate-init: \(outcome.relativePath) already exists; init would not overwrite it")
      }
      return
    }
    let behaviors = outcome.mapping.behaviors
    let sets = outcome.mapping.evalSets
    Output.write(
      "wrote \(outcome.relativePath): \(CheckConfigCommand.count(behaviors.count, "behavior"))"
        + (behaviors.isEmpty ? "" : " (\(behaviors.joined(separator: ", ")))")
        + ", \(CheckConfigCommand.count(sets.count, "eval set"))")
    Output.write(
      "next: read its comments, then run `promptgate check-config` and `promptgate version`")
  }
}
