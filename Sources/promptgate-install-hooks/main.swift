import PromptGateCLI

CommandRunner.prepareProcess()
await CommandRunner.main(InstallHooksCommand.self)
