//! Hostile inputs: every case in tests/hostile/ runs the real binary and must end with
//! the exit code and the texts its `.expect` file names, within a time limit. The
//! format of the cases is described in tests/hostile/README.md.

use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one case may run before it is killed and fails.
const LIMIT: Duration = Duration::from_secs(20);

/// The fewest cases the corpus may hold.
const AT_LEAST: usize = 30;

struct Case {
    name: String,
    /// The case's file or directory in tests/hostile/.
    input: PathBuf,
    /// Its name in the temporary directory (without `.gen`).
    target: String,
    run: Vec<String>,
    exit: i32,
    contains: Vec<String>,
    lacks: Vec<String>,
    known_bug: Option<String>,
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile")
}

/// Reads `\e` as ESC, `\n` as a newline and `\\` as a backslash.
fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('e') => out.push('\u{1b}'),
            Some('n') => out.push('\n'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn load(expect: &Path, entries: &[String]) -> Case {
    let file = expect
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a UTF-8 file name");
    let name = file.strip_suffix(".expect").expect("an .expect file");
    let prefix = format!("{name}.");
    let inputs: Vec<&String> = entries
        .iter()
        .filter(|e| e.as_str() != file && (e.as_str() == name || e.starts_with(&prefix)))
        .collect();
    assert_eq!(
        inputs.len(),
        1,
        "{name}: exactly one input must sit beside {file}, found {inputs:?}"
    );
    let input = inputs[0].clone();
    let target = input.strip_suffix(".gen").unwrap_or(&input).to_string();
    let text = std::fs::read_to_string(expect).expect("the .expect file is readable");
    let mut case = Case {
        name: name.to_string(),
        input: corpus().join(&input),
        target,
        run: Vec::new(),
        exit: -1,
        contains: Vec::new(),
        lacks: Vec::new(),
        known_bug: None,
    };
    let mut has_exit = false;
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("{file}: `{line}` is not `key: value`"));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match key {
            "run" => {
                case.run = value
                    .split_whitespace()
                    .map(|a| a.replace("{file}", &case.target))
                    .collect();
            }
            "exit" => {
                case.exit = value
                    .trim()
                    .parse()
                    .unwrap_or_else(|_| panic!("{file}: `{value}` is not an exit code"));
                has_exit = true;
            }
            "contains" => case.contains.push(unescape(value)),
            "lacks" => case.lacks.push(unescape(value)),
            "known-bug" => case.known_bug = Some(value.to_string()),
            _ => panic!("{file}: unknown key `{key}`"),
        }
    }
    assert!(!case.run.is_empty(), "{file}: no `run:` line");
    assert!(has_exit, "{file}: no `exit:` line");
    case
}

/// Expands every `⟪N×TEXT⟫` into TEXT repeated N times; in TEXT, `\n` is a newline, and
/// `⟨i⟩` and `⟨j⟩` are the repetition's number counted from 0 and from 1.
fn expand(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('⟪') {
        out.push_str(&rest[..start]);
        let after = &rest[start + '⟪'.len_utf8()..];
        let end = after.find('⟫').expect("every ⟪ has its ⟫");
        let (count, body) = after[..end].split_once('×').expect("⟪N×TEXT⟫");
        let count: usize = count.parse().expect("N in ⟪N×TEXT⟫ is a number");
        let body = body.replace("\\n", "\n");
        let numbered = body.contains('⟨');
        for i in 0..count {
            if numbered {
                out.push_str(
                    &body
                        .replace("⟨i⟩", &i.to_string())
                        .replace("⟨j⟩", &(i + 1).to_string()),
                );
            } else {
                out.push_str(&body);
            }
        }
        rest = &after[end + '⟫'.len_utf8()..];
    }
    out.push_str(rest);
    out
}

fn copy_into(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).expect("a directory can be created");
        for entry in std::fs::read_dir(from).expect("the directory can be read") {
            let entry = entry.expect("the directory can be read");
            copy_into(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).expect("the file can be copied");
    }
}

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    timed_out: bool,
}

fn drain(mut from: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = from.read_to_end(&mut buf);
        buf
    })
}

