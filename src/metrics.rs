//! In-process metrics: lock-free counters and fixed-bucket histograms, and a
//! writer for the Prometheus text exposition format.
//!
//! Recording is a few relaxed atomic additions, cheap enough for every request
//! and every analysed article. The registry that names and renders metrics for
//! `/metrics` lives in `http::metrics`; this module only knows numbers, so the
//! synchronous stages (`ingest`, `indexing`) can record without knowing HTTP.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Most buckets a [`Histogram`] may have (besides `+Inf`).
pub const MAX_BUCKETS: usize = 16;

/// Bucket bounds in seconds for request-like latencies (1 ms to 30 s).
pub const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Bucket bounds in seconds for per-article analysis (100 µs to 5 s).
pub const ANALYSIS_BUCKETS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0,
];

/// Time spent analysing one article (quotes, speakers, topics, language), by
/// HTTP ingest and `verbatim import` alike.
pub static ANALYSIS_SECONDS: Histogram = Histogram::new(ANALYSIS_BUCKETS);

/// A histogram of durations with fixed upper bounds, as Prometheus expects:
/// per-bucket counts (made cumulative when rendered), a count and a sum.
#[derive(Debug)]
pub struct Histogram {
    bounds: &'static [f64],
    buckets: [AtomicU64; MAX_BUCKETS],
    count: AtomicU64,
    sum_nanos: AtomicU64,
}

impl Histogram {
    /// A histogram with these bucket upper bounds (seconds, increasing, at
    /// most [`MAX_BUCKETS`]).
    pub const fn new(bounds: &'static [f64]) -> Histogram {
        assert!(bounds.len() <= MAX_BUCKETS, "too many histogram buckets");
        Histogram {
            bounds,
            buckets: [const { AtomicU64::new(0) }; MAX_BUCKETS],
            count: AtomicU64::new(0),
            sum_nanos: AtomicU64::new(0),
        }
    }

    /// Records one observation.
    pub fn observe(&self, duration: Duration) {
        let seconds = duration.as_secs_f64();
        if let Some(index) = self.bounds.iter().position(|bound| seconds <= *bound) {
            self.buckets[index].fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        let nanos = u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX);
        self.sum_nanos.fetch_add(nanos, Ordering::Relaxed);
    }

    /// Number of observations.
    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// Sum of the observations, in seconds.
    pub fn sum_seconds(&self) -> f64 {
        self.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9
    }

    /// Cumulative counts per bound, `(upper bound, observations <= bound)`.
    pub fn cumulative(&self) -> Vec<(f64, u64)> {
        let mut running = 0;
        self.bounds
            .iter()
            .zip(&self.buckets)
            .map(|(bound, bucket)| {
                running += bucket.load(Ordering::Relaxed);
                (*bound, running)
            })
            .collect()
    }
}

/// A monotonically increasing count.
#[derive(Debug, Default)]
pub struct Counter(AtomicU64);

impl Counter {
    /// A counter at zero.
    pub const fn new() -> Counter {
        Counter(AtomicU64::new(0))
    }

