//! Validate: turn the raw files into the model, collecting every problem.
//!
//! Each check that fails adds a diagnostic pointing at the file, line and column
//! of the value at fault and says what to do; validation then goes on, so one run
//! reports everything. A model is returned only when there were no errors.
//! Warnings (SPEC §1) are added too but do not stop the build.

mod content;
mod definition;
mod outlines;
pub(crate) mod reports;
mod targets;

use std::collections::HashMap;

use crate::date::{Date, DateError, MAX_YEAR, MIN_YEAR};
use crate::diag::{Diagnostic, Diagnostics, did_you_mean, known_list};
use crate::load::yaml::{At, Scalar};
use crate::load::{Input, SourceFile};
use crate::model::{City, Config, Group, Indicator, Locality, Site};
use crate::t;
use crate::text;
use crate::words::messages::Text;
pub use definition::base_url;

/// Validates everything `load` read. `None` when `diags` holds any error, from this stage or before.
pub fn validate(input: Input, diags: &mut Diagnostics) -> Option<Site> {
    let config = input.site.as_ref().map(|s| definition::config(s, diags));
    let before = diags.error_count();
    let places = input.localities.as_ref().map(|l| definition::localities(l, diags));
    let places_clean = diags.error_count() == before;
    let before = diags.error_count();
    let indicators = input.indicators.as_ref().map(|i| definition::indicators(i, diags));
    let indicators_clean = diags.error_count() == before;

    // A file that could not be read must not hide the problems of the others: what can
    // be checked without it still is (dates, numbers, file names). Ids are checked only
    // against a list without errors: after a misspelt id in data/localities.yaml, every
    // report naming the right id would otherwise be "wrong" too.
    let ids = Ids::new(
        places.as_ref().filter(|_| places_clean).map(|p| p.1.as_slice()),
        indicators.as_deref().filter(|_| indicators_clean),
    );
    let targets = targets::targets(&input.targets, &input.unreadable, &ids, diags);
    let reports_failed = input.unreadable.iter().any(|rel| rel.starts_with(crate::load::REPORTS_DIR));
    if input.reports.is_empty() && !reports_failed {
        diags.push(Diagnostic::error(crate::load::REPORTS_DIR, t!("no_reports")).help(t!("no_reports_help")));
    }
    let (reports, figures) = reports::reports(input.reports, &ids, &targets, diags);
    let content = content::content(input.content, &ids, diags);
    let outlines = places
        .as_ref()
        .filter(|_| places_clean)
        .and_then(|p| outlines::outlines(input.boundaries, input.site.as_ref(), &p.1, diags));

    let (Some(config), Some((city, localities, groups)), Some(indicators)) = (config, places, indicators) else {
        return None;
    };
    // Errors of the load stage count too: a file that did not parse is missing from the model.
    if diags.has_errors() {
        return None;
    }
    Some(Site {
        config,
        city,
        localities,
        groups,
        indicators,
        years: targets.years,
        reports,
        figures,
        content,
        outlines,
    })
}

/// What a site is made of, without its figures: for commands that need nothing else (`import`).
pub struct Lists {
    pub config: Config,
    pub city: City,
    pub localities: Vec<Locality>,
    pub groups: Vec<Group>,
    pub indicators: Vec<Indicator>,
}

/// The settings, localities and indicators of the site at `root`, validated. `None`
/// when any of them has an error.
pub fn lists(root: &std::path::Path, diags: &mut Diagnostics) -> Option<Lists> {
    let input = crate::load::load_lists(root, diags);
    let config = input.site.as_ref().map(|s| definition::config(s, diags));
    let places = input.localities.as_ref().map(|l| definition::localities(l, diags));
    let indicators = input.indicators.as_ref().map(|i| definition::indicators(i, diags));
    if diags.has_errors() {
        return None;
    }
    let (city, localities, groups) = places?;
    Some(Lists { config: config?, city, localities, groups, indicators: indicators? })
}

/// Lookup of localities and indicators by id, built once. A list whose file could not
/// be read is unknown: ids are then not checked against it, and nothing is stored.
pub(crate) struct Ids<'a> {
    localities: Option<HashMap<&'a str, usize>>,
    indicators: Option<HashMap<&'a str, usize>>,
    /// Empty when unknown.
    pub(crate) locality_list: &'a [Locality],
    pub(crate) indicator_list: &'a [Indicator],
}

