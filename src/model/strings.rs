//! One shared copy of each text the model holds.

// foldhash: hashing the texts is a hot path, and SipHash was 5% of a large check.
use foldhash::HashSet;
use std::sync::Arc;

use super::{Actor, Value};

/// The words and texts of a charter repeat: the same role names, actions and step
/// kinds on thousands of statements. Each distinct text is allocated once and shared
/// by every value that holds it.
#[derive(Default)]
pub struct Strings {
    known: HashSet<Arc<str>>,
}

impl Strings {
    pub fn get(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.known.get(text) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = Arc::from(text);
        self.known.insert(Arc::clone(&shared));
        shared
    }

    /// The value with its texts replaced by their shared copies.
    pub fn share(&mut self, value: Value) -> Value {
        match value {
            Value::Text(s) => Value::Text(self.get(&s)),
            Value::Word(s) => Value::Word(self.get(&s)),
            Value::Vague(s) => Value::Vague(self.get(&s)),
            Value::Actor(Actor::Outside(s)) => Value::Actor(Actor::Outside(self.get(&s))),
            Value::List(items) => Value::List(
                items
                    .into_vec()
                    .into_iter()
                    .map(|v| self.share(v))
                    .collect(),
            ),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_one_allocation() {
        let mut strings = Strings::default();
        let a = strings.get("board");
        let b = strings.get(&String::from("board"));
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &strings.get("member")));
    }
}
