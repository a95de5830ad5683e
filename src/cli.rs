//! The command line (SPEC §3): one argument struct per subcommand, each with `run`,
//! which calls the library and prints what it did. Errors are printed by
//! [`print_error`], once, in `main`. Everything printed is worded by the catalogue of
//! the reader's language (`--lang`, else the site's `language`, else Vietnamese).

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use tiendo::diag::Diagnostic;
use tiendo::words::messages::{Arg, Catalogue, Text};
use tiendo::{BuildOptions, Error, t};

/// The command line. Its help is worded by the catalogues too (see [`command`]); the
/// doc comments here are for readers of the code.
#[derive(Parser, Debug)]
#[command(
    name = "tiendo",
    version,
    about = "Builds a static progress-report site from YAML figures and Markdown commentary.",
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// The language of messages [default: the site's language, else vi].
    #[arg(long, global = true, value_name = "LANG", value_parser = clap::builder::PossibleValuesParser::new(Catalogue::codes()))]
    pub lang: Option<String>,
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
    /// Print the help of tiendo or of one of its commands.
    Help(HelpArgs),
}

#[derive(Args, Debug)]
pub struct HelpArgs {
    /// The command to explain.
    pub command: Option<String>,
}

/// The command line with its help in the words of `words`: what each command and
/// option is for, the headings, and the `--help` and `--version` flags.
pub fn command(words: &Catalogue) -> clap::Command {
    use clap::{Arg, ArgAction, CommandFactory};
    let say = |key: &str| words.render(&Text::new(leak(key), Vec::new()));
    // Headings are kept by clap as `&'static str`.
    let (usage, commands, arguments, options) =
        (say("help_usage"), leak(&say("help_commands")), leak(&say("help_arguments")), leak(&say("help_options")));
    let template = format!("{{about-with-newline}}\n{usage} {{usage}}\n\n{{all-args}}{{after-help}}");
    let flags = |cmd: clap::Command, version: bool| {
        let cmd = cmd.disable_help_flag(true).arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(say("help_flag_help"))
                .help_heading(options),
        );
        if !version {
            return cmd;
        }
        cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(say("help_flag_version"))
                .help_heading(options),
        )
    };
    let options_value = format!("[{}]", say("help_options_value"));
    let command_value = leak(&say("help_command_value"));
    let lang = |a: Arg| {
        a.help(words.render(&t!("help_arg_lang", languages = tiendo::words::Language::list())))
            .help_heading(options)
            .hide_possible_values(true)
            .value_name(leak(&say("help_value_lang")))
    };
    let mut cli = Cli::command()
        .about(say("help_about"))
        .help_template(&template)
        .subcommand_help_heading(commands)
        .subcommand_value_name(command_value)
        .mut_arg("lang", lang)
        .override_usage(format!("tiendo {options_value} <{command_value}>"));
    cli = flags(cli, true);
    let names: Vec<String> = cli.get_subcommands().map(|c| c.get_name().to_owned()).collect();
    for name in names.iter().filter(|n| !n.starts_with("__")) {
        let key = name.replace('-', "_");
        cli = cli.mut_subcommand(name, |sub| {
            let ids: Vec<String> = sub.get_arguments().map(|a| a.get_id().as_str().to_owned()).collect();
            let mut sub = sub.about(say(&format!("help_cmd_{key}"))).help_template(&template);
            for id in ids {
                let positional = sub.get_arguments().any(|a| a.get_id() == id.as_str() && a.is_positional());
                let heading = if positional { arguments } else { options };
                let help = say(&format!("help_arg_{key}_{id}"));
                let value = leak(&say(&format!("help_value_{id}")));
                sub = sub.mut_arg(&id, |a| {
                    let a = a.help(help).help_heading(heading);
                    if a.get_action().takes_values() { a.hide_default_value(true).value_name(value) } else { a }
                });
            }
            let sub = flags(sub, false);
            let usage = sub.clone().bin_name(format!("tiendo {name}")).render_usage().to_string();
            let usage = usage
                .trim()
                .split_once(':')
                .map_or(usage.trim(), |(_, u)| u.trim())
                .replace("[OPTIONS]", &options_value);
            sub.override_usage(usage)
        });
    }
    cli
}

/// A key made at run time, for [`Text::new`]: help is built once a run, so the few
/// bytes this keeps are nothing.
fn leak(key: &str) -> &'static str {
    Box::leak(key.to_owned().into_boxed_str())
}

