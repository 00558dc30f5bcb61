//! An open document: its text as the editor has it, and the check of that text, made
//! when first asked for after a change.

use std::path::PathBuf;
use std::sync::Arc;

use lsp_types::{TextDocumentContentChangeEvent, Uri};

use super::position::{Encoding, LineIndex};
use crate::check::{self, FileReport, Unusable};
use crate::input::{InputError, MAX_FILE_BYTES};
use crate::policy::RuleSet;
use crate::syntax::ast::Ast;
use crate::syntax::{self, ParseCache};

pub struct Document {
    pub uri: Uri,
    pub path: Option<PathBuf>,
    pub version: i32,
    pub text: String,
    pub lines: LineIndex,
    analysis: Option<Arc<Analysis>>,
    /// The items of the last parse: an edit re-parses only the item it touched.
    parse_cache: ParseCache,
}

/// What the check of one version of a document found, with what it was checked by.
pub struct Analysis {
    pub report: FileReport,
    pub ast: Ast,
    pub rules: Arc<RuleSet>,
}

impl Analysis {
    /// Why the text was not checked (it is over the size limit), if it was not.
    pub fn refused(&self) -> Option<String> {
        match &self.report.unusable {
            Some(Unusable::Input(e @ InputError::TooLarge(..))) => Some(e.to_string()),
            _ => None,
        }
    }
}

impl Document {
    pub fn new(uri: Uri, version: i32, text: String, encoding: Encoding) -> Self {
        Document {
            path: super::uri::to_path(&uri),
            uri,
            version,
            lines: LineIndex::new(&text, encoding),
            text,
            analysis: None,
            parse_cache: ParseCache::default(),
        }
    }

    /// Applies the editor's changes in order: each range is in the text as the
    /// previous change left it.
    pub fn change(&mut self, version: i32, changes: Vec<TextDocumentContentChangeEvent>) {
        for change in changes {
            match change.range {
                None => self.text = change.text,
                Some(range) => {
                    let a = self.lines.offset(&self.text, range.start);
                    let b = self.lines.offset(&self.text, range.end);
                    let (start, end) = (a.min(b), a.max(b));
                    self.text.replace_range(start..end, &change.text);
                }
            }
            self.lines = LineIndex::new(&self.text, self.lines.encoding());
        }
        self.version = version;
        self.analysis = None;
    }

    /// Forgets the check, so that the next request checks again (the rules changed).
    pub fn invalidate(&mut self) {
        self.analysis = None;
    }

    pub fn analysis(&mut self, rules: impl FnOnce() -> Arc<RuleSet>) -> Arc<Analysis> {
        if let Some(a) = &self.analysis {
            return a.clone();
        }
        let rules = rules();
        let path = self
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from("untitled.charter"));
        let (report, ast) = if self.text.len() as u64 > MAX_FILE_BYTES {
            let error = InputError::TooLarge(path, self.text.len() as u64);
            (FileReport::unreadable(error), Ast::default())
        } else {
            let source: Arc<str> = Arc::from(for_parser(&self.text));
            let parsed = syntax::parse_with_cache(&source, &mut self.parse_cache);
            let (report, tree) = check::check_parsed(&path, source, parsed, &rules, true);
            (report, tree.unwrap_or_default())
        };
        let analysis = Arc::new(Analysis { report, ast, rules });
        self.analysis = Some(analysis.clone());
        analysis
    }
}

/// The text as the parser reads a file, offset for offset: a lone carriage return
/// ends a line for the editor, so it becomes a newline, and a byte-order mark (which
/// a file read from disk drops) becomes blanks.
pub fn for_parser(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    if bytes.starts_with("\u{feff}".as_bytes()) {
        bytes[..3].copy_from_slice(b"   ");
    }
    crate::input::end_lone_carriage_returns(&mut bytes);
    // Only whole characters were replaced, by ASCII.
    String::from_utf8(bytes).unwrap_or_default()
}
