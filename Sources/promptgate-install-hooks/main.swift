import PromptGateCLI

await CommandRunner.main(InstallHooksCommand.self)
