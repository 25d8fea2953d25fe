//! The `verbatim` binary: parses the command line and runs it.

use clap::Parser;

fn main() -> anyhow::Result<()> {
    verbatim::cli::run(verbatim::cli::Cli::parse())
}