/// `tiendo help [COMMAND]`: the help of tiendo, or of one of its commands, as `--help`
/// prints it.
pub fn print_help(words: &Catalogue, name: Option<&str>) -> Result<(), Error> {
    let mut cli = command(words);
    cli.build();
    let help = match name {
        None => cli.render_help(),
        Some(name) => match cli.find_subcommand_mut(name).filter(|c| !c.is_hide_set()) {
            Some(sub) => sub.render_help(),
            None => return Err(Error::Usage(t!("usage_unknown_command", command = name))),
        },
    };
    println!("{}", help.to_string().trim_end());
    Ok(())
}

impl Command {
    pub fn run(self, words: &'static Catalogue, lang: Option<String>) -> Result<(), Error> {
        match self {
            Command::Build(args) => args.run(words),
            Command::Check(args) => args.run(words),
            Command::Serve(args) => args.run(words, lang),
            Command::New(args) => args.run(words),
            Command::Import(args) => args.run(words),
            Command::ReadWorkbook(args) => args.run(),
            Command::Help(args) => print_help(words, args.command.as_deref()),
        }
    }
}

/// Prints `text` in the reader's language on standard output.
/// `tiendo` with no arguments, as a double-click on the program starts it: inside a site's
/// folder (the current one, or the program's own), the preview with the browser opened at
/// the monthly update; elsewhere, what to do, and a key awaited before the window closes.
pub fn start_without_arguments() -> std::process::ExitCode {
    let here = PathBuf::from(".");
    let beside_program = std::env::current_exe().ok().and_then(|exe| exe.parent().map(PathBuf::from));
    let site =
        [Some(here), beside_program].into_iter().flatten().find(|dir| dir.join(tiendo::load::SITE_FILE).is_file());
    let Some(root) = site else {
        let words = Catalogue::default_language();
        let folder = std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default();
        eprintln!("{}", tiendo::diag::printable(&words.render(&t!("start_no_site", folder))));
        eprintln!("{}", words.render(&t!("start_press_enter")));
        let _ = std::io::stdin().read_line(&mut String::new());
        return std::process::ExitCode::from(2);
    };
    let words = tiendo::messages_for(&root, None);
    let args = ServeArgs { root: RootArg { root }, port: 8000 };
    match args.serve(words, None, true) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            print_error(words, &e);
            eprintln!("{}", words.render(&t!("start_press_enter")));
            let _ = std::io::stdin().read_line(&mut String::new());
            std::process::ExitCode::from(e.exit_status())
        }
    }
}

