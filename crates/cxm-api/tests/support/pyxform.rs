//! The Python tools the xlsx tests check our workbooks with: pyxform's `xls2xform` and
//! the Python of its virtual environment (with openpyxl), as `scripts/setup.sh`
//! installs them. Shared by `tests/xlsform.rs` and `tests/plan_files.rs`; a tool not
//! found is a failure, never a skipped test.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What to do when a tool is missing.
pub const SETUP: &str = "run `bash scripts/setup.sh` (it installs pyxform and openpyxl into ~/.cache/cxm-tools/pyxform), or set CXM_XLS2XFORM to an xls2xform in a virtual environment with openpyxl";

/// pyxform's `xls2xform`: `CXM_XLS2XFORM`, else
/// on `PATH`, else where `scripts/setup.sh` installs it. Not found is a failure, never
/// a skipped test.
pub fn xls2xform() -> PathBuf {
    let works = |p: &Path| {
        Command::new(p)
            .arg("--help")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if let Some(p) = std::env::var_os("CXM_XLS2XFORM") {
        let p = PathBuf::from(p);
        assert!(
            works(&p),
            "CXM_XLS2XFORM={} does not run: {SETUP}",
            p.display()
        );
        return p;
    }
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join("xls2xform"))
        .find(|p| p.is_file() && works(p));
    let tools = std::env::var_os("CXM_TOOLS_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/cxm-tools")));
    let installed = tools
        .map(|t| t.join("pyxform/bin/xls2xform"))
        .filter(|p| p.is_file() && works(p));
    on_path
        .or(installed)
        .unwrap_or_else(|| panic!("pyxform's xls2xform was not found: {SETUP}"))
}

/// The Python next to `xls2xform` (its virtual environment, which has openpyxl).
pub fn python() -> PathBuf {
    let x = xls2xform();
    let dir = x.parent().expect("xls2xform is in a folder");
    let python = ["python3", "python"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("no python next to {}: {SETUP}", x.display()));
    let check = Command::new(&python)
        .args(["-c", "import openpyxl"])
        .output()
        .expect("python runs");
    assert!(
        check.status.success(),
        "openpyxl is missing from {}: {SETUP}\n{}",
        python.display(),
        String::from_utf8_lossy(&check.stderr)
    );
    python
}
