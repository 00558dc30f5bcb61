//! Text made safe for XML, HTML and Markdown: every report that embeds charter text in
//! markup (JUnit, the SVG power map, the reviews, the editor's hovers) escapes it here.

/// Text fit for an XML attribute: as [`text`], and also quotes as entities and line
/// ends and tabs as character references, since a parser would turn them into spaces.
pub fn escape(text: &str) -> String {
    escape_with(text, true)
}

/// Text fit for an XML element: `&`, `<` and `>` as entities, a carriage return as a
/// character reference, and the characters XML 1.0 forbids (other control
/// characters, U+FFFE, U+FFFF) as U+FFFD.
pub fn text(text: &str) -> String {
    escape_with(text, false)
}

fn escape_with(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' | '\t' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Markdown that reads as the charter's words, never as markup of the report.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A fenced Markdown code block that no backtick run in `code` can close early.
pub fn fenced(language: &str, code: &str) -> String {
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}{language}\n{}\n{fence}", code.trim_end())
}
