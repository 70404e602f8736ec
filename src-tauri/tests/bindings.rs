//! Writes the TypeScript types of every wire type into `ui/src/lib/bindings/`
//! (`scripts/check-bindings.sh` fails when the committed files differ).

use std::path::PathBuf;

#[test]
fn every_wire_type_exports_its_typescript_binding() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings");
    std::fs::create_dir_all(&dir).unwrap();
    let names = cxm_app::wire::export_bindings(&dir).unwrap();
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut expected: Vec<String> = names.iter().map(|n| format!("{n}.ts")).collect();
    expected.push("index.ts".into());
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
    let api_error = std::fs::read_to_string(dir.join("ApiError.ts")).unwrap();
    assert!(api_error.contains("code: string") && api_error.contains("message: string"));
    let status = std::fs::read_to_string(dir.join("RoundStatus.ts")).unwrap();
    assert!(status.contains(r#""open" | "closed""#), "{status}");
}
