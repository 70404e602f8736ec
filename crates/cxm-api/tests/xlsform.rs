//! The survey form (`xlsform`): converted by pyxform (`xls2xform`, the reference
//! XLSForm converter, installed by `scripts/setup.sh` and `scripts/test.sh`), read back
//! with openpyxl (installed next to it), and the headers of the converted form read by
//! the import (`survey_csv`).

use std::path::PathBuf;
use std::process::Command;

use cxm_api::xlsform::{FormRound, XlsFormError, form_id, xlsform};
use cxm_domain::model::{Audience, BUILT_IN_MODELS, Model};
use cxm_domain::survey_csv;

#[path = "support/pyxform.rs"]
mod pyxform;
use pyxform::{python, xls2xform};

fn round() -> FormRound {
    FormRound {
        round_id: 12,
        round_title: "Spring 2026 survey".into(),
        organisation: "Acme & Sons".into(),
    }
}

fn built_in_models() -> Vec<Model> {
    BUILT_IN_MODELS
        .iter()
        .map(|(file, toml)| Model::from_toml(toml, file).expect("a built-in model is valid"))
        .collect()
}

fn v2_with(from: &str, to: &str) -> Model {
    let toml = BUILT_IN_MODELS[1].1;
    assert!(toml.contains(from), "v2 has no `{from}`");
    Model::from_toml(&toml.replacen(from, to, 1), "changed.toml").expect("a valid model")
}

/// The form written to a temporary folder.
fn saved(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("form.xlsx");
    std::fs::write(&path, bytes).expect("written");
    (dir, path)
}

/// The XForm pyxform makes of the workbook; fails on any error or warning.
fn convert(bytes: &[u8]) -> String {
    let (dir, path) = saved(bytes);
    let out = dir.path().join("form.xml");
    let run = Command::new(xls2xform())
        .args(["--skip_validate", "--json"])
        .arg(&path)
        .arg(&out)
        .output()
        .expect("xls2xform runs");
    // The JSON report: pyxform prints it on standard error (older versions: output).
    let said = format!(
        "{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let report: serde_json::Value = said
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str(l.trim()).ok())
        .unwrap_or_else(|| panic!("xls2xform said no JSON: {said}"));
    assert_eq!(report["code"], 100, "pyxform refused the form: {report}");
    assert_eq!(
        report["warnings"],
        serde_json::json!([]),
        "pyxform warned: {report}"
    );
    std::fs::read_to_string(&out).expect("the XForm")
}

/// XML text as pyxform escapes it in element text.
fn xml_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A label or hint as pyxform writes it: straight quotes for curly ones (pyxform does
/// that to every text), then escaped for XML.
fn converted(s: &str) -> String {
    xml_text(
        &s.replace(['\u{2018}', '\u{2019}'], "'")
            .replace(['\u{201c}', '\u{201d}'], "\""),
    )
}

/// The `<bind …/>` element of `nodeset`.
fn bind<'x>(xml: &'x str, nodeset: &str) -> &'x str {
    let open = format!("<bind nodeset=\"{nodeset}\"");
    let start = xml
        .find(&open)
        .unwrap_or_else(|| panic!("no bind for {nodeset}"));
    let end = start + xml[start..].find("/>").expect("a closed bind");
    &xml[start..end]
}

/// The text between `<instance id="{id}">` and its `</instance>`.
fn choice_instance<'x>(xml: &'x str, id: &str) -> &'x str {
    let open = format!("<instance id=\"{id}\">");
    let start = xml.find(&open).unwrap_or_else(|| panic!("no choices {id}"));
    let end = start + xml[start..].find("</instance>").expect("closed");
    &xml[start..end]
}

