//! The command line: parses arguments and runs one command.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::check::{self, FileReport};
use crate::diagnostic::Severity;
use crate::input;
use crate::report::human::Human;

/// Exit codes, as documented in the README.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_UNUSABLE: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "peerlint",
    version,
    about = "Checks bylaws and contracts for peer equality, informed consent and due process",
    long_about = "peerlint reads charters (bylaws, contracts and policies written in the charter \
                  language, files ending in .charter) and reports the clauses that place some peers \
                  above others, ask for consent without disclosure, or sanction peers without due \
                  process.\n\nExit codes: 0 when nothing at or above the failing level was found, 1 \
                  when something was, 2 when an input could not be read or parsed."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check charters and report what violates the principles
    Check(CheckArgs),
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Charter files, or directories to search for `*.charter` files
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// The lowest level that makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// Print only the summary line (and unusable inputs)
    #[arg(long, short)]
    pub quiet: bool,

    /// When to color the output; NO_COLOR in the environment means never for `auto`
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check(args) => check(&args),
    }
}

fn check(args: &CheckArgs) -> ExitCode {
    let human = Human::new(args.color.enabled(), 100);
    let (files, errors) = input::discover(&args.paths);
    let mut out = String::new();
    let mut unusable = errors.len();
    for e in &errors {
        out.push_str(&human.plain_error(&e.to_string()));
    }
    let reports: Vec<FileReport> = files.iter().map(|f| check::check_path(f)).collect();
    let mut totals = [0usize; 3];
    let mut failing = false;
    let threshold = args.fail_on.threshold();
    for r in &reports {
        if r.unusable.is_some() {
            unusable += 1;
        }
        for d in &r.diagnostics {
            totals[d.severity as usize] += 1;
            if threshold.is_some_and(|t| d.severity >= t) {
                failing = true;
            }
        }
        if !args.quiet || matches!(r.unusable, Some(check::Unusable::Input(_))) {
            out.push_str(&human.render_file(r));
        }
    }
    out.push_str(&summary(reports.len(), totals, unusable));
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`peerlint check | head`) is not an error worth reporting.
    let _ = stdout.write_all(out.as_bytes());
    if unusable > 0 {
        ExitCode::from(EXIT_UNUSABLE)
    } else if failing {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::from(EXIT_CLEAN)
    }
}

fn summary(files: usize, totals: [usize; 3], unusable: usize) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let mut line = format!(
        "checked {}: {}, {}, {}",
        plural(files, "file"),
        plural(totals[Severity::Error as usize], "error"),
        plural(totals[Severity::Warning as usize], "warning"),
        plural(totals[Severity::Info as usize], "info")
    );
    if unusable > 0 {
        line.push_str(&format!(
            "; {} could not be checked",
            plural(unusable, "input")
        ));
    }
    line.push('\n');
    line
}
