import PromptGateCLI

await CommandRunner.main(LogCommand.self)
