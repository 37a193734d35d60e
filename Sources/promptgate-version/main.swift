import PromptGateCLI

CommandRunner.prepareProcess()
await CommandRunner.main(VersionCommand.self)
