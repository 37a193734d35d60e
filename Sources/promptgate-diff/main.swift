import PromptGateCLI

CommandRunner.prepareProcess()
await CommandRunner.main(DiffCommand.self)
