import PromptGateCLI

CommandRunner.prepareProcess()
await CommandRunner.main(SelectCommand.self)
