# orderdrop — the README's two commands are `make demo` and `make test`.
# A fresh machine needs only Go: everything else is fetched by `go` itself.

GO      ?= go
BIN     := bin
DEMO    := demo
FUZZTIME ?= 2000x
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/orderdrop/orderdrop/internal/cli.version=$(VERSION)

DIST    := dist
PLATFORMS := linux/amd64 linux/arm64

.PHONY: all build test vet lint unit heavy fuzz bench bench-go demo demo-page samples refdata dist man clean

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/orderdrop ./cmd/orderdrop
	$(GO) build -o $(BIN)/carriersim ./cmd/carriersim

## test: vet, the race-enabled test suite, then each fuzz target for $(FUZZTIME) (inputs).
## The budget is a count, not a duration: a time budget can end inside an input
## and fail with "context deadline exceeded" (a Go toolchain bug), making make test flaky.
test: vet unit heavy fuzz

vet:
	$(GO) vet ./...

## lint: staticcheck, pinned (fetched through the Go module proxy on first use).
lint: vet
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

unit:
	$(GO) test -race -count=1 -timeout 8m ./...

## heavy: the tests that measure reads of a 100,000-row report, without the
## race detector (which slows them tenfold and measures nothing they need).
heavy:
	$(GO) test -count=1 -timeout 5m -run '^TestLargeBatchViewsHoldNeitherMemoryNorThePass$$' ./internal/review

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzOpenCSV$$' -fuzztime $(FUZZTIME) ./internal/sheet
	$(GO) test -run '^$$' -fuzz '^FuzzCountColumnCSV$$' -fuzztime $(FUZZTIME) ./internal/sheet
	$(GO) test -run '^$$' -fuzz '^FuzzCountColumnXLSX$$' -fuzztime $(FUZZTIME) ./internal/sheet
	$(GO) test -run '^$$' -fuzz '^FuzzReportRoundtrip$$' -fuzztime $(FUZZTIME) ./internal/sheet
	$(GO) test -run '^$$' -fuzz '^FuzzValidateL2Row$$' -fuzztime $(FUZZTIME) ./internal/order
	$(GO) test -run '^$$' -fuzz '^FuzzPhoneFastPaths$$' -fuzztime $(FUZZTIME) ./internal/order

## bench: whole processes against the carrier sandbox, one table with each
## target of issue 8 marked met or missed (a few minutes; not part of test).
bench: build
	$(GO) build -o $(BIN)/samplegen ./cmd/samplegen
	$(GO) build -o $(BIN)/benchrun ./cmd/benchrun
	$(BIN)/benchrun -bin $(BIN)

## bench-go: the Go benchmarks (read, validate, ledger, reports); compare runs with benchstat.
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./internal/sheet ./internal/order ./internal/ledger ./internal/batch ./internal/carrier

## refdata: rebuild the embedded French reference data (internal/frdata) from
## SRC, a folder holding fr-postcodes.csv, fr-number-ranges.csv, fr-operators.csv.
refdata:
	@test -n "$(SRC)" || { echo "give SRC=folder holding fr-postcodes.csv, fr-number-ranges.csv, fr-operators.csv"; exit 2; }
	$(GO) run ./cmd/frdatagen -src "$(SRC)" -out internal/frdata

## samples: regenerate samples/ (fr-port dates are relative to today).
samples:
	$(GO) run ./cmd/samplegen -out samples

