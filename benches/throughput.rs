//! How many bytes of charter per second peerlint reads: `parse` alone, `parse_lower`
//! (parse, then lower to the resolved model) and `check` (parse, lower and every rule of
//! the default pack), each on a single 200-line charter and on one generated charter of
//! at least 5 MB.
//!
//! `render` measures each output format of `peerlint check` (human, json, sarif, github,
//! junit) and the reviewer's report (markdown, html) from a finished check, and `fmt` the
//! formatter from text to text; their throughput is in bytes of charter.
//!
//! Run with `cargo bench --bench throughput -- --noplot`.

use std::hint::black_box;
use std::sync::OnceLock;
use std::time::Duration;

use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion, SamplingMode,
    Throughput,
};
mod common;

use peerlint::check;
use peerlint::report::human::Human;
use peerlint::{format, generate, model, policy, syntax};

const SEED: u64 = 1;
const LARGE_BYTES: usize = 5 * 1024 * 1024;
const SMALL_LINES: usize = 200;

/// The inputs, generated once: a name and the text.
fn inputs() -> &'static [(&'static str, String)] {
    static INPUTS: OnceLock<Vec<(&'static str, String)>> = OnceLock::new();
    INPUTS.get_or_init(|| {
        vec![
            ("200-lines", small_charter()),
            ("5-MiB", generate::charter(LARGE_BYTES, SEED)),
        ]
    })
}

/// The shortest generated charter of at least [`SMALL_LINES`] lines: a single file of
/// the size people write.
fn small_charter() -> String {
    let mut target = 0;
    loop {
        let text = generate::charter(target, SEED);
        if text.lines().count() >= SMALL_LINES {
            return text;
        }
        target += 512;
    }
}

/// Many quick samples for the small file; few, equally long ones for the large file.
fn configure(group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>, bytes: usize) {
    if bytes < 1024 * 1024 {
        group
            .sampling_mode(SamplingMode::Auto)
            .sample_size(50)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(5));
    } else {
        group
            .sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .warm_up_time(Duration::from_secs(2))
            .measurement_time(Duration::from_secs(20));
    }
}

/// One group of benchmarks, one per input, each running `work` on the input's text.
fn per_input<R>(c: &mut Criterion, group_name: &str, work: impl Fn(&str) -> R) {
    let mut group = c.benchmark_group(group_name);
    for (name, text) in inputs() {
        configure(&mut group, text.len());
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), text, |b, text| {
            b.iter(|| work(black_box(text)))
        });
    }
    group.finish();
}

fn parse(c: &mut Criterion) {
    per_input(c, "parse", syntax::parse);
}

fn parse_lower(c: &mut Criterion) {
    per_input(c, "parse_lower", |text| {
        model::lower(&syntax::parse(text).ast)
    });
}

/// The full check of `peerlint check`: parse, lower, and every rule of the default
/// pack. The rule set is built once, as the binary does per configuration.
fn check(c: &mut Criterion) {
    let rules = policy::Builder::with_default_pack()
        .and_then(policy::Builder::build)
        .expect("the default pack loads");
    per_input(c, "check", |text| {
        check::check_source(
            std::path::Path::new("bench.charter"),
            text.to_string(),
            &rules,
        )
    });
}

/// Each way of printing a finished check, by the charter's bytes.
fn render(c: &mut Criterion) {
    let rules = policy::Builder::with_default_pack()
        .and_then(policy::Builder::build)
        .expect("the default pack loads");
    let human = Human::new(false, 100);
    let renderers = common::renderers(&rules, &human);
    for (name, text) in inputs() {
        let reports = [check::check_source(
            std::path::Path::new("bench.charter"),
            text.clone(),
            &rules,
        )];
        let mut group = c.benchmark_group(format!("render/{name}"));
        configure(&mut group, text.len());
        group.throughput(Throughput::Bytes(text.len() as u64));
        for (format, render) in &renderers {
            group.bench_function(*format, |b| b.iter(|| render(black_box(&reports))));
        }
        group.finish();
    }
}

/// `peerlint fmt`: parse, lay out and print.
fn fmt(c: &mut Criterion) {
    per_input(c, "fmt", format::format);
}

criterion_group!(benches, parse, parse_lower, check, render, fmt);
criterion_main!(benches);
