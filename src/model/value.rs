//! The values a node's fields hold, as the rule engine sees them.

use std::fmt;
use std::sync::Arc;

use super::NodeId;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Bool(bool),
    Num(f64),
    /// A duration in calendar days.
    Days(f64),
    /// Quoted prose from the charter.
    Text(Arc<str>),
    /// A bare word: an action, a form, a vocabulary item.
    Word(Arc<str>),
    Actor(Actor),
    /// Another node of the model (a clause, a dispute step).
    Node(NodeId),
    /// Boxed rather than a growable list: a list is never extended once made, and
    /// the smaller value makes every field of the model smaller.
    List(Box<[Value]>),
    /// Explicitly none (`notice none`, `appeal none`).
    None,
    /// Stated but vague (`notice reasonable`).
    Vague(Arc<str>),
    /// Open-ended (`grounds open`: for any reason, at discretion).
    Open,
}

/// Who a statement is about: a role or body of this charter, or someone else.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Actor {
    Node(NodeId),
    Anyone,
    Nobody,
    /// Someone the charter names in prose only ("an external arbiter").
    Outside(Arc<str>),
}

impl Value {
    /// Whether a condition that names this value alone holds: present and not
    /// explicitly none or false.
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Bool(b) => *b,
            Value::None => false,
            Value::List(items) => !items.is_empty(),
            _ => true,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Bool(_) => "a yes/no flag",
            Value::Num(_) => "a number",
            Value::Days(_) => "a duration",
            Value::Text(_) => "a text",
            Value::Word(_) => "a word",
            Value::Actor(_) => "a role or body",
            Value::Node(_) => "a node",
            Value::List(_) => "a list",
            Value::None => "none",
            Value::Vague(_) => "a vague value",
            Value::Open => "open",
        }
    }
}

/// Formats a duration in days back into the unit a reader expects.
pub struct DaysDisplay(pub f64);

impl fmt::Display for DaysDisplay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        let plural = |n: f64, unit: &str| {
            if (n - 1.0).abs() < f64::EPSILON {
                format!("1 {unit}")
            } else {
                format!("{} {unit}s", trim_number(n))
            }
        };
        let text = if d >= 365.0 && (d / 365.0).fract() == 0.0 {
            plural(d / 365.0, "year")
        } else if d >= 30.0 && (d / 30.0).fract() == 0.0 {
            plural(d / 30.0, "month")
        } else if d >= 1.0 || d == 0.0 {
            plural(d, "day")
        } else {
            plural(d * 24.0, "hour")
        };
        f.write_str(&text)
    }
}

pub fn trim_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{:.2}", n)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}
