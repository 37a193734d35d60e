import PromptGateCLI

await CommandRunner.main(InitCommand.self)
