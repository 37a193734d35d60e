import PromptGateCLI

CommandRunner.main(DiffCommand.self)
