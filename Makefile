# ShopFlow POS. `make run` starts a demo store; `make test` runs every test. Both install what they need.
SHELL := /bin/bash
BUN := node_modules/.bin/bun
NPM ?= npm
PG_BIN := $(firstword $(wildcard /usr/lib/postgresql/*/bin))

.PHONY: run test test-unit lint format build bench typecheck deps system-deps clean screenshots

# JS packages, exactly as locked (Bun itself comes from npm as a pinned devDependency).
node_modules/.installed: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	@test -x $(BUN) || { echo "bun was not installed by npm ci"; exit 1; }
	@touch $@

deps: node_modules/.installed

# Debian packages the tests drive for real: Chromium (browser tests), PostgreSQL (head office), socat (serial pty),
# systemd (systemd-analyze verify checks the unit `shopflow service install` writes).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v socat >/dev/null 2>&1 || missing="$$missing socat"; \
	command -v systemd-analyze >/dev/null 2>&1 || missing="$$missing systemd"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: deps
	$(BUN) src/main.ts serve --demo --data ./data --port $${PORT:-8080}

typecheck: deps
	node_modules/.bin/tsc --noEmit -p .

# Formatting and lint rules (Biome; `make format` writes the fixes) and the dependency rules of DESIGN §2
# (dependency-cruiser, .dependency-cruiser.cjs; run under Bun, which it accepts as a current Node).
lint: deps
	node_modules/.bin/biome check .
	$(BUN) node_modules/dependency-cruiser/bin/dependency-cruiser.mjs --config .dependency-cruiser.cjs src --output-type err

format: deps
	node_modules/.bin/biome check --write .

test: deps system-deps typecheck lint
	$(BUN) test --timeout 60000

# The specs beside the code and the in-process route tests (no browser, no PostgreSQL, no fuzzing): for quick iteration.
test-unit: deps
	$(BUN) test --timeout 60000 src tests/register tests/api/sales.test.ts

# The WAL checkpoint and backup workers are more entry points: Bun bundles a Worker's script only when it is listed here.
# --splitting: what is imported on first use (head office, the back office's pages, /metrics, TLS) stays out of a
# serving store's memory until then, instead of being parsed with everything at start.
build: deps
	$(BUN) build --compile --splitting --minify src/main.ts src/server/db/checkpoint-worker.ts src/server/backups/backup-worker.ts --outfile dist/shopflow

bench: deps build
	$(BUN) bench/run.ts
	$(BUN) scripts/bench-loss.ts
	$(BUN) scripts/bench-journal.ts
	$(BUN) scripts/bench-backup.ts
	$(BUN) scripts/bench-upgrade.ts
	$(BUN) scripts/bench-reports.ts

# PNGs of the register at lane and tablet sizes, and of head office's pages (on a throwaway PostgreSQL), for the README.
screenshots: deps system-deps
	$(BUN) scripts/screenshots.ts
	$(BUN) scripts/screenshots-hq.ts

clean:
	rm -rf dist node_modules .bench
