//! Runs the real `peerlint` binary on files written into a temporary directory.
//!
//! ```ignore
//! let out = Test::new()
//!     .file("bylaws.charter", "role member\n")
//!     .args(["check", "bylaws.charter"])
//!     .run();
//! assert_eq!(out.code, 0);
//! ```
//!
//! The binary runs with the temporary directory as its working directory and with
//! `NO_COLOR=1`; every mention of that directory's path in its output reads `[TMP]`, so
//! that snapshots do not change from one run to the next.

#![allow(
    dead_code,
    reason = "each test binary includes this module and uses a different part of it"
)]

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Test {
    dir: tempfile::TempDir,
    args: Vec<OsString>,
    env: Vec<(OsString, OsString)>,
}

impl Default for Test {
    fn default() -> Self {
        Self::new()
    }
}

impl Test {
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("peerlint-test")
            .tempdir()
            .expect("a temporary directory can be created");
        Test {
            dir,
            args: Vec::new(),
            env: Vec::new(),
        }
    }

    /// The temporary directory the binary runs in.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (text or bytes) below the temporary directory, creating the
    /// directories on its path.
    pub fn file(self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        let full = self.dir.path().join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("the file's directory can be created");
        }
        std::fs::write(&full, contents).expect("the file can be written");
        self
    }

    /// Creates an empty directory below the temporary directory.
    pub fn dir(self, path: &str) -> Self {
        std::fs::create_dir_all(self.dir.path().join(path)).expect("the directory can be created");
        self
    }

    /// Writes a charter given as an indented literal (see [`unindent`]).
    pub fn charter(self, path: &str, text: &str) -> Self {
        self.file(path, unindent(text))
    }

    pub fn arg(mut self, arg: impl Into<OsString>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Sets an environment variable for the run.
    pub fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Runs the binary and waits for it.
    pub fn run(self) -> Output {
        let args = self.args.clone();
        self.run_with(args)
    }

    /// Runs the binary with these arguments in the same directory, which stays for
    /// further runs (a test of something written by one run and read by the next).
    pub fn run_with<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
        let output = Command::new(env!("CARGO_BIN_EXE_peerlint"))
            .args(&args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .output()
            .expect("the peerlint binary runs");
        let roots = roots(self.dir.path());
        Output {
            stdout: scrub(&String::from_utf8_lossy(&output.stdout), &roots),
            stderr: scrub(&String::from_utf8_lossy(&output.stderr), &roots),
            // `None` when a signal ended the process (a stack overflow, for one).
            code: output.status.code(),
        }
    }
}

/// What one run printed and how it ended.
#[derive(Debug)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: Option<i32>,
}

impl Output {
    /// Everything a snapshot records: the exit code, then stdout and stderr.
    pub fn snapshot(&self) -> String {
        let code = self
            .code
            .map_or_else(|| "killed by a signal".to_string(), |c| c.to_string());
        format!(
            "exit code: {code}\n----- stdout -----\n{}----- stderr -----\n{}",
            self.stdout, self.stderr
        )
    }

    /// The last line of stdout: the summary.
    pub fn summary(&self) -> &str {
        self.stdout.lines().last().unwrap_or("")
    }
}

/// The spellings of the temporary directory's path that output may contain, longest
/// first (the canonical path may differ, as `/tmp` → `/private/tmp` does on macOS).
fn roots(dir: &Path) -> Vec<String> {
    let mut roots: Vec<PathBuf> = vec![dir.to_path_buf()];
    if let Ok(canonical) = dir.canonicalize() {
        roots.push(canonical);
    }
    let mut roots: Vec<String> = roots
        .iter()
        .map(|p| p.display().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    roots.sort_by_key(|s| std::cmp::Reverse(s.len()));
    roots.dedup();
    roots
}

fn scrub(text: &str, roots: &[String]) -> String {
    roots.iter().fold(text.to_string(), |acc, root| {
        acc.replace(root.as_str(), "[TMP]")
    })
}

/// Removes a literal's first newline, its last line when that holds only the
/// indentation of the closing quote, and the indentation its lines share, so that a
/// charter can be written indented inside a test. The result ends with a newline.
pub fn unindent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let mut lines: Vec<&str> = text.lines().collect();
    if lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(text.len());
    for line in lines {
        out.push_str(
            line.get(indent..)
                .unwrap_or_else(|| line.trim_start_matches(' ')),
        );
        out.push('\n');
    }
    out
}
