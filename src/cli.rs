//! The command line: argument definitions and dispatch. Each command lives in
//! src/commands/.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::commands;
use crate::diagnostic::Severity;

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
                  process, with a P2P-correctness score per principle.\n\nExit codes: 0 when nothing at \
                  or above the failing level was found, 1 when something was, 2 when an input, a policy \
                  or the configuration could not be read or parsed."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check charters and report what violates the principles
    Check(CheckArgs),
    /// List the rules in force (the default pack, configuration and --policy files)
    Rules(RulesArgs),
    /// Explain one rule: what it flags, why it matters, what to write instead
    Explain(ExplainArgs),
    /// Run the examples of policy files (each must fire or stay silent as it says), or with
    /// --expect check the `# expect:` annotations in charters
    Test(TestArgs),
    /// Print the configuration in force and where each part comes from
    Config(ConfigArgs),
    /// List the exceptions charters grant themselves (`# peerlint: allow RULE reason "…"`)
    Waivers(WaiversArgs),
    /// Compare two drafts: findings introduced, resolved and unchanged, and the score change
    Diff(DiffArgs),
    /// Rewrite charters in the canonical layout (comments and quoted prose kept exactly)
    Fmt(FmtArgs),
    /// Draw the power map: who may veto, amend, admit, sanction, judge and change the
    /// terms, over whom, and where a role holds power over peers who have no say over it
    Map(MapArgs),
    /// Write the reviewer's report of a draft: score per principle, then clause by
    /// clause its prose, findings, explanations, suggested wording and what it allows
    Review(ReviewArgs),
    /// Serve editors over the Language Server Protocol on standard input and output:
    /// findings as you type, hovers that explain rules, go to definition, references,
    /// outline, completion, quick fixes and formatting. Started by the editor, not by
    /// hand; docs/editors.md shows how to set up VS Code, Neovim and others.
    /// The configuration is the `peerlint.yaml` nearest each open charter, reloaded
    /// when a YAML file of the workspace changes.
    Lsp(LspArgs),
}

#[derive(clap::Args, Debug)]
pub struct LspArgs {
    /// Accepted for editors that pass it; standard input and output are the only
    /// transport
    #[arg(long)]
    pub stdio: bool,
}

#[derive(clap::Args, Debug)]
pub struct ReviewArgs {
    /// The draft to review
    pub file: PathBuf,

    /// markdown, or one self-contained HTML page (no network, printable)
    #[arg(long, value_enum, default_value_t = ReviewFormat::Markdown)]
    pub format: ReviewFormat,

    /// Write the report to this file (atomically) instead of standard output
    #[arg(long, short, value_name = "OUT")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReviewFormat {
    Markdown,
    Html,
}

#[derive(clap::Args, Debug)]
pub struct MapArgs {
    /// The charter to map
    pub file: PathBuf,

    /// text and dot (Graphviz) as text; svg drawn by peerlint itself, with no Graphviz
    /// needed
    #[arg(long, value_enum, default_value_t = MapFormat::Text)]
    pub format: MapFormat,

    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MapFormat {
    Text,
    Dot,
    Svg,
}

#[derive(clap::Args, Debug)]
pub struct FmtArgs {
    /// Charter files, or directories to search for `*.charter` files
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Change nothing: show the diff for each file that is not formatted, and exit 1
    #[arg(long)]
    pub check: bool,
}

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// The earlier draft
    pub old: PathBuf,
    /// The revised draft
    pub new: PathBuf,

    /// The lowest level of an introduced finding that makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(clap::Args, Debug)]
pub struct WaiversArgs {
    /// Charter files, or directories to search for `*.charter` files
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(clap::Args, Debug, Clone, Default)]
pub struct PolicyArgs {
    /// An extra policy file (repeatable); its rules join the default pack
    #[arg(long = "policy", value_name = "FILE")]
    pub policies: Vec<PathBuf>,

    /// Use this configuration instead of the nearest peerlint.yaml
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Charter files, or directories to search for `*.charter` files
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// The lowest level that makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// Print only the summary (and inputs that could not be read)
    #[arg(long, short)]
    pub quiet: bool,

    /// When to color the output; NO_COLOR in the environment turns `auto` off
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// How to print the findings
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// In the human format, print at most this many findings per file in full (the
    /// summary counts them all)
    #[arg(long, value_name = "N", default_value_t = crate::report::human::MAX_PER_FILE)]
    pub max_findings: usize,

    /// Report only findings that are not in this baseline (see --write-baseline)
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Write every current finding to this baseline file (atomically; not when an input
    /// cannot be checked)
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Findings with source excerpts, a score per file and a summary
    Human,
    /// A versioned JSON document (docs/json-output.md)
    Json,
    /// SARIF 2.1.0, for code-scanning services
    Sarif,
    /// GitHub Actions workflow commands (annotations on pull requests)
    Github,
    /// JUnit XML, one test case per rule and file
    Junit,
}

#[derive(clap::Args, Debug)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,

    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Table,
    Json,
    Markdown,
}

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// A rule id (`sanction-without-hearing`) or code (`DP003`)
    pub rule: String,

    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(clap::Args, Debug)]
pub struct TestArgs {
    /// Policy files or directories of `*.yaml` policy files; with --expect, charters
    /// or directories of charters
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,

    /// Check the `# expect: RULE` and `# expect-not: RULE` annotations in charters:
    /// print every missed expectation and every unexpected finding, with recall and
    /// precision
    #[arg(long)]
    pub expect: bool,

    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(clap::Args, Debug)]
pub struct ConfigArgs {
    /// Where to look for peerlint.yaml (a charter or a directory)
    #[arg(default_value = ".")]
    pub path: PathBuf,

    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
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
    pub fn enabled(self) -> bool {
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
    let code = match cli.command {
        Command::Check(args) => commands::check::run(&args),
        Command::Rules(args) => commands::rules::list(&args),
        Command::Explain(args) => commands::rules::explain(&args),
        Command::Test(args) => commands::test::run(&args),
        Command::Config(args) => commands::config::run(&args),
        Command::Waivers(args) => commands::waivers::run(&args),
        Command::Diff(args) => commands::diff::run(&args),
        Command::Fmt(args) => commands::fmt::run(&args),
        Command::Map(args) => commands::map::run(&args),
        Command::Review(args) => commands::review::run(&args),
        Command::Lsp(_) => crate::lsp::run(),
    };
    ExitCode::from(code)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
