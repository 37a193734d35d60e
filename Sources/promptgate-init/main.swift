import PromptGateCLI

CommandRunner.prepareProcess()
await CommandRunner.main(InitCommand.self)
