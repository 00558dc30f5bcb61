//! `peerlint lsp`: a language server over standard input and output, so that editors
//! show findings while a charter is drafted and offer the fixes the rules carry.

mod actions;
mod completion;
mod diagnostics;
mod document;
mod hover;
mod navigation;
mod position;
mod rules;
pub mod server;
pub mod transport;
mod uri;

use std::io::{self, BufRead, Write};
use std::sync::mpsc;

use lsp_server::Message;

pub use server::Server;
use transport::Frame;

/// Serves one client until it says `exit` or closes the stream; returns the exit code
/// the protocol asks for (0 after `shutdown`, 1 otherwise).
pub fn serve(input: impl BufRead + Send + 'static, mut output: impl Write) -> i32 {
    // Reading happens beside the work, so that every message already sent can be read
    // before the diagnostics of a burst of edits are computed.
    let (sender, frames) = mpsc::channel::<Frame>();
    std::thread::spawn(move || {
        let mut reader = transport::Reader::new(input);
        loop {
            match reader.next_frame() {
                Ok(Some(frame)) => {
                    if sender.send(frame).is_err() {
                        return;
                    }
                }
                Ok(None) => return,
                Err(e) => {
                    eprintln!("peerlint lsp: cannot read from the client: {e}");
                    return;
                }
            }
        }
    });
    let mut server = Server::default();
    while let Ok(first) = frames.recv() {
        let mut out = Vec::new();
        let mut frame = Some(first);
        while let Some(f) = frame.take() {
            if let Err(e) = answer(&mut server, f, &mut out, &mut output) {
                eprintln!("peerlint lsp: cannot write to the client: {e}");
                return 1;
            }
            if let Some(code) = server.exit_code() {
                return code;
            }
            frame = frames.try_recv().ok();
        }
        out.extend(server.flush());
        for message in out {
            if let Err(e) = transport::write_message(&mut output, message) {
                eprintln!("peerlint lsp: cannot write to the client: {e}");
                return 1;
            }
        }
    }
    // The client went away without saying `exit`.
    1
}

/// Handles one frame; answers go out at once, notifications wait in `out` for the
/// end of the burst.
fn answer(
    server: &mut Server,
    frame: Frame,
    out: &mut Vec<Message>,
    output: &mut impl Write,
) -> io::Result<()> {
    match frame {
        Frame::Message(message) => {
            for reply in server.handle(message) {
                match reply {
                    Message::Response(_) => transport::write_message(output, reply)?,
                    other => out.push(other),
                }
            }
        }
        Frame::Malformed { reason, id, code } => {
            eprintln!("peerlint lsp: skipped a message: {reason}");
            transport::write_error(output, id, code as i32, &reason)?;
        }
    }
    Ok(())
}

/// `peerlint lsp`: serves on standard input and output.
pub fn run() -> u8 {
    let stdin = io::BufReader::new(io::stdin());
    let stdout = io::stdout();
    let code = serve(stdin, stdout.lock());
    code as u8
}
