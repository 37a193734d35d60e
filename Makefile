# The two commands a fresh machine needs: `make example` and `make test`.
.PHONY: example test lint build schema install install-files release-tarball

# `make install PREFIX=DIR` builds (release mode unless CONFIGURATION=debug) and installs the
# executables, completions, manual pages and the schema under DIR (docs/install.md).
PREFIX ?= /usr/local
CONFIGURATION ?= release

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

install:
	scripts/bootstrap.sh
	swift build -c $(CONFIGURATION)
	swift build -c $(CONFIGURATION) --product generate-manual
	$(MAKE) install-files BIN_DIR="$$(swift build -c $(CONFIGURATION) --show-bin-path)"

# Installs what BIN_DIR holds, already built, under $(DESTDIR)$(PREFIX).
install-files:
	scripts/install-tree.sh "$(BIN_DIR)" "$(DESTDIR)$(PREFIX)"

# The release tarball of this machine's platform, as the release workflow builds it.
release-tarball:
	scripts/release-tarball.sh "$(VERSION)" dist
