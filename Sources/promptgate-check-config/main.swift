import PromptGateCLI

CommandRunner.prepareProcess()
await CommandRunner.main(CheckConfigCommand.self)
