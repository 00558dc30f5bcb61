//! Where each line of a text starts, found once, so that turning a byte offset into a
//! line costs a binary search: every report that prints places, the annotations, the
//! formatter and the language server share it.

/// The byte offset where each line starts. A line ends at `\n`, `\r\n` or a lone
/// `\r` (as editors count them; a file read from disk has its lone `\r` made `\n`).
#[derive(Clone, Debug)]
pub struct Lines(Vec<usize>);

impl Lines {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        Lines(starts)
    }

    /// The 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.0.partition_point(|&s| s <= offset).saturating_sub(1)
    }

    /// Where a 0-based line starts, if the text has it.
    pub fn start(&self, line: usize) -> Option<usize> {
        self.0.get(line).copied()
    }

    /// The byte range of a line, its line end included.
    pub fn range(&self, line: usize, text_len: usize) -> (usize, usize) {
        let start = self.0.get(line).copied().unwrap_or(text_len);
        let end = self.0.get(line + 1).copied().unwrap_or(text_len);
        (start, end)
    }

    pub fn count(&self) -> usize {
        self.0.len()
    }

    /// `line:column`, both 1-based, the column counted in characters.
    pub fn place(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line_of(offset);
        let (start, _) = self.range(line, text.len());
        let column = text
            .get(start..offset.min(text.len()))
            .map_or(0, |s| s.chars().count())
            + 1;
        (line + 1, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_end_ends_a_line() {
        let text = "a\nb\r\nc\rd";
        let lines = Lines::new(text);
        assert_eq!(lines.count(), 4);
        assert_eq!(lines.line_of(text.find('d').unwrap()), 3);
        assert_eq!(lines.range(1, text.len()), (2, 5));
        assert_eq!(lines.place(text, text.find('c').unwrap()), (3, 1));
    }
}
