//! Large, realistic charters for benchmarks and stress tests.
//!
//! A charter is a header followed by "chapters": each chapter declares its own peer
//! roles, offices and bodies and an article of clauses that uses every construct of
//! the language (powers and sanctions with and without safeguards, votes, consents,
//! disclosures, grants, exemptions, decisions, disputes, appeal routes, and
//! `regarding clause` references back to clauses of earlier chapters). Names and
//! clause numbers carry the chapter's number, so they are unique however long the
//! charter grows. The same seed always gives the same text.

use std::fmt::{self, Write as _};

/// A charter of at least `target_bytes` bytes (and at least one chapter) that parses
/// and resolves without errors, the same for the same `seed`.
pub fn charter(target_bytes: usize, seed: u64) -> String {
    let mut g = Generator {
        out: String::with_capacity(target_bytes + 8 * 1024),
        rng: Rng::new(seed),
        sanction_clauses: Vec::new(),
        clauses: Vec::new(),
    };
    g.header(seed);
    let mut chapter = 1;
    while chapter == 1 || g.out.len() < target_bytes {
        g.chapter(chapter);
        chapter += 1;
    }
    g.out
}

/// SplitMix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick(&mut self, items: &[&'static str]) -> &'static str {
        let i = self.below(items.len());
        items.get(i).copied().unwrap_or_default()
    }
}

const PEERS: &[&str] = &[
    "member",
    "resident",
    "tenant",
    "worker",
    "owner",
    "volunteer",
    "contributor",
];
const OFFICES: &[&str] = &["director", "steward", "trustee", "coordinator", "delegate"];
const OFFICERS: &[&str] = &["treasurer", "secretary", "chair", "clerk", "auditor"];
const SPECIALS: &[&str] = &["founder", "elder", "patron", "sponsor"];
const ASSEMBLIES: &[&str] = &["assembly", "general-meeting", "plenary", "congress"];
const BOARDS: &[&str] = &["board", "council", "executive", "management"];
const COMMITTEES: &[&str] = &["committee", "panel", "circle", "working-group"];
const INSTITUTES: &[&str] = &["arbitration-institute", "ombudsman", "conciliation-service"];

const SANCTIONS: &[(&str, &str)] = &[
    ("expel", "Expulsion"),
    ("suspend", "Suspension"),
    ("fine", "Fines"),
    ("censure", "Censure"),
    ("remove", "Removal"),
];
const GROUNDS: &[&str] = &[
    "conduct that endangers other residents",
    "repeated failure to pay the monthly charges",
    "a serious breach of the code of conduct",
    "harassment of another member",
    "damage to the common property",
];
const PURPOSES: &[&str] = &[
    "publication of photos",
    "sharing contact data with partner co-ops",
    "use of the shared calendar",
    "recording of general meetings",
    "a newsletter about events",
];
const DISCLOSURES: &[&str] = &[
    "the annual accounts",
    "the minutes of every meeting",
    "the salaries of its officers",
    "every conflict of interest",
    "the budget before it is voted",
];
const SUBJECTS: &[&str] = &[
    "amendment",
    "dissolution",
    "budget",
    "admission",
    "merger",
    "rules",
];
const THRESHOLDS: &[&str] = &[
    "2/3",
    "3/4",
    "majority",
    "simple majority",
    "consensus",
    "60%",
    "3:1",
    "unanimity",
];
const STEPS: &[&str] = &[
    "negotiation",
    "conciliation",
    "facilitation",
    "consultation",
];

/// What one chapter calls its roles and bodies.
struct Names {
    peer: String,
    office: String,
    officer: String,
    special: String,
    assembly: String,
    board: String,
    committee: String,
    institute: String,
}

struct Generator {
    out: String,
    rng: Rng,
    /// Clauses that grant a sanction, for `regarding clause`.
    sanction_clauses: Vec<String>,
    /// Every clause so far, for exemptions.
    clauses: Vec<String>,
}

impl Generator {
    fn line(&mut self, indent: usize, args: fmt::Arguments<'_>) {
        for _ in 0..indent {
            self.out.push_str("  ");
        }
        // Writing into a String cannot fail.
        let _ = self.out.write_fmt(args);
        self.out.push('\n');
    }

