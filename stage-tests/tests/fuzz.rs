//! The two fuzzers of the pipeline, as ordinary tests (`make test` runs them with a fixed
//! seed and a bounded count; `make fuzz` runs them longer):
//! - `mutants`: mutants of every `.spy` of `stage-tests/cases/` and `examples/` through
//!   `spy0 FILE` and, for a share, `spy0 build -x` (`stage_tests::mutants`). Each must end
//!   as a diagnostic in the spec's layout or a run; never a panic, a signal, a C
//!   compiler failure or a hang. Offending mutants are saved under
//!   `target/fuzz/mutants/mutant-<n>/` (the program, its modules, and `why.txt`).
//! - `programs`: random valid, terminating programs (`stage_tests::progen`) on every
//!   runner (seed-interp and seed-redshift on all, seed-native at -O0 and -O2 on a sample);
//!   stdout, stderr and the exit status must agree. A disagreement is reduced and saved
//!   under `target/fuzz/programs/`.
//!
//! Parameters (environment): `FUZZ_SEED` (default fixed), `FUZZ_COUNT` (mutants),
//! `FUZZ_PROGRAMS` (generated programs), `FUZZ_NATIVE_EVERY` (one program in N also built;
//! for mutants, one in 4N of those past redshift), `FUZZ_TIMEOUT` (seconds per process),
//! `FUZZ_JOBS` (parallel processes; default one per core).

use stage_tests::mutants;
use stage_tests::progen;
use stage_tests::run::{env_param, jobs};
use stage_tests::support::{spy0, target_dir};
use std::time::{Duration, Instant};

const SEED: u64 = 0x5eed_f022;
const MUTANTS: u64 = 2000;
const PROGRAMS: u64 = 300;
const NATIVE_EVERY: u64 = 12;
const MAX_LISTED: usize = 20;

fn timeout() -> Duration {
    Duration::from_secs(env_param("FUZZ_TIMEOUT", 10))
}

#[test]
fn mutants() {
    let spy0 = spy0().unwrap_or_else(|err| panic!("{err}"));
    let config = mutants::Config {
        seed: env_param("FUZZ_SEED", SEED),
        count: env_param("FUZZ_COUNT", MUTANTS) as usize,
        native_every: 4 * env_param("FUZZ_NATIVE_EVERY", NATIVE_EVERY) as usize,
        timeout: timeout(),
        jobs: jobs(),
        out_dir: target_dir().join("fuzz").join("mutants"),
    };
    let start = Instant::now();
    let (stats, failures) = mutants::fuzz(&config, &spy0);
    eprintln!(
        "mutants: {} (seed {:#x}) in {:.1} s on {} jobs: {} static diagnostics, {} past redshift ({} looped on their own), {} also built natively",
        stats.mutants,
        config.seed,
        start.elapsed().as_secs_f64(),
        config.jobs,
        stats.diagnostics,
        stats.runs,
        stats.own_loops,
        stats.native
    );
    if !failures.is_empty() {
        // One line per kind (the reason and the panic's location), with its first mutants.
        let mut kinds: Vec<(String, Vec<&mutants::Failure>)> = Vec::new();
        for f in &failures {
            let line = f.outcome.stderr.lines().find(|l| l.contains("panicked at") || l.contains("internal error"));
            let at = line.map_or("", |l| l.split_once("panicked at ").map_or(l, |(_, at)| at));
            let kind = format!("{} ({})", f.why, at.trim_end_matches(':'));
            match kinds.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, list)) => list.push(f),
                None => kinds.push((kind, vec![f])),
            }
        }
        let listed: Vec<String> = kinds
            .iter()
            .take(MAX_LISTED)
            .map(|(kind, list)| {
                let shown: Vec<String> = list
                    .iter()
                    .take(3)
                    .map(|f| {
                        format!(
                            "    mutant {} of {}: $ {}
      saved in {}",
                            f.index,
                            f.seed_rel,
                            f.command,
                            f.saved.display()
                        )
                    })
                    .collect();
                format!(
                    "  {} mutant(s): {kind}
{}",
                    list.len(),
                    shown.join("\n")
                )
            })
            .collect();
        panic!(
            "{} of {} mutants ended in a way the spec does not allow:\n{}",
            failures.len(),
            stats.mutants,
            listed.join("\n")
        );
    }
}

#[test]
fn programs() {
    let spy0 = spy0().unwrap_or_else(|err| panic!("{err}"));
    let config = progen::Config {
        seed: env_param("FUZZ_SEED", SEED),
        count: env_param("FUZZ_PROGRAMS", PROGRAMS) as usize,
        native_every: env_param("FUZZ_NATIVE_EVERY", NATIVE_EVERY) as usize,
        timeout: timeout(),
        jobs: jobs(),
        out_dir: target_dir().join("fuzz").join("programs"),
    };
    let start = Instant::now();
    let (stats, failures) = progen::fuzz(&config, &spy0);
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "programs: {} (seed {:#x}) in {:.1} s on {} jobs; {} on seed-native -O0 and -O2; interpreter alone: {:.0} programs/s generated and run",
        stats.programs,
        config.seed,
        secs,
        config.jobs,
        stats.native,
        stats.interp_rate
    );
    if !failures.is_empty() {
        let listed: Vec<String> = failures.iter().take(MAX_LISTED).map(|f| format!("  {f}")).collect();
        panic!(
            "{} of {} generated programs: the runners disagree:\n{}",
            failures.len(),
            stats.programs,
            listed.join("\n")
        );
    }
}

/// The reducer on a planted problem (a NameError in one line of a generated program):
/// what is left still fails the same way and is much smaller.
#[test]
fn reducer_keeps_the_problem_and_drops_the_rest() {
    let spy0 = spy0().unwrap_or_else(|err| panic!("{err}"));
    let program = progen::generate(SEED)
        .replace("    print(\"checksum\", chk)\n", "    print(\"checksum\", chk)\n    print(planted)\n");
    let dir = target_dir().join("fuzz").join("reducer-test");
    let runners = [progen::Runner::Interp, progen::Runner::Redshift];
    let want = "seed-interp: a static error on a generated program: NameError: name `planted` is not defined";
    let reduced = progen::reduce(&spy0, &dir, &program, &runners, want, Duration::from_secs(60));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(reduced.contains("print(planted)"), "{reduced}");
    assert!(reduced.lines().count() <= 3, "not reduced:\n{reduced}");
}
