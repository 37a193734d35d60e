import PromptGateCLI

await CommandRunner.main(SelectCommand.self)
