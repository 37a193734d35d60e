import PromptGateCLI

CommandRunner.prepareProcess()
await CommandRunner.main(ReleaseCommand.self)
