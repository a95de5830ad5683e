//! The `tiendo` binary: parse the command line, call the library, print, exit.
//! Exit status: 0 success; 1 the input has errors; 2 wrong usage (or the output
//! could not be written).

mod cli;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use tiendo::diag::Diagnostic;
use tiendo::{BuildOptions, Error};

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match cli.command {
        Command::Build(args) => {
            let output = args.output.unwrap_or_else(|| args.root.root.join("public"));
            let options = BuildOptions { root: args.root.root, output: output.clone(), base_url: args.base_url };
            match tiendo::build(&options) {
                Ok(summary) => {
                    print_diagnostics(&summary.warnings);
                    if args.timings {
                        for (stage, seconds) in &summary.stages {
                            println!("{stage:>12}: {:>7.1} ms", seconds * 1000.0);
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
                        plural_warnings(warning_count(&summary.warnings)),
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => failure(&e),
            }
        }
        Command::Serve(args) => serve(args),
        Command::New(args) => match tiendo::new::create(&args.dir) {
            Ok(files) => {
                println!("created a new site in {} ({} files)", args.dir.display(), files.len());
                println!(
                    "next: tiendo build --root {}   (or: tiendo serve --root {})",
                    args.dir.display(),
                    args.dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(tiendo::new::NewError::NotEmpty) => {
                eprintln!(
                    "error: {} is not empty; nothing was written. Give a new or empty folder",
                    args.dir.display()
                );
                ExitCode::from(2)
            }
            Err(tiendo::new::NewError::Io(e)) => {
                eprintln!("error: cannot write the site: {e}");
                ExitCode::from(2)
            }
        },
        Command::Import(args) => {
            let options = tiendo::import::ImportOptions {
                file: args.file,
                as_of: args.as_of,
                root: args.root.root,
                force: args.force,
                source: args.source,
            };
            match tiendo::import::import(&options) {
                Ok(done) => {
                    print_diagnostics(&done.warnings);
                    println!(
                        "wrote {}: {} figures for {} units{}",
                        done.report,
                        done.figures,
                        done.units,
                        plural_warnings(warning_count(&done.warnings))
                    );
                    println!("next: tiendo check, then tiendo build");
                    ExitCode::SUCCESS
                }
                Err(tiendo::import::ImportError::Input(diagnostics)) => failure(&Error::Input(diagnostics)),
                Err(tiendo::import::ImportError::Usage(message)) => failure(&Error::Usage(message)),
                Err(tiendo::import::ImportError::Output(e)) => failure(&Error::Output(e)),
            }
        }
        Command::Check(args) => match tiendo::check(&args.root) {
            Ok(warnings) => {
                print_diagnostics(&warnings);
                println!("no errors{}", plural_warnings(warning_count(&warnings)));
                ExitCode::SUCCESS
            }
            Err(e) => failure(&e),
        },
    }
}

fn serve(args: cli::ServeArgs) -> ExitCode {
    let options = tiendo::serve::ServeOptions { root: args.root.root, port: args.port };
    let server = match tiendo::serve::start(options) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    println!("serving http://{}/ (press Ctrl-C to stop)", server.addr());
    let result = server.run(|event| match event {
        tiendo::serve::ServeEvent::Built(summary) => {
            print_diagnostics(&summary.warnings);
            let what = if summary.partial { "commentary changed: rendered" } else { "built" };
            println!(
                "{what} {} page{} in {:.2} s{}",
                summary.pages,
                if summary.pages == 1 { "" } else { "s" },
                summary.seconds,
                plural_warnings(warning_count(&summary.warnings))
            );
        }
        tiendo::serve::ServeEvent::Failed(e) => {
            if let Error::Input(diagnostics) = e {
                print_diagnostics(diagnostics);
            }
            eprintln!("{e}: the last good build is still served");
        }
    });
    match result {
        Ok(()) => {
            println!("stopped; the preview folder is removed");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// The warnings of `diagnostics`, those left out of the list included.
fn warning_count(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| !d.is_error()).map(|d| 1 + d.more as usize).sum()
}

fn plural_warnings(n: usize) -> String {
    match n {
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

fn failure(e: &Error) -> ExitCode {
    match e {
        Error::Input(diagnostics) => {
            print_diagnostics(diagnostics);
            let count =
                |errors: bool| diagnostics.iter().filter(|d| d.is_error() == errors).map(|d| 1 + d.more as usize).sum();
            let (errors, warnings): (usize, usize) = (count(true), count(false));
            eprintln!(
                "{errors} error{}{}: nothing was written; the published site is unchanged",
                if errors == 1 { "" } else { "s" },
                plural_warnings(warnings)
            );
            ExitCode::from(1)
        }
        Error::Output(_) | Error::Internal(_) | Error::Usage(_) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
