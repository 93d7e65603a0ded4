# The project's entry points (GNU make). Every target prints the commands it runs.
# One cargo profile (dev, opt-level 1; see Cargo.toml) serves the build and the tests,
# so `make test` compiles each crate once and runs the tests in parallel.

CARGO ?= cargo

.DEFAULT_GOAL := help
.PHONY: help setup stage0 test bench clean

help:
	@echo "make setup    install the native toolchain packages (scripts/setup.sh native; idempotent)"
	@echo "make stage0   build the seed: target/debug/spy0"
	@echo "make test     setup + stage0, then every test of the workspace (nextest if installed, else cargo test)"
	@echo "make bench    spy0 against its peers (python3), same run, printed as ratios"
	@echo "make clean    remove target/ and build/"

setup:
	scripts/setup.sh native

stage0:
	$(CARGO) build -p seed --bins

# nextest runs each test (each stage-test case on each runner) as its own process and
# ends with one Summary line counting them all.
test: setup stage0
	@if $(CARGO) nextest --version >/dev/null 2>&1; then \
	    echo "$(CARGO) nextest run --workspace --no-fail-fast"; \
	    $(CARGO) nextest run --workspace --no-fail-fast; \
	else \
	    echo "cargo-nextest not found; falling back to cargo test"; \
	    echo "$(CARGO) test --workspace --no-fail-fast"; \
	    $(CARGO) test --workspace --no-fail-fast; \
	fi

# Speed and memory are measured here, never asserted in tests (bench/run.py).
bench: stage0
	scripts/setup.sh native bench
	python3 bench/run.py target/debug/spy0

clean:
	$(CARGO) clean
	rm -rf build