/// Opens `url` in the person's browser; when that fails, the address printed is enough.
/// `TIENDO_NO_BROWSER` keeps it closed (tests).
fn open_browser(url: &str) {
    if std::env::var_os("TIENDO_NO_BROWSER").is_some() {
        return;
    }
    let mut command = if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else {
        std::process::Command::new("xdg-open")
    };
    let _ = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// Prints a line for the reader; a closed output (the window or the pipe gone) is not an
/// error worth stopping for.
fn say(words: &Catalogue, text: &Text) {
    // What a file holds (a sheet's name) is shown, never acted on by the terminal.
    let line = words.render(text);
    let _ = writeln!(std::io::stdout().lock(), "{}", tiendo::diag::printable(&line));
}

#[derive(Args, Debug)]
pub struct RootArg {
    /// The site folder (the one holding site.yaml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

impl RootArg {
    /// `tiendo check`.
    fn run(self, words: &Catalogue) -> Result<(), Error> {
        let warnings = tiendo::check(&self.root)?;
        print_diagnostics(words, &warnings);
        say(words, &t!("check_ok", warnings = plural_warnings(&warnings)));
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
    fn run(self, words: &Catalogue) -> Result<(), Error> {
        let output = self.output.unwrap_or_else(|| self.root.root.join("public"));
        let options = BuildOptions { root: self.root.root, output: output.clone(), base_url: self.base_url };
        let summary = tiendo::build_telling(&options, &|| {
            let _ = writeln!(std::io::stderr().lock(), "{}", words.render(&t!("build_waiting")));
        })?;
        print_diagnostics(words, &summary.warnings);
        if self.timings {
            let names: Vec<String> =
                summary.stages.iter().map(|(stage, _)| words.render(&Text::new(stage, Vec::new()))).collect();
            let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
            for (name, (_, seconds)) in names.iter().zip(&summary.stages) {
                let stage = format!("{name:>width$}");
                say(words, &t!("timings_stage", stage, ms = format!("{:>7.1}", seconds * 1000.0)));
            }
            for (file, why) in &summary.slow {
                say(words, &t!("timings_slow", file = file.as_str(), why = why.clone()));
            }
        }
        say(
            words,
            &t!(
                "build_done",
                pages = summary.pages,
                charts = summary.charts,
                images = summary.images,
                localities = summary.localities,
                reports = summary.reports,
                seconds = seconds(words, summary.seconds),
                output = output.display().to_string(),
                warnings = plural_warnings(&summary.warnings)
            ),
        );
        if let Some(changes) = summary.changes_text() {
            say(words, &changes);
        }
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
    fn run(self, words: &'static Catalogue, lang: Option<String>) -> Result<(), Error> {
        self.serve(words, lang, false)
    }

    /// Serves the site; with `open_desk`, on another port when this one is taken, and
    /// with the browser opened at the monthly update.
    fn serve(self, words: &'static Catalogue, lang: Option<String>, open_desk: bool) -> Result<(), Error> {
        let root = self.root.root.clone();
        let options = |port| tiendo::serve::ServeOptions {
            root: root.clone(),
            port,
            lang: lang.clone(),
            reader: std::env::current_exe().map_or(tiendo::import::Reader::InProcess, tiendo::import::Reader::Child),
        };
        let server = match tiendo::serve::start(options(self.port)) {
            Err(Error::Usage(_)) if open_desk && root.join(tiendo::load::SITE_FILE).is_file() => {
                tiendo::serve::start(options(0))?
            }
            other => other?,
        };
        say(words, &t!("serve_started", address = server.addr().to_string()));
        if open_desk {
            let url = format!("http://{}/_tiendo/", server.addr());
            say(words, &t!("desk_opening", url = url.as_str()));
            open_browser(&url);
        }
        server.run(move |event| {
            // site.yaml may have changed language since the last build.
            let words = tiendo::messages_for(&root, lang.as_deref());
            match event {
                tiendo::serve::ServeEvent::Built(summary) => {
                    print_diagnostics(words, &summary.warnings);
                    let key = if summary.partial { "serve_rendered" } else { "serve_built" };
                    let args: Vec<(&'static str, Arg)> = vec![
                        ("n", summary.pages.into()),
                        ("seconds", seconds(words, summary.seconds).into()),
                        ("warnings", plural_warnings(&summary.warnings)),
                    ];
                    say(words, &Text::new(key, args));
                }
                tiendo::serve::ServeEvent::Failed(e) => {
                    if let Error::Input(diagnostics) = e {
                        print_diagnostics(words, diagnostics);
                    }
                    let why = words.render(&t!("serve_failed", why = e.text()));
                    let _ = writeln!(std::io::stderr().lock(), "{}", tiendo::diag::printable(&why));
                }
            }
        })?;
        say(words, &t!("serve_stopped"));
        Ok(())
    }
}

#[derive(Args, Debug)]
pub struct NewArgs {
    /// The folder to create the site in.
    pub dir: PathBuf,
}

impl NewArgs {
    fn run(self, words: &Catalogue) -> Result<(), Error> {
        let files = tiendo::new::create(&self.dir)?;
        let dir = self.dir.display().to_string();
        say(words, &t!("new_done", dir = dir.as_str(), n = files.len()));
        say(words, &t!("new_next", dir));
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
    fn run(self, words: &Catalogue) -> Result<(), Error> {
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
            dry_run: false,
            shown: None,
        })?;
        for line in &done.read {
            say(words, line);
        }
        print_diagnostics(words, &done.warnings);
        let warnings = plural_warnings(&done.warnings);
        say(
            words,
            &t!("import_done", report = done.report.as_str(), figures = done.figures, units = done.units, warnings),
        );
        say(words, &t!("import_next"));
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
pub fn print_error(words: &Catalogue, e: &Error) {
    match e {
        Error::Input(diagnostics) => {
            print_diagnostics(words, diagnostics);
            let n = count(diagnostics, true);
            eprintln!("{}", words.render(&t!("failed_input", n, warnings = plural_warnings(diagnostics))));
        }
        Error::Usage(_) | Error::Output(_) => {
            let label = words.render(&t!("label_error"));
            // It may quote the input (a sheet's name, a path): never a control character raw.
            eprintln!("{label}: {}", tiendo::diag::printable(&words.render(&e.text())));
        }
    }
}

/// The errors (or warnings) of `diagnostics`, those left out of the list included.
fn count(diagnostics: &[Diagnostic], errors: bool) -> usize {
    diagnostics.iter().filter(|d| d.is_error() == errors).map(|d| 1 + d.more as usize).sum()
}

/// ", 3 warnings" for the warnings among `diagnostics`; nothing without any.
fn plural_warnings(diagnostics: &[Diagnostic]) -> Arg {
    match count(diagnostics, false) {
        0 => Arg::Plain(String::new()),
        n => t!("summary_warnings", n).into(),
    }
}

/// Seconds with two decimals, in the reader's way of writing them.
fn seconds(words: &Catalogue, s: f64) -> String {
    let text = format!("{s:.2}");
    match words.render(&t!("_decimal_mark")).as_str() {
        "," => text.replace('.', ","),
        _ => text,
    }
}

fn print_diagnostics(words: &Catalogue, diagnostics: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diagnostics {
        let _ = writeln!(err, "{}\n", d.render(words));
    }
}

/// A command line clap refused, worded by `words`: what is wrong, the usage line, and
/// where to find help. Help and version requests are printed as clap writes them.
pub fn usage_error(words: &Catalogue, e: &clap::Error) -> String {
    use clap::error::{ContextKind, ErrorKind};
    let get = |kind: ContextKind| e.get(kind).map(ToString::to_string).unwrap_or_default();
    let message = match e.kind() {
        ErrorKind::UnknownArgument => {
            let suggested = get(ContextKind::SuggestedArg);
            if suggested.is_empty() {
                t!("usage_unknown_argument", argument = get(ContextKind::InvalidArg))
            } else {
                t!("usage_unknown_argument_close", argument = get(ContextKind::InvalidArg), suggested)
            }
        }
        ErrorKind::InvalidSubcommand => {
            let suggested = get(ContextKind::SuggestedSubcommand);
            if suggested.is_empty() {
                t!("usage_unknown_command", command = get(ContextKind::InvalidSubcommand))
            } else {
                t!("usage_unknown_command_close", command = get(ContextKind::InvalidSubcommand), suggested)
            }
        }
        ErrorKind::InvalidValue => t!(
            "usage_invalid_value",
            value = get(ContextKind::InvalidValue),
            argument = get(ContextKind::InvalidArg),
            valid = get(ContextKind::ValidValue)
        ),
        ErrorKind::MissingRequiredArgument => t!("usage_missing_argument", argument = get(ContextKind::InvalidArg)),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            t!("usage_missing_command")
        }
        ErrorKind::ArgumentConflict => {
            t!("usage_conflict", argument = get(ContextKind::InvalidArg), other = get(ContextKind::PriorArg))
        }
        ErrorKind::ValueValidation => {
            t!(
                "usage_invalid_value_plain",
                value = get(ContextKind::InvalidValue),
                argument = get(ContextKind::InvalidArg)
            )
        }
        _ => t!(
            "usage_other",
            detail = e.to_string().lines().next().unwrap_or_default().trim_start_matches("error: ").to_owned()
        ),
    };
    let usage = get(ContextKind::Usage);
    let usage = usage.trim().strip_prefix("Usage:").unwrap_or(usage.trim()).trim().to_owned();
    let label = words.render(&t!("label_error"));
    let mut out = format!("{label}: {}\n", words.render(&message));
    if !usage.is_empty() {
        out.push_str(&format!("\n{}\n", words.render(&t!("usage_line", usage))));
    }
    out.push_str(&format!("\n{}\n", words.render(&t!("usage_more"))));
    out
}

/// The value of `--lang` on a command line clap refused, if it can be found.
pub fn lang_in_args() -> Option<String> {
    option_in_args("--lang")
}

/// The value of `--root` on a command line clap refused, else the current folder.
pub fn root_in_args() -> PathBuf {
    option_in_args("--root").map_or_else(|| PathBuf::from("."), PathBuf::from)
}

fn option_in_args(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    let prefix = format!("{name}=");
    args.iter().enumerate().find_map(|(k, a)| {
        if a == name { args.get(k + 1).cloned() } else { a.strip_prefix(&prefix).map(str::to_owned) }
    })
}
