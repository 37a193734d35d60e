import PromptGateCLI

await CommandRunner.main(ReleaseCommand.self)
