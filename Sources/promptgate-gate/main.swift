import PromptGateCLI

CommandRunner.main(GateCommand.self)