    fn header(&mut self, seed: u64) {
        self.line(
            0,
            format_args!("# Generated charter, seed {seed}: a federation of housing cooperatives"),
        );
        self.line(
            0,
            format_args!(
                "charter \"Federated Housing Cooperatives {seed}\" {{ kind bylaws  version \"3.{}\"  effective 2026-03-01 }}",
                seed % 10
            ),
        );
        self.line(0, format_args!(""));
    }

    fn names(&mut self, n: usize) -> Names {
        let peer = self.rng.pick(PEERS);
        let office = self.rng.pick(OFFICES);
        let officer = self.rng.pick(OFFICERS);
        let special = self.rng.pick(SPECIALS);
        let assembly = self.rng.pick(ASSEMBLIES);
        let board = self.rng.pick(BOARDS);
        let committee = self.rng.pick(COMMITTEES);
        let institute = self.rng.pick(INSTITUTES);
        Names {
            peer: format!("{peer}-{n}"),
            office: format!("{office}-{n}"),
            officer: format!("{officer}-{n}"),
            special: format!("{special}-{n}"),
            assembly: format!("{assembly}-{n}"),
            board: format!("{board}-{n}"),
            committee: format!("{committee}-{n}"),
            institute: format!("{institute}-{n}"),
        }
    }

    /// A clause number in one of the styles real documents use.
    fn clause_id(&mut self, chapter: usize, i: usize) -> String {
        let id = match self.rng.below(6) {
            0 => format!("{chapter}.{i}a"),
            1 => format!("{chapter}.{i}(1)"),
            _ => format!("{chapter}.{i}"),
        };
        self.clauses.push(id.clone());
        id
    }

    fn open_clause(&mut self, chapter: usize, i: usize, title: &str) -> String {
        let id = self.clause_id(chapter, i);
        self.line(1, format_args!("clause {id} \"{title}\" {{"));
        id
    }

    fn close(&mut self, indent: usize) {
        self.line(indent, format_args!("}}"));
    }

    fn chapter(&mut self, n: usize) {
        let x = self.names(n);
        self.declarations(n, &x);
        let theme = self.rng.pick(&[
            "Membership and governance",
            "Rights and duties of members",
            "Discipline and disputes",
            "Finances and information",
        ]);
        self.line(0, format_args!("article {n} \"{theme}\" {{"));
        let earlier = self.sanction_clauses.len();
        let mut i = 1;
        self.admission(n, &mut i, &x);
        self.votes(n, &mut i, &x);
        self.sanctions(n, &mut i, &x);
        self.consents(n, &mut i, &x);
        self.information(n, &mut i, &x);
        self.decisions(n, &mut i, &x);
        self.disputes(n, &mut i, &x);
        self.cross_references(n, &mut i, &x, earlier);
        self.close(0);
        self.line(0, format_args!(""));
    }

    fn declarations(&mut self, n: usize, x: &Names) {
        self.line(0, format_args!("# Chapter {n}"));
        let notice = 7 * (1 + self.rng.below(8));
        if self.rng.chance(70) {
            self.line(
                0,
                format_args!(
                    "role {} \"A resident holding one share in house {n}\" {{ joins by application approved by {}; may leave with notice {notice} days }}",
                    x.peer, x.board
                ),
            );
        } else {
            self.line(
                0,
                format_args!("role {} \"A worker-owner of unit {n}\" {{", x.peer),
            );
            self.line(
                1,
                format_args!(
                    "joins by application, invitation approved by {}",
                    x.assembly
                ),
            );
            self.line(1, format_args!("criteria \"lives or works in house {n}\""));
            self.line(1, format_args!("may leave"));
            self.close(0);
        }
        let years = 1 + self.rng.below(4);
        self.line(
            0,
            format_args!(
                "role {} within {} {{ elected by {} for {years} years; removable by {} }}",
                x.office, x.peer, x.assembly, x.assembly
            ),
        );
        if self.rng.chance(50) {
            self.line(
                0,
                format_args!(
                    "role {} within {} \"Keeps the books of house {n}\" {{ appointed by {} for 1 year; removable by {} }}",
                    x.officer, x.office, x.board, x.assembly
                ),
            );
        } else {
            self.line(
                0,
                format_args!(
                    "role {} within {} {{ appointed by {} }}",
                    x.officer, x.office, x.board
                ),
            );
        }
        let special = match self.rng.below(3) {
            0 => "{ permanent }",
            1 => "{ hereditary }",
            _ => "{ self-selected  removable by nobody }",
        };
        self.line(
            0,
            format_args!(
                "role {} within {} \"The founding residents of house {n}\" {special}",
                x.special, x.peer
            ),
        );
        self.line(0, format_args!("body {} = every {}", x.assembly, x.peer));
        let seats = 3 + 2 * self.rng.below(4);
        self.line(
            0,
            format_args!("body {} = every {} {{ seats {seats} }}", x.board, x.office),
        );
        self.line(
            0,
            format_args!("body {} = {}, {}", x.committee, x.officer, x.special),
        );
        self.line(
            0,
            format_args!(
                "body {} = external \"An arbitration institute both sides accept\" {{ neutral }}",
                x.institute
            ),
        );
    }

