//! The language server's latency as an editor feels it: from a `didChange` written to
//! the server's standard input to the `publishDiagnostics` of that version read from
//! its standard output, on a generated charter of 5,000 lines (`cargo bench --bench
//! lsp`). Each edit types one character into a clause's title and the next takes it
//! out again, so every version is checked in full. Prints the median and the 90th
//! percentile of many edits, and the time to the first diagnostics after opening.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{ChildStdout, Command, Stdio};
use std::time::Instant;

use peerlint::generate;
use serde_json::{json, Value};

const LINES: usize = 5_000;
const EDITS: usize = 61;

fn send(stdin: &mut impl Write, message: &Value) {
    let body = message.to_string();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    stdin.flush().unwrap();
}

fn read(reader: &mut BufReader<ChildStdout>) -> Value {
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap()
}

/// Reads until the diagnostics of `version` arrive; returns how many there were.
fn diagnostics(reader: &mut BufReader<ChildStdout>, version: i64) -> usize {
    loop {
        let m = read(reader);
        if m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == version {
            return m["params"]["diagnostics"].as_array().map_or(0, Vec::len);
        }
    }
}

/// A generated charter cut to its first `LINES` lines, ending where a top-level item
/// ends so that it still parses.
fn charter() -> String {
    let text = generate::charter(LINES * 80, 7);
    let mut out = String::new();
    for line in text.lines() {
        if out.lines().count() >= LINES && !line.starts_with(' ') && !line.starts_with('}') {
            break;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let text = charter();
    let line_count = text.lines().count();
    // The line and column of the first clause title's closing quote: edits go there.
    let (edit_line, title_line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with("clause ") && l.contains('"'))
        .expect("the charter has a titled clause");
    let edit_character = title_line.rfind('"').unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_peerlint"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("peerlint starts");
    let mut stdin = child.stdin.take().unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {} } }),
    );
    read(&mut reader);
    send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
    );
    let uri = "file:///bench/bylaws.charter";
    let opened = Instant::now();
    send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": { "uri": uri, "languageId": "charter", "version": 1, "text": text } } }),
    );
    let found = diagnostics(&mut reader, 1);
    let first = opened.elapsed().as_secs_f64() * 1e3;

    let mut times = Vec::new();
    for version in 2..(2 + EDITS as i64) {
        let at = json!({ "line": edit_line, "character": edit_character });
        let change = if version % 2 == 0 {
            json!({ "range": { "start": at, "end": at }, "text": "x" })
        } else {
            let after = json!({ "line": edit_line, "character": edit_character + 1 });
            json!({ "range": { "start": at, "end": after }, "text": "" })
        };
        let started = Instant::now();
        send(
            &mut stdin,
            &json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": { "uri": uri, "version": version }, "contentChanges": [change] } }),
        );
        diagnostics(&mut reader, version);
        times.push(started.elapsed().as_secs_f64() * 1e3);
    }
    send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null }),
    );
    read(&mut reader);
    send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "method": "exit", "params": null }),
    );
    let _ = child.wait();

    times.sort_by(f64::total_cmp);
    println!(
        "charter: {line_count} lines, {} bytes, {found} diagnostics",
        text.len()
    );
    println!("didOpen → publishDiagnostics: {first:.1} ms");
    println!(
        "didChange → publishDiagnostics over {EDITS} edits: median {:.1} ms, p90 {:.1} ms, min {:.1} ms",
        percentile(&times, 0.5),
        percentile(&times, 0.9),
        times[0]
    );
}
