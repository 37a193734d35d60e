import PromptGateCLI

CommandRunner.prepareProcess()
await CommandRunner.main(StoreCommand.self)
