//! `peerlint lsp` through its real protocol: the binary is started with pipes, spoken
//! to in framed JSON-RPC, and its answers are snapshotted. Bad input of every kind must
//! be answered or survived, never end the server before `exit`.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use insta::assert_yaml_snapshot;
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(30);

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Notifications read while waiting for something else.
    pending: Vec<Value>,
    next_id: i64,
    /// The last version sent of each document: diagnostics of older versions are stale.
    versions: std::collections::HashMap<String, i64>,
    dir: tempfile::TempDir,
}

impl Client {
    fn start() -> Self {
        Self::start_with(json!({}))
    }

    fn start_with(capabilities: Value) -> Self {
        let mut client = Self::spawn();
        let answer = client.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": capabilities }),
        );
        assert!(answer.get("result").is_some(), "{answer}");
        client.notify("initialized", json!({}));
        client
    }

    fn spawn() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("peerlint-lsp")
            .tempdir()
            .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_peerlint"))
            .arg("lsp")
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("peerlint starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_frame(&mut reader) {
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming,
            pending: Vec::new(),
            next_id: 1,
            versions: std::collections::HashMap::new(),
            dir,
        }
    }

    fn write_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.write_raw(frame.as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        let document = &params["textDocument"];
        if let (Some(uri), Some(version)) = (document["uri"].as_str(), document["version"].as_i64())
        {
            self.versions.insert(uri.to_string(), version);
        }
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.response(json!(id))
    }

    fn response(&mut self, id: Value) -> Value {
        loop {
            let message = self.next();
            if message.get("method").is_none() && message.get("id") == Some(&id) {
                return message;
            }
            self.pending.push(message);
        }
    }

    fn next(&mut self) -> Value {
        self.incoming
            .recv_timeout(WAIT)
            .expect("the server answers within the wait")
    }

    /// The next notification of `method` (about `uri`, when given).
    fn notification(&mut self, method: &str, uri: Option<&str>) -> Value {
        let matches = |m: &Value| {
            m.get("method").and_then(Value::as_str) == Some(method)
                && uri.is_none_or(|u| m["params"]["uri"].as_str() == Some(u))
        };
        if let Some(i) = self.pending.iter().position(matches) {
            return self.pending.remove(i);
        }
        loop {
            let message = self.next();
            if matches(&message) {
                return message;
            }
            self.pending.push(message);
        }
    }

    /// The diagnostics of the last version sent of `uri` (of any version, for a file
    /// that is not open, like a configuration file).
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        loop {
            let n = self.notification("textDocument/publishDiagnostics", Some(uri));
            let version = n["params"]["version"].as_i64();
            if version.is_none() || version == self.versions.get(uri).copied() {
                return n["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        uri(&path)
    }

    fn open(&mut self, name: &str, text: &str) -> String {
        let uri = self.write(name, text);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "charter", "version": 1, "text": text } }),
        );
        uri
    }

    fn replace(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    fn at(&mut self, method: &str, uri: &str, line: u32, character: u32) -> Value {
        let mut params = json!({
            "textDocument": { "uri": uri },
            "position": { "line": line, "character": character },
        });
        if method == "textDocument/references" {
            params["context"] = json!({ "includeDeclaration": true });
        }
        self.request(method, params)
    }

    /// Says goodbye properly; the exit code the protocol asks for.
    fn shutdown(mut self) -> Option<i32> {
        let answer = self.request("shutdown", Value::Null);
        assert_eq!(answer["result"], Value::Null, "{answer}");
        self.notify("exit", Value::Null);
        self.exit_code()
    }

    fn exit_code(&mut self) -> Option<i32> {
        for _ in 0..300 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the server did not exit");
    }

    fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// The answer with the temporary directory's URI as `[DIR]` and the repository's
    /// (where the rules' documentation is) as `[REPO]`, for snapshots.
    fn redacted(&self, value: &Value) -> Value {
        let dir = uri(self.dir.path());
        let repo = uri(Path::new(env!("CARGO_MANIFEST_DIR")));
        let text = value
            .to_string()
            .replace(&dir, "[DIR]")
            .replace(&repo, "[REPO]");
        serde_json::from_str(&text).unwrap()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_frame(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_str().unwrap().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Applies the text edits of a workspace edit to `text` (positions in UTF-16).
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |pos: &Value| -> usize {
        let line = pos["line"].as_u64().unwrap() as usize;
        let character = pos["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= character || c == '\n' {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

const HEAD: &str = "charter \"Riverbend\" { kind bylaws }\nrole member { may leave }\nrole director within member { elected by assembly for 2 years  removable by assembly }\nbody assembly = every member\nbody board = every director\n\n";

fn sanctions() -> String {
    format!(
        "{HEAD}clause 3.2 \"Fines\" {{\n  board may fine member {{\n    grounds \"unpaid dues\"\n    notice 14 days\n    hearing before assembly\n    appeal to assembly\n  }}\n}}\n\nclause 3.3 \"Dispute\" {{\n  dispute between member and board {{\n    mediation by \"an outside mediator\"\n  }}\n}}\n"
    )
}

#[test]
fn initialize_announces_what_the_server_does() {
    let mut client = Client::spawn();
    let answer = client.request(
        "initialize",
        json!({ "processId": null, "rootUri": null, "capabilities": {} }),
    );
    let mut result = answer["result"].clone();
    result["serverInfo"]["version"] = json!("[VERSION]");
    assert_yaml_snapshot!(result);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn diagnostics_carry_code_link_level_and_related_places() {
    let mut client = Client::start();
    let text = sanctions().replace(
        "    hearing before assembly\n",
        "    hearing before board\n",
    );
    let uri = client.open("fines.charter", &text);
    let diagnostics = client.diagnostics(&uri);
    assert_yaml_snapshot!(client.redacted(&json!(diagnostics)));
}

#[test]
fn every_change_is_checked_again() {
    let mut client = Client::start();
    let text = sanctions().replace("    appeal to assembly\n", "");
    let uri = client.open("fines.charter", &text);
    assert!(codes(&client.diagnostics(&uri)).contains(&"DP004".to_string()));
    // An incremental edit: the appeal is written back in.
    let line = text
        .lines()
        .position(|l| l.contains("hearing before"))
        .unwrap() as u32;
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{
                "range": { "start": { "line": line + 1, "character": 0 }, "end": { "line": line + 1, "character": 0 } },
                "text": "    appeal to assembly\n"
            }]
        }),
    );
    let after = client.notification("textDocument/publishDiagnostics", Some(&uri));
    assert_eq!(after["params"]["version"], 2);
    assert_eq!(
        codes(after["params"]["diagnostics"].as_array().unwrap()),
        Vec::<String>::new()
    );
    // Broken for many edits in a row, then mended: each version gets its diagnostics.
    for version in 3..23 {
        let broken = text.replace("board may fine", &format!("board may fine {{{version}"));
        client.replace(&uri, version, &broken);
        let d = client.diagnostics(&uri);
        assert!(codes(&d).contains(&"S001".to_string()), "{d:?}");
    }
    client.replace(&uri, 23, &sanctions());
    assert_eq!(codes(&client.diagnostics(&uri)), Vec::<String>::new());
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn hover_explains_rules_and_names() {
    let mut client = Client::start();
    let text = format!(
        "{}\nclause 3.4 \"Expulsion\" {{\n  # peerlint: allow DP003 reason \"the assembly hears it in 3.5\"\n  board may expel member {{ grounds \"fraud\" notice 30 days appeal to assembly }}\n}}\n",
        sanctions()
    );
    let uri = client.open("h.charter", &text);
    client.diagnostics(&uri);
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() as u32;
    let on_code = client.at("textDocument/hover", &uri, line_of("allow DP003"), 22);
    let on_role = client.at("textDocument/hover", &uri, line_of("board may expel"), 3);
    let on_nothing = client.at("textDocument/hover", &uri, line_of("hearing before"), 0);
    assert_yaml_snapshot!([
        &on_code["result"],
        &on_role["result"],
        &on_nothing["result"]
    ]);
}

#[test]
fn definition_references_and_outline() {
    let mut client = Client::start();
    let text = format!(
        "{}\narticle IV \"Appeals\" {{\n  clause 4.1 {{\n    regarding clause 3.2 {{ stay pending appeal }}\n  }}\n}}\n",
        sanctions()
    );
    let uri = client.open("n.charter", &text);
    client.diagnostics(&uri);
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() as u32;
    let definition = client.at(
        "textDocument/definition",
        &uri,
        line_of("board may fine"),
        3,
    );
    let references = client.at("textDocument/references", &uri, line_of("body board"), 6);
    let clause = client.at(
        "textDocument/definition",
        &uri,
        line_of("regarding clause"),
        22,
    );
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let answers = json!({
        "definition of board": definition["result"],
        "references to board": references["result"],
        "definition of clause 3.2": clause["result"],
        "outline": symbols["result"],
    });
    assert_yaml_snapshot!(client.redacted(&answers));
}

#[test]
fn completion_follows_the_enclosing_block() {
    let mut client = Client::start();
    let text = format!("{HEAD}clause 1 {{\n  board may expel member {{\n    \n  }}\n}}\n");
    let uri = client.open("c.charter", &text);
    client.diagnostics(&uri);
    let labels = |answer: &Value| -> Vec<String> {
        answer["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    let in_block = labels(&client.at("textDocument/completion", &uri, 8, 4));
    for expected in [
        "notice", "hearing", "appeal", "grounds", "assembly", "board",
    ] {
        assert!(in_block.contains(&expected.to_string()), "{in_block:?}");
    }
    assert!(!in_block.contains(&"disclose".to_string()), "{in_block:?}");
    let in_clause = labels(&client.at("textDocument/completion", &uri, 7, 2));
    for expected in ["may", "must not", "consents to", "member"] {
        assert!(in_clause.contains(&expected.to_string()), "{in_clause:?}");
    }
    let top = labels(&client.at("textDocument/completion", &uri, 11, 0));
    assert_eq!(
        top,
        ["charter", "role", "party", "body", "article", "clause"]
    );
}

#[test]
fn quick_fixes_mend_the_finding_and_leave_a_charter_that_parses() {
    let mut client = Client::start();
    let text = format!(
        "{HEAD}clause 3.2 \"Fines\" {{\n  board may fine member {{ grounds \"unpaid dues\" }}\n}}\n\nclause 5.1 \"Photos\" {{\n  member consents to \"publication of photos\" {{\n    form written\n  }}\n}}\n\nclause 6.1 \"Disputes\" {{ dispute between member and board {{ mediation by \"a mediator\" }} }}\n"
    );
    let uri = client.open("q.charter", &text);
    let before = client.diagnostics(&uri);
    let mut titles = Vec::new();
    let mut current = text.clone();
    for code in ["DP002", "DP003", "DP004", "CO001"] {
        let d = client.diagnostics_now(&uri, &current, code);
        let actions = client.request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": d["range"], "context": { "diagnostics": [d] } }),
        );
        let actions = actions["result"].as_array().unwrap().clone();
        let fix = actions
            .iter()
            .find(|a| a["isPreferred"] == json!(true))
            .unwrap_or_else(|| panic!("{code} has a preferred fix: {actions:?}"));
        titles.push(fix["title"].as_str().unwrap().to_string());
        let edits = fix["edit"]["changes"][&uri].as_array().unwrap();
        current = apply(&current, edits);
    }
    client.replace(&uri, 2, &current);
    let after = client.diagnostics(&uri);
    assert!(!before.is_empty());
    assert_eq!(codes(&after), Vec::<String>::new(), "{current}");
    assert_yaml_snapshot!(json!({ "fixes": titles, "charter": current[HEAD.len()..] }));
}

#[test]
fn a_suppression_action_hides_the_finding_once_a_reason_is_written() {
    let mut client = Client::start();
    let text = format!(
        "{HEAD}clause 3.2 \"Fines\" {{\n  board may fine member {{ grounds \"unpaid dues\"  hearing before assembly  appeal to assembly }}\n}}\n\nclause 6.1 \"Disputes\" {{ dispute between member and board {{ mediation by \"a mediator\" }} }}\n"
    );
    let uri = client.open("s.charter", &text);
    let d = client.diagnostics_now(&uri, &text, "DP002");
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": d["range"], "context": { "diagnostics": [d] } }),
    );
    let suppress = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("Accept as an exception")
        })
        .unwrap()
        .clone();
    let edited = apply(&text, suppress["edit"]["changes"][&uri].as_array().unwrap());
    assert!(
        edited.contains("  # peerlint: allow DP002 reason \"\"\n  board may fine"),
        "{edited}"
    );
    // With the reason still empty, the finding stays and the suppression asks for one.
    client.replace(&uri, 2, &edited);
    assert_eq!(codes(&client.diagnostics(&uri)), ["S018", "DP002"]);
    let reasoned = edited.replace("reason \"\"", "reason \"the assembly gives notice itself\"");
    client.replace(&uri, 3, &reasoned);
    assert_eq!(codes(&client.diagnostics(&uri)), Vec::<String>::new());
}

#[test]
fn formatting_is_peerlint_fmt() {
    let mut client = Client::start();
    let messy = format!("{HEAD}clause 1   \"Fines\"{{ board   may fine member {{ grounds \"x\"   notice 7 days hearing appeal }}\n}}\nclause 2 {{ dispute between member and board {{ mediation by \"m\" }} }}\n");
    let uri = client.open("f.charter", &messy);
    client.diagnostics(&uri);
    let answer = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let formatted = apply(&messy, answer["result"].as_array().unwrap());
    let expected = peerlint::format::format(&messy).unwrap();
    assert_eq!(formatted, expected);
    // A charter that does not parse is not formatted.
    client.replace(&uri, 2, "clause 1 {");
    let answer = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(answer["error"]["code"], -32803, "{answer}");
}

#[test]
fn ranges_count_utf16_units_after_accents_emoji_and_cjk() {
    let text = format!("{HEAD}clause 2 \"Café 🎉 会议 — Ünïcödé 👩‍👩‍👧 議事録\" {{ board may expel member }}\nclause 3 {{ dispute between member and board {{ mediation by \"m\" }} }}\n");
    let line = text
        .lines()
        .position(|l| l.starts_with("clause 2"))
        .unwrap();
    let line_text = text.lines().nth(line).unwrap();
    let board = line_text.find("board may").unwrap();
    let utf16 = line_text[..board].encode_utf16().count();
    for (capabilities, expected) in [
        (json!({}), utf16),
        (
            json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } }),
            board,
        ),
    ] {
        let mut client = Client::start_with(capabilities);
        let uri = client.open("u.charter", &text);
        let diagnostics = client.diagnostics(&uri);
        let on_line: Vec<&Value> = diagnostics
            .iter()
            .filter(|d| d["range"]["start"]["line"] == json!(line))
            .collect();
        assert!(!on_line.is_empty(), "{diagnostics:?}");
        for d in on_line {
            assert_eq!(d["range"]["start"]["character"], json!(expected), "{d}");
        }
        // Hover at that very position finds the finding.
        let hover = client.at("textDocument/hover", &uri, line as u32, expected as u32);
        assert!(hover["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("DP00"));
    }
}

#[test]
fn configuration_is_honoured_and_reloaded_when_it_changes() {
    let mut client = Client::start_with(
        json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } }),
    );
    // The server asks to watch YAML files.
    let registration = client.next();
    assert_eq!(
        registration["method"], "client/registerCapability",
        "{registration}"
    );
    let id = registration["id"].clone();
    client.send(&json!({ "jsonrpc": "2.0", "id": id, "result": null }));

    let config = client.write("peerlint.yaml", "rules:\n  sanction-without-notice: off\n");
    let text = sanctions().replace("    appeal to assembly\n", "");
    let uri = client.open("c.charter", &text);
    assert_eq!(codes(&client.diagnostics(&uri)), ["DP004"]);

    client.write("peerlint.yaml", "rules:\n  sanction-without-appeal: info\n");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": config, "type": 2 }] }),
    );
    let d = client.diagnostics(&uri);
    assert_eq!(codes(&d), ["DP004"]);
    assert_eq!(d[0]["severity"], 3, "info");

    // A configuration that is not UTF-8: reported on the file, and the charter is
    // checked with the default pack meanwhile.
    std::fs::write(
        client.dir.path().join("peerlint.yaml"),
        b"rules:\n  \xff\xfe: off\n",
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": config, "type": 2 }] }),
    );
    assert_eq!(codes(&client.diagnostics(&uri)), ["DP004"]);
    let on_config = client.diagnostics(&config);
    assert_eq!(on_config.len(), 1);
    let message = client.notification("window/showMessage", None);
    assert!(message["params"]["message"]
        .as_str()
        .unwrap()
        .contains("does not load"));

    // Mended: the configuration's diagnostics are cleared.
    client.write("peerlint.yaml", "rules: {}\n");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": config, "type": 2 }] }),
    );
    client.diagnostics(&uri);
    assert_eq!(client.diagnostics(&config), Vec::<Value>::new());
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn bad_messages_get_errors_and_the_server_carries_on() {
    let mut client = Client::spawn();
    // Before `initialize`, requests are refused.
    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    let answer = client.request(
        "initialize",
        json!({ "processId": null, "rootUri": null, "capabilities": {} }),
    );
    assert!(answer["result"].is_object());
    let uri = client.open("b.charter", &sanctions());
    client.diagnostics(&uri);

    let mut answers = Vec::new();
    // Not JSON; JSON that is no message; a request with a wrong shape; no header.
    for body in [
        "{not json",
        "[1, 2]",
        r#"{"jsonrpc":"2.0","id":41,"method":7}"#,
    ] {
        client.write_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
        answers.push(client.next());
    }
    client.write_raw(b"Content-Type: text/plain\r\n\r\n");
    answers.push(client.next());
    // Over the limit: refused at once, then its body is skipped as it arrives.
    let over = 80 * 1024 * 1024 + 1;
    client.write_raw(format!("Content-Length: {over}\r\n\r\n").as_bytes());
    answers.push(client.next());
    client.write_raw(&vec![b'x'; over]);
    answers.push(client.request("workspace/unknownThing", json!({})));
    answers.push(client.request("textDocument/hover", json!({ "wrong": true })));
    answers.push(client.request("initialize", json!({ "capabilities": {} })));
    assert_yaml_snapshot!(answers);

    // Positions outside the document, and a document never opened, have no answer.
    for (line, character) in [(9999, 0), (0, 9999)] {
        let a = client.at("textDocument/hover", &uri, line, character);
        assert!(a.get("error").is_none(), "{a}");
    }
    let a = client.at(
        "textDocument/definition",
        &uri.replace("b.charter", "none.charter"),
        0,
        0,
    );
    assert_eq!(a["result"], Value::Null);
    // An edit whose range lies past the end is clamped, not fatal.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "range": { "start": { "line": 500, "character": 3 }, "end": { "line": 400, "character": 0 } }, "text": "# tail\n" }]
        }),
    );
    assert_eq!(codes(&client.diagnostics(&uri)), Vec::<String>::new());
    assert!(client.is_running());
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn a_huge_paste_is_refused_with_a_diagnostic() {
    let mut client = Client::start();
    let uri = client.open("big.charter", &sanctions());
    client.diagnostics(&uri);
    let huge = format!("{}{}", sanctions(), "# padding\n".repeat(3_400_000));
    client.replace(&uri, 2, &huge);
    let d = client.diagnostics(&uri);
    assert_eq!(d.len(), 1);
    assert!(
        d[0]["message"].as_str().unwrap().contains("up to 32 MB"),
        "{d:?}"
    );
    client.replace(&uri, 3, &sanctions());
    assert_eq!(codes(&client.diagnostics(&uri)), Vec::<String>::new());
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn exit_without_shutdown_is_an_error_exit() {
    let mut client = Client::start();
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), Some(1));
}

