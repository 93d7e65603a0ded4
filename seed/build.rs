//! Records the host target triple, which the `cc` crate needs at run time to find the
//! C compiler for `spy0 build` (src/cbuild.rs).
fn main() {
    let target = std::env::var("TARGET").expect("cargo sets TARGET for build scripts");
    println!("cargo:rustc-env=SPY_HOST_TARGET={target}");
    println!("cargo:rerun-if-changed=build.rs");
}
