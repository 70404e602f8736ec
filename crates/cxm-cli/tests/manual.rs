//! `cxm --version`, `cxm manpage` and `cxm completions`: what a package installs and a
//! shell loads, checked through the binary. The command list is read from `cxm --help`
//! (clap's own help), so the manual and the completions are checked against what the
//! binary accepts, not against a list written here.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::io::Write;
use std::path::Path;
use std::process::{Command as Process, Stdio};

use assert_cmd::Command;
use cxm_domain::Model;
use cxm_domain::model::BUILT_IN_MODELS;

/// Runs `cxm` with no database anywhere: `HOME` is an empty folder.
fn cxm(home: &Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("cxm")
        .unwrap()
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cxm {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "cxm {args:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The visible commands under `cxm PATH…`, from clap's help (`Commands:` section),
/// without `help`.
fn commands(home: &Path, path: &[&str]) -> Vec<String> {
    let mut args = path.to_vec();
    args.push("--help");
    let help = cxm(home, &args);
    let Some((_, list)) = help.split_once("Commands:\n") else {
        return Vec::new();
    };
    list.lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// Every visible command as its words after `cxm` (`["org", "add"]`), depth first.
fn command_tree(home: &Path) -> Vec<Vec<String>> {
    fn walk(home: &Path, path: Vec<String>, out: &mut Vec<Vec<String>>) {
        let words: Vec<&str> = path.iter().map(String::as_str).collect();
        for name in commands(home, &words) {
            let mut sub = path.clone();
            sub.push(name);
            out.push(sub.clone());
            walk(home, sub, out);
        }
    }
    let mut out = Vec::new();
    walk(home, Vec::new(), &mut out);
    out
}

fn has_tool(name: &str) -> bool {
    Process::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn version_names_every_built_in_model() {
    let home = tempfile::tempdir().unwrap();
    let keys: Vec<String> = BUILT_IN_MODELS
        .iter()
        .map(|(file, source)| Model::from_toml(source, file).unwrap().key())
        .collect();
    assert!(keys.len() >= 2, "{keys:?}");
    let expected = format!(
        "cxm {} (built-in models: {})\n",
        env!("CARGO_PKG_VERSION"),
        keys.join(", ")
    );
    assert_eq!(cxm(home.path(), &["--version"]), expected);
    assert_eq!(cxm(home.path(), &["-V"]), expected);
    for key in &keys {
        assert!(expected.contains(key.as_str()));
    }
}

#[test]
fn the_manual_page_has_every_command_and_the_extra_sections() {
    let home = tempfile::tempdir().unwrap();
    let page = cxm(home.path(), &["manpage"]);
    assert!(page.is_ascii(), "non-ASCII is written as roff escapes");
    let th = page.lines().find(|l| l.starts_with(".TH ")).unwrap();
    assert!(th.starts_with(".TH cxm 1 "), "{th}");
    // .TH name section date source manual: the date is a day, not an empty argument.
    let date = th.split(' ').nth(3).unwrap();
    assert!(
        chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
        "{th}"
    );
    let sections: Vec<&str> = page
        .lines()
        .filter_map(|l| l.strip_prefix(".SH "))
        .map(|s| s.trim_matches('"'))
        .collect();
    for wanted in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "COMMANDS",
        "ENVIRONMENT",
        "FILES",
        "EXIT STATUS",
        "EXAMPLES",
    ] {
        assert!(sections.contains(&wanted), "{wanted} in {sections:?}");
    }
    // Every command the binary offers has its subsection; the hidden one has none.
    let tree = command_tree(home.path());
    assert!(tree.len() > 20, "{tree:?}");
    assert!(tree.iter().any(|c| c == &["org", "add"]), "{tree:?}");
    assert!(tree.iter().any(|c| c == &["inbox", "accept"]), "{tree:?}");
    for words in &tree {
        let heading = format!(".SS \"cxm {}\"", words.join(" "));
        assert!(page.contains(&heading), "{heading}");
    }
    assert!(
        !page.contains("cxm manpage\""),
        "the hidden command is left out"
    );
    assert!(
        !page.contains("cxm help"),
        "clap's help command is left out"
    );

    let section = |name: &str| -> String {
        let start = page.find(&format!(".SH {name}")).unwrap();
        let rest = &page[start + 4..];
        rest[..rest.find(".SH ").unwrap_or(rest.len())].to_string()
    };
    let env = section("ENVIRONMENT");
    for var in ["CXM_DB", "CXM_LOG", "CXM_BUSY_TIMEOUT_SECS"] {
        assert!(env.contains(&format!("\\fB{var}\\fR")), "{var}: {env}");
    }
    let files = section("FILES");
    assert!(files.contains("io.cxmaturity.app/cxm.sqlite"), "{files}");
    assert!(
        files.contains("io.cxmaturity.app/logs/cxm.log.YYYY\\-MM\\-DD"),
        "{files}"
    );
    let status = section("\"EXIT STATUS\"");
    for code in ["0", "1", "2"] {
        assert!(status.contains(&format!("\\fB{code}\\fR")), "{status}");
    }
    let examples = section("EXAMPLES");
    for example in ["demo", "results 2 \\-\\-json", "report 2 \\-o"] {
        assert!(examples.contains(example), "{example}: {examples}");
    }
}

#[test]
fn the_exit_status_is_what_the_manual_says() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cxm.sqlite");
    let status = |args: &[&str]| {
        Command::cargo_bin("cxm")
            .unwrap()
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(status(&["org", "list"]), Some(0));
    assert_eq!(status(&["results", "999"]), Some(1));
    assert_eq!(status(&["no-such-command"]), Some(2));
    assert_eq!(status(&["results"]), Some(2));
}

#[test]
fn the_manual_page_renders_without_warnings() {
    let home = tempfile::tempdir().unwrap();
    let page = cxm(home.path(), &["manpage"]);
    let file = home.path().join("cxm.1");
    std::fs::write(&file, &page).unwrap();
    let mut checked = Vec::new();
    if has_tool("groff") {
        // -ww: every warning; -z: no output, only the check.
        let out = Process::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "groff warnings");
        checked.push("groff");
    }
    if has_tool("man") {
        let out = Process::new("man")
            .arg("-l")
            .arg(&file)
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "100")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        for wanted in ["EXIT STATUS", "cxm org add", "CXM_DB", "cxm.log.YYYY-MM-DD"] {
            assert!(text.contains(wanted), "{wanted}: {text}");
        }
        checked.push("man");
    }
    // Without either tool the structure test above is the check.
    println!("rendered with {checked:?}");
}

#[test]
fn the_bash_completion_loads_and_completes_commands() {
    let home = tempfile::tempdir().unwrap();
    let script = home.path().join("cxm.bash");
    std::fs::write(&script, cxm(home.path(), &["completions", "bash"])).unwrap();
    // Loads, registers a function for `cxm`, and completes what is typed so far.
    let probe = r#"
source "$1" || exit 1
spec=$(complete -p cxm) || exit 1
echo "spec: $spec"
fn=$(sed -n 's/.*-F \([^ ]*\) .*/\1/p' <<<"$spec")
complete_words() {
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=()
    COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    "$fn" cxm "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    echo "$*: ${COMPREPLY[*]}"
}
complete_words cxm res
complete_words cxm m
complete_words cxm org a
complete_words cxm ""
"#;
    let out = Process::new("bash")
        .args(["--norc", "--noprofile", "-c", probe, "probe"])
        .arg(&script)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reply = |typed: &str| -> Vec<String> {
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{typed}: ")))
            .unwrap_or_else(|| panic!("no reply for {typed}: {text}"));
        line.split_whitespace().map(str::to_string).collect()
    };
    assert!(text.contains("spec: complete "), "{text}");
    assert_eq!(reply("cxm res"), ["respondent", "results", "restore"]);
    // The hidden `manpage` is not offered.
    assert_eq!(reply("cxm m"), ["model"]);
    assert_eq!(reply("cxm org a"), ["add", "archive"]);
    let all = reply("cxm ");
    for name in commands(home.path(), &[]) {
        assert!(all.contains(&name), "{name} in {all:?}");
    }
}

#[test]
fn the_zsh_and_fish_completions_name_every_command() {
    let home = tempfile::tempdir().unwrap();
    let top = commands(home.path(), &[]);
    assert!(top.contains(&"results".to_string()), "{top:?}");
    for (shell, check) in [("zsh", "zsh"), ("fish", "fish")] {
        let script = cxm(home.path(), &["completions", shell]);
        assert!(!script.trim().is_empty(), "{shell}");
        for name in &top {
            assert!(script.contains(name.as_str()), "{shell}: {name}");
        }
        assert!(!script.contains("manpage"), "{shell}: the hidden command");
        if has_tool(check) {
            // Parse only (-n): the script is valid for that shell.
            let mut child = Process::new(check)
                .arg("-n")
                .stdin(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(script.as_bytes())
                .unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{shell} -n: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let zsh = cxm(home.path(), &["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef cxm"), "{zsh}");
    let fish = cxm(home.path(), &["completions", "fish"]);
    assert!(fish.contains("complete -c cxm"), "{fish}");
}

#[test]
fn completions_and_the_manual_touch_no_database_and_write_no_log() {
    let home = tempfile::tempdir().unwrap();
    cxm(home.path(), &["completions", "bash"]);
    cxm(home.path(), &["manpage"]);
    cxm(home.path(), &["--version"]);
    let left: Vec<_> = std::fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
