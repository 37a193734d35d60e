import PromptGateCLI

CommandRunner.main(SelectCommand.self)
