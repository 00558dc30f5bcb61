//! The protocol's framing: `Content-Length` headers, then a JSON-RPC message. A frame
//! that is malformed, too large or not JSON-RPC is reported and skipped; the stream
//! goes on, because an editor that sent one bad message still expects answers.

use std::io::{self, BufRead, Read, Write};

use lsp_server::{ErrorCode, Message};

/// The largest message read: a document at the input limit, escaped as JSON, fits.
pub const MAX_MESSAGE: usize = 80 * 1024 * 1024;
/// Header lines are short; a longer one is not a header.
const MAX_HEADER_LINE: usize = 1024;

#[derive(Debug)]
pub enum Frame {
    Message(Message),
    /// A frame that could not be read as a message, and why; `id` is the request's id
    /// when the frame was JSON with one, so that the error can answer it.
    Malformed {
        reason: String,
        id: Option<serde_json::Value>,
        /// JSON-RPC's code: a parse error, or an invalid request when the frame was
        /// JSON but no message.
        code: ErrorCode,
    },
}

/// Reads frames from a stream, one after the other.
pub struct Reader<R> {
    input: R,
    /// Bytes of an oversized message still to be skipped: its error is reported
    /// before its body arrives, so that the client hears at once.
    skip: u64,
}

impl<R: BufRead> Reader<R> {
    pub fn new(input: R) -> Self {
        Reader { input, skip: 0 }
    }

    /// The next frame, or none at the end of the stream.
    pub fn next_frame(&mut self) -> io::Result<Option<Frame>> {
        if self.skip > 0 {
            let skipped = io::copy(&mut (&mut self.input).take(self.skip), &mut io::sink())?;
            if skipped < self.skip {
                return Ok(None);
            }
            self.skip = 0;
        }
        let input = &mut self.input;
        let mut length: Option<usize> = None;
        let mut bad_header: Option<String> = None;
        let mut saw_header = false;
        loop {
            let Some(line) = read_line(input)? else {
                return Ok(if saw_header {
                    Some(malformed("the stream ended inside a message's headers"))
                } else {
                    None
                });
            };
            if line.is_empty() {
                if saw_header {
                    break;
                }
                // Blank lines between messages carry nothing.
                continue;
            }
            saw_header = true;
            match line.split_once(':') {
                Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                    match value.trim().parse::<usize>() {
                        Ok(n) => length = Some(n),
                        Err(_) => {
                            bad_header =
                                Some(format!("`{}` is not a length", printable(value.trim())))
                        }
                    }
                }
                Some(_) => {}
                None => bad_header = Some(format!("`{}` is not a header", printable(&line))),
            }
        }
        if let Some(reason) = bad_header {
            return Ok(Some(malformed(&format!("malformed header: {reason}"))));
        }
        let Some(length) = length else {
            return Ok(Some(malformed("a message without `Content-Length`")));
        };
        if length > MAX_MESSAGE {
            self.skip = length as u64;
            return Ok(Some(malformed(&format!(
                "a message of {length} bytes is larger than the limit of {MAX_MESSAGE}"
            ))));
        }
        let mut body = vec![0; length];
        if let Err(e) = input.read_exact(&mut body) {
            if e.kind() == io::ErrorKind::UnexpectedEof {
                return Ok(Some(malformed("the stream ended inside a message")));
            }
            return Err(e);
        }
        Ok(Some(decode(&body)))
    }
}

fn decode(body: &[u8]) -> Frame {
    let Ok(text) = std::str::from_utf8(body) else {
        return malformed("the message is not UTF-8");
    };
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return malformed(&format!("the message is not JSON: {e}")),
    };
    let id = value.get("id").cloned();
    match serde_json::from_value::<Message>(value) {
        Ok(m) => Frame::Message(m),
        // Serde's message for an untagged enum names no field, so it is left out.
        Err(_) => Frame::Malformed {
            reason: "the message is JSON, but not a JSON-RPC request, response or notification"
                .into(),
            id,
            code: ErrorCode::InvalidRequest,
        },
    }
}

fn malformed(reason: &str) -> Frame {
    Frame::Malformed {
        reason: reason.to_string(),
        id: None,
        code: ErrorCode::ParseError,
    }
}

/// One header line without its line ending, or none at the end of the stream. A line
/// longer than any header is cut short rather than read into memory whole.
fn read_line(input: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut line = Vec::new();
    let n = input
        .take(MAX_HEADER_LINE as u64)
        .read_until(b'\n', &mut line)?;
    if n == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') && n == MAX_HEADER_LINE {
        // Skip the rest of an overlong line.
        let mut rest = Vec::new();
        input.read_until(b'\n', &mut rest)?;
    }
    let text = String::from_utf8_lossy(&line);
    Ok(Some(text.trim_end_matches(['\r', '\n']).to_string()))
}

/// Words from the client, fit to quote in a message: short, without control
/// characters.
pub fn printable(text: &str) -> String {
    text.chars()
        .take(80)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

pub fn write_message(output: &mut impl Write, message: Message) -> io::Result<()> {
    message.write(output)
}

/// A JSON-RPC error that answers a frame no message could be read from.
pub fn write_error(
    output: &mut impl Write,
    id: Option<serde_json::Value>,
    code: i32,
    message: &str,
) -> io::Result<()> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": id.unwrap_or(serde_json::Value::Null),
        "error": { "code": code, "message": message },
    })
    .to_string();
    write!(output, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> Vec<String> {
        let mut reader = Reader::new(io::BufReader::new(input.as_bytes()));
        let mut out = Vec::new();
        while let Some(f) = reader.next_frame().unwrap() {
            out.push(match f {
                Frame::Message(m) => format!("message {m:?}").chars().take(40).collect(),
                Frame::Malformed { reason, id, .. } => format!("malformed {id:?}: {reason}"),
            });
        }
        out
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn a_bad_frame_is_reported_and_the_next_one_read() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = [
            framed("{not json"),
            framed(good),
            framed(r#"{"jsonrpc":"2.0","id":7,"method":3}"#),
            "Content-Length: twelve\r\n\r\n".to_string(),
            framed(good),
        ]
        .concat();
        let out = frames(&input);
        assert_eq!(out.len(), 5, "{out:#?}");
        assert!(out[0].starts_with("malformed None: the message is not JSON"));
        assert!(out[1].starts_with("message Notification"));
        assert!(out[2].starts_with("malformed Some(Number(7))"));
        assert!(out[3].contains("`twelve` is not a length"));
        assert!(out[4].starts_with("message Notification"));
    }

    #[test]
    fn a_message_over_the_limit_is_reported_then_skipped() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = format!(
            "Content-Length: {}\r\n\r\n{}{}",
            MAX_MESSAGE + 1,
            " ".repeat(MAX_MESSAGE + 1),
            framed(good)
        );
        let out = frames(&input);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(out[0].contains("larger than the limit"), "{out:?}");
        assert!(out[1].starts_with("message Notification"), "{out:?}");
    }

    #[test]
    fn a_stream_cut_short_ends_cleanly() {
        let out = frames("Content-Length: 50\r\n\r\n{\"jsonrpc\"");
        assert_eq!(out, ["malformed None: the stream ended inside a message"]);
    }
}
