import ArgumentParser
import PromptGateCore

/// `promptgate-schema`: prints the JSON Schema of promptgate.yaml, for editors.
public struct SchemaCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-schema",
    abstract: "Print the JSON Schema (draft 2020-12) of promptgate.yaml, for editors.",
    usage: "promptgate-schema > schema/promptgate.schema.json",
    discussion:
      "The schema describes every key the mapping parser reads, with descriptions and examples. Register it with a `# yaml-language-server: $schema=...` line, VS Code's yaml.schemas, or a SchemaStore catalog entry (docs/schema.md)."
  )

  public init() {}

  public func run() async throws {
    Output.write(try MappingSchema.text().dropLast().description)
  }
}
