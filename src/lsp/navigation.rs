//! Where things are written: the role, body or clause under the cursor, its
//! definition and every place it is named, and the outline of the document.

use lsp_types::{DocumentSymbol, Location, SymbolKind};

use super::document::Document;
use crate::model::{Kind, Model, NodeId};
use crate::span::Span;
use crate::syntax::ast::{Ast, Item};

/// The role, body or clause named at `offset`, by a use or by its definition. The
/// cursor may stand just after the name, where editors put it after typing.
pub fn target_at(model: &Model, offset: usize) -> Option<NodeId> {
    let touches = |span: Span| span.start <= offset && offset <= span.end;
    if let Some(r) = model.references.iter().find(|r| touches(r.span)) {
        return Some(r.target);
    }
    [Kind::Role, Kind::Body, Kind::Clause]
        .into_iter()
        .flat_map(|k| model.of_kind(k).iter().copied())
        .find(|&id| definition_span(model, id).is_some_and(touches))
}

/// The name in a role's or body's declaration, or the number of a clause.
pub fn definition_span(model: &Model, id: NodeId) -> Option<Span> {
    let node = model.get(id)?;
    let field = match node.kind {
        Kind::Clause => "id",
        Kind::Role | Kind::Body => "name",
        _ => return None,
    };
    node.get(field).map(|f| f.span())
}

pub fn definition(document: &Document, model: &Model, offset: usize) -> Option<Location> {
    let span = definition_span(model, target_at(model, offset)?)?;
    Some(location(document, span))
}

pub fn references(
    document: &Document,
    model: &Model,
    offset: usize,
    include_declaration: bool,
) -> Vec<Location> {
    let Some(target) = target_at(model, offset) else {
        return Vec::new();
    };
    let declaration = include_declaration
        .then(|| definition_span(model, target))
        .flatten();
    declaration
        .into_iter()
        .chain(
            model
                .references
                .iter()
                .filter(|r| r.target == target)
                .map(|r| r.span),
        )
        .map(|span| location(document, span))
        .collect()
}

fn location(document: &Document, span: Span) -> Location {
    Location::new(
        document.uri.clone(),
        document.lines.range(&document.text, span),
    )
}

/// The outline: the header, roles, parties and bodies, and articles with their clauses.
pub fn symbols(document: &Document, ast: &Ast) -> Vec<DocumentSymbol> {
    ast.items.iter().map(|i| symbol(document, i)).collect()
}

fn symbol(document: &Document, item: &Item) -> DocumentSymbol {
    let (name, detail, kind, span, selection, children) = match item {
        Item::Header(h) => (
            h.name.node.clone(),
            Some("charter".to_string()),
            SymbolKind::FILE,
            h.span,
            h.name.span,
            Vec::new(),
        ),
        Item::Role(r) => (
            r.name.node.clone(),
            Some(if r.is_party { "party" } else { "role" }.to_string()),
            SymbolKind::CLASS,
            r.span,
            r.name.span,
            Vec::new(),
        ),
        Item::Body(b) => (
            b.name.node.clone(),
            Some("body".to_string()),
            SymbolKind::STRUCT,
            b.span,
            b.name.span,
            Vec::new(),
        ),
        Item::Clause(c) => (
            titled(&c.id.node, c.title.as_ref().map(|t| t.node.as_str())),
            Some("clause".to_string()),
            SymbolKind::METHOD,
            c.span,
            c.id.span,
            Vec::new(),
        ),
        Item::Article(a) => (
            titled(&a.id.node, a.title.as_ref().map(|t| t.node.as_str())),
            Some("article".to_string()),
            SymbolKind::MODULE,
            a.span,
            a.id.span,
            a.items.iter().map(|i| symbol(document, i)).collect(),
        ),
    };
    // Trimmed, so that the selection range lies inside the range.
    let range = document
        .lines
        .range(&document.text, span.trim_end(&document.text));
    #[allow(deprecated)] // `deprecated` is a required field of the protocol's type.
    DocumentSymbol {
        name: printable(&name),
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: document.lines.range(&document.text, selection),
        children: (!children.is_empty()).then_some(children),
    }
}

fn titled(id: &str, title: Option<&str>) -> String {
    match title {
        Some(t) => format!("{id} {t}"),
        None => id.to_string(),
    }
}

/// An outline entry is one line: a title with line breaks or control characters is
/// shown with spaces.
fn printable(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if clean.trim().is_empty() {
        "(unnamed)".into()
    } else {
        clean
    }
}
