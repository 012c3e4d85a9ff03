# mppmap — the two commands a newcomer needs are `make run` and `make test`.
GO       ?= go
# The reference data folder, made absolute: tests run in their package directories.
DATA     := $(abspath $(or $(MPPMAP_DATA),../shared/data))
# Under /tmp: the cluster runs as the postgres OS user, which may not reach a clone under /root.
ifndef TESTDB
TESTDB   := $(shell mktemp -u /tmp/mppmap-testdb.XXXXXX)
endif
ARTIFACTS ?= $(CURDIR)/artifacts

.PHONY: run test build deps deps-test lint-openapi vet bench bench-web bench-mobile fuzz clean

# -trimpath keeps absolute source paths out of the build, so a fresh clone in another folder
# hits the build cache (and go run's cached binary) instead of recompiling every package of
# ours: with warm caches `go run` starts in ~1 s rather than 6–10 s. The first -trimpath build
# on a machine compiles the dependencies once more (plain `go test` builds are kept apart).
TRIM     := -trimpath

## run: install what is missing, then serve on http://127.0.0.1:8080 (private PostGIS in ./.mppmap)
run: deps
	MPPMAP_DATA=$(DATA) $(GO) run $(TRIM) ./cmd/mppmap serve

## build: the binary at bin/mppmap (ECharts bundle embedded)
build: deps
	$(GO) build $(TRIM) -o bin/mppmap ./cmd/mppmap

deps:
	@scripts/deps.sh run

deps-test:
	@scripts/deps.sh test

## lint-openapi: Redocly's recommended rules, warnings as errors, on the API document as go test
## ./api keeps it (api/testdata/openapi.json); offline: no telemetry, no update check
lint-openapi: deps
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true REDOCLY_SUPPRESS_NOTIFICATIONS=true \
	  web/node_modules/.bin/redocly lint --config api/redocly.yaml api/testdata/openapi.json

## test: throwaway PostGIS cluster + go test -race ./... (DB, importer, browser tests), then stop it
test: deps-test lint-openapi
	@scripts/testdb.sh stop $(TESTDB) >/dev/null 2>&1 || true
	@echo "test: starting throwaway PostGIS cluster in $(TESTDB)"
	@url=$$(scripts/testdb.sh start $(TESTDB)) && \
	  trap 'scripts/testdb.sh stop $(TESTDB)' EXIT && \
	  MPPMAP_TEST_DATABASE_URL="$$url" MPPMAP_DATA=$(DATA) MPPMAP_ARTIFACTS=$(ARTIFACTS) \
	    $(GO) test -race -count=1 -timeout 20m ./...

vet:
	$(GO) vet ./...

clean:
	rm -rf bin dashboard/static/dist

## bench: Go benchmarks of the hot paths, then the wrk load test on loopback (numbers reported, not asserted)
bench: deps
	@scripts/testdb.sh stop $(TESTDB) >/dev/null 2>&1 || true
	@url=$$(scripts/testdb.sh start $(TESTDB)) && trap 'scripts/testdb.sh stop $(TESTDB)' EXIT && \
	  MPPMAP_TEST_DATABASE_URL="$$url" MPPMAP_DATA=$(DATA) $(GO) test -run '^$$' -bench . -benchmem ./...
	MPPMAP_DATA=$(DATA) scripts/bench.sh

## bench-web: navigation → chart 'finished' for / in headless Chromium (15 fresh loads), bytes transferred
bench-web: deps-test
	@url=$$(scripts/testdb.sh start $(TESTDB)) && trap 'scripts/testdb.sh stop $(TESTDB)' EXIT && \
	  MPPMAP_TEST_DATABASE_URL="$$url" MPPMAP_DATA=$(DATA) MPPMAP_BENCH_WEB=1 \
	    $(GO) test ./e2e -run 'TestBrowser/bench-web' -count=1 -v

## bench-mobile: / on an emulated phone (Slow 4G, CPU ×4, 360×740 DPR 2), median of 5 fresh loads: FCP, map visible, interactive
bench-mobile: deps-test
	@url=$$(scripts/testdb.sh start $(TESTDB)) && trap 'scripts/testdb.sh stop $(TESTDB)' EXIT && \
	  MPPMAP_TEST_DATABASE_URL="$$url" MPPMAP_DATA=$(DATA) MPPMAP_BENCH_MOBILE=1 \
	    $(GO) test ./e2e -run 'TestBrowser/bench-mobile' -count=1 -v

## fuzz: every Go fuzz target for FUZZTIME (15s) each; a crasher fails and is kept in testdata/fuzz
fuzz:
	@scripts/fuzz.sh
