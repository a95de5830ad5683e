//! The `tiendo` binary: parse the command line, run the command (see `cli`), print, and
//! turn the outcome into the exit status: 0 success; 1 the input has errors; 2 wrong
//! usage, or something could not be written.

mod cli;

/// mimalloc, with the bound on one allocation while a page renders (see
/// `render::bound`): a template that doubles a text is stopped with a message.
#[global_allocator]
static GLOBAL: tiendo::BoundedAllocator<mimalloc::MiMalloc> = tiendo::BoundedAllocator(mimalloc::MiMalloc);

use std::process::ExitCode;

use clap::FromArgMatches;

fn main() -> ExitCode {
    // No arguments: a double-click on the program, for staff who do not use a terminal.
    if std::env::args_os().len() == 1 {
        return cli::start_without_arguments();
    }
    // The language is needed before the command line is understood, for its help and its
    // usage errors: `--lang` and `--root` are looked for in the arguments as they are, and
    // the words found serve the whole run.
    let words = tiendo::messages_for(&cli::root_in_args(), cli::lang_in_args().as_deref());
    let parsed = cli::command(words).try_get_matches().and_then(|m| cli::Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) if !e.use_stderr() => {
            // --help and --version.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprint!("{}", cli::usage_error(words, &e));
            return ExitCode::from(2);
        }
    };
    match cli.command.run(words, cli.lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            cli::print_error(words, &e);
            ExitCode::from(e.exit_status())
        }
    }
}