    fn admission(&mut self, n: usize, i: &mut usize, x: &Names) {
        self.open_clause(n, *i, "Admission");
        self.line(
            2,
            format_args!("text \"The board admits new members who meet the published criteria.\""),
        );
        self.line(
            2,
            format_args!(
                "{} may admit {} {{ criteria \"the criteria published by the assembly\"  reason \"a written decision\" }}",
                x.board, x.peer
            ),
        );
        self.close(1);
        *i += 1;
    }

    fn votes(&mut self, n: usize, i: &mut usize, x: &Names) {
        self.open_clause(n, *i, "One member, one vote");
        self.line(
            2,
            format_args!("text \"Each member has one vote at the general assembly.\""),
        );
        self.line(
            2,
            format_args!("{} may vote in {} {{ weight 1 }}", x.peer, x.assembly),
        );
        if self.rng.chance(40) {
            self.line(
                2,
                format_args!("{} may vote in {} {{ weight 3 }}", x.special, x.board),
            );
        } else {
            self.line(
                2,
                format_args!("{} may vote in {} {{ weight 1 }}", x.office, x.board),
            );
        }
        self.close(1);
        *i += 1;
    }

    fn sanctions(&mut self, n: usize, i: &mut usize, x: &Names) {
        let first = self.rng.below(SANCTIONS.len());
        let count = 2 + self.rng.below(2);
        // A power stated twice is gathered into its first clause; the generator states
        // each power once, so that every sanction clause can be named by `regarding`.
        let mut posts_removed = false;
        for k in 0..count {
            let (action, title) = SANCTIONS
                .get((first + k) % SANCTIONS.len())
                .copied()
                .unwrap_or(("expel", "Expulsion"));
            let id = self.open_clause(n, *i, title);
            self.sanction_clauses.push(id);
            let grounds = self.rng.pick(GROUNDS);
            let holder = if self.rng.chance(70) {
                &x.board
            } else {
                &x.committee
            };
            let variant = match self.rng.below(5) {
                4 if posts_removed => 2,
                v => v,
            };
            posts_removed |= variant == 4;
            match variant {
                // Every safeguard, one attribute a line.
                0 => {
                    self.line(2, format_args!("text \"The board may {action} a member after a hearing.\""));
                    self.line(2, format_args!("{holder} may {action} {} {{", x.peer));
                    self.line(3, format_args!("grounds \"{grounds}\""));
                    self.line(3, format_args!("notice 30 days"));
                    self.line(3, format_args!("hearing before {}", x.assembly));
                    self.line(3, format_args!("appeal to {} within 60 days", x.assembly));
                    self.line(3, format_args!("stay pending appeal"));
                    self.close(2);
                }
                // Safeguards on one line.
                1 => self.line(
                    2,
                    format_args!(
                        "{holder} may {action} {} {{ grounds \"{grounds}\" notice 14 days hearing before {} appeal to {} }}",
                        x.peer, x.committee, x.assembly
                    ),
                ),
                // No safeguard at all.
                2 => self.line(2, format_args!("{holder} may {action} {}", x.peer)),
                // Vague, explicitly absent, or open.
                3 => self.line(
                    2,
                    format_args!(
                        "{holder} may {action} {} {{ grounds open  notice reasonable  hearing none  appeal none }}",
                        x.peer
                    ),
                ),
                // Content rather than the person, with a cure period.
                _ => self.line(
                    2,
                    format_args!(
                        "{holder} may remove posts of {} {{ notice none  cure 7 days  reason \"a public note of the reason\" }}",
                        x.peer
                    ),
                ),
            }
            self.close(1);
            *i += 1;
        }
        self.open_clause(n, *i, "Common property");
        self.line(2, format_args!("nobody may sell \"the common property\""));
        self.line(
            2,
            format_args!(
                "{} must publish \"the annual accounts\" {{ condition \"within three months of the year's end\" judged by {} }}",
                x.officer, x.assembly
            ),
        );
        self.line(
            2,
            format_args!(
                "{} must not vote in {} {{ recusal \"on their own accounts\" }}",
                x.officer, x.board
            ),
        );
        self.close(1);
        *i += 1;
    }

