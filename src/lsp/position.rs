//! Byte offsets ↔ protocol positions. The protocol counts a line's characters in UTF-16
//! code units unless client and server agree on UTF-8; charters quote prose with
//! accents, emoji and CJK, so the two differ and both are exact here.

use lsp_types::{Position, Range};

use crate::lines::Lines;
use crate::span::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// Positions in one text, in the encoding agreed with the client.
#[derive(Clone, Debug)]
pub struct LineIndex {
    lines: Lines,
    encoding: Encoding,
}

impl LineIndex {
    pub fn new(text: &str, encoding: Encoding) -> Self {
        LineIndex {
            lines: Lines::new(text),
            encoding,
        }
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_boundary(text, offset.min(text.len()));
        let line = self.lines.line_of(offset);
        let prefix = &text[self.lines.start(line).unwrap_or(0)..offset];
        let character = match self.encoding {
            Encoding::Utf8 => prefix.len(),
            Encoding::Utf16 => prefix.chars().map(char::len_utf16).sum(),
        };
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, text: &str, span: Span) -> Range {
        Range::new(
            self.position(text, span.start),
            self.position(text, span.end),
        )
    }

    /// The byte offset of a position. A position past the end of its line means the
    /// end of the line, one past the last line the end of the text, and one inside a
    /// character its start: clients do send such positions, and an edit must still
    /// land somewhere sensible.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(start) = self.lines.start(position.line as usize) else {
            return text.len();
        };
        let (_, next) = self.lines.range(position.line as usize, text.len());
        let line = text[start..next].trim_end_matches(['\r', '\n']);
        let wanted = position.character as usize;
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units >= wanted {
                return start + i;
            }
            units += match self.encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
            if units > wanted {
                return start + i;
            }
        }
        start + line.len()
    }

    /// The offset of a position, or none when the position is outside the text.
    pub fn offset_within(&self, text: &str, position: Position) -> Option<usize> {
        if position.line as usize >= self.lines.count() {
            return None;
        }
        Some(self.offset(text, position))
    }
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_utf16_units_after_wide_characters() {
        let text = "clause 1 {\n  text \"Café 🎉 会议\" x\n}\n";
        let index = LineIndex::new(text, Encoding::Utf16);
        let x = text.find(" x").unwrap() + 1;
        // `  text "Caf` 11, `é` 1, ` ` 1, the emoji 2, ` ` 1, two CJK 2, `"` 1, ` ` 1.
        assert_eq!(index.position(text, x), Position::new(1, 20));
        assert_eq!(index.offset(text, Position::new(1, 20)), x);
        let utf8 = LineIndex::new(text, Encoding::Utf8);
        assert_eq!(utf8.position(text, x), Position::new(1, (x - 11) as u32));
        assert_eq!(utf8.offset(text, Position::new(1, (x - 11) as u32)), x);
    }

    #[test]
    fn positions_outside_the_text_are_clamped() {
        let text = "ab\r\ncd";
        let index = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(index.offset(text, Position::new(0, 99)), 2);
        let old_mac = "ab\rcd";
        let index_mac = LineIndex::new(old_mac, Encoding::Utf16);
        assert_eq!(index_mac.position(old_mac, 4), Position::new(1, 1));
        assert_eq!(index.offset(text, Position::new(9, 0)), text.len());
        assert_eq!(index.offset_within(text, Position::new(9, 0)), None);
        assert_eq!(index.position(text, 999), Position::new(1, 2));
    }

    #[test]
    fn a_position_inside_a_surrogate_pair_snaps_to_the_character() {
        let text = "a🎉b";
        let index = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(index.offset(text, Position::new(0, 2)), 1);
        assert_eq!(index.offset(text, Position::new(0, 3)), 5);
    }
}
