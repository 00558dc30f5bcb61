//! The terminal report, rendered by miette.

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};

use crate::check::{FileReport, Unusable};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Human {
    handler: GraphicalReportHandler,
    color: bool,
    /// How many diagnostics of one file are printed in full; the rest are counted.
    pub max_per_file: usize,
}

/// The default for [`Human::max_per_file`]: a charter with more findings than this
/// needs a summary, not a scroll.
pub const MAX_PER_FILE: usize = 200;

impl Human {
    pub fn new(color: bool, width: usize) -> Self {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        Human {
            handler: GraphicalReportHandler::new_themed(theme)
                .with_width(width)
                .with_links(false),
            color,
            max_per_file: MAX_PER_FILE,
        }
    }

    /// The findings of one file, each with its source excerpt.
    pub fn render_file(&self, report: &FileReport) -> String {
        let mut out = String::new();
        let name = report.path.display().to_string();
        if let Some(Unusable::Input(e)) = &report.unusable {
            out.push_str(&self.plain_error(&e.to_string()));
            return out;
        }
        // The excerpts quote the charter; control and bidirectional characters in it must
        // not drive the terminal. Each is replaced by a visible character of the same
        // length in bytes, so every span still points at the same words.
        let inert: std::sync::Arc<str> = inert_source(&report.source).into();
        for d in report.diagnostics.iter().take(self.max_per_file) {
            // A place far along a very long line is shown without its excerpt: quoting
            // the line would flood the terminal (and the excerpt renderer cannot draw
            // columns that far).
            if d.labels
                .iter()
                .any(|l| column_of(&report.source, l.span.end) > MAX_EXCERPT_COLUMN)
            {
                out.push_str(&self.without_excerpt(d, &name, &report.source));
                continue;
            }
            let source = NamedSource::new(name.clone(), inert.clone()).with_language("charter");
            let diag = to_miette(d);
            let boxed = miette::Report::new(diag).with_source_code(source);
            if self
                .handler
                .render_report(&mut out, boxed.as_ref())
                .is_err()
            {
                out.push_str(&format!("{}: {}\n", name, d.message));
            }
            out.push('\n');
        }
        let hidden = report.diagnostics.len().saturating_sub(self.max_per_file);
        if hidden > 0 {
            out.push_str(&format!(
                "… and {hidden} more in {name} (counted in the summary; --max-findings shows more, --format json shows all)\n\n"
            ));
        }
        out
    }

    fn without_excerpt(&self, d: &Diagnostic, name: &str, source: &str) -> String {
        let lines = crate::lines::Lines::new(source);
        let (line, column) = lines.place(source, d.primary_span().start);
        let mut out = format!(
            "{}({})\n\n  {} {}\n  at {name}:{line}:{column} (the line is too long to quote)\n",
            d.code,
            d.name,
            d.severity.as_str(),
            sanitize(&d.message)
        );
        if let Some(h) = &d.help {
            out.push_str(&format!("  help: {}\n", sanitize(h)));
        }
        out.push('\n');
        out
    }

    pub fn plain_error(&self, message: &str) -> String {
        if self.color {
            format!("\u{1b}[31;1merror\u{1b}[0m: {message}\n")
        } else {
            format!("error: {message}\n")
        }
    }
}

/// Columns beyond this are not quoted with their line.
const MAX_EXCERPT_COLUMN: usize = 2_000;

fn column_of(source: &str, offset: usize) -> usize {
    let before = source.get(..offset.min(source.len())).unwrap_or_default();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    before.len() - start
}

fn to_miette(d: &Diagnostic) -> MietteDiagnostic {
    let severity = match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    };
    let labels = d.labels.iter().enumerate().map(|(i, l)| {
        let span: miette::SourceSpan = l.span.into();
        if i == 0 {
            LabeledSpan::new_primary_with_span(l.message.as_deref().map(sanitize), span)
        } else {
            LabeledSpan::new_with_span(l.message.as_deref().map(sanitize), span)
        }
    });
    let mut m = MietteDiagnostic::new(sanitize(&d.message))
        .with_code(format!("{}({})", d.code, d.name))
        .with_severity(severity)
        .with_labels(labels);
    if let Some(h) = &d.help {
        m = m.with_help(sanitize(h));
    }
    m
}

pub fn inert_source(text: &str) -> String {
    if !text.chars().any(is_dangerous) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if !is_dangerous(c) {
                return c;
            }
            match c.len_utf8() {
                1 => '?',
                2 => '\u{00BF}',  // ¿
                3 => '\u{2047}',  // ⁇
                _ => '\u{1F6AB}', // 🚫
            }
        })
        .collect()
}

fn is_dangerous(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Charter text quoted in a message must not drive the terminal: control characters
/// (ANSI escapes among them) are shown as escapes.
pub fn sanitize(text: &str) -> String {
    if !text.chars().any(|c| is_dangerous(c) && c != '\n') {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if is_dangerous(c) && c != '\n' {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}
