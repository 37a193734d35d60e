import PromptGateCLI

CommandRunner.main(LogCommand.self, opensRepository: true)
