import PromptGateCLI

CommandRunner.main(InstallHooksCommand.self)
