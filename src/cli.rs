//! The command line (SPEC §3): one argument struct per subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "tiendo",
    version,
    about = "Builds a static progress-report site from YAML figures and Markdown commentary."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into the output folder (by default ROOT/public).
    Build(BuildArgs),
    /// Check every input file and report all problems; writes nothing.
    Check(RootArg),
    /// Build, serve on 127.0.0.1, and rebuild and reload the browser when an input changes.
    Serve(ServeArgs),
    /// Write a small working site to start from into DIR (empty or not yet existing).
    New(NewArgs),
    /// Turn a spreadsheet export (CSV) into the report file data/reports/YYYY-MM.yaml.
    Import(ImportArgs),
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// The port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
}

#[derive(Args, Debug)]
pub struct NewArgs {
    /// The folder to create the site in.
    pub dir: PathBuf,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The CSV file: first column the unit (id, code or name), then one column per indicator id.
    pub file: PathBuf,
    /// The date the figures are as of (YYYY-MM-DD); it also names the report file.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: String,
    #[command(flatten)]
    pub root: RootArg,
    /// Replace the report file if it already exists.
    #[arg(long)]
    pub force: bool,
    /// Where the figures come from, shown beside them on the site.
    #[arg(long, value_name = "TEXT")]
    pub source: Option<String>,
}

#[derive(Args, Debug)]
pub struct RootArg {
    /// The site folder (the one holding site.yaml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// Where to write the site [default: ROOT/public].
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// The address the site is published at, for absolute links (overrides site.yaml).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Also print how long each stage of the build took.
    #[arg(long)]
    pub timings: bool,
}
