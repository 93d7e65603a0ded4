# The project's entry points (GNU make). Every target prints the commands it runs.
# One cargo profile (dev, opt-level 1; see Cargo.toml) serves the build and the tests,
# so `make test` compiles each crate once and runs the tests in parallel.

CARGO ?= cargo

.DEFAULT_GOAL := help
.PHONY: help setup libspy libspy-wasi libspy-baremetal wasm-runner stage0 stage1 test test-sanitize fuzz bench clean

help:
	@echo "make setup    install the native, wasi and baremetal toolchains (scripts/setup.sh native wasi baremetal; idempotent)"
	@echo "make stage0   build the seed (target/debug/spy0) and libspy (libspy/build/native/libspy.a)"
	@echo "make stage1   stage0 compiles the compiler in SPy (spy-in-spy/) to build/stage1/spy (with spy-bootstrap)"
	@echo "make wasm-runner  spy-wasm, the wasmtime runner behind spy-bootstrap run-wasm (wasm-runner/, built once)"
	@echo "make libspy-wasi  libspy for wasm32-wasi (libspy/build/wasi/libspy.a), for spy0 build --target wasi"
	@echo "make libspy-baremetal  libspy for Cortex-M3 (libspy/build/baremetal/libspy.a), for --target baremetal"
	@echo "make test     setup + stage1 + both libspy targets, then every test of the workspace (nextest if installed, else cargo test)"
	@echo "make test-sanitize  every native stage test built with ASan+UBSan (libspy too); zero reports"
	@echo "make fuzz     the mutation fuzzer and the program generator, longer (FUZZ_COUNT, FUZZ_PROGRAMS, FUZZ_SEED)"
	@echo "make bench    spy0 against its peers (python3), same run, printed as ratios"
	@echo "make clean    remove target/ and build/"

setup:
	scripts/setup.sh native wasi baremetal

# The C runtime every compiled program links (libspy/Makefile).
libspy:
	$(MAKE) -C libspy

# wasm32-wasi with clang-14 and wasi-libc (the wasi group of scripts/setup.sh).
libspy-wasi:
	$(MAKE) -C libspy wasi

# Cortex-M3 with arm-none-eabi-gcc and picolibc (the baremetal group of scripts/setup.sh).
libspy-baremetal:
	$(MAKE) -C libspy baremetal

stage0: libspy
	$(CARGO) build -p seed --bins

# spy-bootstrap prints each step's command, wall time and peak RSS.
stage1: stage0
	$(CARGO) build -p spy-bootstrap
	target/debug/spy-bootstrap stage1

# wasmtime lives in its own workspace (wasm-runner/Cargo.toml says why); its binary
# lands beside spy0 and spy-bootstrap in target/debug/.
wasm-runner:
	$(CARGO) build --manifest-path wasm-runner/Cargo.toml --target-dir target

# nextest runs each test (each stage-test case on each runner) as its own process and
# ends with one Summary line counting them all.
test: setup stage1 libspy-wasi libspy-baremetal wasm-runner
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
	scripts/setup.sh native wasi bench
	$(MAKE) -C libspy wasi
	$(MAKE) stage1 wasm-runner
	python3 bench/run.py target/debug/spy0

clean:
	$(CARGO) clean
	rm -rf build libspy/build
