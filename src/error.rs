//! Why a command failed, for every command: the one error type the library returns,
//! and the exit status each kind of failure gives (SPEC §3).

use std::path::Path;

use crate::diag::Diagnostic;
use crate::output::OutputError;
use crate::t;
use crate::words::messages::Text;

#[derive(Debug)]
pub enum Error {
    /// The input has problems the user can fix: every one of them, sorted, warnings
    /// included. Exit status 1.
    Input(Vec<Diagnostic>),
    /// The command line asks for something that cannot be done: an output folder that
    /// tiendo may not replace, a date that is not one, a port already taken. Exit status 2.
    Usage(Text),
    /// Writing failed: the site, an imported report, a new site. Exit status 2.
    Output(OutputError),
}

impl Error {
    /// The exit status of a command that failed this way.
    pub fn exit_status(&self) -> u8 {
        match self {
            Error::Input(_) => 1,
            Error::Usage(_) | Error::Output(_) => 2,
        }
    }

    /// Why the command failed, in words of the catalogues (the diagnostics of an input
    /// error are printed on their own).
    pub fn text(&self) -> Text {
        match self {
            Error::Input(ds) => t!("input_errors", n = ds.iter().filter(|d| d.is_error()).count()),
            Error::Output(e) if e.is_disk_full() => {
                // The file was in the staging folder, which is gone: name the folder it was in.
                let staging = e
                    .path
                    .ancestors()
                    .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().contains(".tiendo-")));
                let place = staging.and_then(Path::parent).unwrap_or(&e.path);
                t!("disk_full", folder = place.display().to_string())
            }
            Error::Output(e) => e.text(),
            Error::Usage(e) => e.clone(),
        }
    }
}

/// In English; a person reads [`Error::text`] in their language.
impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.text())
    }
}

impl std::error::Error for Error {}
