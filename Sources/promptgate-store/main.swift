import PromptGateCLI

CommandRunner.main(StoreCommand.self)
