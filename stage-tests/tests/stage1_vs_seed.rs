//! The self-hosted front end against the seed's, live (no goldens): `build/stage1/spy CMD F`
//! must print exactly what `spy0 CMD F` prints (stdout, stderr and exit status).
//! - `stage1_self_parse`: `parse` on every `.spy` file of `spy-in-spy/` and `stdlib/`;
//! - `stage1_self_symtable`: `symtable` on the same files;
//! - `stage1_tokens`: `tokens` on those and on every stage-test case.
//! One test per file, named after its path; both programs run from the workspace root.

use datatest_stable::Utf8Path;
use stage_tests::support::{spy0, stage1};
use stage_tests::workspace_dir;
use std::path::Path;
use std::process::Command;

/// (stdout, stderr, exit status) of `program cmd file`, run from the workspace root.
fn run_with(program: &Path, cmd: &str, file: &str) -> Result<(String, String, Option<i32>), String> {
    let out = Command::new(program)
        .args([cmd, file])
        .current_dir(workspace_dir())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    Ok((text(&out.stdout), text(&out.stderr), out.status.code()))
}

fn stage1_self_parse(path: &Utf8Path) -> datatest_stable::Result<()> {
    compare("parse", path)
}

fn stage1_self_symtable(path: &Utf8Path) -> datatest_stable::Result<()> {
    compare("symtable", path)
}

fn stage1_tokens(path: &Utf8Path) -> datatest_stable::Result<()> {
    compare("tokens", path)
}

fn compare(cmd: &str, path: &Utf8Path) -> datatest_stable::Result<()> {
    let rel = Path::new(path.as_str()).strip_prefix(workspace_dir()).unwrap_or(Path::new(path.as_str()));
    let file = rel.to_string_lossy().replace('\\', "/");
    let spy0 = spy0()?;
    let stage1 = stage1()?;
    let expected = run_with(&spy0, cmd, &file)?;
    let actual = run_with(&stage1, cmd, &file)?;
    if expected == actual {
        return Ok(());
    }
    let mut report = format!("{file}: `stage1 {cmd}` differs from `spy0 {cmd}`\n");
    for (stream, e, a) in [("stdout", &expected.0, &actual.0), ("stderr", &expected.1, &actual.1)] {
        if e != a {
            let diff = similar::TextDiff::from_lines(e, a);
            report.push_str(&format!("\n{stream}:\n{}", diff.unified_diff().header("spy0", "stage1")));
        }
    }
    if expected.2 != actual.2 {
        report.push_str(&format!("\nexit status: spy0 {:?}, stage1 {:?}\n", expected.2, actual.2));
    }
    Err(report.into())
}

datatest_stable::harness! {
    { test = stage1_self_parse, root = workspace_dir().display().to_string(), pattern = r"^(spy-in-spy|stdlib)/[^/]+\.spy$" },
    { test = stage1_self_symtable, root = workspace_dir().display().to_string(), pattern = r"^(spy-in-spy|stdlib)/[^/]+\.spy$" },
    { test = stage1_tokens, root = workspace_dir().display().to_string(), pattern = r"^(spy-in-spy|stdlib|stage-tests/cases/[^/]+)/[^/]+\.spy$" },
}
