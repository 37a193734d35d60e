import PromptGateCLI

await CommandRunner.main(ReportCommand.self)
