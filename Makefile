# newspipe — see README.md. Every target works from a fresh clone with Go installed;
# `make proto` and `make proto-check` also need protoc (Debian: protobuf-compiler).

GO        ?= go
BIN       := bin
MODULES   := $(shell $(GO) list -m -f '{{.Dir}}' 2>/dev/null)
PKGS      := $(addsuffix /...,$(MODULES))
SERVICES  := fetcher cleaner classifier sink
PROTOC_GEN_GO_VERSION := v1.36.12
PROTOC_VERSION        := 3.21.12
TEST_FLAGS ?= -count=1 -timeout 20m
BENCH     ?= .
DATA_DIR  ?= data

.PHONY: all build run demo test test-faults test-short vet bench bench-e2e proto proto-check images deploy-check test-rules eval-extract compare-extract eval-classify seeds-check fmt clean help

all: build

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

build: ## build every binary into bin/
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/newspipe ./cmd/newspipe
	@for s in $(SERVICES); do echo "$(GO) build -o $(BIN)/$$s ./services/$$s"; $(GO) build -o $(BIN)/$$s ./services/$$s || exit 1; done

run: ## run the whole pipeline in one process (embedded NATS and store), with the default real feeds
	$(GO) build -o $(BIN)/newspipe ./cmd/newspipe
	./$(BIN)/newspipe run -data-dir $(DATA_DIR)

demo: ## run the pipeline against the bundled local demo site (no internet needed)
	$(GO) build -o $(BIN)/newspipe ./cmd/newspipe
	./$(BIN)/newspipe demo -data-dir $(DATA_DIR)/demo

test: vet ## all tests (set NATS_URL / NEWSPIPE_TEST_POSTGRES_DSN to also test against standalone servers)
	$(GO) test $(TEST_FLAGS) $(PKGS)
	@if command -v protoc >/dev/null 2>&1; then $(MAKE) --no-print-directory proto-check; \
	 else echo "proto-check skipped: protoc not installed (apt-get install protobuf-compiler)"; fi
	@$(MAKE) --no-print-directory test-rules

test-rules: ## promtool's unit tests of the alerting rules (deploy/prometheus); skipped without promtool unless CI is set
	@if command -v promtool >/dev/null 2>&1; then \
	  promtool check rules deploy/prometheus/newspipe.rules.yaml && \
	  cd deploy/prometheus && promtool test rules newspipe.rules.test.yaml; \
	 elif [ -n "$$CI" ]; then echo "test-rules: promtool not installed and CI is set (apt-get install prometheus)"; exit 1; \
	 else echo "test-rules skipped: promtool not installed (apt-get install prometheus)"; fi

test-faults: ## the fault suite: the real binaries as processes on a nats-server of their own (built from the pinned module; NEWSPIPE_FAULTS_NATS_SERVER=path for another), killed mid-stream (~5 min)
	cd cmd/newspipe && NEWSPIPE_FAULTS=1 $(GO) test -count=1 -timeout 15m -v -run . ./internal/faults/

test-short: ## the fast tests only
	$(GO) test -short $(TEST_FLAGS) $(PKGS)

vet: ## go vet every module, and fail on unformatted code
	$(GO) vet $(PKGS)
	@bad=$$(gofmt -l $(MODULES) | grep -v '\.pb\.go$$'); if [ -n "$$bad" ]; then echo "gofmt needed:"; echo "$$bad"; exit 1; fi

bench: ## the benchmarks (extractor, classifier, stage loop, pipeline)
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem $(PKGS)

bench-e2e: ## the whole pipeline on 170 KB pages from 8 loopback hosts: burst articles/s, CPU per article, fetch→stored quantiles at 100/200/400 per s, and the bus's own ceiling (~3 min)
	cd cmd/newspipe && $(GO) run ./internal/e2ebench $(E2E_FLAGS)

proto: ## regenerate the Go code of proto/ (protoc $(PROTOC_VERSION), protoc-gen-go $(PROTOC_GEN_GO_VERSION))
	@command -v protoc >/dev/null || { echo "protoc not found: apt-get install protobuf-compiler"; exit 1; }
	@protoc --version | grep -q '$(PROTOC_VERSION)' || echo "warning: protoc is $$(protoc --version), generated headers will differ from $(PROTOC_VERSION)"
	GOBIN=$(CURDIR)/$(BIN)/tools $(GO) install google.golang.org/protobuf/cmd/protoc-gen-go@$(PROTOC_GEN_GO_VERSION)
	cd proto && PATH=$(CURDIR)/$(BIN)/tools:$$PATH protoc -I . --go_out=. --go_opt=paths=source_relative newspipe/v1/*.proto

proto-check: ## fail when the committed generated code differs from what make proto produces
	@tmp=$$(mktemp -d) && cp -r proto "$$tmp/" && \
	 GOBIN=$(CURDIR)/$(BIN)/tools $(GO) install google.golang.org/protobuf/cmd/protoc-gen-go@$(PROTOC_GEN_GO_VERSION) && \
	 (cd "$$tmp/proto" && PATH=$(CURDIR)/$(BIN)/tools:$$PATH protoc -I . --go_out=. --go_opt=paths=source_relative newspipe/v1/*.proto) && \
	 if diff -r -q proto/newspipe "$$tmp/proto/newspipe" >/dev/null; then echo "proto-check: generated code is up to date"; rm -rf "$$tmp"; \
	 else diff -r proto/newspipe "$$tmp/proto/newspipe" | head -20; echo "proto-check: generated code is stale: run make proto"; rm -rf "$$tmp"; exit 1; fi

images: ## build the container images (needs a Docker engine)
	@command -v docker >/dev/null && docker info >/dev/null 2>&1 || { echo "images: no Docker engine here"; exit 1; }
	@for s in $(SERVICES) newspipe; do docker build -f deploy/docker/Dockerfile --build-arg SERVICE=$$s -t newspipe/$$s:dev . || exit 1; done

deploy-check: ## render the Kubernetes manifests with kustomize and validate them offline (module deploy/check)
	cd deploy/check && $(GO) run ./cmd/deploy-check ../k8s

eval-extract: ## score the extractor on ../shared/extraction-dev (skips where absent)
	cd services/cleaner && $(GO) run ./cmd/eval-extract

compare-extract: ## side by side with go-readability, the readeck fork and go-trafilatura on ../shared/extraction-dev (~15 min)
	cd bench/extract-compare && GOWORK=off $(GO) run .

eval-classify: ## score the classifier on ../shared/classify-real, classify-dev, the seeds and our own sets; fails on merged or split deals
	cd services/classifier && $(GO) run ./cmd/eval-classify

seeds-check: build ## check bin/cleaner and bin/classifier against ../shared/seeds/expected.json
	@if [ -x ../shared/tools/check-seeds ]; then ../shared/tools/check-seeds; else echo "seeds-check skipped: ../shared/tools/check-seeds not found"; fi

fmt: ## gofmt every module
	gofmt -w $(MODULES)

clean: ## remove binaries and the local data directory
	rm -rf $(BIN) $(DATA_DIR)
