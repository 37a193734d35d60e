import PromptGateCLI

CommandRunner.main(HookCommand.self)
