# The project's entry points (GNU make). Every target prints the commands it runs.
# One cargo profile (dev, opt-level 1; see Cargo.toml) serves the build and the tests,
# so `make test` compiles each crate once and runs the tests in parallel.

CARGO ?= cargo

.DEFAULT_GOAL := help
.PHONY: help setup libspy stage0 stage1 test test-sanitize fuzz bench clean

help:
	@echo "make setup    install the native toolchain packages (scripts/setup.sh native; idempotent)"
	@echo "make stage0   build the seed (target/debug/spy0) and libspy (libspy/build/native/libspy.a)"
	@echo "make stage1   stage0 compiles the compiler in SPy (spy-in-spy/) to build/stage1/spy"
	@echo "make test     setup + stage1, then every test of the workspace (nextest if installed, else cargo test)"
	@echo "make test-sanitize  every native stage test built with ASan+UBSan (libspy too); zero reports"
	@echo "make fuzz     the mutation fuzzer and the program generator, longer (FUZZ_COUNT, FUZZ_PROGRAMS, FUZZ_SEED)"
	@echo "make bench    spy0 against its peers (python3), same run, printed as ratios"
	@echo "make clean    remove target/ and build/"

setup:
	scripts/setup.sh native

# The C runtime every compiled program links (libspy/Makefile).
libspy:
	$(MAKE) -C libspy

stage0: libspy
	$(CARGO) build -p seed --bins

# spy-bootstrap prints each step's command, wall time and peak RSS.
stage1: stage0
	$(CARGO) build -p spy-bootstrap
	target/debug/spy-bootstrap stage1

# nextest runs each test (each stage-test case on each runner) as its own process and
# ends with one Summary line counting them all.
test: setup stage1
	@if $(CARGO) nextest --version >/dev/null 2>&1; then \
	    echo "$(CARGO) nextest run --workspace --no-fail-fast"; \
	    $(CARGO) nextest run --workspace --no-fail-fast; \
	else \
	    echo "cargo-nextest not found; falling back to cargo test"; \
	    echo "$(CARGO) test --workspace --no-fail-fast"; \
	    $(CARGO) test --workspace --no-fail-fast; \
	fi

# Every case of the seed-native runner, built against the sanitized libspy with
# -fsanitize=address,undefined; a report makes the program fail, so the case fails.
test-sanitize: setup stage0
	$(MAKE) -C libspy native-sanitize
	@if $(CARGO) nextest --version >/dev/null 2>&1; then \
	    echo "SPY_SANITIZE=1 $(CARGO) nextest run -p stage-tests --test stages --no-fail-fast -E 'test(/^seed_native::/)'"; \
	    SPY_SANITIZE=1 $(CARGO) nextest run -p stage-tests --test stages --no-fail-fast -E 'test(/^seed_native::/)'; \
	else \
	    echo "SPY_SANITIZE=1 $(CARGO) test -p stage-tests --test stages --no-fail-fast -- seed_native::"; \
	    SPY_SANITIZE=1 $(CARGO) test -p stage-tests --test stages --no-fail-fast -- seed_native::; \
	fi

# The two fuzzers of stage-tests/tests/fuzz.rs, longer than in `make test` (which runs a
# fixed seed and a bounded count). Override: make fuzz FUZZ_COUNT=100000 FUZZ_SEED=7.
# Offending inputs land in target/fuzz/mutants/ and target/fuzz/programs/.
FUZZ_COUNT ?= 20000
FUZZ_PROGRAMS ?= 3000
FUZZ_SEED ?= $(shell date +%s)
FUZZ_NATIVE_EVERY ?= 6
fuzz: setup stage0
	FUZZ_COUNT=$(FUZZ_COUNT) FUZZ_PROGRAMS=$(FUZZ_PROGRAMS) FUZZ_SEED=$(FUZZ_SEED) FUZZ_NATIVE_EVERY=$(FUZZ_NATIVE_EVERY) \
	    $(CARGO) test -p stage-tests --test fuzz -- --nocapture --test-threads 1

# Speed and memory are measured here, never asserted in tests (bench/run.py).
bench: stage0
	scripts/setup.sh native bench
	python3 bench/run.py target/debug/spy0

clean:
	$(CARGO) clean
	rm -rf build libspy/build
