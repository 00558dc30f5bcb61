use clap::Parser;

fn main() -> std::process::ExitCode {
    peerlint::cli::run(peerlint::cli::Cli::parse())
}
