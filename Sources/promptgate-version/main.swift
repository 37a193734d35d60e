import PromptGateCLI

CommandRunner.main(VersionCommand.self, opensRepository: true)