/// The leaf paths of the form's main instance, in order (`["intro", "role", …,
/// "strategy/STR-1.1", …, "meta/instanceID"]`): what ODK Central and KoboToolbox make
/// their export columns of.
fn instance_paths(xml: &str) -> Vec<String> {
    let start = xml.find("<instance>").expect("a main instance") + "<instance>".len();
    let end = start + xml[start..].find("</instance>").expect("closed");
    let body = &xml[start..end];
    let mut stack: Vec<&str> = Vec::new();
    let mut paths = Vec::new();
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        let gt = lt + rest[lt..].find('>').expect("a closed tag");
        let tag = &rest[lt + 1..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name));
        } else if let Some(name) = tag.strip_suffix('/') {
            let name = name.split_whitespace().next().expect("a name");
            let mut path: Vec<&str> = stack.iter().skip(1).copied().collect();
            path.push(name);
            paths.push(path.join("/"));
        } else {
            stack.push(tag.split_whitespace().next().expect("a name"));
        }
    }
    paths
}

#[test]
fn pyxform_converts_the_form_of_every_built_in_model() {
    for model in built_in_models() {
        let xml = convert(&xlsform(&model, &round()).expect("a form"));
        let id = form_id(&model, 12);
        assert_eq!(id, format!("cxm_cx_maturity_v{}_r12", model.version));
        assert!(
            xml.contains(&format!("<data id=\"{id}\" version=\"{}-", model.version)),
            "{}",
            &xml[..600.min(xml.len())]
        );
        assert!(xml.contains("<h:title>Spring 2026 survey — Acme &amp; Sons</h:title>"));
        assert!(bind(&xml, "/data/role").contains("required=\"true()\""));
        assert!(bind(&xml, "/data/cxm_form").contains(&format!("calculate=\"'{}'\"", model.key())));
        let mut restricted = 0;
        for q in &model.questions {
            let block = &model.blocks[q.block].id;
            let b = bind(&xml, &format!("/data/{block}/{}", q.id));
            assert!(b.contains("required=\"true()\""), "{b}");
            match &q.audience {
                Audience::Groups(groups) if groups.len() < model.role_groups.len() => {
                    restricted += 1;
                    let want = groups
                        .iter()
                        .map(|&g| format!("selected( /data/role , '{}')", model.role_groups[g].id))
                        .collect::<Vec<_>>()
                        .join(" or ");
                    assert!(b.contains(&format!("relevant=\"{want}\"")), "{b}");
                }
                _ => assert!(!b.contains("relevant="), "{b}"),
            }
            let open = format!("<select1 ref=\"/data/{block}/{}\">", q.id);
            let at = xml.find(&open).expect("the question's control") + open.len();
            let control = &xml[at..at + xml[at..].find("<itemset").expect("its choices")];
            assert_eq!(
                control,
                format!(
                    "<label>{}</label><hint>{}</hint>",
                    converted(&survey_csv::form_text(&q.text)),
                    converted(&survey_csv::form_text(&q.guidance))
                ),
                "{}: label and hint",
                q.id
            );
        }
        if model.version == 2 {
            assert_eq!(restricted, 42);
        }
        for b in &model.blocks {
            assert!(
                xml.contains(&format!(
                    "<group ref=\"/data/{}\"><label>{}</label>",
                    b.id,
                    xml_text(&b.name)
                )),
                "group {}",
                b.id
            );
        }
        assert!(!xml.contains("field-list"), "one question per screen");
        let scale = choice_instance(&xml, "scale");
        for v in 0..=model.scale.max {
            assert!(
                scale.contains(&format!(
                    "<item><name>{v}</name><label>{v} — {}</label></item>",
                    xml_text(&model.scale.labels[usize::from(v)])
                )),
                "{scale}"
            );
        }
        assert!(scale.contains("<item><name>dk</name><label>Don't know</label></item>"));
        assert!(scale.contains("<item><name>na</name><label>Not applicable</label></item>"));
        let roles = choice_instance(&xml, "role");
        for g in &model.role_groups {
            assert!(
                roles.contains(&format!(
                    "<item><name>{}</name><label>{}</label></item>",
                    g.id,
                    xml_text(&g.name)
                )),
                "{roles}"
            );
        }
    }
}