impl<'a> Ids<'a> {
    fn new(localities: Option<&'a [Locality]>, indicators: Option<&'a [Indicator]>) -> Self {
        Ids {
            localities: localities.map(|l| l.iter().enumerate().map(|(i, l)| (l.id.as_str(), i)).collect()),
            indicators: indicators.map(|l| l.iter().enumerate().map(|(i, l)| (l.id.as_str(), i)).collect()),
            locality_list: localities.unwrap_or_default(),
            indicator_list: indicators.unwrap_or_default(),
        }
    }

    /// The index of locality `id`; `None` when the list is unknown, or when `id` is not
    /// in it, which is reported with the known ids.
    pub(crate) fn locality(&self, file: &SourceFile, id: &At<String>, diags: &mut Diagnostics) -> Option<usize> {
        let map = self.localities.as_ref()?;
        let found = map.get(id.value.as_str()).copied();
        if found.is_none() {
            let known = self.locality_list.iter().map(|l| l.id.as_str());
            unknown(file, id, Kind::Locality, crate::load::LOCALITIES_FILE, known, diags);
        }
        found
    }

    pub(crate) fn indicator(&self, file: &SourceFile, id: &At<String>, diags: &mut Diagnostics) -> Option<usize> {
        let map = self.indicators.as_ref()?;
        let found = map.get(id.value.as_str()).copied();
        if found.is_none() {
            let known = self.indicator_list.iter().map(|l| l.id.as_str());
            unknown(file, id, Kind::Indicator, crate::load::INDICATORS_FILE, known, diags);
        }
        found
    }

    /// Whether both lists are known, so that figures are stored and can be compared.
    pub(crate) fn complete(&self) -> bool {
        self.localities.is_some() && self.indicators.is_some()
    }

    /// Like [`Ids::locality`] for a bare id (a file name): `Some(None)` when the list is unknown.
    pub(crate) fn locality_by_id(&self, id: &str) -> Option<Option<usize>> {
        match &self.localities {
            None => Some(None),
            Some(map) => map.get(id).map(|&i| Some(i)),
        }
    }

    pub(crate) fn indicator_by_id(&self, id: &str) -> Option<Option<usize>> {
        match &self.indicators {
            None => Some(None),
            Some(map) => map.get(id).map(|&i| Some(i)),
        }
    }
}

/// Reports an unknown id; the suggestions, which compare it with every known id, are
/// made only for the diagnostics that are shown.
fn unknown<'k>(
    file: &SourceFile,
    id: &At<String>,
    kind: Kind,
    defined_in: &str,
    known: impl Iterator<Item = &'k str> + Clone,
    diags: &mut Diagnostics,
) {
    let (message, close_help, help) = match kind {
        Kind::Locality => ("unknown_locality", "unknown_locality_close", "unknown_locality_help"),
        Kind::Indicator => ("unknown_indicator", "unknown_indicator_close", "unknown_indicator_help"),
        Kind::City => ("unknown_city", "unknown_city_close", "unknown_city_help"),
    };
    let d = error_at(file, id, Text::new(message, vec![("id", id.value.as_str().into())]));
    diags.push_with_help(d, || {
        let list = known_list(&id.value, known.clone()).into();
        match did_you_mean(&id.value, known) {
            Some(close) => Text::new(close_help, vec![("close", close.into()), ("known", list)]),
            None => Text::new(help, vec![("known", list), ("file", defined_in.into())]),
        }
    });
}

/// What an id names, for messages about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    City,
    Locality,
    Indicator,
}

/// An error at the position of a value read from `file`.
pub(crate) fn error_at<T>(file: &SourceFile, at: &At<T>, message: Text) -> Diagnostic {
    Diagnostic::error(&file.rel, message).at(file, u64::from(at.line), u64::from(at.column))
}

/// An error at `text` when it has more than `max` characters; `says(n, max)` is the
/// message and its help. Every text a page or picture shows has such a bound: one pasted
/// by mistake (a paragraph, a name pasted thousands of times) would fill every page.
pub(crate) fn too_long(
    file: &SourceFile,
    text: &At<String>,
    max: usize,
    says: impl FnOnce(usize, usize) -> (Text, Text),
    diags: &mut Diagnostics,
) {
    let n = text.value.chars().count();
    if n > max {
        let (message, help) = says(n, max);
        diags.push(error_at(file, text, message).help(help));
    }
}

