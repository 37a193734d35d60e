import PromptGateCLI

await CommandRunner.main(RollbackCommand.self)
