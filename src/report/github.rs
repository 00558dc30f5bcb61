//! Workflow commands that a CI runner turns into annotations on the changed lines: one
//! line per finding, and one per file that could not be checked.

use std::path::Path;

use super::json::{relative_path, unusable_message, LineIndex};
use crate::check::FileReport;
use crate::diagnostic::{Diagnostic, Severity};
use crate::policy::RuleSet;

/// One command per line; every value is escaped so that no charter text can end a
/// command early or start another.
pub fn render(reports: &[FileReport], _rules: &RuleSet, root: &Path) -> String {
    let mut out = String::new();
    for report in reports {
        let file = relative_path(&report.path, root);
        let lines = LineIndex::new(&report.source);
        for d in &report.diagnostics {
            out.push_str(&command(d, &file, &lines));
            out.push('\n');
        }
        if let Some(u) = &report.unusable {
            out.push_str(&format!(
                "::error file={}::{}\n",
                property(&file),
                data(&unusable_message(u))
            ));
        }
    }
    out
}

fn command(d: &Diagnostic, file: &str, lines: &LineIndex) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let span = d.primary_span();
    let start = lines.position(span.start);
    let end = lines.position(span.end);
    let mut place = format!(
        "file={},line={},endLine={}",
        property(file),
        start.line,
        end.line
    );
    // Columns mean something only on one line.
    if start.line == end.line {
        place.push_str(&format!(
            ",col={},endColumn={}",
            start.column_utf16, end.column_utf16
        ));
    }
    let title = format!("{} {}", d.code, d.name);
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{kind} {place},title={}::{}",
        property(&title),
        data(&message)
    )
}

/// A command's message: `%`, CR and LF are percent-encoded, and other control
/// characters (terminal escapes among them) are shown as escapes rather than sent to
/// the log.
pub fn data(text: &str) -> String {
    escape(text, false)
}

/// A command's property value: as a message, and also `:` and `,`, which end it.
pub fn property(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_properties_are_escaped() {
        assert_eq!(data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(data("\u{1b}[31mred"), "\\u{1b}[31mred");
    }
}