/// Checks an id, with a suggested correction when it is not valid.
pub(crate) fn check_id(file: &SourceFile, id: &At<String>, kind: Kind) -> Result<(), Diagnostic> {
    if text::is_valid_id(&id.value) {
        return Ok(());
    }
    let suggestion = text::slug(&id.value);
    let help = if text::is_valid_id(&suggestion) { t!("id_rule_example", suggestion) } else { t!("id_rule") };
    let what = match kind {
        Kind::City => t!("kind_city"),
        Kind::Locality => t!("kind_locality"),
        Kind::Indicator => t!("kind_indicator"),
    };
    let message = if id.value.is_empty() {
        t!("id_empty", what)
    } else if id.value.len() > text::MAX_ID_LEN {
        t!("id_too_long", what, max = text::MAX_ID_LEN)
    } else {
        t!("id_invalid", what, id = &id.value)
    };
    Err(error_at(file, id, message).help(help))
}

/// The most localities a site may have: Vietnam had 10,599 wards and communes before the
/// 2025 reform, 3,321 after it.
pub const MAX_LOCALITIES: usize = 100_000;

/// The largest figure or target accepted: more people than live on Earth is a typing mistake,
/// and the limit keeps every sum far from overflowing.
pub const MAX_PEOPLE: u64 = 10_000_000_000;

/// A whole number of people, or a message and advice saying why `value` is not one.
pub(crate) fn whole_number(value: &Scalar) -> Result<u64, (Text, Text)> {
    let separator = || t!("number_separator_help");
    match value {
        Scalar::Int(i) if *i < 0 => Err((t!("number_negative", value = *i), t!("number_negative_help"))),
        Scalar::Int(i) => match u64::try_from(*i) {
            Ok(n) if n <= MAX_PEOPLE => Ok(n),
            _ => Err((t!("number_too_large", value = *i), t!("number_too_large_help"))),
        },
        Scalar::Float(f) if !f.is_finite() => Err((t!("number_not_finite"), separator())),
        Scalar::Float(f) if *f < 0.0 => Err((t!("number_negative", value = f.to_string()), t!("number_negative_help"))),
        Scalar::Float(f) if *f > MAX_PEOPLE as f64 => Err((t!("number_far_too_large"), t!("number_too_large_help"))),
        Scalar::Float(f) if f.fract() != 0.0 => Err((t!("number_not_whole", value = f.to_string()), separator())),
        // Integral and in range, so the conversion is exact.
        Scalar::Float(f) => Ok(*f as u64),
        Scalar::Text(text) => Err((t!("number_is_text", value = text.as_str()), separator())),
        Scalar::Bool(_) | Scalar::Nested => {
            Err((t!("number_not_a_number", value = value.describe()), t!("number_not_a_number_help")))
        }
        Scalar::Null => Err((t!("number_empty"), t!("number_empty_help"))),
    }
}

/// `{ voluntary-si: 6,40 }` reads as `voluntary-si: 6` and a second entry `40`: a number
/// written with a comma separator. Said once, plainly, instead of "`40` is not an indicator".
pub(super) fn split_number(file: &SourceFile, key: &At<String>) -> Option<Diagnostic> {
    let k = key.value.trim();
    (!k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()))
        .then(|| error_at(file, key, t!("comma_splits_number", digits = k)).help(t!("comma_splits_number_help")))
}

/// A date written as YYYY-MM-DD.
pub(super) fn date(file: &SourceFile, at: &At<String>, diags: &mut Diagnostics) -> Option<Date> {
    match Date::parse(at.value.trim()) {
        Ok(d) => Some(d),
        Err(DateError::Format) => {
            diags.push(error_at(file, at, t!("not_a_date", value = &at.value)).help(t!("not_a_date_help")));
            None
        }
        Err(DateError::Impossible) => {
            diags.push(error_at(file, at, t!("date_does_not_exist", value = &at.value)).help(t!(
                "date_does_not_exist_help",
                min = MIN_YEAR,
                max = MAX_YEAR
            )));
            None
        }
    }
}