    fn consents(&mut self, n: usize, i: &mut usize, x: &Names) {
        let purpose = self.rng.pick(PURPOSES);
        self.open_clause(n, *i, "Consent");
        if self.rng.chance(50) {
            self.line(
                2,
                format_args!("{} consents to \"{purpose}\" {{ form implied }}", x.peer),
            );
        } else {
            self.line(2, format_args!("{} consents to \"{purpose}\" {{", x.peer));
            self.line(
                3,
                format_args!("disclose purpose, recipients, retention, risks"),
            );
            self.line(3, format_args!("form written"));
            self.line(3, format_args!("revocable"));
            self.line(3, format_args!("timing before"));
            self.close(2);
        }
        if self.rng.chance(30) {
            self.line(
                2,
                format_args!(
                    "{} consents to \"the house rules\", \"the cleaning rota\" {{ form opt-out  bundled with \"the lease\"  withdrawal cost \"leaving the cooperative\" }}",
                    x.peer
                ),
            );
        }
        self.close(1);
        *i += 1;
    }

    fn information(&mut self, n: usize, i: &mut usize, x: &Names) {
        let what = self.rng.pick(DISCLOSURES);
        self.open_clause(n, *i, "Information");
        self.line(
            2,
            format_args!(
                "{} discloses \"{what}\" to every {} {{ timing before  form written }}",
                x.board, x.peer
            ),
        );
        self.line(
            2,
            format_args!(
                "{} grants \"a licence to publish contributions\" to {} {{ scope \"the newsletter and website\"  duration perpetual  cost none  irrevocable }}",
                x.peer, x.board
            ),
        );
        self.close(1);
        *i += 1;
    }

    fn decisions(&mut self, n: usize, i: &mut usize, x: &Names) {
        let subject = self.rng.pick(SUBJECTS);
        let threshold = self.rng.pick(THRESHOLDS);
        self.open_clause(n, *i, "Decisions");
        self.line(
            2,
            format_args!(
                "text \"Decisions on {subject} are taken by the assembly with a qualified majority.\""
            ),
        );
        self.line(
            2,
            format_args!(
                "decision {subject} {{ by {}  threshold {threshold}  quorum 50%  notice 21 days  proxies forbidden }}",
                x.assembly
            ),
        );
        if self.rng.chance(50) {
            self.line(
                2,
                format_args!(
                    "decision \"the yearly budget\" {{ by {}  threshold majority  casting vote by {} ties only  objections within 7 days }}",
                    x.board, x.officer
                ),
            );
        }
        if self.rng.chance(30) {
            self.line(2, format_args!("{} may veto amendment", x.special));
        }
        self.close(1);
        *i += 1;
    }

