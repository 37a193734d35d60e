import PromptGateCLI

await CommandRunner.main(SchemaCommand.self)
