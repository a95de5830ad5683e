//! Validate: turn the raw files into the model, collecting every problem.
//!
//! Each check that fails adds a diagnostic pointing at the file, line and column
//! of the value at fault and says what to do; validation then goes on, so one run
//! reports everything. A model is returned only when there were no errors.
//! Warnings (SPEC §1) are added too but do not stop the build.

mod content;
mod figures;

use std::collections::HashMap;

use crate::diag::{Diagnostic, Diagnostics, did_you_mean, known_list};
use crate::load::site::RawSite;
use crate::load::yaml::{At, Scalar};
use crate::load::{Input, Loaded, SourceFile};
use crate::model::{City, Config, Group, Indicator, IndicatorKind, Language, Locality, LocalityKind, Site};
use crate::text;

/// Validates everything `load` read. `None` when `diags` holds any error, from this stage or before.
pub fn validate(input: Input, diags: &mut Diagnostics) -> Option<Site> {
    let config = input.site.as_ref().map(|s| config(s, diags));
    let before = diags.error_count();
    let places = input.localities.as_ref().map(|l| localities(l, diags));
    let places_clean = diags.error_count() == before;
    let before = diags.error_count();
    let indicators = input.indicators.as_ref().map(|i| indicators(i, diags));
    let indicators_clean = diags.error_count() == before;

    // A file that could not be read must not hide the problems of the others: what can
    // be checked without it still is (dates, numbers, file names). Ids are checked only
    // against a list without errors: after a misspelt id in data/localities.yaml, every
    // report naming the right id would otherwise be "wrong" too.
    let ids = Ids::new(
        places.as_ref().filter(|_| places_clean).map(|p| p.1.as_slice()),
        indicators.as_deref().filter(|_| indicators_clean),
    );
    let targets = figures::targets(&input.targets, &input.unreadable, &ids, diags);
    let reports_failed = input.unreadable.iter().any(|rel| rel.starts_with(crate::load::REPORTS_DIR));
    if input.reports.is_empty() && !reports_failed {
        diags.push(Diagnostic::error(crate::load::REPORTS_DIR, "the site has no reports yet").help(
            "add the first report as a file in data/reports/, e.g. data/reports/2025-09.yaml:\nas_of: 2025-09-30\nfigures:\n  long-my: { voluntary-si: 1215 }",
        ));
    }
    let (reports, figures) = figures::reports(input.reports, &ids, &targets, diags);
    let content = content::content(input.content, &ids, diags);

    let (Some(config), Some((city, localities, groups)), Some(indicators)) = (config, places, indicators) else {
        return None;
    };
    // Errors of the load stage count too: a file that did not parse is missing from the model.
    if diags.has_errors() {
        return None;
    }
    Some(Site { config, city, localities, groups, indicators, years: targets.years, reports, figures, content })
}

