//! The one shape every problem takes before it is rendered: syntax errors, reference
//! errors and rule findings alike.

use std::sync::Arc;

use crate::span::Span;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The principle a finding bears on. Structural problems of the charter itself have none.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Principle {
    Equality,
    Consent,
    DueProcess,
}

impl Principle {
    pub const ALL: [Principle; 3] = [
        Principle::Equality,
        Principle::Consent,
        Principle::DueProcess,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Principle::Equality => "equality",
            Principle::Consent => "consent",
            Principle::DueProcess => "due-process",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Principle::Equality => "equality of peers",
            Principle::Consent => "informed consent",
            Principle::DueProcess => "due process",
        }
    }
}

/// The clause a finding is in, as the charter numbers and titles it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClauseRef {
    /// Shared with the model, which holds the same texts: a charter's findings name
    /// the same clauses again and again.
    pub id: Arc<str>,
    pub title: Option<Arc<str>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: Option<String>,
}

impl Label {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Label {
            span,
            message: Some(message.into()),
        }
    }

    pub fn bare(span: Span) -> Self {
        Label {
            span,
            message: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// A short stable code (`S001`, `DP003`).
    pub code: String,
    /// The kebab-case name of what is flagged (`syntax-error`, `sanction-without-hearing`).
    pub name: String,
    pub severity: Severity,
    pub message: String,
    /// The first label is the primary place; the others are secondary.
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub principle: Option<Principle>,
    pub clause: Option<ClauseRef>,
}

impl Diagnostic {
    pub fn error(code: &str, name: &str, message: impl Into<String>, primary: Label) -> Self {
        Diagnostic {
            code: code.to_string(),
            name: name.to_string(),
            severity: Severity::Error,
            message: message.into(),
            labels: vec![primary],
            help: None,
            principle: None,
            clause: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn with_label(mut self, label: Label) -> Self {
        self.labels.push(label);
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn primary_span(&self) -> Span {
        self.labels.first().map_or(Span::default(), |l| l.span)
    }
}
