import PromptGateCLI

CommandRunner.main(ReleaseCommand.self)
