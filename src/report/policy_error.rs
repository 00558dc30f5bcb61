//! Rendering errors in policy and configuration files, pointing into the YAML.

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};

use crate::policy::load::PolicyError;
use crate::policy::LoadError;

pub fn render(error: &LoadError, color: bool) -> String {
    match error {
        LoadError::Message(m) => format!("error: {m}\n"),
        LoadError::Policy(e) => render_policy_error(e, color),
    }
}

pub fn render_policy_error(e: &PolicyError, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let mut diag = MietteDiagnostic::new(e.message.clone())
        .with_code("E002(invalid-policy)")
        .with_labels([LabeledSpan::new_primary_with_span(
            Some("here".into()),
            e.span,
        )]);
    if let Some(h) = &e.help {
        diag = diag.with_help(h.clone());
    }
    let source =
        NamedSource::new(e.source.name.clone(), e.source.text.clone()).with_language("yaml");
    let report = miette::Report::new(diag).with_source_code(source);
    let mut out = String::new();
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        out = format!("error: {e}\n");
    }
    out
}