#[test]
fn the_workbook_reads_back_with_openpyxl() {
    let model = Model::default_model();
    let (_dir, path) = saved(&xlsform(&model, &round()).expect("a form"));
    let script = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames, "rows": {}, "bold": {}, "freeze": {}, "widths": {}}
for ws in wb.worksheets:
    out["rows"][ws.title] = [[("" if c is None else c) for c in row] for row in ws.iter_rows(values_only=True)]
    out["bold"][ws.title] = all(cell.font.b for cell in ws[1])
    out["freeze"][ws.title] = ws.freeze_panes
    out["widths"][ws.title] = {k: v.width for k, v in ws.column_dimensions.items()}
print(json.dumps(out))
"#;
    let run = Command::new(python())
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output()
        .expect("python runs");
    assert!(
        run.status.success(),
        "openpyxl: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let book: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
    assert_eq!(
        book["sheets"],
        serde_json::json!(["survey", "choices", "settings"])
    );
    for sheet in ["survey", "choices", "settings"] {
        assert_eq!(book["bold"][sheet], true, "{sheet}: bold header");
        assert_eq!(book["freeze"][sheet], "A2", "{sheet}: frozen header");
    }
    assert!(book["widths"]["survey"]["C"].as_f64().expect("a width") > 60.0);
    let survey = book["rows"]["survey"].as_array().expect("rows");
    let row = |i: usize| -> Vec<&str> {
        survey[i]
            .as_array()
            .expect("a row")
            .iter()
            .map(|c| c.as_str().expect("text"))
            .collect()
    };
    assert_eq!(
        row(0),
        [
            "type",
            "name",
            "label",
            "hint",
            "required",
            "required_message",
            "relevant",
            "calculation"
        ]
    );
    assert_eq!(row(1)[..2], ["note", "intro"]);
    let intro = row(1)[2];
    assert!(
        intro.starts_with("Spring 2026 survey — Acme & Sons\n"),
        "{intro}"
    );
    assert!(
        intro.contains(&format!(
            "4 — Fully embedded: {}",
            model.scale.definitions[4]
        )),
        "{intro}"
    );
    assert!(intro.contains(&format!("Don't know: {}", model.scale.dont_know_rule)));
    let role = row(2);
    assert_eq!(role[..3], ["select_one role", "role", "Your role group"]);
    assert!(role[3].starts_with("Executive: Members of the executive team"));
    assert_eq!(role[4], "yes");
    assert_eq!(row(3)[..2], ["text", "department"]);
    assert_eq!(row(3)[4], "");
    assert_eq!(
        row(4)[..4],
        [
            "text",
            "respondent_code",
            "Respondent code",
            survey_csv::CODE_HINT
        ]
    );
    assert_eq!(
        row(5),
        [
            "calculate",
            "cxm_form",
            "",
            "",
            "",
            "",
            "",
            "'cx-maturity@2'"
        ]
    );
    assert_eq!(row(6)[..3], ["begin_group", "strategy", "Strategy"]);
    let first = row(7);
    let q = &model.questions[0];
    assert_eq!(
        first[..5],
        [
            "select_one scale",
            "STR-1.1",
            q.text.as_str(),
            q.guidance.as_str(),
            "yes"
        ]
    );
    assert_eq!(
        first[6],
        "selected(${role}, 'executive') or selected(${role}, 'manager')"
    );
    // 5 fields, then per block a begin, its questions and an end.
    assert_eq!(
        survey.len(),
        1 + 5 + model.questions.len() + 2 * model.blocks.len()
    );
    assert_eq!(row(survey.len() - 1)[0], "end_group");
    let choices = &book["rows"]["choices"];
    assert_eq!(
        choices[0],
        serde_json::json!(["list_name", "name", "label"])
    );
    assert_eq!(
        choices[1],
        serde_json::json!(["scale", "0", "0 — Not in place"])
    );
    assert_eq!(choices[6], serde_json::json!(["scale", "dk", "Don't know"]));
    assert_eq!(
        choices[7],
        serde_json::json!(["scale", "na", "Not applicable"])
    );
    assert_eq!(
        choices[10],
        serde_json::json!(["role", "front-line", "Front line"])
    );
    let settings = &book["rows"]["settings"];
    assert_eq!(
        settings[0],
        serde_json::json!(["form_title", "form_id", "version", "clean_text_values"])
    );
    assert_eq!(settings[1][3], "no");
    assert_eq!(settings[1][0], "Spring 2026 survey — Acme & Sons");
    assert_eq!(settings[1][1], "cxm_cx_maturity_v2_r12");
    let version = settings[1][2].as_str().expect("a version");
    assert!(
        version.starts_with("2-") && version.len() == 10,
        "{version}"
    );
}

