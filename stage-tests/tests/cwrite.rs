//! Properties of the C that `spy0 cwrite` writes, beyond the programs' output (which
//! the `seed-native` runner checks): the same sources give the same bytes, whatever
//! the build folder, and the C names no machine-specific path.

use stage_tests::{crate_dir, workspace_dir};
use std::path::{Path, PathBuf};
use std::process::Command;

fn spy0() -> PathBuf {
    match std::env::var_os("SPY0") {
        Some(path) => PathBuf::from(path),
        None => workspace_dir().join("target/debug/spy0"),
    }
}

/// `spy0 cwrite -b DIR case`, run from `stage-tests/`: the files written, sorted by name.
fn cwrite(case: &str, dir: &Path) -> Vec<(String, Vec<u8>)> {
    let out = Command::new(spy0())
        .args(["cwrite", "-b"])
        .arg(dir)
        .arg(case)
        .current_dir(crate_dir())
        .env("SPY_STDLIB", "../stdlib")
        .output()
        .expect("spy0 runs");
    assert!(out.status.success(), "spy0 cwrite {case} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.join("src"))
        .expect("src/ was written")
        .map(|e| {
            let e = e.expect("a directory entry");
            (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).expect("readable"))
        })
        .collect();
    files.sort();
    files
}

/// The larger programs and a multi-module one.
const CASES: &[&str] = &[
    "cases/programs/bytecode_vm.spy",
    "cases/programs/ray_tracer.spy",
    "cases/programs/word_frequency.spy",
    "cases/modules/shapes.spy",
    "cases/dict/struct_keys_with_hash.spy",
];

#[test]
fn same_sources_give_the_same_c() {
    let scratch = workspace_dir().join("target/stage-tests/cwrite-determinism");
    let _ = std::fs::remove_dir_all(&scratch);
    for case in CASES {
        let stem = Path::new(case).file_stem().unwrap().to_string_lossy().into_owned();
        let first = cwrite(case, &scratch.join(format!("{stem}-a")));
        let second = cwrite(case, &scratch.join(format!("{stem}-b/nested")));
        assert!(first.len() >= 3, "{case}: expected structdefs and a module pair, got {}", first.len());
        assert_eq!(
            first.iter().map(|f| &f.0).collect::<Vec<_>>(),
            second.iter().map(|f| &f.0).collect::<Vec<_>>(),
            "{case}: different file sets"
        );
        for ((name, a), (_, b)) in first.iter().zip(second.iter()) {
            assert!(a == b, "{case}: {name} differs between two runs of spy0 cwrite");
            let text = String::from_utf8_lossy(a);
            let root = workspace_dir().to_string_lossy().into_owned();
            assert!(!text.contains(&root), "{case}: {name} contains the machine path {root}");
            assert!(!text.contains("cwrite-determinism"), "{case}: {name} contains the build folder");
        }
    }
}
