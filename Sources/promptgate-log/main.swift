import PromptGateCLI

CommandRunner.prepareProcess()
await CommandRunner.main(LogCommand.self, fastPath: LogCommand.fastParse)
