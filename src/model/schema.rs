//! The kinds of node and the fields each one has: the contract between the language
//! and the rule engine. Conditions that name a field not listed here are rejected when
//! a policy loads.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Charter,
    Role,
    Body,
    Clause,
    /// `WHO may ACTION …`
    Power,
    /// `WHO must ACTION …`, `WHO should ACTION …`
    Duty,
    /// `WHO must not ACTION …`, `nobody may …`, `WHO cannot …`
    Prohibition,
    /// `WHO may vote in BODY { weight N }`
    Vote,
    Decision,
    Consent,
    Disclosure,
    Grant,
    Exemption,
    Dispute,
    Step,
    AppealRoute,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Flag,
    Number,
    Duration,
    Text,
    Word,
    Words,
    Texts,
    Actor,
    Actors,
    Clause,
    Dispute,
    Steps,
    /// A duration, `none`, a vague word or prose (`notice`).
    Notice,
    /// Reasons given, or `open` (`grounds`).
    Grounds,
    /// Present, or explicitly `none` (`hearing`, `appeal`).
    Presence,
}

impl FieldType {
    pub fn describe(self) -> &'static str {
        match self {
            FieldType::Flag => "yes/no",
            FieldType::Number => "number",
            FieldType::Duration => "duration (days)",
            FieldType::Text => "text",
            FieldType::Word => "word",
            FieldType::Words => "list of words",
            FieldType::Texts => "list of texts",
            FieldType::Actor => "role or body",
            FieldType::Actors => "list of roles or bodies",
            FieldType::Clause => "clause",
            FieldType::Dispute => "dispute process",
            FieldType::Steps => "list of dispute steps",
            FieldType::Notice => "duration, none, vague or text",
            FieldType::Grounds => "texts or open",
            FieldType::Presence => "present or none",
        }
    }
}

use FieldType as T;

/// Fields every statement in a clause has.
const STATEMENT: &[(&str, FieldType)] = &[("clause", T::Clause)];

/// Fields of an office: a role or a body of people who hold power.
const OFFICE: &[(&str, FieldType)] = &[
    ("name", T::Word),
    ("description", T::Text),
    ("joins", T::Words),
    ("approved_by", T::Actor),
    ("criteria", T::Text),
    ("elected_by", T::Actor),
    ("appointed_by", T::Actor),
    ("term", T::Duration),
    ("permanent", T::Flag),
    ("hereditary", T::Flag),
    ("self_selected", T::Flag),
    ("removable_by", T::Actor),
    ("leave", T::Word),
    ("leave.notice", T::Duration),
    ("seats", T::Number),
    ("neutral", T::Flag),
    ("external", T::Flag),
    // Defined by another document: its election, term and removal are unknown here.
    ("defined_in", T::Text),
    ("is_party", T::Flag),
    // Derived by the engine from the charter as a whole.
    ("is_whole_membership", T::Flag),
    ("covers", T::Actors),
];

/// Safeguards and details a power or duty can carry (a sanction's due process).
const POWER: &[(&str, FieldType)] = &[
    ("holder", T::Actor),
    ("modality", T::Word),
    ("action", T::Word),
    ("object", T::Word),
    // The object as written, for messages (`posts of member`).
    ("object_phrase", T::Text),
    ("target", T::Actor),
    ("thing", T::Word),
    ("in", T::Actor),
    ("grounds", T::Grounds),
    ("notice", T::Notice),
    ("hearing", T::Presence),
    ("hearing.body", T::Actor),
    ("appeal", T::Presence),
    ("appeal.body", T::Actor),
    ("appeal.within", T::Duration),
    ("condition", T::Text),
    ("condition.judge", T::Actor),
    ("reason", T::Text),
    ("stay", T::Flag),
    ("cure", T::Duration),
    ("interim", T::Flag),
    ("automatic", T::Flag),
    ("recusal", T::Text),
    ("criteria", T::Text),
    ("reconsent", T::Word),
    ("objections", T::Duration),
    ("weight", T::Number),
    ("window", T::Duration),
];

const DECISION: &[(&str, FieldType)] = &[
    ("subject", T::Word),
    ("by", T::Actor),
    ("threshold", T::Number),
    ("threshold.kind", T::Word),
    ("quorum", T::Number),
    ("notice", T::Notice),
    ("proxies", T::Word),
    ("casting_vote", T::Actor),
    ("casting_vote.ties_only", T::Flag),
    ("silence_assent", T::Flag),
    ("objections", T::Duration),
    ("recusal", T::Text),
    ("condition", T::Text),
    ("condition.judge", T::Actor),
];

