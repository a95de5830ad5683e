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
}
