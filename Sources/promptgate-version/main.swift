import PromptGateCLI

CommandRunner.main(VersionCommand.self)