#[test]
fn statements_cannot_be_misread_as_markdown_or_references() {
    let text =
        "Uses *NPS* and _CES_ (2 * 3) in C:\\\\data; see ${role} and ${nope}; <b>not bold</b>";
    let model = v2_with(
        "text = \"A named member of the executive team is the accountable sponsor of customer experience.\"",
        &format!("text = \"{text}\""),
    );
    let model = {
        let mut m = model;
        m.questions[0].guidance = "# Not a heading\n#2 neither".into();
        m
    };
    let statement = &model.questions[0].text;
    assert!(statement.contains("${nope}"));
    // Without neutralising, pyxform refuses `${nope}` (no such field) and shows the
    // role's value in place of `${role}`: it converts, so it was neutralised.
    let xml = convert(&xlsform(&model, &round()).expect("a form"));
    let label = "<label>Uses \\*NPS\\* and \\_CES\\_ (2 \\* 3) in C:\\\\data; see $\u{2060}{role} and $\u{2060}{nope}; &lt;\u{2060}b&gt;not bold&lt;\u{2060}/b&gt;</label>";
    assert!(xml.contains(label), "{label}");
    assert!(xml.contains("<hint>\\# Not a heading\n\\#2 neither</hint>"));
    assert!(!xml.contains("<output"), "a reference was read");
}

#[test]
fn the_same_round_gives_the_same_form() {
    let model = Model::default_model();
    let a = xlsform(&model, &round()).expect("a form");
    let b = xlsform(&model, &round()).expect("a form");
    assert_eq!(a, b, "two exports of one round are the same file");
    let renamed = FormRound {
        round_title: "Spring 2026 survey (final)".into(),
        ..round()
    };
    let c = xlsform(&model, &renamed).expect("a form");
    assert_ne!(a, c);
    let version = |xml: &str| {
        let data = xml.find("<data id=").expect("the main instance");
        let at = data + xml[data..].find(" version=\"").expect("a version") + " version=\"".len();
        xml[at..at + xml[at..].find('"').expect("closed")].to_string()
    };
    let (va, vc) = (version(&convert(&a)), version(&convert(&c)));
    assert_ne!(va, vc, "a changed form has a new version");
    assert!(va.starts_with("2-") && vc.starts_with("2-"));
    let other_round = FormRound {
        round_id: 13,
        ..round()
    };
    assert!(
        convert(&xlsform(&model, &other_round).expect("a form"))
            .contains("id=\"cxm_cx_maturity_v2_r13\"")
    );
}

