import PromptGateCLI

await CommandRunner.main(StoreCommand.self)
