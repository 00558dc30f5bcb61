//! SARIF 2.1.0, the format code-scanning services read: one run, every rule described
//! once, and each finding as a result whose fingerprint survives edits elsewhere in the
//! file.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::{json, Value};
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, Message, MultiformatMessageString, Notification,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    Result as SarifResult, ResultLevel, Run, Sarif, Tool, ToolComponent,
};

use super::json::{relative_path, unusable_message, LineIndex};
use crate::check::FileReport;
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::policy::load::Rule;
use crate::policy::spec::Level;
use crate::policy::RuleSet;

/// The schema the output conforms to.
pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The base every artifact URI is relative to: the project root.
pub const SRCROOT: &str = "%SRCROOT%";

/// The name of the fingerprint in `partialFingerprints`; raise its version when what it
/// hashes changes.
pub const FINGERPRINT: &str = "peerlintFinding/v1";

/// A SARIF log of the reports, with paths relative to `root`, as pretty-printed JSON
/// ending in a newline.
pub fn render(reports: &[FileReport], rules: &RuleSet, root: &Path) -> String {
    let catalogue = Catalogue::new(reports, rules);
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for report in reports {
        let uri = Uri::of(&report.path, root);
        let lines = LineIndex::new(&report.source);
        let mut seen: HashMap<String, usize> = HashMap::new();
        for d in &report.diagnostics {
            let key = fingerprint(d, &lines);
            let n = seen.entry(key.clone()).or_insert(0);
            *n += 1;
            results.push(result(d, &catalogue, &uri, &lines, format!("{key}:{n}")));
        }
        if let Some(u) = &report.unusable {
            notifications.push(
                Notification::builder()
                    .level("error")
                    .message(text(unusable_message(u)))
                    .locations(vec![Location::builder()
                        .physical_location(
                            PhysicalLocation::builder()
                                .artifact_location(uri.artifact())
                                .build(),
                        )
                        .build()])
                    .build(),
            );
        }
    }
    // peerlint ran to its end; a file it could not check is an error notification,
    // which tells a reader that the results are incomplete.
    let mut invocation = Invocation::builder().execution_successful(true).build();
    if !notifications.is_empty() {
        invocation.tool_execution_notifications = Some(notifications);
    }
    let driver = ToolComponent::builder()
        .name(env!("CARGO_PKG_NAME"))
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(catalogue.descriptors)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .column_kind("utf16CodeUnits")
        .invocations(vec![invocation])
        .results(results)
        .build();
    let log = Sarif::builder()
        .schema(SCHEMA)
        .version("2.1.0")
        .runs(vec![run])
        .build();
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
}

/// Every rule of the set (one switched off is described as disabled), then each
/// structural code that occurs, with the index results refer to it by.
struct Catalogue {
    descriptors: Vec<ReportingDescriptor>,
    index: HashMap<String, usize>,
}

impl Catalogue {
    fn new(reports: &[FileReport], rules: &RuleSet) -> Self {
        let mut descriptors: Vec<ReportingDescriptor> = rules.rules.iter().map(rule).collect();
        let mut index: HashMap<String, usize> = rules
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.spec.id.clone(), i))
            .collect();
        // Structural problems have a code and a name but no rule: each gets a
        // descriptor at the highest level it occurs with.
        let mut structural: BTreeMap<(&str, &str), Severity> = BTreeMap::new();
        for d in reports.iter().flat_map(|r| &r.diagnostics) {
            if !index.contains_key(&d.name) {
                let level = structural.entry((&d.code, &d.name)).or_insert(d.severity);
                *level = (*level).max(d.severity);
            }
        }
        for ((code, name), severity) in structural {
            index.insert(name.to_string(), descriptors.len());
            descriptors.push(structural_rule(code, name, severity));
        }
        Catalogue { descriptors, index }
    }
}

fn rule(r: &Rule) -> ReportingDescriptor {
    let s = &r.spec;
    let explanation = s.explanation.trim_end();
    let mut help_text = format!("{}\n\n{explanation}\n", s.summary);
    let mut help_markdown = format!("**{}**\n\n{explanation}\n", s.summary);
    for (title, list) in [
        ("Flagged", &s.examples.fires),
        ("Not flagged", &s.examples.silent),
    ] {
        if let Some(example) = list.first() {
            let example = example.trim_end();
            help_text.push_str(&format!("\n{title}:\n\n"));
            for line in example.lines() {
                help_text.push_str(&format!("    {line}\n"));
            }
            help_markdown.push_str(&format!("\n{title}:\n\n```charter\n{example}\n```\n"));
        }
    }
    let configuration = match level(r.level) {
        Some(l) => ReportingConfiguration::builder().level(l).build(),
        None => ReportingConfiguration::builder()
            .enabled(false)
            .level("none")
            .build(),
    };
    ReportingDescriptor::builder()
        .id(s.id.as_str())
        .name(s.id.as_str())
        .short_description(plain(&s.summary))
        .full_description(plain(explanation))
        .help(
            MultiformatMessageString::builder()
                .text(help_text)
                .markdown(help_markdown)
                .build(),
        )
        .default_configuration(configuration)
        .properties(properties(
            &[s.principle.as_str()],
            [
                ("principle", json!(s.principle.as_str())),
                ("code", json!(s.code)),
            ],
        ))
        .build()
}