## demo: the main job end to end against the bundled carrier sandbox.
demo: build
	@set -eu; \
	rm -rf $(DEMO); mkdir -p $(DEMO)/inbox; \
	$(BIN)/carriersim --addr 127.0.0.1:0 > $(DEMO)/carriersim.out 2> $(DEMO)/carriersim.log & sim=$$!; \
	trap 'kill $$sim 2>/dev/null || true' EXIT INT TERM; \
	for i in $$(seq 1 100); do grep -q listening $(DEMO)/carriersim.out 2>/dev/null && break; sleep 0.1; done; \
	url=$$(sed -n 's/^carriersim listening on //p' $(DEMO)/carriersim.out); \
	test -n "$$url" || { echo "carriersim did not start: see $(DEMO)/carriersim.log"; exit 1; }; \
	echo "carrier sandbox at $$url"; \
	$(GO) run ./cmd/samplegen -out $(DEMO)/inbox; \
	sed -e "s#@SIM@#$$url#g" cmd/samplegen/demo.yaml.in > $(DEMO)/orderdrop.yaml; \
	export NETWO_API_KEY=sim-netwo-key NETWO_ACTOR_SLUG=sim-actor PRIZZ_EMAIL=ops@orderdrop.example PRIZZ_PASSWORD=sim-prizz-password THINKTEL_USERNAME=sim-thinktel THINKTEL_PASSWORD=sim-thinktel-password; \
	echo; echo "== orderdrop run (first pass)"; \
	$(BIN)/orderdrop --config $(DEMO)/orderdrop.yaml run --print-digest || true; \
	first=$$($(GO) run ./cmd/samplegen -count-orders "$$url"); \
	echo "orders created at the sandbox: $$first"; \
	echo; echo "== the same files dropped again: nothing is ordered twice"; \
	cp $(DEMO)/archive/*/*.xlsx $(DEMO)/archive/*/*.csv $(DEMO)/inbox/ 2>/dev/null || true; \
	$(BIN)/orderdrop --config $(DEMO)/orderdrop.yaml run || true; \
	echo; echo "== orderdrop status"; \
	$(BIN)/orderdrop --config $(DEMO)/orderdrop.yaml status --limit 5; \
	echo "orders created at the sandbox: $$($(GO) run ./cmd/samplegen -count-orders "$$url") (after the first pass: $$first)"; \
	echo; echo "== orderdrop track: every submitted order asked at its carrier"; \
	$(BIN)/orderdrop --config $(DEMO)/orderdrop.yaml track || true; \
	echo; echo "== the carriers move on (sandbox control endpoint /_sim/track)"; \
	$(GO) run ./cmd/samplegen -push-stages "$$url" -step 1; \
	$(BIN)/orderdrop --config $(DEMO)/orderdrop.yaml track || true; \
	echo; echo "== later: the confirmed port is completed"; \
	$(GO) run ./cmd/samplegen -push-stages "$$url" -step 2; \
	$(BIN)/orderdrop --config $(DEMO)/orderdrop.yaml track || true; \
	echo; echo "== orderdrop attention: what needs a person"; \
	$(BIN)/orderdrop --config $(DEMO)/orderdrop.yaml attention || true; \
	echo; echo "reports are in $(DEMO)/reports/:"; ls -1 $(DEMO)/reports/; \
	echo; echo "review page: run 'make demo-page' and open http://$$(awk '/^web:/{w=1} w&&/addr:/{print $$2; exit}' $(DEMO)/orderdrop.yaml)/"

## dist: static, versioned binaries (linux/amd64, linux/arm64) with SHA256SUMS.
dist:
	rm -rf $(DIST); mkdir -p $(DIST)
	@set -e; for p in $(PLATFORMS); do os=$${p%/*}; arch=$${p#*/}; \
	  echo "building orderdrop $(VERSION) for $$os/$$arch"; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags "-s -w $(LDFLAGS)" \
	    -o $(DIST)/orderdrop-$(VERSION)-$$os-$$arch ./cmd/orderdrop; \
	done
	cd $(DIST) && sha256sum orderdrop-* > SHA256SUMS && cat SHA256SUMS

## man: the man pages, into $(DIST)/man (install them under /usr/share/man/man1).
man:
	$(GO) run -ldflags "$(LDFLAGS)" ./cmd/orderdrop man --dir $(DIST)/man

## demo-page: the review page over the demo's results (after make demo), until Ctrl-C.
demo-page: build
	@test -f $(DEMO)/orderdrop.yaml || { echo "run make demo first"; exit 1; }
	@export NETWO_API_KEY=sim-netwo-key NETWO_ACTOR_SLUG=sim-actor PRIZZ_EMAIL=ops@orderdrop.example PRIZZ_PASSWORD=sim-prizz-password THINKTEL_USERNAME=sim-thinktel THINKTEL_PASSWORD=sim-thinktel-password; \
	echo "Ctrl-C stops it"; \
	exec $(BIN)/orderdrop --config $(DEMO)/orderdrop.yaml daemon

clean:
	rm -rf $(BIN) $(DEMO) $(DIST)
