//! Builds the program's Anchor IDL the way `anchor idl build` does (no SBF toolchain needed) and
//! writes it to `idl/tributary.json`; with `--check`, fails when the committed file differs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anchor_lang_idl::build::IdlBuilder;

fn main() -> ExitCode {
    let check = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--check") => true,
        Some(other) => {
            eprintln!("usage: tributary-idl [--check]   (unknown argument {other:?})");
            return ExitCode::from(2);
        }
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the crate sits in the workspace")
        .to_path_buf();
    let committed = root.join("idl").join("tributary.json");
    let idl = match build(&root) {
        Ok(idl) => idl,
        Err(err) => {
            eprintln!("error: cannot build the IDL: {err}");
            return ExitCode::FAILURE;
        }
    };
    if check {
        let current = std::fs::read_to_string(&committed).unwrap_or_default();
        if current != idl {
            eprintln!(
                "error: {} is out of date: run `cargo run -p tributary-idl` and commit it",
                committed.display()
            );
            return ExitCode::FAILURE;
        }
        println!("{} is current", committed.display());
    } else if let Err(err) = std::fs::write(&committed, idl) {
        eprintln!("error: cannot write {}: {err}", committed.display());
        return ExitCode::FAILURE;
    } else {
        println!("wrote {}", committed.display());
    }
    ExitCode::SUCCESS
}

/// The IDL as pretty JSON. The build runs `cargo test` on the program with its `idl-build`
/// feature and other RUSTFLAGS, so it gets a target folder of its own rather than waiting for,
/// or invalidating, the workspace's.
fn build(root: &Path) -> Result<String, String> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("idl");
    std::env::set_var("CARGO_TARGET_DIR", target);
    // The builder would pass the toolchain named here to cargo in a form cargo does not take.
    std::env::remove_var("RUSTUP_TOOLCHAIN");
    let idl = IdlBuilder::new()
        .program_path(root.join("programs").join("tributary"))
        .build()
        .map_err(|err| err.to_string())?;
    let json = serde_json::to_string_pretty(&idl).map_err(|err| err.to_string())?;
    Ok(json + "\n")
}
