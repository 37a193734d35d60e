import PromptGateCLI

await HookCommand.entry(Array(CommandLine.arguments.dropFirst()))
