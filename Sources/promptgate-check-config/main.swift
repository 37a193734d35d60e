import PromptGateCLI

await CommandRunner.main(CheckConfigCommand.self)
