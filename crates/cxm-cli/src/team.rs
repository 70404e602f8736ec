//! Working as a team (issue 14): `cxm sync`, `cxm installation`, `cxm org share`,
//! `cxm org sources` and the engagement import's preview and summary. The use cases
//! are the app's ([`cxm_api::Api::sync_folder`], `preview_engagement_at`,
//! `import_engagement`): nothing here merges.

use std::path::{Path, PathBuf};

use clap::Args;
use cxm_api::Api;

use crate::fail::Fail;
use crate::host::CliHost;
use crate::{Db, json, out, print_json, text};

/// `cxm sync`.
#[derive(Args)]
pub struct SyncArgs {
    /// The team folder (default: the one chosen in the app's Settings → Team folder).
    dir: Option<PathBuf>,
    /// Only this organisation: merge its files and write its own, shared or not (for
    /// this pass only; `cxm org share ID` shares it for every pass).
    #[arg(long, value_name = "ID")]
    org: Option<i64>,
    /// Print what the pass did as JSON.
    #[arg(long)]
    json: bool,
}

/// The long help of `cxm sync`.
pub const SYNC_HELP: &str = "\
One pass over the team folder: a folder every consultant's computer keeps in sync \
(OneDrive, SharePoint, Dropbox, Syncthing, a network share). The database itself is \
never shared: each installation writes one engagement file per organisation it shares \
(ORGANISATION.INSTALLATION.cxmx, replaced only when its data changed) and merges \
everyone else's, each in one transaction. The pass reads first, then writes, so the \
files written carry what came in.

What is written: the organisations shared with `cxm org share ID` (or in the app), \
plus every organisation that came in through the folder (shared automatically); with \
--org ID, only that organisation, whether shared or not. Nothing is shared until you \
choose it.

Two installations that changed the same answer before they exchanged make a \
concurrent edit: the most recent change is kept everywhere, the other stays in the \
answer's history (`cxm answer history`); it is listed so you can check it.

Output: what came in from whom, and each concurrent edit, on standard output; files \
that could not be read (skipped, nothing of them merged) and other warnings on \
standard error. The exit status is 0 when the pass ran, even with files skipped; 1 \
when it could not run (the folder missing or unreadable, the database read-only, an \
unknown --org).";

/// `cxm sync [DIR] [--org ID] [--json]`.
pub fn sync(db: &Db, args: SyncArgs) -> Result<(), Fail> {
    let api = db.api()?;
    let dir = match args.dir {
        Some(d) => d,
        None => api.team_folder()?.folder.map(PathBuf::from).ok_or_else(|| {
            Fail::msg(
                "no team folder given and none is set in the app: run `cxm sync DIR` with the team folder",
            )
        })?,
    };
    let report = api.sync_folder(&dir, args.org)?;
    let problems = text::sync_problems(&report);
    if !problems.is_empty() {
        eprint!("{}", cxm_domain::text::terminal_safe(&problems));
    }
    if args.org.is_none() && api.team_folder()?.shared.is_empty() {
        eprintln!(
            "note: no organisation is shared, so nothing of this installation's was written: share one with `cxm org share ID`, or run `cxm sync DIR --org ID`"
        );
    }
    if args.json {
        print_json(&json::sync(&report))
    } else {
        out(&text::sync(&report))
    }
}

/// `cxm installation [--name NAME] [--json]`.
pub fn installation(db: &Db, name: Option<String>, as_json: bool) -> Result<(), Fail> {
    let api = db.api()?;
    let team = match name {
        Some(n) => api.set_installation_name(&n)?,
        None => api.team_folder()?,
    };
    if as_json {
        print_json(&json::installation(&team))
    } else {
        out(&text::installation(&team))
    }
}

/// `cxm org share ID [--off]`.
pub fn share(db: &Db, id: i64, off: bool) -> Result<(), Fail> {
    let api = db.api()?;
    let name = api.organisation(id)?.name;
    api.share_organisation(id, !off)?;
    if off {
        out(&format!(
            "organisation “{name}” {id} is no longer shared: `cxm sync` stops writing its file (the file written so far stays in the team folder)"
        ))
    } else {
        out(&format!(
            "organisation “{name}” {id} is shared: `cxm sync DIR` writes its file to the team folder"
        ))
    }
}

/// `cxm org sources ID [--json]`.
pub fn sources(db: &Db, id: i64, as_json: bool) -> Result<(), Fail> {
    let list = db.api()?.organisation_sources(id)?;
    if as_json {
        print_json(&json::sources(&list))
    } else {
        out(&text::sources(&list))
    }
}

/// `cxm org import FILE [--dry-run] [--json]`: the preview (a dry run of the store's
/// import: nothing is written), or the import, merging into the organisation when it
/// is stored here already.
pub fn import(db: &Db, file: &Path, dry_run: bool, as_json: bool) -> Result<(), Fail> {
    if dry_run {
        let preview = db.api()?.preview_engagement_at(file)?;
        return if as_json {
            print_json(&json::preview(&preview))
        } else {
            out(&text::preview(&preview))
        };
    }
    // The app's import, its open dialog answered with the file.
    let api: Api = db.api_with(CliHost::opening(file))?;
    let done = api.import_engagement()?;
    let id = done
        .organisation
        .ok_or_else(|| Fail::msg(format!("{} was not imported", file.display())))?;
    if as_json {
        return print_json(&json::imported(&done));
    }
    if done.renamed {
        eprintln!(
            "{}",
            cxm_domain::text::terminal_safe(&format!(
                "note: an organisation of that name already exists; imported as “{}”",
                done.name
            ))
        );
    }
    // Warnings on standard error; the concurrent edits before the summary, whose last
    // word stays the organisation's id.
    let warnings: String = done
        .warnings
        .iter()
        .map(|w| format!("warning: {w}\n"))
        .collect();
    if !warnings.is_empty() {
        eprint!("{}", cxm_domain::text::terminal_safe(&warnings));
    }
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string());
    out(&(text::concurrent_edits(&done.concurrent) + &text::imported(&name, &done, id)))
}
