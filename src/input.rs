//! Finding charters on disk and reading them, with a clear error for every way a file
//! can be unusable.

use std::fmt;
use std::path::{Path, PathBuf};

/// Larger files are refused before they are read: a charter is a few dozen kilobytes,
/// and generated stress inputs stay well under this.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    NotFound(PathBuf),
    Unreadable(PathBuf, String),
    TooLarge(PathBuf, u64),
    Binary(PathBuf),
    NotUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    Empty(PathBuf),
    NoCharters(PathBuf),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::NotFound(p) => write!(f, "`{}` does not exist", p.display()),
            InputError::Unreadable(p, why) => write!(f, "cannot read `{}`: {why}", p.display()),
            InputError::TooLarge(p, size) => write!(
                f,
                "`{}` is {:.1} MB; peerlint reads charters of up to {} MB",
                p.display(),
                *size as f64 / 1e6,
                MAX_FILE_BYTES / 1024 / 1024
            ),
            InputError::Binary(p) => write!(f, "`{}` looks like a binary file, not a charter", p.display()),
            InputError::NotUtf8 { path, line, column } => write!(
                f,
                "`{}` is not valid UTF-8 (first bad byte at line {line}, column {column}); save it as UTF-8",
                path.display()
            ),
            InputError::Empty(p) => write!(
                f,
                "`{}` has no header, roles or clauses: there is nothing to check",
                p.display()
            ),
            InputError::NoCharters(p) => write!(f, "no `.charter` files under `{}`", p.display()),
        }
    }
}

impl std::error::Error for InputError {}

/// Every `.charter` file named or found below the given paths, in a stable order.
/// Directories are walked in sorted order; files named explicitly are taken whatever
/// their extension.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<InputError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                errors.push(InputError::NotFound(path.clone()))
            }
            Err(e) => errors.push(InputError::Unreadable(path.clone(), e.to_string())),
            Ok(meta) if meta.is_dir() => {
                let before = files.len();
                walk(path, &mut files, &mut errors);
                if files.len() == before {
                    errors.push(InputError::NoCharters(path.clone()));
                }
            }
            Ok(_) => files.push(path.clone()),
        }
    }
    (files, errors)
}

/// Every `*.charter` below `dir`, in sorted order, skipping what git ignores
/// (`.gitignore`, `.ignore`, hidden files). Symbolic links are not followed, so a link
/// loop cannot make the walk run forever.
fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<InputError>) {
    let mut found = Vec::new();
    let walker = ignore::WalkBuilder::new(dir)
        .follow_links(false)
        .require_git(false)
        .sort_by_file_path(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        match entry {
            Ok(e) => {
                let p = e.path();
                if e.file_type().is_some_and(|t| t.is_file())
                    && p.extension().is_some_and(|x| x == "charter")
                {
                    found.push(p.to_path_buf());
                }
            }
            Err(e) => {
                let path = match &e {
                    ignore::Error::WithPath { path, .. } => path.clone(),
                    _ => dir.to_path_buf(),
                };
                errors.push(InputError::Unreadable(path, without_path(&e.to_string())));
            }
        }
    }
    found.sort();
    files.extend(found);
}

/// The walker's messages repeat the path the report already names.
fn without_path(message: &str) -> String {
    match message.rsplit_once(": ") {
        Some((_, reason)) if message.contains('/') => reason.to_string(),
        _ => message.to_string(),
    }
}

/// Reads a charter as text: refuses binary files, oversized files and invalid UTF-8,
/// and drops a byte-order mark.
pub fn read(path: &Path) -> Result<String, InputError> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, e))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(InputError::TooLarge(path.to_path_buf(), meta.len()));
    }
    let bytes = std::fs::read(path).map_err(|e| io_error(path, e))?;
    decode(path, bytes)
}

pub fn decode(path: &Path, mut bytes: Vec<u8>) -> Result<String, InputError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(InputError::TooLarge(path.to_path_buf(), bytes.len() as u64));
    }
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(InputError::Binary(path.to_path_buf()));
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    end_lone_carriage_returns(&mut bytes);
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = &e.as_bytes()[..valid];
            let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = prefix
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&prefix[line_start..])
                .chars()
                .count()
                + 1;
            Err(InputError::NotUtf8 {
                path: path.to_path_buf(),
                line,
                column,
            })
        }
    }
}

/// A lone carriage return (old Mac line endings) ends a line like a newline does;
/// rewriting it in memory keeps every byte offset, so spans stay exact.
pub fn end_lone_carriage_returns(bytes: &mut [u8]) {
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
}

fn io_error(path: &Path, e: std::io::Error) -> InputError {
    if e.kind() == std::io::ErrorKind::NotFound {
        InputError::NotFound(path.to_path_buf())
    } else {
        InputError::Unreadable(path.to_path_buf(), e.to_string())
    }
}
