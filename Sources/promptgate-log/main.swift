import PromptGateCLI

CommandRunner.main(LogCommand.self)
