import PromptGateCLI

CommandRunner.prepareProcess()
await CommandRunner.main(ReportCommand.self)