fn structural_rule(code: &str, name: &str, severity: Severity) -> ReportingDescriptor {
    let words = name.replace('-', " ");
    ReportingDescriptor::builder()
        .id(name)
        .name(name)
        .short_description(plain(&words))
        .full_description(plain(&format!(
            "{words}: a problem in how the charter is written, found before any rule runs"
        )))
        .default_configuration(
            ReportingConfiguration::builder()
                .level(severity_level(severity))
                .build(),
        )
        .properties(properties(&["structure"], [("code", json!(code))]))
        .build()
}

fn result(
    d: &Diagnostic,
    catalogue: &Catalogue,
    uri: &Uri,
    lines: &LineIndex,
    fingerprint: String,
) -> SarifResult {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let mut extra = vec![("code", json!(d.code))];
    if let Some(p) = d.principle {
        extra.push(("principle", json!(p.as_str())));
    }
    if let Some(c) = &d.clause {
        extra.push((
            "clause",
            json!({ "id": &*c.id, "title": c.title.as_deref() }),
        ));
    }
    let level = match d.severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    };
    let mut labels = d.labels.iter();
    let primary = labels.next();
    let related: Vec<Location> = labels
        .enumerate()
        .map(|(i, l)| location(l, uri, lines, Some(i as i64 + 1)))
        .collect();
    let mut r = SarifResult::builder()
        .rule_id(d.name.as_str())
        .level(level)
        .message(text(message))
        .partial_fingerprints(BTreeMap::from([(FINGERPRINT.to_string(), fingerprint)]))
        .properties(properties(&[], extra))
        .build();
    r.rule_index = catalogue.index.get(&d.name).map(|&i| i as i64);
    r.locations = primary.map(|l| vec![location(l, uri, lines, None)]);
    if !related.is_empty() {
        r.related_locations = Some(related);
    }
    r
}

fn location(label: &Label, uri: &Uri, lines: &LineIndex, id: Option<i64>) -> Location {
    let start = lines.position(label.span.start);
    let end = lines.position(label.span.end);
    let region = Region::builder()
        .start_line(start.line as i64)
        .start_column(start.column_utf16 as i64)
        .end_line(end.line as i64)
        .end_column(end.column_utf16 as i64)
        .build();
    let mut l = Location::builder()
        .physical_location(
            PhysicalLocation::builder()
                .artifact_location(uri.artifact())
                .region(region)
                .build(),
        )
        .build();
    l.id = id;
    l.message = label.message.as_deref().map(text);
    l
}

/// A hash of what the finding is about, not of where it is: the rule, the clause, the
/// words it points at and the whole lines they stand on, each with its spaces
/// collapsed. Lines added or removed elsewhere leave it as it was; rewording the
/// statement changes it. The log adds `:N`, the finding's rank among those of its file
/// with the same hash, so that identical statements are told apart.
pub fn fingerprint(d: &Diagnostic, lines: &LineIndex) -> String {
    let span = d.primary_span();
    let clause = d.clause.as_ref().map_or("", |c| &*c.id);
    let words = collapse(lines.text(span.start, span.end));
    let statement = collapse(lines.lines_of(span.start, span.end));
    let mut hash = Fnv1a::default();
    for part in [d.name.as_str(), clause, &words, &statement] {
        hash.write(part.as_bytes());
        hash.write(&[0]);
    }
    format!("{:016x}", hash.0)
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The 64-bit FNV-1a hash: small, stable across platforms and releases.
struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// Where a file is: relative to the project root when it is inside it, otherwise an
/// absolute `file:` URI.
struct Uri {
    uri: String,
    relative: bool,
}

impl Uri {
    fn of(path: &Path, root: &Path) -> Self {
        let p = relative_path(path, root);
        if p.starts_with('/') {
            Uri {
                uri: format!("file://{}", percent_encode(&p)),
                relative: false,
            }
        } else if p.get(1..3) == Some(":/") {
            Uri {
                uri: format!("file:///{}", percent_encode(&p)),
                relative: false,
            }
        } else {
            Uri {
                uri: percent_encode(&p),
                relative: true,
            }
        }
    }

    fn artifact(&self) -> ArtifactLocation {
        let mut a = ArtifactLocation::builder().uri(self.uri.as_str()).build();
        if self.relative {
            a.uri_base_id = Some(SRCROOT.into());
        }
        a
    }
}

/// Every byte but the unreserved characters of RFC 3986, `/`, and a drive's `:`
/// percent-encoded.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, b) in path.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            || (b == b':' && i == 1);
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn level(level: Level) -> Option<&'static str> {
    level.severity().map(severity_level)
}

fn severity_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn text(s: impl Into<String>) -> Message {
    Message::builder().text(s.into()).build()
}

fn plain(s: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(s).build()
}

fn properties<'a>(tags: &[&str], pairs: impl IntoIterator<Item = (&'a str, Value)>) -> PropertyBag {
    let mut bag = PropertyBag::builder().build();
    if !tags.is_empty() {
        bag.tags = Some(tags.iter().map(|t| t.to_string()).collect());
    }
    bag.additional_properties
        .extend(pairs.into_iter().map(|(k, v)| (k.to_string(), v)));
    bag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_published_vectors() {
        let hash = |s: &str| {
            let mut h = Fnv1a::default();
            h.write(s.as_bytes());
            h.0
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn uris_are_relative_and_percent_encoded() {
        let root = Path::new("/p");
        let u = Uri::of(Path::new("/p/by laws/ä.charter"), root);
        assert_eq!(u.uri, "by%20laws/%C3%A4.charter");
        assert!(u.relative);
        let u = Uri::of(Path::new("/elsewhere/a.charter"), root);
        assert_eq!(u.uri, "file:///elsewhere/a.charter");
        assert!(!u.relative);
    }
}
