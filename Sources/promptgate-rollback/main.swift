import PromptGateCLI

CommandRunner.prepareProcess()
await CommandRunner.main(RollbackCommand.self)