/// The localities and indicators of the site at `root`, validated, for commands that need
/// nothing else (`import`). `None` when either has an error.
pub fn lists(root: &std::path::Path, diags: &mut Diagnostics) -> Option<(Vec<Locality>, Vec<Indicator>)> {
    let input = crate::load::load_lists(root, diags);
    let places = input.localities.as_ref().map(|l| localities(l, diags));
    let indicators = input.indicators.as_ref().map(|i| indicators(i, diags));
    if diags.has_errors() {
        return None;
    }
    Some((places?.1, indicators?))
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
            unknown(file, id, "locality", crate::load::LOCALITIES_FILE, known, diags);
        }
        found
    }

    pub(crate) fn indicator(&self, file: &SourceFile, id: &At<String>, diags: &mut Diagnostics) -> Option<usize> {
        let map = self.indicators.as_ref()?;
        let found = map.get(id.value.as_str()).copied();
        if found.is_none() {
            let known = self.indicator_list.iter().map(|l| l.id.as_str());
            unknown(file, id, "indicator", crate::load::INDICATORS_FILE, known, diags);
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
    what: &str,
    defined_in: &str,
    known: impl Iterator<Item = &'k str> + Clone,
    diags: &mut Diagnostics,
) {
    let d = error_at(file, id, format!("`{}` is not {} {what}", id.value, article(what)));
    diags.push_with_help(d, || match did_you_mean(&id.value, known.clone()) {
        Some(close) => format!("did you mean `{close}`? Known {what} ids: {}", known_list(&id.value, known)),
        None => format!(
            "known {what} ids: {}; a new {what} must first be added to {defined_in}",
            known_list(&id.value, known)
        ),
    });
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

/// An error at the position of a value read from `file`.
pub(crate) fn error_at<T>(file: &SourceFile, at: &At<T>, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(&file.rel, message).at(file, u64::from(at.line), u64::from(at.column))
}

/// Checks an id, with a suggested correction when it is not valid.
pub(crate) fn check_id(file: &SourceFile, id: &At<String>, what: &str) -> Result<(), Diagnostic> {
    if text::is_valid_id(&id.value) {
        return Ok(());
    }
    let suggestion = text::slug(&id.value);
    let help = if text::is_valid_id(&suggestion) {
        format!("ids use only lowercase letters a-z, digits and -, e.g. `{suggestion}`")
    } else {
        "ids use only lowercase letters a-z, digits and -".to_owned()
    };
    let message = if id.value.is_empty() {
        format!("the {what} id is empty")
    } else if id.value.len() > text::MAX_ID_LEN {
        format!("the {what} id is longer than {} characters", text::MAX_ID_LEN)
    } else {
        format!("`{}` is not a valid {what} id", id.value)
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
pub(crate) fn whole_number(value: &Scalar) -> Result<u64, (String, String)> {
    const SEPARATOR: &str = "write digits only, without a thousands separator: 1215, not 1.215 or 1,215";
    match value {
        Scalar::Int(i) if *i < 0 => {
            Err((format!("{i} is negative"), "figures and targets count people: 0 or more".into()))
        }
        Scalar::Int(i) => match u64::try_from(*i) {
            Ok(n) if n <= MAX_PEOPLE => Ok(n),
            _ => {
                Err((format!("{i} is too large to be a number of people"), "check the number for extra digits".into()))
            }
        },
        Scalar::Float(f) if !f.is_finite() => Err(("this is not a number".into(), SEPARATOR.into())),
        Scalar::Float(f) if *f < 0.0 => {
            Err((format!("{f} is negative"), "figures and targets count people: 0 or more".into()))
        }
        Scalar::Float(f) if *f > MAX_PEOPLE as f64 => Err((
            "this number is too large to be a number of people".into(),
            "check the number for extra digits".into(),
        )),
        Scalar::Float(f) if f.fract() != 0.0 => Err((format!("{f} is not a whole number"), SEPARATOR.into())),
        // Integral and in range, so the conversion is exact.
        Scalar::Float(f) => Ok(*f as u64),
        Scalar::Text(t) => Err((format!("\"{t}\" is text, not a number"), SEPARATOR.into())),
        Scalar::Bool(_) | Scalar::Nested => {
            Err((format!("{value} is not a number"), "write a whole number of people, e.g. 1215".into()))
        }
        Scalar::Null => {
            Err(("the value is empty".into(), "write the number, or remove the line if there is no figure".into()))
        }
    }
}

fn config(loaded: &Loaded<RawSite>, diags: &mut Diagnostics) -> Config {
    let (file, raw) = (&loaded.file, &loaded.raw);
    if raw.title.value.trim().is_empty() {
        diags.push(
            error_at(file, &raw.title, "the title is empty")
                .help("give the site a title, e.g. title: \"Tiến độ BHXH — Thành phố Cần Thơ\""),
        );
    }
    let language = match raw.language.as_ref().map(|l| l.value.trim()) {
        None | Some("vi") => Language::Vi,
        Some("en") => Language::En,
        Some(other) => {
            let at = raw.language.as_ref().map(|l| (u64::from(l.line), u64::from(l.column))).unwrap_or((0, 0));
            diags.push(
                Diagnostic::error(&file.rel, format!("the language `{other}` is not supported"))
                    .at(file, at.0, at.1)
                    .help("write language: vi (Vietnamese) or language: en (English)"),
            );
            Language::Vi
        }
    };
    let base_url = raw.base_url.as_ref().and_then(|u| match base_url(&u.value) {
        Some(url) => Some(url),
        None => {
            diags.push(
                error_at(file, u, format!("`{}` is not a web address", u.value))
                    .help("write the full address the site will be published at, e.g. base_url: \"https://example.gov.vn/tien-do\""),
            );
            None
        }
    });
    let mut at_risk = 0.9;
    if let Some(v) = raw.status.as_ref().and_then(|s| s.at_risk.as_ref()) {
        match v.value {
            Scalar::Float(f) if f > 0.0 && f < 1.0 => at_risk = f,
            _ => diags.push(
                error_at(file, v, format!("at_risk must be a share between 0 and 1, not {}", v.value))
                    .help("e.g. at_risk: 0.9 means a projection of at least 90 % of the target is \"at risk\" rather than \"behind\""),
            ),
        }
    }
    Config {
        title: raw.title.value.trim().to_owned(),
        description: raw.description.clone().unwrap_or_default().trim().to_owned(),
        language,
        publisher: raw.publisher.clone().filter(|p| !p.trim().is_empty()),
        base_url,
        at_risk,
        notice: raw.notice.clone().filter(|n| !n.trim().is_empty()),
    }
}

/// The address a site is published at, without a trailing `/`, or `None` when `text` is
/// not an `http` or `https` address that can stand in an attribute as it is.
pub fn base_url(text: &str) -> Option<String> {
    let url = text.trim().trim_end_matches('/');
    let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
    let host = url.split_once("://").map_or("", |(_, rest)| rest);
    let plain = !url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\' | '`'));
    (scheme_ok && !host.is_empty() && !host.starts_with('/') && plain).then(|| url.to_owned())
}

fn localities(
    loaded: &Loaded<crate::load::localities::RawLocalities>,
    diags: &mut Diagnostics,
) -> (City, Vec<Locality>, Vec<Group>) {
    let (file, raw) = (&loaded.file, &loaded.raw);
    let city = &raw.city.value;
    if let Err(d) = check_id(file, &city.id, "city") {
        diags.push(d);
    }
    if city.name.value.trim().is_empty() {
        diags.push(error_at(file, &city.name, "the city's name is empty").help("e.g. name: \"Thành phố Cần Thơ\""));
    }
    if raw.localities.value.is_empty() {
        diags.push(
            error_at(file, &raw.localities, "the list of localities is empty")
                .help("list every ward and commune, e.g.\n- { id: long-my, name: \"Phường Long Mỹ\", kind: ward }"),
        );
    }
    if raw.localities.value.len() > MAX_LOCALITIES {
        diags.push(
            error_at(file, &raw.localities, format!("the file lists {} localities", raw.localities.value.len()))
                .help(format!("a site can have at most {MAX_LOCALITIES} localities (a national site has 3,321)")),
        );
    }
    let mut seen: HashMap<&str, u32> = HashMap::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut group_index: HashMap<String, usize> = HashMap::new();
    let mut list = Vec::with_capacity(raw.localities.value.len());
    for (index, l) in raw.localities.value.iter().enumerate() {
        let id = &l.id;
        match check_id(file, id, "locality") {
            Err(d) => diags.push(d),
            Ok(()) => {
                if let Some(first) = seen.insert(&id.value, id.line) {
                    diags.push(
                        error_at(file, id, format!("the id `{}` is used twice", id.value))
                            .help(format!("it is already used on line {first}; every locality needs its own id")),
                    );
                } else if id.value == city.id.value {
                    diags.push(
                        error_at(file, id, format!("`{}` is the city's id", id.value))
                            .help("the city and its localities need different ids, because figures.csv names both"),
                    );
                }
            }
        }
        if l.name.value.trim().is_empty() {
            diags.push(error_at(file, &l.name, "the name is empty").help("e.g. name: \"Phường Long Mỹ\""));
        }
        let kind = match l.kind.value.trim() {
            "ward" => LocalityKind::Ward,
            "commune" => LocalityKind::Commune,
            "special-zone" => LocalityKind::SpecialZone,
            other => {
                diags.push(
                    error_at(file, &l.kind, format!("`{other}` is not a kind of locality"))
                        .help("write kind: ward (phường), kind: commune (xã) or kind: special-zone (đặc khu)"),
                );
                LocalityKind::Ward
            }
        };
        let code = l.code.as_ref().and_then(|c| match &c.value {
            Scalar::Int(i) if *i >= 0 => Some(i.to_string()),
            Scalar::Text(t) if !t.trim().is_empty() && t.trim().chars().all(|c| c.is_ascii_alphanumeric()) => {
                Some(t.trim().to_owned())
            }
            other => {
                diags.push(
                    error_at(file, c, format!("{other} is not a code"))
                        .help("write the statistics office's code as digits, e.g. code: 31471, or leave it out"),
                );
                None
            }
        });
        let group = l.group.as_ref().and_then(|g| {
            let name = g.value.trim();
            let slug = text::slug(name);
            if slug.is_empty() {
                diags.push(
                    error_at(file, g, "the group name has no letters or digits").help("e.g. group: \"Sóc Trăng cũ\""),
                );
                return None;
            }
            if slug.len() > text::MAX_ID_LEN {
                // The slug names the group's folder, and file systems limit names.
                diags.push(error_at(file, g, "the group name is too long").help(format!(
                    "its page's address would be {} characters long, and may be at most {}: shorten the name",
                    slug.len(),
                    text::MAX_ID_LEN
                )));
                return None;
            }
            let gi = *group_index.entry(slug.clone()).or_insert_with(|| {
                groups.push(Group { name: name.to_owned(), slug: slug.clone(), members: Vec::new() });
                groups.len() - 1
            });
            if groups[gi].name != name {
                diags.push(
                    error_at(
                        file,
                        g,
                        format!("the group \"{name}\" differs from \"{}\" only in spelling", groups[gi].name),
                    )
                    .help("both would get the same page; write the group's name the same way everywhere"),
                );
            }
            groups[gi].members.push(index);
            Some(gi)
        });
        list.push(Locality { id: id.value.clone(), name: collapse_spaces(&l.name.value), kind, code, group });
    }
    let city = City { id: city.id.value.clone(), name: collapse_spaces(&city.name.value) };
    (city, list, groups)
}

fn indicators(loaded: &Loaded<crate::load::indicators::RawIndicators>, diags: &mut Diagnostics) -> Vec<Indicator> {
    let (file, raw) = (&loaded.file, &loaded.raw);
    let mut seen: HashMap<&str, u32> = HashMap::new();
    let mut list = Vec::with_capacity(raw.len());
    if raw.is_empty() {
        diags.push(Diagnostic::error(&file.rel, "no indicators are defined").help(
            "list at least one, e.g.\n- { id: voluntary-si, name: \"Người tham gia BHXH tự nguyện\", kind: count }",
        ));
    }
    for entry in raw {
        let i = &entry.value;
        match check_id(file, &i.id, "indicator") {
            Err(d) => diags.push(d),
            Ok(()) => {
                if let Some(first) = seen.insert(&i.id.value, i.id.line) {
                    diags.push(
                        error_at(file, &i.id, format!("the id `{}` is used twice", i.id.value))
                            .help(format!("it is already used on line {first}; every indicator needs its own id")),
                    );
                }
            }
        }
        if i.name.value.trim().is_empty() {
            diags.push(
                error_at(file, &i.name, "the name is empty").help("e.g. name: \"Người tham gia BHXH tự nguyện\""),
            );
        }
        let kind = match i.kind.value.trim() {
            "count" => IndicatorKind::Count,
            "coverage" => IndicatorKind::Coverage,
            other => {
                diags.push(error_at(file, &i.kind, format!("`{other}` is not a kind of indicator")).help(
                    "write kind: count (progress = value / target) or kind: coverage (a rate of a base population)",
                ));
                IndicatorKind::Count
            }
        };
        let name = collapse_spaces(&i.name.value);
        list.push(Indicator {
            id: i.id.value.clone(),
            short: i.short.as_deref().map(collapse_spaces).filter(|s| !s.is_empty()).unwrap_or_else(|| name.clone()),
            name,
            unit: i.unit.as_deref().map(collapse_spaces).unwrap_or_default(),
            kind,
            base_label: i.base.as_deref().map(collapse_spaces).filter(|s| !s.is_empty()),
        });
    }
    list
}

/// Trims and turns runs of white space into one space, as names typed or pasted often need.
fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
