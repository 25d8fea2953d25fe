//! The `verbatim` command line: `serve`, `import`, `extract`, `search`.
//! Parses flags with clap, loads [`Settings`], and hands off to the library.

mod extract;

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::analysis::Analyzer;
use crate::config::Settings;

/// Verbatim: a search server for news that answers who said what.
#[derive(Debug, Parser)]
#[command(name = "verbatim", version, about)]
pub struct Cli {
    /// Settings file (default: config/default.toml when present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read NDJSON `{"id", "text"}` (or `title`/`body`) on stdin, write quotes,
    /// speakers and topics as NDJSON on stdout.
    Extract,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::load(cli.config.as_deref(), std::env::vars())?;
    match cli.command {
        Command::Extract => {
            let analyzer = Analyzer::from_settings(&settings.analysis)?;
            let stdin = std::io::stdin().lock();
            let stdout = std::io::BufWriter::new(std::io::stdout().lock());
            let failures =
                extract::run_extract(&analyzer, stdin, stdout).context("extract failed")?;
            if failures > 0 {
                eprintln!("verbatim extract: {failures} line(s) could not be analysed");
            }
            Ok(())
        }
    }
}
