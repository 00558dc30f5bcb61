//! P2P-correctness: a score per principle and overall, recomputable by hand from the
//! checks and findings (docs/scoring.md).

use std::collections::BTreeMap;

use crate::diagnostic::Principle;
use crate::policy::engine::Tally;

#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    /// Each principle that had at least one check, with its score from 0 to 100.
    pub principles: BTreeMap<Principle, PrincipleScore>,
    /// The mean of the principle scores; none when no rule applied at all.
    pub overall: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PrincipleScore {
    pub score: f64,
    pub checks: usize,
    pub findings: usize,
}

pub fn score(tallies: &BTreeMap<Principle, Tally>) -> Score {
    let mut principles = BTreeMap::new();
    for (p, t) in tallies {
        if t.checks == 0 || t.checked_weight <= 0.0 {
            continue;
        }
        let score = 100.0 * (1.0 - t.failed_weight / t.checked_weight);
        principles.insert(
            *p,
            PrincipleScore {
                score: score.clamp(0.0, 100.0),
                checks: t.checks,
                findings: t.findings,
            },
        );
    }
    let overall = if principles.is_empty() {
        None
    } else {
        Some(principles.values().map(|s| s.score).sum::<f64>() / principles.len() as f64)
    };
    Score {
        principles,
        overall,
    }
}

impl Score {
    /// `P2P-correctness 64/100 (equality 50, informed consent 80, due process 62)`.
    pub fn line(&self) -> String {
        let Some(overall) = self.overall else {
            return "P2P-correctness: no rule applied".into();
        };
        let parts: Vec<String> = Principle::ALL
            .iter()
            .filter_map(|p| {
                self.principles
                    .get(p)
                    .map(|s| format!("{} {:.0}", p.title(), s.score))
            })
            .collect();
        format!("P2P-correctness {:.0}/100 ({})", overall, parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_principle_scores_the_share_of_weighted_checks_passed() {
        let mut t = BTreeMap::new();
        t.insert(
            Principle::Equality,
            Tally {
                checked_weight: 12.0,
                failed_weight: 3.0,
                checks: 4,
                findings: 1,
            },
        );
        t.insert(
            Principle::DueProcess,
            Tally {
                checked_weight: 6.0,
                failed_weight: 6.0,
                checks: 2,
                findings: 2,
            },
        );
        let s = score(&t);
        assert_eq!(s.principles[&Principle::Equality].score, 75.0);
        assert_eq!(s.principles[&Principle::DueProcess].score, 0.0);
        assert_eq!(s.overall, Some(37.5));
        assert_eq!(
            s.line(),
            "P2P-correctness 38/100 (equality of peers 75, due process 0)"
        );
    }

    #[test]
    fn no_checks_means_no_score() {
        assert_eq!(score(&BTreeMap::new()).overall, None);
    }
}