#[test]
fn an_id_that_is_no_xml_name_gets_one_and_comes_back() {
    let model = v2_with("id = \"STR-1.1\"", "id = \"1.1\"");
    let xml = convert(&xlsform(&model, &round()).expect("a form"));
    assert!(bind(&xml, "/data/strategy/_1.1").contains("required=\"true()\""));
    // ODK Central's export of this form reads it back as question 1.1.
    let paths = instance_paths(&xml);
    let header: Vec<String> = std::iter::once("SubmissionDate".to_string())
        .chain(paths.iter().map(|p| p.replace('/', "-")))
        .chain(["KEY".to_string()])
        .collect();
    assert!(header.iter().any(|h| h == "strategy-_1.1"));
    let cells: Vec<&str> = header
        .iter()
        .map(|h| match h.as_str() {
            "role" => "executive",
            "cxm_form" => "cx-maturity@2",
            "KEY" | "meta-instanceID" => "uuid:0a1b861f-a5fd-4f49-846a-78dcf06cfc1b",
            "SubmissionDate" | "intro" | "department" | "respondent_code" => "",
            _ => "4",
        })
        .collect();
    let csv = format!("{}\n{}\n", header.join(","), cells.join(","));
    let parsed = survey_csv::parse(&model, csv.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let q = model.question_index("1.1").expect("question 1.1");
    assert!(
        parsed.responses.rows[0]
            .answers
            .contains(&(q, cxm_domain::Answer::Scale(4)))
    );
}

#[test]
fn the_exports_of_the_converted_form_read_back() {
    // The columns ODK Central and KoboToolbox make of the form pyxform converted, with
    // the groups joined as each tool joins them.
    let model = Model::default_model();
    let xml = convert(&xlsform(&model, &round()).expect("a form"));
    let paths = instance_paths(&xml);
    assert_eq!(
        paths[..5],
        ["intro", "role", "department", "respondent_code", "cxm_form"]
    );
    assert_eq!(paths.last().map(String::as_str), Some("meta/instanceID"));
    assert_eq!(paths.len(), 5 + model.questions.len() + 1);
    for (sep, meta, flavour) in [
        ('-', "KEY", survey_csv::Flavour::OdkCentral),
        ('/', "_uuid", survey_csv::Flavour::KoboToolbox),
    ] {
        let header: Vec<String> = paths
            .iter()
            .map(|p| p.replace('/', &sep.to_string()))
            .chain([meta.to_string()])
            .collect();
        let row: Vec<&str> = header
            .iter()
            .map(|h| match h.as_str() {
                "role" => "front-line",
                "cxm_form" => "cx-maturity@2",
                "department" => "Stores",
                "intro" | "respondent_code" => "",
                h if h.ends_with("instanceID") || h == meta => {
                    "uuid:317ba7b7-bea4-4a8c-8620-a483c3079c4b"
                }
                _ => "",
            })
            .collect();
        let csv = format!("{}\n{}\n", header.join(","), row.join(","));
        let parsed = survey_csv::parse(&model, csv.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parsed.flavour, flavour);
        assert_eq!(parsed.responses.columns.len(), model.questions.len());
        assert_eq!(
            parsed.responses.rows[0].respondent,
            "Respondent 317ba7b7bea4"
        );
        assert_eq!(parsed.keys, ["317ba7b7-bea4-4a8c-8620-a483c3079c4b"]);
    }
}

#[test]
fn names_the_import_could_not_tell_apart_are_refused() {
    let model = v2_with("id = \"STR-1.1\"", "id = \"KEY\"");
    match xlsform(&model, &round()) {
        Err(e @ XlsFormError::NameClash { .. }) => assert_eq!(
            e.to_string(),
            "the survey form cannot give the column KEY that ODK Central or KoboToolbox adds to exports and question KEY the same name `KEY`: change the id in the model"
        ),
        other => panic!("{other:?}"),
    }
    let model = v2_with("id = \"STR-1.1\"", "id = \"strategy\"");
    match xlsform(&model, &round()) {
        Err(e @ XlsFormError::NameClash { .. }) => assert_eq!(
            e.to_string(),
            "the survey form cannot give block strategy and question strategy the same name `strategy`: change the id in the model"
        ),
        other => panic!("{other:?}"),
    }
}
