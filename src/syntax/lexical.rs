//! The characters of a charter that are code: not inside quoted prose (which may span
//! lines and escapes `\"`) and not inside a `#` comment. Tools that look for braces
//! without parsing (the formatter, the editor's completion) read a charter through it.

use std::str::CharIndices;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Within {
    Code,
    /// Quoted prose, opened at this offset.
    Quote(usize),
    /// A comment, started at this offset.
    Comment(usize),
}

pub struct Code<'a> {
    chars: CharIndices<'a>,
    within: Within,
    escaped: bool,
}

impl<'a> Code<'a> {
    pub fn new(text: &'a str) -> Self {
        Code {
            chars: text.char_indices(),
            within: Within::Code,
            escaped: false,
        }
    }

    /// Where the text read so far ends: in code, in a quote or in a comment.
    pub fn within(&self) -> Within {
        self.within
    }
}

impl Iterator for Code<'_> {
    /// The offset and the character of each code character; the newline that ends a
    /// comment is code.
    type Item = (usize, char);

    fn next(&mut self) -> Option<(usize, char)> {
        loop {
            let (i, c) = self.chars.next()?;
            match self.within {
                Within::Comment(_) if c == '\n' => {
                    self.within = Within::Code;
                    return Some((i, c));
                }
                Within::Comment(_) => {}
                Within::Quote(_) => match (self.escaped, c) {
                    (true, _) => self.escaped = false,
                    (false, '\\') => self.escaped = true,
                    (false, '"') => self.within = Within::Code,
                    _ => {}
                },
                Within::Code => match c {
                    '"' => self.within = Within::Quote(i),
                    '#' => self.within = Within::Comment(i),
                    _ => return Some((i, c)),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_prose_and_comments() {
        let text = "a \"b { \\\" }\" c # d {\ne";
        let code: String = Code::new(text).map(|(_, c)| c).collect();
        assert_eq!(code, "a  c \ne");
        let mut open = Code::new("x \"never closed {");
        open.by_ref().for_each(drop);
        assert_eq!(open.within(), Within::Quote(2));
    }
}
