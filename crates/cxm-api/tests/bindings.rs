//! Writes the TypeScript types of every wire type into `ui/src/lib/bindings/`, and the
//! typed client of every command (`commands.ts`) (`scripts/check-bindings.sh` and
//! `scripts/test.sh` fail when the committed files differ).
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use std::path::PathBuf;

#[test]
fn every_wire_type_exports_its_typescript_binding() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings");
    std::fs::create_dir_all(&dir).unwrap();
    let names = cxm_api::wire::export_bindings(&dir).unwrap();
    let client = cxm_api::typescript_client(&names);
    std::fs::write(dir.join("commands.ts"), &client).unwrap();
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut expected: Vec<String> = names.iter().map(|n| format!("{n}.ts")).collect();
    expected.push("index.ts".into());
    expected.push("commands.ts".into());
    expected.sort();
    assert_eq!(files, expected, "one file per wire type, and the index");
    for name in &names {
        let text = std::fs::read_to_string(dir.join(format!("{name}.ts"))).unwrap();
        assert!(
            text.contains(&format!("export type {name} ")),
            "{name}.ts declares {name}"
        );
        assert!(
            !text.contains("bigint"),
            "{name}.ts: ids are numbers in JSON"
        );
    }
    // Every command is in the client, with its camelCase arguments.
    for spec in cxm_api::commands() {
        let method = cxm_api::camel_case(spec.name);
        assert!(
            client.contains(&format!("  {method}(")),
            "commands.ts declares {method}"
        );
        assert!(client.contains(&format!("call('{}'", spec.name)));
    }
    assert!(client.contains(
        "setAnswer(respondent: number, questionId: string, value: string | null): Promise<Progress>;"
    ));
    let api_error = std::fs::read_to_string(dir.join("ApiError.ts")).unwrap();
    assert!(api_error.contains("code: ErrorCode") && api_error.contains("message: string"));
    let codes = std::fs::read_to_string(dir.join("ErrorCode.ts")).unwrap();
    assert!(codes.contains(r#""not_found" | "invalid""#), "{codes}");
    let status = std::fs::read_to_string(dir.join("RoundStatus.ts")).unwrap();
    assert!(status.contains(r#""open" | "closed""#), "{status}");
}
