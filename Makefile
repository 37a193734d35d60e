# The two commands a fresh machine needs: `make example` and `make test`.
.PHONY: example test lint build schema

example:
	scripts/example.sh

test:
	scripts/bootstrap.sh
	scripts/test-tools.sh
	scripts/lint.sh
	swift build --build-tests
	swift build --product generate-manual
	swift test

lint:
	scripts/lint.sh

build:
	scripts/bootstrap.sh
	swift build

# Regenerates the JSON Schema of promptgate.yaml from the parser's tables (docs/schema.md).
schema:
	swift build --product promptgate-schema
	.build/debug/promptgate-schema >schema/promptgate.schema.json
