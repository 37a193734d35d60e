import PromptGateCLI

await CommandRunner.main(LogCommand.self, fastPath: LogCommand.fastParse)
