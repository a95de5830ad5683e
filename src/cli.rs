//! The command line (SPEC §3): one argument struct per subcommand, each with `run`,
//! which calls the library and prints what it did. Errors are printed by
//! [`print_error`], once, in `main`.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use tiendo::diag::Diagnostic;
use tiendo::{BuildOptions, Error};

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
    /// Turn the sheet the office sent (.xlsx, .xls, .ods or CSV) into data/reports/YYYY-MM.yaml.
    Import(ImportArgs),
    /// Reads a workbook for `import`, in a process of its own (see `tiendo::import::Reader`).
    #[command(name = "__read-workbook", hide = true)]
    ReadWorkbook(ReadWorkbookArgs),
}

impl Command {
    pub fn run(self) -> Result<(), Error> {
        match self {
            Command::Build(args) => args.run(),
            Command::Check(args) => args.run(),
            Command::Serve(args) => args.run(),
            Command::New(args) => args.run(),
            Command::Import(args) => args.run(),
            Command::ReadWorkbook(args) => args.run(),
        }
    }
}

#[derive(Args, Debug)]
pub struct RootArg {
    /// The site folder (the one holding site.yaml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

impl RootArg {
    /// `tiendo check`.
    fn run(self) -> Result<(), Error> {
        let warnings = tiendo::check(&self.root)?;
        print_diagnostics(&warnings);
        println!("no errors{}", plural_warnings(&warnings));
        Ok(())
    }
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

impl BuildArgs {
    fn run(self) -> Result<(), Error> {
        let output = self.output.unwrap_or_else(|| self.root.root.join("public"));
        let options = BuildOptions { root: self.root.root, output: output.clone(), base_url: self.base_url };
        let summary = tiendo::build(&options)?;
        print_diagnostics(&summary.warnings);
        if self.timings {
            for (stage, seconds) in &summary.stages {
                println!("{stage:>12}: {:>7.1} ms", seconds * 1000.0);
            }
            for (file, why) in &summary.slow {
                println!("read by the YAML parser, not the fast scanner: {file} ({why})");
            }
        }
        println!(
            "built {} pages and {} charts for {} localities from {} reports in {:.2} s into {}{}",
            summary.pages,
            summary.charts,
            summary.localities,
            summary.reports,
            summary.seconds,
            output.display(),
            plural_warnings(&summary.warnings),
        );
        Ok(())
    }
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// The port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
}

impl ServeArgs {
    fn run(self) -> Result<(), Error> {
        let server = tiendo::serve::start(tiendo::serve::ServeOptions { root: self.root.root, port: self.port })?;
        println!("serving http://{}/ (press Ctrl-C to stop)", server.addr());
        server.run(|event| match event {
            tiendo::serve::ServeEvent::Built(summary) => {
                print_diagnostics(&summary.warnings);
                let what = if summary.partial { "commentary changed: rendered" } else { "built" };
                println!(
                    "{what} {} page{} in {:.2} s{}",
                    summary.pages,
                    if summary.pages == 1 { "" } else { "s" },
                    summary.seconds,
                    plural_warnings(&summary.warnings)
                );
            }
            tiendo::serve::ServeEvent::Failed(e) => {
                if let Error::Input(diagnostics) = e {
                    print_diagnostics(diagnostics);
                }
                eprintln!("{e}: the last good build is still served");
            }
        })?;
        println!("stopped; the preview folder is removed");
        Ok(())
    }
}

#[derive(Args, Debug)]
pub struct NewArgs {
    /// The folder to create the site in.
    pub dir: PathBuf,
}

impl NewArgs {
    fn run(self) -> Result<(), Error> {
        let files = tiendo::new::create(&self.dir)?;
        let dir = self.dir.display();
        println!("created a new site in {dir} ({} files)", files.len());
        println!("next: tiendo build --root {dir}   (or: tiendo serve --root {dir})");
        Ok(())
    }
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The sheet as it was received: .xlsx, .xls, .ods, or a CSV or text export.
    pub file: PathBuf,
    /// The date the figures are as of (YYYY-MM-DD); it also names the report file.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: String,
    #[command(flatten)]
    pub root: RootArg,
    /// Replace the report file if it already exists.
    #[arg(long, conflicts_with = "merge")]
    pub force: bool,
    /// Add this sheet's units to the month's report (another office's sheet of the same month).
    #[arg(long)]
    pub merge: bool,
    /// Where the figures come from, shown beside them on the site [default: the sheet's title].
    #[arg(long, value_name = "TEXT")]
    pub source: Option<String>,
    /// The sheet of a workbook to read [default: the only one with the site's units].
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
}

impl ImportArgs {
    fn run(self) -> Result<(), Error> {
        let done = tiendo::import::import(&tiendo::import::ImportOptions {
            file: self.file,
            as_of: self.as_of,
            root: self.root.root,
            force: self.force,
            merge: self.merge,
            source: self.source,
            sheet: self.sheet,
            // Workbooks come from elsewhere: read in a child process of this program.
            reader: std::env::current_exe().map_or(tiendo::import::Reader::InProcess, tiendo::import::Reader::Child),
        })?;
        for line in &done.read {
            println!("{line}");
        }
        print_diagnostics(&done.warnings);
        println!(
            "wrote {}: {} figures for {} units{}",
            done.report,
            done.figures,
            done.units,
            plural_warnings(&done.warnings)
        );
        println!("next: tiendo check, then tiendo build");
        Ok(())
    }
}

#[derive(Args, Debug)]
pub struct ReadWorkbookArgs {
    pub file: PathBuf,
}

impl ReadWorkbookArgs {
    /// Writes the workbook's sheets, or why it cannot be read, to standard output.
    fn run(self) -> Result<(), Error> {
        let mut out = std::io::stdout().lock();
        tiendo::import::dump_workbook(&self.file, &mut out).map_err(Error::Usage)
    }
}

/// Prints why a command failed: every diagnostic of the input and how many there were,
/// or the one reason.
pub fn print_error(e: &Error) {
    match e {
        Error::Input(diagnostics) => {
            print_diagnostics(diagnostics);
            let errors = count(diagnostics, true);
            eprintln!(
                "{errors} error{}{}: nothing was written; the published site is unchanged",
                if errors == 1 { "" } else { "s" },
                plural_warnings(diagnostics)
            );
        }
        Error::Usage(_) | Error::Output(_) => eprintln!("error: {e}"),
    }
}

/// The errors (or warnings) of `diagnostics`, those left out of the list included.
fn count(diagnostics: &[Diagnostic], errors: bool) -> usize {
    diagnostics.iter().filter(|d| d.is_error() == errors).map(|d| 1 + d.more as usize).sum()
}

/// ", 3 warnings" for the warnings among `diagnostics`; nothing without any.
fn plural_warnings(diagnostics: &[Diagnostic]) -> String {
    match count(diagnostics, false) {
        0 => String::new(),
        1 => ", 1 warning".to_owned(),
        n => format!(", {n} warnings"),
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diagnostics {
        let _ = writeln!(err, "{d}\n");
    }
}