const CONSENT: &[(&str, FieldType)] = &[
    ("holder", T::Actor),
    ("purposes", T::Texts),
    ("category", T::Word),
    ("form", T::Word),
    ("disclose", T::Words),
    ("revocable", T::Flag),
    ("irrevocable", T::Flag),
    ("withdrawal_cost", T::Text),
    ("bundled_with", T::Texts),
    ("timing", T::Word),
    ("reason", T::Text),
];

const DISCLOSURE: &[(&str, FieldType)] = &[
    ("holder", T::Actor),
    ("what", T::Text),
    ("to", T::Actor),
    ("about", T::Actor),
    ("timing", T::Word),
    ("form", T::Word),
];

const GRANT: &[(&str, FieldType)] = &[
    ("holder", T::Actor),
    ("what", T::Text),
    ("to", T::Actor),
    ("scope", T::Text),
    ("duration", T::Notice),
    ("cost", T::Notice),
    ("revocable", T::Flag),
    ("irrevocable", T::Flag),
    ("reason", T::Text),
];

const EXEMPTION: &[(&str, FieldType)] = &[
    ("holder", T::Actor),
    ("from_clause", T::Clause),
    ("from", T::Text),
    ("reason", T::Text),
    ("condition", T::Text),
];

const DISPUTE: &[(&str, FieldType)] = &[
    ("title", T::Text),
    ("between", T::Actors),
    ("steps", T::Steps),
];

const STEP: &[(&str, FieldType)] = &[
    ("step", T::Word),
    ("by", T::Actor),
    ("order", T::Number),
    ("neutral", T::Flag),
    ("recusal", T::Text),
    ("window", T::Duration),
    ("condition", T::Text),
    ("dispute", T::Dispute),
];

const APPEAL_ROUTE: &[(&str, FieldType)] = &[
    ("from", T::Actor),
    ("to", T::Actor),
    ("window", T::Duration),
    ("hearing", T::Presence),
    ("hearing.body", T::Actor),
    ("stay", T::Flag),
    ("recusal", T::Text),
];

const CHARTER: &[(&str, FieldType)] = &[
    ("name", T::Text),
    ("kind", T::Word),
    ("version", T::Text),
    ("effective", T::Text),
    ("includes", T::Texts),
];

const CLAUSE: &[(&str, FieldType)] = &[
    ("id", T::Word),
    ("title", T::Text),
    ("text", T::Text),
    ("article", T::Word),
];

impl Kind {
    pub const ALL: [Kind; 16] = [
        Kind::Charter,
        Kind::Role,
        Kind::Body,
        Kind::Clause,
        Kind::Power,
        Kind::Duty,
        Kind::Prohibition,
        Kind::Vote,
        Kind::Decision,
        Kind::Consent,
        Kind::Disclosure,
        Kind::Grant,
        Kind::Exemption,
        Kind::Dispute,
        Kind::Step,
        Kind::AppealRoute,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Charter => "charter",
            Kind::Role => "role",
            Kind::Body => "body",
            Kind::Clause => "clause",
            Kind::Power => "power",
            Kind::Duty => "duty",
            Kind::Prohibition => "prohibition",
            Kind::Vote => "vote",
            Kind::Decision => "decision",
            Kind::Consent => "consent",
            Kind::Disclosure => "disclosure",
            Kind::Grant => "grant",
            Kind::Exemption => "exemption",
            Kind::Dispute => "dispute",
            Kind::Step => "step",
            Kind::AppealRoute => "appeal_route",
        }
    }

    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The fields a node of this kind may have, in the order the reference lists them.
    pub fn fields(self) -> Vec<(&'static str, FieldType)> {
        let parts: &[&[(&str, FieldType)]] = match self {
            Kind::Charter => &[CHARTER],
            Kind::Role | Kind::Body => &[OFFICE, &[("within", T::Actor), ("members", T::Actors)]],
            Kind::Clause => &[CLAUSE],
            Kind::Power | Kind::Duty | Kind::Prohibition | Kind::Vote => &[STATEMENT, POWER],
            Kind::Decision => &[STATEMENT, DECISION],
            Kind::Consent => &[STATEMENT, CONSENT],
            Kind::Disclosure => &[STATEMENT, DISCLOSURE],
            Kind::Grant => &[STATEMENT, GRANT],
            Kind::Exemption => &[STATEMENT, EXEMPTION],
            Kind::Dispute => &[STATEMENT, DISPUTE],
            Kind::Step => &[STATEMENT, STEP],
            Kind::AppealRoute => &[STATEMENT, APPEAL_ROUTE],
        };
        parts.iter().flat_map(|p| p.iter().copied()).collect()
    }

    pub fn field_type(self, name: &str) -> Option<FieldType> {
        self.fields()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| t)
    }
}
