//! Properties of the C that `spy0 cwrite` writes, beyond the programs' output (which
//! the `seed-native` runner checks, with gcc -Wall -Wextra -Werror): the same sources
//! give the same bytes, whatever the build folder; the C names no machine-specific
//! path; and clang finds nothing to warn about either.

use stage_tests::{crate_dir, workspace_dir};
use std::path::{Path, PathBuf};
use std::process::Command;

fn spy0() -> PathBuf {
    stage_tests::support::spy0().unwrap_or_else(|err| panic!("{err}"))
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
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.join("c"))
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
    "cases/modules/shapes/import_module_and_call_function.spy",
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

/// clang-14 (installed by `scripts/setup.sh native`) with -Wall -Wextra -Werror accepts
/// the C of every program case that compiles.
#[test]
fn generated_c_is_warning_free_for_clang() {
    let scratch = workspace_dir().join("target/stage-tests/cwrite-clang");
    let include = workspace_dir().join("libspy/include");
    let mut checked = 0;
    for area in ["programs", "unsafe", "list", "dict", "structs", "operators", "types", "str", "files", "stdlib"] {
        let mut cases: Vec<PathBuf> = std::fs::read_dir(crate_dir().join("cases").join(area))
            .expect("the area exists")
            .map(|e| e.expect("a directory entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "spy"))
            .collect();
        cases.sort();
        for case in cases {
            let rel = case.strip_prefix(crate_dir()).unwrap().to_string_lossy().into_owned();
            let dir = scratch.join(rel.trim_end_matches(".spy"));
            let out = Command::new(spy0())
                .args(["cwrite", "-b"])
                .arg(&dir)
                .arg(&rel)
                .current_dir(crate_dir())
                .env("SPY_STDLIB", "../stdlib")
                .output()
                .expect("spy0 runs");
            if !out.status.success() {
                continue; // a static-error case: no C
            }
            let sources: Vec<PathBuf> = std::fs::read_dir(dir.join("c"))
                .expect("src/ was written")
                .map(|e| e.expect("a directory entry").path())
                .filter(|p| p.extension().is_some_and(|x| x == "c"))
                .collect();
            let out = Command::new("clang-14")
                .args(["-fsyntax-only", "-std=c99", "-Wall", "-Wextra", "-Werror"])
                .arg("-I")
                .arg(&include)
                .args(&sources)
                .output()
                .expect("clang-14 runs (scripts/setup.sh native installs it)");
            assert!(
                out.status.success(),
                "clang-14 warns on the C of {rel}:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} cases were checked");
}

/// Copies the `.spy` files of `from` into `to`, with those of its folders (modules in
/// folders: `stdlib/os/path.spy`, `spy-in-spy/vm/`).
fn copy_spy_files(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("the copy's folder can be made");
    for entry in std::fs::read_dir(from).expect("the folder exists") {
        let path = entry.expect("a directory entry").path();
        let name = path.file_name().unwrap();
        if path.is_dir() && name != "build" {
            copy_spy_files(&path, &to.join(name));
        } else if path.extension().is_some_and(|x| x == "spy") {
            std::fs::copy(&path, to.join(name)).expect("the file can be copied");
        }
    }
}

/// The compiler in SPy written to C from two checkouts in different folders, named by
/// absolute paths as `spy-bootstrap` names them: the C is the same, byte for byte, and
/// names neither folder (docs/architecture.md "Determinism").
#[test]
fn spy_in_spy_c_is_the_same_from_two_checkouts() {
    let scratch = workspace_dir().join("target/stage-tests/two-checkouts");
    let _ = std::fs::remove_dir_all(&scratch);
    let mut trees = Vec::new();
    for checkout in [scratch.join("first"), scratch.join("elsewhere/second-checkout")] {
        copy_spy_files(&workspace_dir().join("spy-in-spy"), &checkout.join("spy-in-spy"));
        copy_spy_files(&workspace_dir().join("stdlib"), &checkout.join("stdlib"));
        let build = checkout.join("build");
        let out = Command::new(spy0())
            .args(["cwrite", "-b"])
            .arg(&build)
            .arg(checkout.join("spy-in-spy/main.spy"))
            .env("SPY_STDLIB", checkout.join("stdlib"))
            .output()
            .expect("spy0 runs");
        assert!(out.status.success(), "spy0 cwrite failed:\n{}", String::from_utf8_lossy(&out.stderr));
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(build.join("c"))
            .expect("the C was written")
            .map(|e| {
                let e = e.expect("a directory entry");
                (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).expect("readable"))
            })
            .collect();
        files.sort();
        let folder = checkout.to_string_lossy().into_owned();
        for (name, text) in &files {
            assert!(!String::from_utf8_lossy(text).contains(&folder), "{name} names the checkout folder {folder}");
        }
        trees.push(files);
    }
    assert!(trees[0].len() > 10, "expected the C of every module, got {} files", trees[0].len());
    assert_eq!(
        trees[0].iter().map(|f| &f.0).collect::<Vec<_>>(),
        trees[1].iter().map(|f| &f.0).collect::<Vec<_>>(),
        "the two checkouts give different sets of C files"
    );
    for ((name, a), (_, b)) in trees[0].iter().zip(trees[1].iter()) {
        assert!(a == b, "{name} differs between the two checkouts");
    }
}

/// `__spy__.is_compiled()` is the one call whose answer differs by runner (docs/spec/LANGUAGE.md
/// §14.6): False in the interpreter, True in the compiled program, so it is never folded
/// at redshift time.
#[test]
fn is_compiled_is_true_only_when_compiled() {
    let dir = workspace_dir().join("target/stage-tests/is-compiled");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the scratch folder can be made");
    let program = dir.join("is_compiled.spy");
    std::fs::write(&program, "from __spy__ import is_compiled\n\ndef main() -> None:\n    print(is_compiled())\n")
        .expect("the program can be written");
    let run = |args: &[&str]| {
        let out = Command::new(spy0())
            .args(args)
            .arg(&program)
            .env("SPY_STDLIB", workspace_dir().join("stdlib"))
            .output()
            .expect("spy0 runs");
        assert!(out.status.success(), "spy0 {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(run(&[]), "False\n");
    assert_eq!(run(&["redshift", "-x"]), "False\n");
    assert_eq!(run(&["build", "-x", "-b", &dir.join("build").to_string_lossy()]), "True\n");
}
