import PromptGateCLI

await CommandRunner.main(ExportCommand.self)
