//! "Did you mean …?" by edit distance.

/// The closest candidate within a distance that scales with the word's length.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = match word.chars().count() {
        0..=2 => 0,
        3..=5 => 1,
        6..=9 => 2,
        _ => 3,
    };
    let length = word.chars().count();
    let shape = Shape::of(word);
    candidates
        .into_iter()
        .filter(|c| {
            *c != word
                && c.chars().count().abs_diff(length) <= limit
                && shape.may_be_within(c, limit)
        })
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        // Ties go to the alphabetically first, so the suggestion never depends on the
        // order the candidates came in.
        .min_by(|(d1, c1), (d2, c2)| d1.cmp(d2).then_with(|| c1.cmp(c2)))
        .map(|(_, c)| c)
}

/// A cheap lower bound on the edit distance: each edit changes the count of at most two
/// letters by one, so words whose letter counts differ by more than `2 × limit` cannot
/// be within `limit`. It spares the full distance for almost every candidate.
struct Shape([i32; 37]);

impl Shape {
    fn of(word: &str) -> Self {
        let mut counts = [0i32; 37];
        for c in word.chars() {
            counts[Self::slot(c)] += 1;
        }
        Shape(counts)
    }

    fn slot(c: char) -> usize {
        match c.to_ascii_lowercase() {
            l @ 'a'..='z' => l as usize - 'a' as usize,
            d @ '0'..='9' => 26 + (d as usize - '0' as usize),
            _ => 36,
        }
    }

    fn may_be_within(&self, other: &str, limit: usize) -> bool {
        let mut counts = self.0;
        for c in other.chars() {
            counts[Self::slot(c)] -= 1;
        }
        let differing: i32 = counts.iter().map(|n| n.abs()).sum();
        differing as usize <= 2 * limit
    }
}

/// Levenshtein distance over characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_keyword() {
        assert_eq!(did_you_mean("mayy", ["may", "must"]), Some("may"));
        assert_eq!(
            did_you_mean("hearng", ["hearing", "notice"]),
            Some("hearing")
        );
    }

    #[test]
    fn stays_silent_when_nothing_is_close() {
        assert_eq!(did_you_mean("banana", ["may", "must"]), None);
        assert_eq!(did_you_mean("ab", ["a"]), None);
    }
}
