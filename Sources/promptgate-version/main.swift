import PromptGateCLI

await CommandRunner.main(VersionCommand.self)
