//! The server's state and its answer to each message. No input or output happens
//! here: a message goes in, messages come out, so that the protocol can be tested and
//! fuzzed without a process.

use std::collections::{BTreeSet, HashMap, HashSet};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response, ResponseError};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    References, RegisterCapability, Request as _,
};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, InitializeParams,
    InitializeResult, MessageType, OneOf, PositionEncodingKind, PublishDiagnosticsParams,
    Registration, RegistrationParams, SaveOptions, ServerCapabilities, ServerInfo,
    ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, TextEdit, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::Value as Json;

use super::document::Document;
use super::position::{Encoding, LineIndex};
use super::rules::RuleCache;
use super::{actions, completion, diagnostics, hover, navigation};
use crate::span::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Starting,
    Running,
    ShuttingDown,
}

pub struct Server {
    phase: Phase,
    encoding: Encoding,
    documents: HashMap<String, Document>,
    rules: RuleCache,
    /// Documents whose diagnostics are to be published once the messages waiting have
    /// been read: a burst of edits costs one check.
    dirty: BTreeSet<String>,
    docs_url: String,
    watches_files: bool,
    /// Configuration files that have diagnostics published, to clear once mended.
    configs_reported: HashSet<String>,
    rules_reloaded: bool,
    exit: Option<i32>,
}

impl Default for Server {
    fn default() -> Self {
        Server {
            phase: Phase::Starting,
            encoding: Encoding::Utf16,
            documents: HashMap::new(),
            rules: RuleCache::default(),
            dirty: BTreeSet::new(),
            docs_url: diagnostics::rules_documentation(),
            watches_files: false,
            configs_reported: HashSet::new(),
            rules_reloaded: false,
            exit: None,
        }
    }
}

type Answer = Result<Json, ResponseError>;

impl Server {
    /// The process exit code once the client has said `exit`.
    pub fn exit_code(&self) -> Option<i32> {
        self.exit
    }

    pub fn handle(&mut self, message: Message) -> Vec<Message> {
        match message {
            Message::Request(r) => self.request(r),
            Message::Notification(n) => self.notification(n),
            // The only requests the server sends are registrations; their answers
            // need no action.
            Message::Response(_) => Vec::new(),
        }
    }

    /// Diagnostics for every document changed since the last call, and for
    /// configuration files that failed (or stopped failing) to load.
    pub fn flush(&mut self) -> Vec<Message> {
        let mut out = Vec::new();
        let dirty = std::mem::take(&mut self.dirty);
        for uri in dirty {
            let Server {
                documents,
                rules,
                docs_url,
                ..
            } = self;
            let Some(document) = documents.get_mut(&uri) else {
                continue;
            };
            let path = document.path.clone();
            let analysis = document.analysis(|| rules.for_document(path.as_deref()));
            let list = if let Some(why) = analysis.refused() {
                vec![diagnostics::refused(document, &why)]
            } else {
                analysis
                    .report
                    .diagnostics
                    .iter()
                    .map(|d| diagnostics::to_lsp(document, d, docs_url))
                    .collect()
            };
            out.push(publish(document.uri.clone(), list, Some(document.version)));
        }
        out.extend(self.config_problems());
        out
    }

    fn config_problems(&mut self) -> Vec<Message> {
        let problems = self.rules.take_problems();
        let mut out = Vec::new();
        let mut reported = HashSet::new();
        for p in problems {
            let Some(uri) = p.file.as_deref().and_then(super::uri::from_path) else {
                continue;
            };
            let lines = LineIndex::new(&p.text, self.encoding);
            let diagnostic = lsp_types::Diagnostic {
                range: lines.range(&p.text, p.span),
                severity: Some(lsp_types::DiagnosticSeverity::ERROR),
                code: Some(lsp_types::NumberOrString::String("E002".into())),
                source: Some("peerlint".into()),
                message: p.message.clone(),
                ..lsp_types::Diagnostic::default()
            };
            out.push(notification::<ShowMessage>(ShowMessageParams {
                typ: MessageType::ERROR,
                message: format!(
                    "peerlint: {} does not load ({}); its charters are checked with the default rules",
                    p.file.as_deref().map(|f| f.display().to_string()).unwrap_or_default(),
                    p.message.lines().next().unwrap_or("")
                ),
            }));
            reported.insert(uri.as_str().to_string());
            out.push(publish(uri, vec![diagnostic], None));
        }
        if self.rules_reloaded {
            self.rules_reloaded = false;
            for stale in self.configs_reported.difference(&reported) {
                if let Ok(uri) = stale.parse::<Uri>() {
                    out.push(publish(uri, Vec::new(), None));
                }
            }
            self.configs_reported = reported;
        } else {
            self.configs_reported.extend(reported);
        }
        out
    }

