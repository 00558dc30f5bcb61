//! Baselines: the findings a team has accepted for now, so that CI reports only new
//! ones. A finding is known by its file, clause, rule and a fingerprint of the clause's
//! content, never by line numbers: inserting, moving or renumbering other clauses does
//! not bring a baselined finding back, while changing the clause itself does.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::check::FileReport;
use crate::diagnostic::Diagnostic;
use crate::model::Kind;

pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub tool: String,
    pub findings: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub file: String,
    pub clause: Option<String>,
    pub rule: String,
    pub fingerprint: String,
}

#[derive(Debug)]
pub struct BaselineError(pub String);

impl std::fmt::Display for BaselineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The entry a finding would have in a baseline.
pub fn entry(report: &FileReport, finding: &Diagnostic, root: &Path) -> Entry {
    let clause = finding.clause.as_ref().map(|c| c.id.to_string());
    let content = clause_text(report, clause.as_deref())
        .unwrap_or_else(|| line_text(&report.source, finding.primary_span().start));
    let primary = report
        .source
        .get(finding.primary_span().range())
        .unwrap_or_default();
    let mut hash = Fnv::new();
    for part in [
        finding.name.as_str(),
        clause.as_deref().unwrap_or(""),
        &normalize(&content),
        &normalize(primary),
    ] {
        hash.write(part.as_bytes());
        hash.write(&[0]);
    }
    Entry {
        file: relative(&report.path, root),
        clause,
        rule: finding.name.clone(),
        fingerprint: format!("{:016x}", hash.0),
    }
}

/// The source of the clause with this id, whose content the fingerprint covers.
fn clause_text(report: &FileReport, id: Option<&str>) -> Option<String> {
    let id = id?;
    let model = report.model.as_ref()?;
    let node = model
        .of_kind(Kind::Clause)
        .iter()
        .map(|c| model.node(*c))
        .find(|c| c.text("id") == Some(id))?;
    report.source.get(node.span().range()).map(str::to_string)
}

fn line_text(text: &str, offset: usize) -> String {
    let start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |e| start + e);
    text[start..end].to_string()
}

/// The clause's words without comments or layout, so that reformatting or annotating
/// a clause does not change what it says.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_string = false;
        let mut kept = String::new();
        for c in line.chars() {
            match c {
                '"' => in_string = !in_string,
                '#' if !in_string => break,
                _ => {}
            }
            kept.push(c);
        }
        for word in kept.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

pub fn relative(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let rel = rel.strip_prefix(".").unwrap_or(rel);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// FNV-1a, 64 bits: stable across versions and platforms, unlike the standard hasher.
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

pub fn build(reports: &[FileReport], root: &Path) -> Baseline {
    let mut findings: Vec<Entry> = reports
        .iter()
        .flat_map(|r| {
            r.findings
                .iter()
                .map(move |f| entry(r, &f.diagnostic, root))
        })
        .collect();
    findings.sort();
    Baseline {
        version: VERSION,
        tool: "peerlint".into(),
        findings,
    }
}

/// Reads a baseline, refusing one that is corrupt or written by another version.
pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| BaselineError(format!("cannot read baseline `{}`: {e}", path.display())))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        BaselineError(format!(
            "baseline `{}` is not valid JSON ({e}); write it again with --write-baseline",
            path.display()
        ))
    })?;
    if !value.is_object() {
        return Err(BaselineError(format!(
            "`{}` is not a peerlint baseline (a JSON object with `version` and `findings`); write one with --write-baseline",
            path.display()
        )));
    }
    let version = value.get("version").and_then(serde_json::Value::as_u64);
    if version != Some(u64::from(VERSION)) {
        return Err(BaselineError(format!(
            "baseline `{}` has format version {}, this peerlint reads version {VERSION}; write it again with --write-baseline",
            path.display(),
            version.map_or_else(|| "none".to_string(), |v| v.to_string())
        )));
    }
    serde_json::from_value(value).map_err(|e| {
        BaselineError(format!(
            "baseline `{}` is not a peerlint baseline ({e}); write it again with --write-baseline",
            path.display()
        ))
    })
}

/// Writes a baseline atomically: a temporary file beside it, then a rename, so that a
/// failed run never leaves half a file.
pub fn write(baseline: &Baseline, path: &Path) -> Result<(), BaselineError> {
    let text = serde_json::to_string_pretty(baseline)
        .map_err(|e| BaselineError(format!("cannot write the baseline: {e}")))?;
    write_atomically(path, format!("{text}\n").as_bytes())
        .map_err(|e| BaselineError(format!("cannot write baseline `{}`: {e}", path.display())))
}

pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Removes the findings the baseline holds, each entry matching one finding; returns
/// how many were removed.
pub fn filter(reports: &mut [FileReport], baseline: &Baseline, root: &Path) -> usize {
    let mut counts: BTreeMap<&Entry, usize> = BTreeMap::new();
    for e in &baseline.findings {
        *counts.entry(e).or_default() += 1;
    }
    let mut removed = 0;
    for r in reports.iter_mut() {
        let keys: Vec<Entry> = r
            .findings
            .iter()
            .map(|f| entry(r, &f.diagnostic, root))
            .collect();
        let mut keep = Vec::with_capacity(keys.len());
        for key in &keys {
            match counts.get_mut(key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    keep.push(false);
                }
                _ => keep.push(true),
            }
        }
        let hidden: Vec<Arc<Diagnostic>> = r
            .findings
            .iter()
            .zip(&keep)
            .filter(|(_, k)| !**k)
            .map(|(f, _)| f.diagnostic.clone())
            .collect();
        removed += hidden.len();
        let mut keep_iter = keep.iter();
        r.findings.retain(|_| *keep_iter.next().unwrap_or(&true));
        for h in &hidden {
            if let Some(i) = r.diagnostics.iter().position(|d| Arc::ptr_eq(d, h)) {
                r.diagnostics.remove(i);
            }
        }
    }
    removed
}
