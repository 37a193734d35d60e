import PromptGateCLI

CommandRunner.main(CheckConfigCommand.self)