    fn request(&mut self, request: Request) -> Vec<Message> {
        let id = request.id.clone();
        let answer = match (self.phase, request.method.as_str()) {
            (Phase::Starting, "initialize") => self.initialize(request.params),
            (Phase::Starting, _) => Err(error(
                ErrorCode::ServerNotInitialized,
                "the server is not initialized yet",
            )),
            (Phase::ShuttingDown, _) => Err(error(
                ErrorCode::InvalidRequest,
                "the server is shutting down",
            )),
            (Phase::Running, method) => self.running_request(method, request.params),
        };
        let response = Response {
            id,
            response_result: answer,
        };
        vec![Message::Response(response)]
    }

    fn running_request(&mut self, method: &str, params: Json) -> Answer {
        match method {
            "initialize" => Err(error(
                ErrorCode::InvalidRequest,
                "the server is already initialized",
            )),
            "shutdown" => {
                self.phase = Phase::ShuttingDown;
                Ok(Json::Null)
            }
            HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = parse(params)?;
                let at = p.text_document_position_params;
                self.at_position(&at.text_document.uri, at.position, |d, a, offset| {
                    json(hover::hover(d, a, offset))
                })
            }
            GotoDefinition::METHOD => {
                let p: lsp_types::GotoDefinitionParams = parse(params)?;
                let at = p.text_document_position_params;
                self.at_position(&at.text_document.uri, at.position, |d, a, offset| {
                    let model = a.report.model.as_ref();
                    json(model.and_then(|m| navigation::definition(d, m, offset)))
                })
            }
            References::METHOD => {
                let p: lsp_types::ReferenceParams = parse(params)?;
                let at = p.text_document_position;
                let declaration = p.context.include_declaration;
                self.at_position(&at.text_document.uri, at.position, |d, a, offset| {
                    let found = a
                        .report
                        .model
                        .as_ref()
                        .map(|m| navigation::references(d, m, offset, declaration));
                    json(found)
                })
            }
            DocumentSymbolRequest::METHOD => {
                let p: lsp_types::DocumentSymbolParams = parse(params)?;
                self.with_document(&p.text_document.uri, |d, a| {
                    json(navigation::symbols(d, &a.ast))
                })
            }
            Completion::METHOD => {
                let p: lsp_types::CompletionParams = parse(params)?;
                let at = p.text_document_position;
                self.at_position(&at.text_document.uri, at.position, |d, a, offset| {
                    json(completion::complete(&d.text, offset, Some(a)))
                })
            }
            CodeActionRequest::METHOD => {
                let p: lsp_types::CodeActionParams = parse(params)?;
                let docs = self.docs_url.clone();
                self.with_document(&p.text_document.uri, |d, a| {
                    let start = d.lines.offset(&d.text, p.range.start);
                    let end = d.lines.offset(&d.text, p.range.end);
                    let range = Span::new(start.min(end), start.max(end));
                    json(actions::code_actions(d, a, range, &docs))
                })
            }
            Formatting::METHOD => {
                let p: lsp_types::DocumentFormattingParams = parse(params)?;
                let Some(document) = self.documents.get(p.text_document.uri.as_str()) else {
                    return Ok(Json::Null);
                };
                format(document)
            }
            other => Err(error(
                ErrorCode::MethodNotFound,
                &format!(
                    "peerlint does not answer `{}`",
                    super::transport::printable(other)
                ),
            )),
        }
    }

    fn initialize(&mut self, params: Json) -> Answer {
        let p: InitializeParams = parse(params)?;
        let utf8 = p
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|e| e.contains(&PositionEncodingKind::UTF8));
        self.encoding = if utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        self.watches_files = p
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        if let Some(url) = p
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("rulesUrl"))
            .and_then(Json::as_str)
        {
            self.docs_url = url.to_string();
        }
        self.phase = Phase::Running;
        let capabilities = ServerCapabilities {
            position_encoding: Some(if utf8 {
                PositionEncodingKind::UTF8
            } else {
                PositionEncodingKind::UTF16
            }),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                        include_text: Some(false),
                    })),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
            definition_provider: Some(OneOf::Left(true)),
            references_provider: Some(OneOf::Left(true)),
            document_symbol_provider: Some(OneOf::Left(true)),
            completion_provider: Some(CompletionOptions::default()),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                ..CodeActionOptions::default()
            })),
            document_formatting_provider: Some(OneOf::Left(true)),
            ..ServerCapabilities::default()
        };
        json(InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "peerlint".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        })
    }

    fn notification(&mut self, n: Notification) -> Vec<Message> {
        if n.method == "exit" {
            self.exit = Some(if self.phase == Phase::ShuttingDown {
                0
            } else {
                1
            });
            return Vec::new();
        }
        if self.phase != Phase::Running {
            return Vec::new();
        }
        match n.method.as_str() {
            "initialized" => return self.watch_yaml(),
            DidOpenTextDocument::METHOD => {
                if let Ok(p) = parse::<lsp_types::DidOpenTextDocumentParams>(n.params) {
                    let d = p.text_document;
                    let key = d.uri.as_str().to_string();
                    let document = Document::new(d.uri, d.version, d.text, self.encoding);
                    self.documents.insert(key.clone(), document);
                    self.dirty.insert(key);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) = parse::<lsp_types::DidChangeTextDocumentParams>(n.params) {
                    let key = p.text_document.uri.as_str();
                    if let Some(document) = self.documents.get_mut(key) {
                        document.change(p.text_document.version, p.content_changes);
                        self.dirty.insert(key.to_string());
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = parse::<lsp_types::DidCloseTextDocumentParams>(n.params) {
                    let key = p.text_document.uri.as_str();
                    if self.documents.remove(key).is_some() {
                        self.dirty.remove(key);
                        return vec![publish(p.text_document.uri, Vec::new(), None)];
                    }
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(p) = parse::<lsp_types::DidSaveTextDocumentParams>(n.params) {
                    if is_yaml(p.text_document.uri.as_str()) {
                        self.reload_rules();
                    }
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Ok(p) = parse::<lsp_types::DidChangeWatchedFilesParams>(n.params) {
                    if p.changes.iter().any(|c| is_yaml(c.uri.as_str())) {
                        self.reload_rules();
                    }
                }
            }
            // Cancellation, tracing and settings need nothing: every answer is prompt.
            _ => {}
        }
        Vec::new()
    }

    /// A configuration or policy changed: every open document is checked again.
    fn reload_rules(&mut self) {
        self.rules.clear();
        self.rules_reloaded = true;
        for (key, document) in &mut self.documents {
            document.invalidate();
            self.dirty.insert(key.clone());
        }
    }

    /// Asks the client to report changes to YAML files, where configuration and
    /// policies live; clients that cannot are served on save instead.
    fn watch_yaml(&self) -> Vec<Message> {
        if !self.watches_files {
            return Vec::new();
        }
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: ["**/*.yaml", "**/*.yml"]
                .map(|glob| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(glob.into()),
                    kind: None,
                })
                .to_vec(),
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "peerlint-yaml".into(),
                method: DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        vec![Message::Request(Request::new(
            RequestId::from("peerlint-watch".to_string()),
            RegisterCapability::METHOD.into(),
            params,
        ))]
    }

    fn with_document(
        &mut self,
        uri: &Uri,
        answer: impl FnOnce(&Document, &super::document::Analysis) -> Answer,
    ) -> Answer {
        let Server {
            documents, rules, ..
        } = self;
        let Some(document) = documents.get_mut(uri.as_str()) else {
            return Ok(Json::Null);
        };
        let path = document.path.clone();
        let analysis = document.analysis(|| rules.for_document(path.as_deref()));
        answer(document, &analysis)
    }

    /// Answers about a position; a position outside the document has no answer.
    fn at_position(
        &mut self,
        uri: &Uri,
        position: lsp_types::Position,
        answer: impl FnOnce(&Document, &super::document::Analysis, usize) -> Answer,
    ) -> Answer {
        self.with_document(uri, |d, a| match d.lines.offset_within(&d.text, position) {
            Some(offset) => answer(d, a, offset),
            None => Ok(Json::Null),
        })
    }
}

fn format(document: &Document) -> Answer {
    match crate::format::format(&super::document::for_parser(&document.text)) {
        Ok(formatted) if formatted == document.text => json(Vec::<TextEdit>::new()),
        Ok(formatted) => {
            let whole = document
                .lines
                .range(&document.text, Span::new(0, document.text.len()));
            json(vec![TextEdit::new(whole, formatted)])
        }
        Err(_) => Err(error(
            ErrorCode::RequestFailed,
            "the charter has syntax errors; it is formatted once it parses",
        )),
    }
}

fn is_yaml(uri: &str) -> bool {
    uri.ends_with(".yaml") || uri.ends_with(".yml")
}

fn publish(uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) -> Message {
    notification::<PublishDiagnostics>(PublishDiagnosticsParams {
        uri,
        diagnostics,
        version,
    })
}

fn notification<N: lsp_types::notification::Notification>(params: N::Params) -> Message {
    Message::Notification(Notification::new(N::METHOD.into(), params))
}

fn parse<P: DeserializeOwned>(params: Json) -> Result<P, ResponseError> {
    serde_json::from_value(params).map_err(|e| {
        error(
            ErrorCode::InvalidParams,
            &format!("the parameters are not what the method takes: {e}"),
        )
    })
}

fn json(value: impl serde::Serialize) -> Answer {
    serde_json::to_value(value)
        .map_err(|e| error(ErrorCode::InternalError, &format!("cannot encode: {e}")))
}

pub fn error(code: ErrorCode, message: &str) -> ResponseError {
    ResponseError {
        code: code as i32,
        message: message.to_string(),
        data: None,
    }
}
