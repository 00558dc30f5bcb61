//! Message templates: text with `{path}` placeholders that name things as the charter
//! names them.

use super::expr::{parse_operand, Expr, SyntaxError};

#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Text(String),
    Value(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    pub parts: Vec<Part>,
}

/// Parses `{…}` placeholders; `{{` and `}}` stand for literal braces. The error offset
/// is into the template text.
pub fn parse(text: &str) -> Result<Template, SyntaxError> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' if chars.peek().is_some_and(|(_, n)| *n == '{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek().is_some_and(|(_, n)| *n == '}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let start = i + 1;
                let end = text[start..]
                    .find('}')
                    .map(|e| start + e)
                    .ok_or(SyntaxError {
                        offset: i,
                        message: "this `{` is never closed".into(),
                    })?;
                let inner = text[start..end].trim();
                let lead = text[start..end].len() - text[start..end].trim_start().len();
                let value = parse_operand(inner).map_err(|e| SyntaxError {
                    offset: start + lead + e.offset,
                    message: format!(
                        "a placeholder names a field, like `{{holder}}`: {}",
                        e.message
                    ),
                })?;
                if !literal.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut literal)));
                }
                parts.push(Part::Value(value));
                while chars.peek().is_some_and(|(j, _)| *j <= end) {
                    chars.next();
                }
            }
            '}' => {
                return Err(SyntaxError {
                    offset: i,
                    message: "a lone `}`: write `}}` for a brace".into(),
                })
            }
            _ => literal.push(c),
        }
    }
    if !literal.is_empty() {
        parts.push(Part::Text(literal));
    }
    Ok(Template { parts })
}

impl Template {
    pub fn values(&self) -> impl Iterator<Item = &Expr> {
        self.parts.iter().filter_map(|p| match p {
            Part::Value(v) => Some(v),
            Part::Text(_) => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_text_and_placeholders() {
        let t = parse("{holder} may {action} {target} without a hearing").expect("parses");
        assert_eq!(t.values().count(), 3);
        assert_eq!(t.parts.len(), 6);
    }

    #[test]
    fn double_braces_are_literal() {
        let t = parse("write {{x}}").expect("parses");
        assert_eq!(t.parts, vec![Part::Text("write {x}".into())]);
    }

    #[test]
    fn an_unclosed_placeholder_is_an_error() {
        assert_eq!(parse("a {holder").expect_err("unclosed").offset, 2);
    }
}
