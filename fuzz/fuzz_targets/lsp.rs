//! The language server's message handling. The fuzzer's bytes become a session: a
//! charter opened from the input's first part, then a run of operations, each chosen
//! and parameterized by the bytes: incremental edits at any position (inside a
//! character, past the end, reversed ranges), hovers, completions, definitions,
//! references, outlines, code actions, formatting, and raw frames through the framing
//! reader. The server must never panic, and must keep answering every request.
#![no_main]

use std::io::BufReader;

use libfuzzer_sys::fuzz_target;
use lsp_server::{Message, Notification, Request, RequestId};
use peerlint::lsp::{transport, Server};
use serde_json::{json, Value};

const URI: &str = "file:///fuzz/charter.charter";

struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        let (first, rest) = self.0.split_first().unwrap_or((&0, &[]));
        self.0 = rest;
        *first
    }

    fn number(&mut self) -> u32 {
        // Small numbers mostly, so that positions fall inside the text; sometimes huge.
        match self.byte() {
            255 => u32::MAX,
            b => u32::from(b % 64),
        }
    }

    fn text(&mut self) -> String {
        let len = usize::from(self.byte() % 48).min(self.0.len());
        let (text, rest) = self.0.split_at(len);
        self.0 = rest;
        String::from_utf8_lossy(text).into_owned()
    }
}

fn position(b: &mut Bytes) -> Value {
    json!({ "line": b.number(), "character": b.number() })
}

fn request(id: &mut i32, method: &str, params: Value) -> Message {
    *id += 1;
    Message::Request(Request::new(RequestId::from(*id), method.into(), params))
}

fn notify(method: &str, params: Value) -> Message {
    Message::Notification(Notification::new(method.into(), params))
}

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let (charter, ops) = data.split_at(split);
    let mut b = Bytes(ops);
    let mut server = Server::default();
    let mut id = 0;
    let utf8 = b.byte() % 2 == 0;
    let encodings = if utf8 { json!(["utf-8"]) } else { json!(["utf-16"]) };
    let mut messages = vec![
        request(
            &mut id,
            "initialize",
            json!({ "capabilities": { "general": { "positionEncodings": encodings } } }),
        ),
        notify("initialized", json!({})),
        notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": URI, "languageId": "charter", "version": 1,
                    "text": String::from_utf8_lossy(charter) } }),
        ),
    ];
    let doc = json!({ "uri": URI });
    let mut version = 1;
    while !b.0.is_empty() && messages.len() < 32 {
        let message = match b.byte() % 10 {
            0 | 1 => {
                version += 1;
                notify(
                    "textDocument/didChange",
                    json!({ "textDocument": { "uri": URI, "version": version },
                            "contentChanges": [{ "range": { "start": position(&mut b), "end": position(&mut b) },
                                                 "text": b.text() }] }),
                )
            }
            2 => request(&mut id, "textDocument/hover", json!({ "textDocument": doc, "position": position(&mut b) })),
            3 => request(&mut id, "textDocument/completion", json!({ "textDocument": doc, "position": position(&mut b) })),
            4 => request(&mut id, "textDocument/definition", json!({ "textDocument": doc, "position": position(&mut b) })),
            5 => request(
                &mut id,
                "textDocument/references",
                json!({ "textDocument": doc, "position": position(&mut b), "context": { "includeDeclaration": true } }),
            ),
            6 => request(&mut id, "textDocument/documentSymbol", json!({ "textDocument": doc })),
            7 => request(
                &mut id,
                "textDocument/codeAction",
                json!({ "textDocument": doc, "range": { "start": position(&mut b), "end": position(&mut b) },
                        "context": { "diagnostics": [] } }),
            ),
            8 => request(&mut id, "textDocument/formatting", json!({ "textDocument": doc, "options": { "tabSize": 2, "insertSpaces": true } })),
            _ => {
                // A raw frame: whatever the framing reader makes of the bytes.
                let raw = b.text();
                let mut reader = transport::Reader::new(BufReader::new(raw.as_bytes()));
                while let Ok(Some(frame)) = reader.next_frame() {
                    if let transport::Frame::Message(m) = frame {
                        messages.push(m);
                    }
                }
                continue;
            }
        };
        messages.push(message);
    }
    for (i, message) in messages.into_iter().enumerate() {
        let is_request = matches!(message, Message::Request(_));
        let replies = server.handle(message);
        if is_request {
            assert!(
                replies.iter().any(|r| matches!(r, Message::Response(_))),
                "every request is answered"
            );
        }
        // As the server's loop does after a burst of messages: diagnostics now and
        // then, not after each edit, so that the fuzzer's time goes to new sessions.
        if i % 8 == 7 {
            server.flush();
        }
    }
    server.flush();
});
