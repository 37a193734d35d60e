import PromptGateCLI

CommandRunner.prepareProcess()
await CommandRunner.main(ExportCommand.self)