    fn disputes(&mut self, n: usize, i: &mut usize, x: &Names) {
        let first = self.rng.pick(STEPS);
        self.open_clause(n, *i, "Disputes");
        self.line(
            2,
            format_args!(
                "dispute between {} and {} \"Disputes between members\" {{",
                x.peer, x.peer
            ),
        );
        self.line(3, format_args!("{first}"));
        self.line(
            3,
            format_args!(
                "then mediation by \"a mediator both sides accept\" {{ neutral  window 30 days }}"
            ),
        );
        self.line(
            3,
            format_args!(
                "then arbitration by {} {{ recusal \"arbiters who know either side\" }}",
                x.institute
            ),
        );
        self.close(2);
        self.line(
            2,
            format_args!(
                "appeals from {} to {} {{ window 60 days  hearing before {}  stay pending appeal }}",
                x.board, x.assembly, x.assembly
            ),
        );
        self.close(1);
        *i += 1;
    }

    /// Safeguards added to, and exemptions from, clauses of earlier chapters.
    /// `earlier` sanction clauses belong to earlier chapters.
    fn cross_references(&mut self, n: usize, i: &mut usize, x: &Names, earlier: usize) {
        if earlier == 0 {
            return;
        }
        self.open_clause(n, *i, "Safeguards for earlier sanctions");
        let refs = 1 + self.rng.below(3);
        for _ in 0..refs {
            let target = self
                .sanction_clauses
                .get(self.rng.below(earlier))
                .cloned()
                .unwrap_or_default();
            if self.rng.chance(50) {
                self.line(
                    2,
                    format_args!(
                        "regarding clause {target} {{ hearing before {}  appeal to {} within 30 days }}",
                        x.assembly, x.assembly
                    ),
                );
            } else {
                self.line(2, format_args!("regarding clause {target} {{"));
                self.line(3, format_args!("notice 21 days"));
                let grounds = self.rng.pick(GROUNDS);
                self.line(3, format_args!("grounds \"{grounds}\""));
                self.close(2);
            }
        }
        if self.rng.chance(40) {
            let any = self.rng.below(self.clauses.len());
            let target = self.clauses.get(any).cloned().unwrap_or_default();
            self.line(
                2,
                format_args!(
                    "{} is exempt from clause {target} {{ reason \"the founders' original agreement\" }}",
                    x.special
                ),
            );
        }
        self.close(1);
        *i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::model::{self, Kind};
    use crate::syntax;

    fn check(size: usize, seed: u64) -> model::Model {
        let text = charter(size, seed);
        assert!(text.len() >= size, "{} < {size}", text.len());
        let parsed = syntax::parse(&text);
        assert!(
            parsed.errors.is_empty(),
            "seed {seed}: {:#?}",
            parsed.errors.first()
        );
        let model = model::lower(&parsed.ast);
        let errors: Vec<_> = model
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "seed {seed}: {:#?}", errors.first());
        model
    }

    #[test]
    fn generated_charters_parse_and_resolve() {
        for seed in 0..4 {
            let model = check(64 * 1024, seed);
            // Every construct the generator writes is in the model.
            for kind in Kind::ALL {
                assert!(
                    !model.of_kind(kind).is_empty(),
                    "seed {seed}: no {}",
                    kind.as_str()
                );
            }
        }
    }

    #[test]
    fn a_generated_charter_has_no_warnings_either() {
        let text = charter(32 * 1024, 7);
        let parsed = syntax::parse(&text);
        let model = model::lower(&parsed.ast);
        assert!(
            model.diagnostics.is_empty(),
            "{:#?}",
            model.diagnostics.first()
        );
    }

    #[test]
    fn a_tiny_target_still_gives_a_whole_chapter() {
        let text = charter(0, 1);
        assert!(text.contains("article 1 "));
        check(0, 1);
    }

    #[test]
    fn the_same_seed_gives_the_same_charter() {
        assert_eq!(charter(20_000, 42), charter(20_000, 42));
        assert_ne!(charter(20_000, 42), charter(20_000, 43));
    }

    #[test]
    fn references_reach_back_through_the_document() {
        let text = charter(200 * 1024, 3);
        let refs: Vec<usize> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("regarding clause "))
            .filter_map(|r| r.split('.').next()?.parse().ok())
            .collect();
        assert!(refs.len() > 20);
        // Some point at the first chapters, some at recent ones.
        assert!(refs.iter().any(|&c| c <= 3));
        assert!(refs.iter().any(|&c| c > 20));
    }
}