    /// Adds one.
    pub fn increment(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    /// Adds `amount`.
    pub fn add(&self, amount: u64) {
        self.0.fetch_add(amount, Ordering::Relaxed);
    }

    /// The current count.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Writes metrics in the Prometheus text exposition format (version 0.0.4).
#[derive(Debug, Default)]
pub struct PrometheusText {
    out: String,
}

/// The `Content-Type` of [`PrometheusText`] output.
pub const PROMETHEUS_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

impl PrometheusText {
    /// An empty exposition.
    pub fn new() -> PrometheusText {
        PrometheusText::default()
    }

    /// Starts a metric family: its `# HELP` and `# TYPE` lines.
    pub fn family(&mut self, name: &str, kind: &str, help: &str) {
        let _ = writeln!(self.out, "# HELP {name} {}", escape_help(help));
        let _ = writeln!(self.out, "# TYPE {name} {kind}");
    }

    /// One sample line.
    pub fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: f64) {
        self.out.push_str(name);
        write_labels(&mut self.out, labels, None);
        let _ = writeln!(self.out, " {}", format_value(value));
    }

    /// A family of one unlabelled sample: its `# HELP`/`# TYPE` lines and
    /// the value.
    pub fn single(&mut self, name: &str, kind: &str, help: &str, value: f64) {
        self.family(name, kind, help);
        self.sample(name, &[], value);
    }

    /// The `_bucket`, `_sum` and `_count` lines of one histogram series.
    pub fn histogram(&mut self, name: &str, labels: &[(&str, &str)], histogram: &Histogram) {
        // Read the count first: buckets recorded after it only make `+Inf`
        // lag, never put a bucket above it.
        let count = histogram.count();
        for (bound, cumulative) in histogram.cumulative() {
            let _ = write!(self.out, "{name}_bucket");
            write_labels(&mut self.out, labels, Some(&format_value(bound)));
            let _ = writeln!(self.out, " {}", cumulative.min(count));
        }
        let _ = write!(self.out, "{name}_bucket");
        write_labels(&mut self.out, labels, Some("+Inf"));
        let _ = writeln!(self.out, " {count}");
        let _ = write!(self.out, "{name}_sum");
        write_labels(&mut self.out, labels, None);
        let _ = writeln!(self.out, " {}", format_value(histogram.sum_seconds()));
        let _ = write!(self.out, "{name}_count");
        write_labels(&mut self.out, labels, None);
        let _ = writeln!(self.out, " {count}");
    }

    /// The finished text.
    pub fn finish(self) -> String {
        self.out
    }
}

fn write_labels(out: &mut String, labels: &[(&str, &str)], le: Option<&str>) {
    if labels.is_empty() && le.is_none() {
        return;
    }
    out.push('{');
    let mut first = true;
    for (name, value) in labels.iter().copied().chain(le.map(|bound| ("le", bound))) {
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(name);
        out.push_str("=\"");
        for c in value.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                '\n' => out.push_str("\\n"),
                c => out.push(c),
            }
        }
        out.push('"');
    }
    out.push('}');
}

fn escape_help(help: &str) -> String {
    help.replace('\\', "\\\\").replace('\n', "\\n")
}

fn format_value(value: f64) -> String {
    if value.is_infinite() {
        if value > 0.0 { "+Inf" } else { "-Inf" }.to_owned()
    } else if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative_and_bounded_by_the_count() {
        static BOUNDS: &[f64] = &[0.01, 0.1, 1.0];
        let histogram = Histogram::new(BOUNDS);
        for millis in [5, 50, 50, 500, 5000] {
            histogram.observe(Duration::from_millis(millis));
        }
        assert_eq!(histogram.cumulative(), vec![(0.01, 1), (0.1, 3), (1.0, 4)]);
        assert_eq!(histogram.count(), 5);
        assert!((histogram.sum_seconds() - 5.605).abs() < 1e-9);
        let mut text = PrometheusText::new();
        text.family("t_seconds", "histogram", "test");
        text.histogram("t_seconds", &[("route", "/a")], &histogram);
        let text = text.finish();
        assert!(
            text.contains("t_seconds_bucket{route=\"/a\",le=\"0.1\"} 3\n"),
            "{text}"
        );
        assert!(text.contains("t_seconds_bucket{route=\"/a\",le=\"+Inf\"} 5\n"));
        assert!(text.contains("t_seconds_count{route=\"/a\"} 5\n"));
    }

    #[test]
    fn label_values_are_escaped() {
        let mut text = PrometheusText::new();
        text.sample("m", &[("v", "a\"b\\c\nd")], 1.5);
        assert_eq!(text.finish(), "m{v=\"a\\\"b\\\\c\\nd\"} 1.5\n");
    }
}