fn run(case: &Case) -> Outcome {
    // The project is `work/`; `_outside/` lands in the directory above it.
    let tmp = tempfile::Builder::new()
        .prefix("peerlint-hostile")
        .tempdir()
        .expect("a temporary directory can be created");
    let work = tmp.path().join("work");
    copy_into(&corpus().join("_shared"), &work);
    copy_into(&corpus().join("_outside"), tmp.path());
    let target = work.join(&case.target);
    if case.input.extension().is_some_and(|e| e == "gen") {
        let template = std::fs::read_to_string(&case.input).expect("a .gen file is UTF-8");
        std::fs::write(&target, expand(&template)).expect("the input can be written");
    } else {
        copy_into(&case.input, &target);
    }

    let mut child = Command::new(env!("CARGO_BIN_EXE_peerlint"))
        .args(&case.run)
        .current_dir(&work)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the peerlint binary runs");
    let stdout = drain(child.stdout.take().expect("stdout is piped"));
    let stderr = drain(child.stderr.take().expect("stderr is piped"));
    let started = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            break status;
        }
        if started.elapsed() > LIMIT {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("the killed child can be waited for");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let text = |h: std::thread::JoinHandle<Vec<u8>>| {
        String::from_utf8_lossy(&h.join().expect("the reader thread ends")).into_owned()
    };
    Outcome {
        code: status.code(),
        stdout: text(stdout),
        stderr: text(stderr),
        timed_out,
    }
}

/// The first `n` characters of `text`, with a note of how much was left out.
fn head(text: &str, n: usize) -> String {
    match text.char_indices().nth(n) {
        Some((at, _)) => format!("{}… ({} bytes in all)", &text[..at], text.len()),
        None => text.to_string(),
    }
}

/// What is wrong with one case's outcome; empty when it passed.
fn judge(case: &Case, out: &Outcome) -> Vec<String> {
    let mut problems = Vec::new();
    if out.timed_out {
        problems.push(format!("still running after {LIMIT:?}; killed"));
    } else if out.code != Some(case.exit) {
        problems.push(match out.code {
            Some(code) => format!("exit code {code}, expected {}", case.exit),
            None => format!("killed by a signal, expected exit code {}", case.exit),
        });
    }
    for text in &case.contains {
        if !out.stdout.contains(text.as_str()) && !out.stderr.contains(text.as_str()) {
            problems.push(format!("neither stdout nor stderr contains {text:?}"));
        }
    }
    for text in &case.lacks {
        if out.stdout.contains(text.as_str()) || out.stderr.contains(text.as_str()) {
            problems.push(format!("the output contains {text:?}"));
        }
    }
    problems
}

#[test]
fn every_hostile_input_ends_cleanly() {
    let mut entries: Vec<String> = std::fs::read_dir(corpus())
        .expect("tests/hostile/ can be read")
        .map(|e| {
            e.expect("tests/hostile/ can be read")
                .file_name()
                .into_string()
                .expect("UTF-8 file names")
        })
        .collect();
    entries.sort();
    let cases: Vec<Case> = entries
        .iter()
        .filter(|e| e.ends_with(".expect"))
        .map(|e| load(&corpus().join(e), &entries))
        .collect();
    assert!(
        cases.len() >= AT_LEAST,
        "tests/hostile/ holds {} cases, at least {AT_LEAST} expected",
        cases.len()
    );

    // `PEERLINT_HOSTILE_ALL=1` runs the known bugs too, to see which are fixed.
    let all = std::env::var_os("PEERLINT_HOSTILE_ALL").is_some();
    let mut failures = String::new();
    let mut skipped = 0;
    for case in &cases {
        if let (Some(bug), false) = (&case.known_bug, all) {
            println!("skipped {} (known bug: {bug})", case.name);
            skipped += 1;
            continue;
        }
        let started = Instant::now();
        let out = run(case);
        let problems = judge(case, &out);
        println!(
            "{} {} ({:.1?})",
            if problems.is_empty() { "ok  " } else { "FAIL" },
            case.name,
            started.elapsed()
        );
        if !problems.is_empty() {
            let _ = writeln!(
                failures,
                "\n--- {}: peerlint {}{}\n  {}\n  exit code: {:?}\n  stdout: {}\n  stderr: {}",
                case.name,
                case.run.join(" "),
                case.known_bug
                    .as_deref()
                    .map(|b| format!("  (known bug: {b})"))
                    .unwrap_or_default(),
                problems.join("\n  "),
                out.code,
                head(&out.stdout, 1500),
                head(&out.stderr, 1500),
            );
        }
    }
    println!(
        "{} cases: {} run, {skipped} skipped as known bugs",
        cases.len(),
        cases.len() - skipped
    );
    assert!(failures.is_empty(), "hostile cases failed:{failures}");
}
