//! The performance table of docs/performance.md, in one command:
//! `cargo bench --bench table`. For charters 1×, 10×, 100× and 1000× the size of a
//! typical 200-line charter (generated with cross-references spread through them), it
//! prints the full check's throughput, its time per statement and the peak memory; then
//! the start-up time of the binary on one charter and the speed-up of checking 1,000
//! files on two threads instead of one; then, at 1× and 100×, how fast each output format
//! prints a finished check and how fast `peerlint fmt` lays a charter out. Medians of
//! several runs.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

mod common;

use peerlint::check::FileReport;
use peerlint::report::human::Human;
use peerlint::{check, format, generate, policy};

const TYPICAL: usize = 12_770;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Peak resident memory of this process so far, in MB (Linux only).
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let rules = policy::Builder::with_default_pack()
        .and_then(policy::Builder::build)
        .expect("the default pack loads");
    println!(
        "| size | bytes | statements | full check (median) | MB/s | ns per statement | peak RSS |"
    );
    println!("|---|---|---|---|---|---|---|");
    let mut first = None;
    for mult in [1usize, 10, 100, 1000] {
        let text = generate::charter(TYPICAL * mult, 1);
        // Statements and attributes are the indented lines of a generated charter.
        let statements = text.lines().filter(|l| l.starts_with("  ")).count().max(1);
        let runs = if mult >= 100 { 5 } else { 21 };
        let times: Vec<f64> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                let report = check::check_source(
                    std::path::Path::new("bench.charter"),
                    text.clone(),
                    &rules,
                );
                std::hint::black_box(report.findings.len());
                t.elapsed().as_secs_f64()
            })
            .collect();
        let t = median(times);
        first.get_or_insert(t);
        println!(
            "| {mult}× | {} | {statements} | {:.2} ms | {:.1} | {:.0} | {} |",
            text.len(),
            t * 1e3,
            text.len() as f64 / 1e6 / t,
            t * 1e9 / statements as f64,
            peak_rss_mb().map_or("?".into(), |m| format!("{m:.0} MB"))
        );
        if mult == 1000 {
            if let Some(t1) = first {
                println!("\n1000× takes {:.0}× the time of 1×.", t / t1);
            }
        }
    }
    start_up();
    parallel(&rules);
    outputs(&rules);
}

/// Median seconds of `runs` calls.
fn time_runs(runs: usize, mut f: impl FnMut()) -> f64 {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

/// Each output format from a finished check, and the formatter from text to text, in
/// bytes of charter per second.
fn outputs(rules: &policy::RuleSet) {
    let human = Human::new(false, 100);
    let renderers = common::renderers(rules, &human);
    let sizes = [1usize, 100];
    let texts: Vec<String> = sizes
        .iter()
        .map(|m| generate::charter(TYPICAL * m, 1))
        .collect();
    let reports: Vec<[FileReport; 1]> = texts
        .iter()
        .map(|t| {
            [check::check_source(
                std::path::Path::new("bench.charter"),
                t.clone(),
                rules,
            )]
        })
        .collect();
    println!(
        "\n| output | {} |",
        sizes.map(|m| format!("{m}× (median, MB/s)")).join(" | ")
    );
    println!("|---|---|---|");
    let row = |name: &str, mut run: Box<dyn FnMut(usize) + '_>| {
        let cells: Vec<String> = texts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let runs = if text.len() > 1_000_000 { 5 } else { 21 };
                let t = time_runs(runs, || run(i));
                format!("{:.2} ms, {:.1}", t * 1e3, text.len() as f64 / 1e6 / t)
            })
            .collect();
        println!("| {name} | {} |", cells.join(" | "));
    };
    for (name, render) in &renderers {
        row(
            name,
            Box::new(|i| {
                std::hint::black_box(render(&reports[i]).len());
            }),
        );
    }
    row(
        "fmt",
        Box::new(|i| {
            std::hint::black_box(format::format(&texts[i]).map(|s| s.len()).ok());
        }),
    );
}

/// The binary on one example charter, from process start to exit.
fn start_up() {
    let bin = env!("CARGO_BIN_EXE_peerlint");
    let charter = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/riverbend-housing.charter"
    );
    let times: Vec<f64> = (0..31)
        .map(|_| {
            let t = Instant::now();
            let _ = Command::new(bin).args(["check", "-q", charter]).output();
            t.elapsed().as_secs_f64()
        })
        .collect();
    println!(
        "\nOne 150-line charter from process start: {:.1} ms (median of 31).",
        median(times) * 1e3
    );
}

/// 1,000 example-sized files on one thread and on two.
fn parallel(rules: &policy::RuleSet) {
    use rayon::prelude::*;
    let files: Vec<(PathBuf, String)> = (0..1000)
        .map(|i| {
            (
                PathBuf::from(format!("c{i}.charter")),
                generate::charter(TYPICAL, i as u64),
            )
        })
        .collect();
    let time_with = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a pool");
        let times: Vec<f64> = (0..5)
            .map(|_| {
                let t = Instant::now();
                pool.install(|| {
                    let n: usize = files
                        .par_iter()
                        .map(|(p, text)| check::check_source(p, text.clone(), rules).findings.len())
                        .sum();
                    std::hint::black_box(n);
                });
                t.elapsed().as_secs_f64()
            })
            .collect();
        median(times)
    };
    let one = time_with(1);
    let two = time_with(2);
    println!(
        "1,000 files: {:.0} ms on one thread, {:.0} ms on two: {:.2}× faster.",
        one * 1e3,
        two * 1e3,
        one / two
    );
}
