import PromptGateCLI

CommandRunner.prepareProcess()
await CommandRunner.main(SchemaCommand.self)