impl Client {
    /// The diagnostic with `code` in the latest diagnostics of `uri`, checking the
    /// current text (`text`) when none is pending.
    fn diagnostics_now(&mut self, uri: &str, text: &str, code: &str) -> Value {
        self.replace(uri, 100 + self.next_id, text);
        let d = self.diagnostics(uri);
        d.into_iter()
            .find(|d| d["code"] == json!(code))
            .unwrap_or_else(|| panic!("a {code} finding in\n{text}"))
    }
}

#[test]
fn charter_text_stays_text_in_hovers_and_the_outline() {
    let mut client = Client::start();
    let hostile =
        "<img src=x onerror=alert(1)> [click](command:workbench.action.quit) **bold** ```";
    let text = format!(
        "{HEAD}clause 9 \"{hostile}\" {{\n  board may publish \"{hostile}\"\n  board may expel member {{ grounds \"{hostile}\" }}\n  member consents to \"{hostile}\" {{ form written }}\n}}\nclause 10 \"x\u{1b}[31m\" {{ dispute between member and board {{ mediation by \"m\" }} }}\n"
    );
    let uri = client.open("x.charter", &text);
    client.diagnostics(&uri);
    let line = text
        .lines()
        .position(|l| l.contains("board may expel"))
        .unwrap() as u32;
    let consent = text
        .lines()
        .position(|l| l.contains("consents to"))
        .unwrap() as u32;
    let on_finding = client.at("textDocument/hover", &uri, consent, 4);
    let markdown = on_finding["result"]["contents"]["value"].as_str().unwrap();
    // Outside code, every markup character of the charter's words is escaped.
    assert!(markdown.contains("\\<img"), "{markdown}");
    assert!(!markdown.replace("\\<", "").contains('<'), "{markdown}");
    assert!(!markdown.replace("\\]", "").contains("]("), "{markdown}");
    let message = markdown
        .split("\n\n")
        .find(|p| p.contains("consent to"))
        .unwrap()
        .to_string();
    let on_board = client.at("textDocument/hover", &uri, line, 3);
    let markdown = on_board["result"]["contents"]["value"].as_str().unwrap();
    // The declaration sits in a fence longer than any run of backticks it quotes.
    assert!(markdown.starts_with("```charter\n"), "{markdown}");
    assert!(
        !markdown.contains("- board may publish \"<img"),
        "{markdown}"
    );
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let names: Vec<&str> = symbols["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"10 x [31m"), "{names:?}");
    let holdings = markdown.split("\n\n---").next().unwrap();
    assert_yaml_snapshot!(json!({ "finding": message, "board": holdings }));
}
