import PromptGateCLI

await CommandRunner.main(DiffCommand.self)
